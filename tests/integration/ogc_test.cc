// Personal API tokens and OGC API – Features: `est token add|list|revoke` and /api/v1/tokens;
// Authorization: Bearer with the user's role on API routes; a wrong, revoked or expired token is
// 401; the OGC API read by GDAL's own OAPIF driver (collections, every area, a bbox filter) and
// over HTTP (bbox + datetime, paging with next links, bad parameters named).
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

const char* kCsv =
    "id;occurred_at;lon;lat;category;org\n"
    "a1;2026-11-16T21:30:00+01:00;17.945997;59.427118;Klotter;hem\n"
    "a2;2026-11-17T22:00:00+01:00;17.900;59.445;narkotika;polis\n"
    "a3;2026-11-18T08:00:00+01:00;17.930;59.430;skadegörelse;hem\n"
    "a4;2026-11-19T08:00:00+01:00;17.960;59.410;skadegörelse;hem\n";

class OgcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
    WriteText(dir_.File("r.csv"), kCsv);
    ASSERT_EQ(Est({"import", "reports", dir_.File("r.csv")}).exit_code, 0);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  std::string NewToken(const std::string& login, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"token", "add", login};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = Est(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string t = r.out.substr(0, r.out.find('\n'));
    EXPECT_EQ(t.size(), 68u) << r.out;
    return t;
  }
  static httplib::Result Bearer(int port, const std::string& token, const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    return c.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(OgcTest, TokensWorkWithTheUsersRoleUntilRevokedOrExpired) {
  const std::string coord = NewToken("samordnare", {"--name", "QGIS"});
  const std::string reporter = NewToken("rap.hem", {"--expires", "1"});
  auto list = Est({"token", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find(coord), std::string::npos) << "the token is never shown again";
  EXPECT_EQ(list.out.find(coord.substr(20)), std::string::npos);
  EXPECT_NE(list.out.find("\"name\":\"QGIS\""), std::string::npos) << list.out;

  Server server(db_);
  auto me = Bearer(server.port(), coord, "/api/v1/auth/me");
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(json::parse(me->body)["user"]["login"], "samordnare");
  // The reporter's token sees the reporter's organisation only, and cannot do what it cannot.
  auto own = Bearer(server.port(), reporter, "/api/v1/reports?format=csv");
  ASSERT_EQ(own->status, 200);
  EXPECT_EQ(own->get_header_value("X-Report-Count"), "3");
  auto sec = Bearer(server.port(), reporter, "/api/v1/security-events");
  EXPECT_EQ(sec->status, 403);
  // A state-changing request with a token needs no CSRF token (no cookie is involved).
  httplib::Client c("127.0.0.1", server.port());
  auto made = c.Post("/api/v1/reports", {{"Authorization", "Bearer " + reporter}},
                     json{{"occurred_from", "2026-11-20T10:00:00+01:00"},
                          {"location", {{"lon", 17.94}, {"lat", 59.43}}},
                          {"category", "klotter"}}
                         .dump(),
                     "application/json");
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 201) << made->body;

  // Wrong, malformed and revoked tokens: 401, and the failure is a security event.
  std::string wrong = coord;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(Bearer(server.port(), wrong, "/api/v1/auth/me")->status, 401);
  httplib::Client basic("127.0.0.1", server.port());
  auto b = basic.Get("/api/v1/auth/me", {{"Authorization", "Basic c2FtOnNhbQ=="}});
  EXPECT_EQ(b->status, 401);
  EXPECT_NE(b->body.find("Authorization"), std::string::npos) << b->body;
  auto ids = json::parse(list.out.substr(0, list.out.find('\n')));  // newest first: rap.hem's
  auto first_id = std::to_string(ids["id"].get<int64_t>() - 1);    // samordnare's token
  auto revoke = Est({"token", "revoke", first_id});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_EQ(Bearer(server.port(), coord, "/api/v1/auth/me")->status, 401);
  auto bad_revoke = Est({"token", "revoke", "999"});
  EXPECT_NE(bad_revoke.exit_code, 0);
  EXPECT_NE(bad_revoke.err.find("999"), std::string::npos) << bad_revoke.err;

  // Over the API: a user makes and revokes their own; an administrator sees them all.
  Session admin(server.port());
  ASSERT_EQ(admin.Login("admin", "Trygghet-Sollentuna-49!")->status, 200);
  auto created = admin.Post("/api/v1/tokens", json{{"name", "ArcGIS"}, {"expires_days", 30}});
  ASSERT_EQ(created->status, 201) << created->body;
  std::string api_token = json::parse(created->body)["token"];
  EXPECT_EQ(Bearer(server.port(), api_token, "/api/v1/auth/me")->status, 200);
  auto all = json::parse(admin.Get("/api/v1/tokens")->body)["items"];
  EXPECT_EQ(all.size(), 3u);
  for (const auto& t : all) EXPECT_FALSE(t.contains("token"));
  auto bad = admin.Post("/api/v1/tokens", json{{"login", "finns-inte"}, {"expires_days", 99999}});
  ExpectProblem(bad, 400, "login");
  EXPECT_NE(bad->body.find("expires_days"), std::string::npos) << bad->body;
  Session rep(server.port());
  ASSERT_EQ(rep.Login("rap.hem", "Trygghet-Sollentuna-49!")->status, 200);
  EXPECT_EQ(rep.Post("/api/v1/tokens", json{{"login", "admin"}})->status, 403);
  auto mine = json::parse(rep.Get("/api/v1/tokens")->body)["items"];
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["login"], "rap.hem");
  const std::string admin_token_id = std::to_string(json::parse(created->body)["id"].get<int64_t>());
  EXPECT_EQ(rep.Post("/api/v1/tokens/" + admin_token_id + "/revoke", json::object())->status, 404);
  EXPECT_EQ(admin.Post("/api/v1/tokens/" + admin_token_id + "/revoke", json::object())->status, 200);
  EXPECT_EQ(Bearer(server.port(), api_token, "/api/v1/auth/me")->status, 401);
  server.Terminate();
  server.Wait();

  // Two days on, the one-day token has expired.
  setenv("EST_NOW", "2099-01-01T12:00:00+01:00", 1);
  Server later(db_);
  unsetenv("EST_NOW");
  EXPECT_EQ(Bearer(later.port(), reporter, "/api/v1/auth/me")->status, 401);
  // Every create and revoke is audited; neither a token nor its hash is in the trail.
  EXPECT_EQ(QuerySql(db_, "SELECT COUNT(*) FROM audit WHERE entity = 'api_token'"), "5");
  EXPECT_EQ(QuerySql(db_, "SELECT COUNT(*) FROM audit WHERE after LIKE '%" + reporter.substr(4, 16) +
                              "%'"),
            "0");
}

TEST_F(OgcTest, GdalsOapifDriverReadsTheCollectionsAndFilters) {
  const std::string token = NewToken("samordnare");
  Server server(db_);
  const std::string url = "OAPIF:http://127.0.0.1:" + std::to_string(server.port()) + "/ogcapi";
  setenv("GDAL_HTTP_HEADERS", ("Authorization: Bearer " + token).c_str(), 1);
  auto layers = RunProgram({"ogrinfo", "-ro", url});
  EXPECT_EQ(layers.exit_code, 0) << layers.err;
  for (const char* l : {"areas", "places", "reports", "hotspots", "heat"}) {
    EXPECT_NE(layers.out.find(std::string(": ") + l + " "), std::string::npos) << layers.out;
  }
  auto areas = RunProgram({"ogrinfo", "-ro", url, "areas"});
  EXPECT_EQ(areas.exit_code, 0) << areas.err;
  EXPECT_NE(areas.out.find("Feature Count: 2"), std::string::npos) << areas.out;
  EXPECT_NE(areas.out.find("code (String) = 0163"), std::string::npos) << areas.out;
  EXPECT_NE(areas.out.find("code (String) = 531330"), std::string::npos) << areas.out;
  EXPECT_NE(areas.out.find("POLYGON (("), std::string::npos) << areas.out.substr(0, 3000);
  // A bbox around a1 and a3 only (GDAL sends its spatial filter as bbox).
  auto box = RunProgram({"ogrinfo", "-ro", "-spat", "17.925", "59.425", "17.950", "59.432", url,
                         "reports"});
  EXPECT_EQ(box.exit_code, 0) << box.err;
  EXPECT_NE(box.out.find("source_id (String) = a1"), std::string::npos) << box.out;
  EXPECT_NE(box.out.find("source_id (String) = a3"), std::string::npos) << box.out;
  EXPECT_EQ(box.out.find("source_id (String) = a2"), std::string::npos);
  EXPECT_EQ(box.out.find("source_id (String) = a4"), std::string::npos);
  // Without a token GDAL gets nothing.
  unsetenv("GDAL_HTTP_HEADERS");
  auto anon = RunProgram({"ogrinfo", "-ro", url});
  EXPECT_NE(anon.exit_code, 0);

  // bbox + datetime over HTTP: a3 only; then paging through all four with next links.
  auto both = Bearer(server.port(), token,
                     "/ogcapi/collections/reports/items?bbox=17.925,59.425,17.950,59.432&"
                     "datetime=2026-11-18/2026-11-19");
  ASSERT_EQ(both->status, 200) << both->body;
  EXPECT_EQ(both->get_header_value("Content-Type"), "application/geo+json");
  auto fc = json::parse(both->body);
  EXPECT_EQ(fc["numberMatched"], 1);
  ASSERT_EQ(fc["features"].size(), 1u);
  EXPECT_EQ(fc["features"][0]["properties"]["source_id"], "a3");
  auto open_end = json::parse(
      Bearer(server.port(), token, "/ogcapi/collections/reports/items?datetime=2026-11-18T00:00:00Z/..")
          ->body);
  EXPECT_EQ(open_end["numberMatched"], 2);
  std::string next = "/ogcapi/collections/reports/items?limit=3";
  int seen = 0, pages = 0;
  while (!next.empty() && pages < 5) {
    auto page = json::parse(Bearer(server.port(), token, next)->body);
    seen += static_cast<int>(page["features"].size());
    ++pages;
    next.clear();
    for (const auto& l : page["links"]) {
      if (l["rel"] == "next") {
        std::string href = l["href"];
        next = href.substr(href.find("/ogcapi"));
      }
    }
  }
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(pages, 2);
  auto one = Bearer(server.port(), token, "/ogcapi/collections/areas/items?bbox=17.9,59.42,17.95,59.44");
  EXPECT_EQ(json::parse(one->body)["numberMatched"], 2);
  auto far = Bearer(server.port(), token, "/ogcapi/collections/areas/items?bbox=12,56,12.1,56.1");
  EXPECT_EQ(json::parse(far->body)["numberMatched"], 0);

  for (const auto& [q, field] : std::vector<std::pair<std::string, std::string>>{
           {"bbox=1,2,3", "bbox"},
           {"bbox=3,2,1,4", "bbox"},
           {"datetime=igår", "datetime"},
           {"datetime=2026-11-19/2026-11-18", "datetime"},
           {"limit=0", "limit"},
           {"f=html", "f"}}) {
    auto r = Bearer(server.port(), token, "/ogcapi/collections/reports/items?" + q);
    EXPECT_EQ(r->status, 400) << q;
    EXPECT_NE(r->body.find("\"" + field + "\""), std::string::npos) << q << ": " << r->body;
  }
  EXPECT_EQ(Bearer(server.port(), token, "/ogcapi/collections/reports/items/999999")->status, 404);
  EXPECT_EQ(Bearer(server.port(), token, "/ogcapi/collections/nothing")->status, 404);
}

}  // namespace
}  // namespace est::testing

namespace est::testing {
namespace {

TEST_F(OgcTest, Sweref99TmByReferenceForOutputAndBbox) {
  const std::string token = NewToken("samordnare");
  Server server(db_);
  auto conf = json::parse(Bearer(server.port(), token, "/ogcapi/conformance")->body);
  bool crs_class = false;
  for (const auto& c : conf["conformsTo"]) {
    crs_class |= c == "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs";
  }
  EXPECT_TRUE(crs_class) << conf.dump();
  auto coll = json::parse(Bearer(server.port(), token, "/ogcapi/collections/reports")->body);
  EXPECT_EQ(coll["storageCrs"], "http://www.opengis.net/def/crs/EPSG/0/3006");
  EXPECT_EQ(coll["crs"].size(), 2u);

  const std::string sweref = "http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F3006";
  // a1 in CRS84 and in SWEREF 99 TM: [lon, lat] becomes [northing, easting].
  auto plain = Bearer(server.port(), token, "/ogcapi/collections/reports/items?limit=10");
  ASSERT_EQ(plain->status, 200);
  EXPECT_EQ(plain->get_header_value("Content-Crs"),
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>");
  auto in3006 = Bearer(server.port(), token, "/ogcapi/collections/reports/items?limit=10&crs=" + sweref);
  ASSERT_EQ(in3006->status, 200) << in3006->body;
  EXPECT_EQ(in3006->get_header_value("Content-Crs"),
            "<http://www.opengis.net/def/crs/EPSG/0/3006>");
  json a1;
  const json page3006 = json::parse(in3006->body);
  for (const auto& f : page3006["features"]) {
    if (f["properties"]["source_id"] == "a1") a1 = f;
  }
  ASSERT_TRUE(a1.is_object()) << in3006->body;
  const double n = a1["geometry"]["coordinates"][0].get<double>();
  const double e = a1["geometry"]["coordinates"][1].get<double>();
  EXPECT_GT(n, 6'500'000) << "northing first";
  EXPECT_LT(e, 1'000'000) << "easting second";
  EXPECT_NEAR(e, 667'125, 1'000);  // 17.946 E in SWEREF 99 TM
  EXPECT_NEAR(n, 6'591'300, 1'000);

  // bbox-crs EPSG:3006 (minN,minE,maxN,maxE) around a1 only: a 200 m square.
  const std::string box = std::to_string(n - 100) + "," + std::to_string(e - 100) + "," +
                          std::to_string(n + 100) + "," + std::to_string(e + 100);
  auto near = json::parse(Bearer(server.port(), token,
                                 "/ogcapi/collections/reports/items?bbox-crs=" + sweref +
                                     "&bbox=" + box)
                              ->body);
  ASSERT_EQ(near["numberMatched"], 1) << near.dump();
  EXPECT_EQ(near["features"][0]["properties"]["source_id"], "a1");
  // Areas and one item in SWEREF too; the municipality's polygon holds a1.
  auto areas = json::parse(Bearer(server.port(), token,
                                  "/ogcapi/collections/areas/items?bbox-crs=" + sweref +
                                      "&bbox=" + box + "&crs=" + sweref)
                               ->body);
  EXPECT_EQ(areas["numberMatched"], 2) << "0163 and Tureberg both hold the box";
  const json& g = areas["features"][0]["geometry"];
  const json& ring = g["type"] == "Polygon" ? g["coordinates"][0] : g["coordinates"][0][0];
  EXPECT_GT(ring[0][0].get<double>(), 6'500'000);
  const std::string id = std::to_string(a1["id"].get<int64_t>());
  auto one = Bearer(server.port(), token, "/ogcapi/collections/reports/items/" + id + "?crs=" + sweref);
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(json::parse(one->body)["geometry"]["coordinates"], a1["geometry"]["coordinates"]);

  // Any other CRS is refused by name.
  auto bad = Bearer(server.port(), token, "/ogcapi/collections/reports/items?crs=EPSG:3857");
  ExpectProblem(bad, 400, "crs");
  ExpectProblem(Bearer(server.port(), token, "/ogcapi/collections/places/items?bbox-crs=x&bbox=1,2,3,4"),
                400, "bbox-crs");
  ExpectProblem(Bearer(server.port(), token, "/ogcapi/collections/reports/items?bbox-crs=" +
                                                 sweref + "&bbox=9,1,2,3"),
                400, "bbox");
}

}  // namespace
}  // namespace est::testing
