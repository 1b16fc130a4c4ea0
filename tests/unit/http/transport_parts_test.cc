// The transport's parts without a socket: target decoding, gzip negotiation, the reply cache's
// byte bound and ETag matching, the static files' types and revalidation.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "http/compress.h"
#include "http/request.h"
#include "http/response_cache.h"
#include "http/static_files.h"

namespace est::http {
namespace {

TEST(ParseTarget, DecodesPathAndQuery) {
  Request r;
  ASSERT_TRUE(ParseTarget("/api/v1/areas?name=T%C3%A4by+kyrkby&x=1&x=2&flag", r));
  EXPECT_EQ(r.path, "/api/v1/areas");
  EXPECT_EQ(r.get_param_value("name"), "Täby kyrkby");
  EXPECT_EQ(r.params.count("x"), 2u);
  EXPECT_TRUE(r.has_param("flag"));
  EXPECT_EQ(r.get_param_value("flag"), "");
}

TEST(ParseTarget, RefusesWhatNoRouteNeedsNamingTheField) {
  struct Case {
    const char* target;
    const char* field;
  } cases[] = {
      {"/index.html%00.js", "path"}, {"/a/%2e%2e/b", "path"},       {"/a/../b", "path"},
      {"/a%5cb", "path"},            {"/a%zz", "path"},             {"/a%4", "path"},
      {"/a%ff", "path"},             {"/x?period=%00", "period"},   {"/x?%ff=1", "query"},
      {"http://host/x", "path"},     {"", "path"},                  {"/x?p=a%0Ab", "p"},
  };
  for (const Case& c : cases) {
    Request r;
    auto ok = ParseTarget(c.target, r);
    ASSERT_FALSE(ok) << c.target;
    ASSERT_FALSE(ok.error().fields.empty()) << c.target;
    EXPECT_EQ(ok.error().fields[0].field, c.field) << c.target;
  }
}

TEST(Request, HeaderNamesIgnoreCase) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"x-csrf-token", "abc"}};
  EXPECT_EQ(r.get_header_value("content-type"), "application/json");
  EXPECT_EQ(r.get_header_value("X-CSRF-Token"), "abc");
  EXPECT_FALSE(r.has_header("Range"));
  Reply reply;
  reply.set_header("ETag", "\"1\"");
  reply.set_header("etag", "\"2\"");
  EXPECT_EQ(reply.headers.size(), 1u);
  EXPECT_EQ(reply.header("ETAG"), "\"2\"");
}

std::string Gunzip(const std::string& in) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<failed>";
}

TEST(Compress, GzipRoundTripsAndNegotiates) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += R"({"area":"Tureberg","count":)" + std::to_string(i) + "},";
  std::string gz = Gzip(text);
  EXPECT_LT(gz.size(), text.size() / 5);
  EXPECT_EQ(Gunzip(gz), text);
  auto with = [](const char* accept) {
    Request r;
    r.headers = {{"Accept-Encoding", accept}};
    return AcceptsGzip(r);
  };
  EXPECT_TRUE(with("gzip"));
  EXPECT_TRUE(with("br, gzip, deflate"));
  EXPECT_TRUE(with("GZIP;q=0.5"));
  EXPECT_TRUE(with("*"));
  EXPECT_FALSE(with("gzip;q=0"));
  EXPECT_FALSE(with("br"));
  EXPECT_FALSE(with(""));
  EXPECT_TRUE(Compressible("application/json; charset=utf-8"));
  EXPECT_TRUE(Compressible("text/csv; charset=utf-8"));
  EXPECT_FALSE(Compressible("image/png"));
  EXPECT_FALSE(Compressible("application/pdf"));
}

TEST(ResponseCache, IsBoundedByBytesAndForgetsTheLeastRecent) {
  ResponseCache cache(100 * 1024);
  Reply r;
  r.body = std::string(10 * 1024, 'a');
  for (int i = 0; i < 30; ++i) cache.Put("k" + std::to_string(i), r);
  EXPECT_LE(cache.bytes(), 100u * 1024);
  EXPECT_LT(cache.entries(), 30u);
  EXPECT_EQ(cache.Find("k0"), nullptr);
  auto hit = cache.Find("k29");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->reply.header("ETag"), EtagOf(r.body));
  ASSERT_NE(hit->reply.gzip_body, nullptr);  // 10 kB of text is worth compressing
  EXPECT_EQ(Gunzip(*hit->reply.gzip_body), r.body);
  // Too big to keep: answered, not stored.
  Reply big;
  big.body = std::string(60 * 1024, 'b');
  cache.Put("big", big);
  EXPECT_EQ(cache.Find("big"), nullptr);
  cache.Clear();
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(Etag, MatchesWeaklyInLists) {
  EXPECT_TRUE(EtagMatches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("\"x\", W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("*", "\"abc\""));
  EXPECT_FALSE(EtagMatches("\"abd\"", "\"abc\""));
  EXPECT_FALSE(EtagMatches("", "\"abc\""));
  EXPECT_NE(EtagOf("a"), EtagOf("b"));
}

TEST(StaticFiles, ServesTypesRevalidatesAndHidesDotFiles) {
  char tmpl[] = "/tmp/est-static-XXXXXX";
  std::string root = mkdtemp(tmpl);
  std::ofstream(root + "/index.html") << "<!doctype html><meta charset=utf-8><p>EST</p>";
  std::ofstream(root + "/.secret") << "no";
  std::string js(4000, ';');
  std::ofstream(root + "/app.js") << js;
  StaticFiles files(root);
  Request get;
  get.method = "GET";
  get.path = "/";
  auto index = files.Serve(get);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  get.path = "/app.js";
  auto app = files.Serve(get);
  ASSERT_TRUE(app);
  EXPECT_EQ(app->content_type, "text/javascript; charset=utf-8");
  ASSERT_NE(app->gzip_body, nullptr);
  EXPECT_EQ(Gunzip(*app->gzip_body), js);
  Request again = get;
  again.headers = {{"If-None-Match", app->header("ETag")}};
  EXPECT_EQ(files.Serve(again)->status, 304);
  get.path = "/.secret";
  EXPECT_FALSE(files.Serve(get));
  get.path = "/missing.js";
  EXPECT_FALSE(files.Serve(get));
  Request post = get;
  post.method = "POST";
  post.path = "/index.html";
  EXPECT_FALSE(files.Serve(post));
  EXPECT_EQ(StaticFiles::ContentType("a.svg"), "image/svg+xml; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.bin"), "application/octet-stream");
  std::system(("rm -rf '" + root + "'").c_str());
}

}  // namespace
}  // namespace est::http


namespace est::http {
namespace {

TEST(RoutePattern, MatchesDigitsLinearlyWithoutARegex) {
  std::vector<std::string> groups;
  const char* p = R"(/api/v1/reports/(\d+))";
  EXPECT_TRUE(MatchRoutePattern(p, "/api/v1/reports/42", groups));
  EXPECT_EQ(groups, std::vector<std::string>{"42"});
  EXPECT_FALSE(MatchRoutePattern(p, "/api/v1/reports/", groups));
  EXPECT_FALSE(MatchRoutePattern(p, "/api/v1/reports/4x", groups));
  EXPECT_FALSE(MatchRoutePattern(p, "/api/v1/reports/42/", groups));
  EXPECT_TRUE(MatchRoutePattern(R"(/api/v1/actions/(\d+)/history)",
                                         "/api/v1/actions/7/history", groups));
  // A path as long as a header may be: matched in one pass (a recursive regex overflowed here).
  std::string huge = "/api/v1/reports/" + std::string(1 << 20, '9');
  EXPECT_TRUE(MatchRoutePattern(p, huge, groups));
  EXPECT_EQ(groups[0].size(), size_t{1} << 20);
}

}  // namespace
}  // namespace est::http
