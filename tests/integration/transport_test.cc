// The HTTP transport against the real server, byte by byte on raw sockets: slow and many clients
// do not starve others, deadlines and the connection limit hold, strict HTTP/1.1 parsing refuses
// what it must (naming the header), shutdown answers requests in flight, and revalidation and
// gzip give the same bytes as a plain request.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

struct Response {
  bool complete = false;  // a whole response arrived
  bool closed = false;    // the server closed the connection
  int status = 0;
  std::string head;
  std::string body;
  std::string Header(const std::string& name) const {
    std::string lower_head;
    for (char c : head) lower_head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key = "\r\n";
    for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    key += ":";
    size_t at = lower_head.find(key);
    if (at == std::string::npos) return "";
    size_t start = at + key.size();
    size_t end = head.find("\r\n", start);
    std::string v = head.substr(start, end - start);
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    return v;
  }
};

// Reads one response (Content-Length framed) or until close / `timeout_ms`.
Response Read(int fd, int timeout_ms = 5000, bool head_request = false) {
  Response r;
  std::string data;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[65536];
  while (true) {
    size_t he = data.find("\r\n\r\n");
    if (he != std::string::npos) {
      r.head = data.substr(0, he + 2);
      r.status = std::atoi(data.c_str() + 9);
      std::string len = r.Header("Content-Length");
      size_t want = len.empty() || head_request ? 0 : std::stoul(len);
      if (data.size() >= he + 4 + want) {
        r.body = data.substr(he + 4, want);
        r.complete = true;
        return r;
      }
    }
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) return r;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) return r;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      r.closed = true;
      return r;
    }
    data.append(buf, static_cast<size_t>(n));
  }
}

Response Exchange(int port, const std::string& raw, int timeout_ms = 5000) {
  int fd = Connect(port);
  SendAll(fd, raw);
  Response r = Read(fd, timeout_ms, raw.rfind("HEAD ", 0) == 0);
  close(fd);
  return r;
}

// Whether the server closed `fd` within `timeout_ms`.
bool ClosedWithin(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char c;
  return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

std::string Gunzip(const std::string& in) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out;
  char buf[65536];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<inflate failed>";
}

std::string ProblemField(const Response& r) {
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("errors") || j["errors"].empty()) return "";
  return j["errors"][0]["field"];
}

const char* kHealth = "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n";

class TransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->Database();
    RunEst({"--db", db_, "demo"});
    server_ = new Server(db_, {"--header-timeout", "2", "--idle-timeout", "3",
                               "--max-connections", "400"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static int port() { return server_->port(); }

  static TempDir* dir_;
  static std::string db_;
  static Server* server_;
};
TempDir* TransportTest::dir_ = nullptr;
std::string TransportTest::db_;
Server* TransportTest::server_ = nullptr;

TEST_F(TransportTest, SlowClientsDoNotStarveOthers) {
  // 300 clients trickle a header line each; under one-thread-per-connection eight of them were
  // enough to block /health.
  std::vector<int> slow;
  for (int i = 0; i < 300; ++i) {
    int fd = Connect(port());
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /api/v1/health HTTP/1.1\r\n");
    slow.push_back(fd);
  }
  for (int round = 0; round < 3; ++round) {
    for (int fd : slow) SendAll(fd, "X-Slow: " + std::to_string(round) + "\r\n");
    Response r = Exchange(port(), kHealth, 3000);
    ASSERT_TRUE(r.complete) << "round " << round;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body), json({{"status", "ok"}}));
  }
  for (int fd : slow) close(fd);
}

TEST_F(TransportTest, AHeaderThatNeverEndsIsCutAtItsDeadline) {
  int fd = Connect(port());
  SendAll(fd, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n");
  // --header-timeout 2: closed after about two seconds, long before the test's patience.
  EXPECT_TRUE(ClosedWithin(fd, 8000));
  close(fd);
}

TEST_F(TransportTest, IdleKeepAliveConnectionsHoldNoThreadAndAreClosedWhenIdle) {
  std::vector<int> idle;
  for (int i = 0; i < 64; ++i) {
    int fd = Connect(port());
    SendAll(fd, kHealth);
    Response r = Read(fd);
    ASSERT_TRUE(r.complete);
    idle.push_back(fd);  // kept alive, waiting
  }
  Response r = Exchange(port(), kHealth, 3000);
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.status, 200);
  // --idle-timeout 3.
  EXPECT_TRUE(ClosedWithin(idle.front(), 10000));
  for (int fd : idle) close(fd);
}

TEST_F(TransportTest, KeepAliveServesManyRequestsOnOneConnection) {
  int fd = Connect(port());
  for (int i = 0; i < 20; ++i) {
    SendAll(fd, kHealth);
    Response r = Read(fd);
    ASSERT_TRUE(r.complete) << i;
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.closed);
  }
  close(fd);
}

TEST_F(TransportTest, StrictParsingRefusesAndNamesTheHeader) {
  Response dup = Exchange(port(),
                          "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: "
                          "application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(ProblemField(dup), "Content-Length");

  Response list = Exchange(port(),
                           "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Length: 2, "
                           "2\r\n\r\n{}");
  EXPECT_EQ(list.status, 400);
  EXPECT_EQ(ProblemField(list), "Content-Length");

  Response both = Exchange(port(),
                           "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Length: "
                           "2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(both.status, 400);

  Response bare_cr = Exchange(port(), "GET /api/v1/health HTTP/1.1\r\nHost: t\rX: y\r\n\r\n");
  EXPECT_EQ(bare_cr.status, 400);

  Response no_host = Exchange(port(), "GET /api/v1/health HTTP/1.1\r\n\r\n");
  EXPECT_EQ(no_host.status, 400);
  EXPECT_EQ(ProblemField(no_host), "Host");

  Response two_hosts = Exchange(port(), "GET /api/v1/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_EQ(two_hosts.status, 400);
  EXPECT_EQ(ProblemField(two_hosts), "Host");

  Response nul = Exchange(port(), "GET /index.html%00.js HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(nul.status, 400);
  EXPECT_EQ(ProblemField(nul), "path");

  Response dotdot = Exchange(port(), "GET /assets/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(dotdot.status, 400);
  EXPECT_EQ(ProblemField(dotdot), "path");

  Response bad_escape = Exchange(port(), "GET /api/v1/lagesbild?period=%zz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(bad_escape.status, 400);

  Response absolute = Exchange(port(), "GET http://evil/api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(absolute.status, 400);

  Response version = Exchange(port(), "GET /api/v1/health HTTP/2.0\r\nHost: t\r\n\r\n");
  EXPECT_GE(version.status, 400);

  std::string big(20 * 1024, 'a');
  Response huge_header = Exchange(port(), "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nX-Big: " + big +
                                              "\r\n\r\n");
  EXPECT_EQ(huge_header.status, 431);
  // Each refusal is problem+json and the server still answers.
  EXPECT_EQ(dup.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Exchange(port(), kHealth).status, 200);
}

TEST_F(TransportTest, AnOversizedBodyIsRefusedBeforeItIsRead) {
  int fd = Connect(port());
  SendAll(fd, "POST /api/v1/reports HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              "Content-Length: 999999999999\r\n\r\n{");
  Response r = Read(fd);
  EXPECT_EQ(r.status, 413);
  close(fd);
}

TEST_F(TransportTest, MethodsAndHead) {
  Response wrong = Exchange(port(), "DELETE /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("Allow"), "GET");
  Response head = Exchange(port(), "HEAD /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("Content-Length"), "15");
  EXPECT_TRUE(head.body.empty());
}

TEST_F(TransportTest, TheConnectionLimitAnswers503) {
  std::vector<int> held;
  // --max-connections 400: hold them all (some slots may be in use by other clients).
  for (int i = 0; i < 420; ++i) {
    int fd = Connect(port());
    if (fd >= 0) held.push_back(fd);
  }
  Response r;
  for (int i = 0; i < 20 && r.status != 503; ++i) r = Exchange(port(), kHealth, 2000);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Header("Retry-After"), "1");
  for (int fd : held) close(fd);
  // Freed again.
  Response after;
  for (int i = 0; i < 50 && after.status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = Exchange(port(), kHealth, 2000);
  }
  EXPECT_EQ(after.status, 200);
}

std::string LoginCookie(int port, std::string* csrf) {
  std::string body = R"({"login":"samordnare","password":"demo-losen-2026"})";
  Response r = Exchange(port, "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: "
                              "application/json\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body);
  std::string cookie = r.Header("Set-Cookie");
  if (csrf) *csrf = json::parse(r.body).value("csrf_token", "");
  return cookie.substr(0, cookie.find(';'));
}

TEST_F(TransportTest, RevalidationAndGzipGiveTheSameBytes) {
  std::string csrf;
  std::string cookie = LoginCookie(port(), &csrf);
  ASSERT_FALSE(cookie.empty());
  const std::string get = "GET /api/v1/lagesbild?period=2026-W40 HTTP/1.1\r\nHost: t\r\nCookie: " +
                          cookie + "\r\n";
  Response plain = Exchange(port(), get + "\r\n");
  ASSERT_EQ(plain.status, 200);
  ASSERT_GT(plain.body.size(), 1024u);
  std::string etag = plain.Header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(plain.Header("Cache-Control"), "private, no-cache");

  Response gz = Exchange(port(), get + "Accept-Encoding: br, gzip\r\n\r\n");
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.Header("Content-Encoding"), "gzip");
  EXPECT_LT(gz.body.size(), plain.body.size() / 3);
  EXPECT_EQ(Gunzip(gz.body), plain.body);
  Response refused = Exchange(port(), get + "Accept-Encoding: gzip;q=0\r\n\r\n");
  EXPECT_EQ(refused.Header("Content-Encoding"), "");

  Response again = Exchange(port(), get + "If-None-Match: " + etag + "\r\n\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  Response weak = Exchange(port(), get + "If-None-Match: W/" + etag + "\r\n\r\n");
  EXPECT_EQ(weak.status, 304);

  // An accepted write makes the old ETag stale: the week's picture is computed again.
  std::string report = R"({"category":"klotter","occurred_from":"2026-10-01T10:00","location":{"lon":17.95,"lat":59.43}})";
  Response created = Exchange(port(), "POST /api/v1/reports HTTP/1.1\r\nHost: t\r\nCookie: " +
                                          cookie + "\r\nX-CSRF-Token: " + csrf +
                                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                                          std::to_string(report.size()) + "\r\n\r\n" + report);
  ASSERT_EQ(created.status, 201) << created.body;
  Response after = Exchange(port(), get + "If-None-Match: " + etag + "\r\n\r\n");
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.Header("ETag"), etag);
  EXPECT_NE(after.body, plain.body);
}

TEST(TransportShutdown, ARequestInFlightIsAnsweredAfterSigterm) {
  TempDir dir;
  const std::string db = dir.Database();
  RunEst({"--db", db, "demo"});
  Server server(db);
  std::string body = R"({"login":"samordnare","password":"demo-losen-2026"})";
  int fd = Connect(server.port());
  SendAll(fd, "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  int idle = Connect(server.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server.Terminate();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // The idle connection is closed; the half-sent request is still read and answered.
  EXPECT_TRUE(ClosedWithin(idle, 5000));
  SendAll(fd, body.substr(10));
  Response r = Read(fd);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Connection"), "close");
  int status = server.Wait();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  close(fd);
  close(idle);
}

}  // namespace
}  // namespace est::testing

namespace est::testing {
namespace {

TEST(TransportProxy, HstsOnlyOverTlsAsToldByATrustedProxyAndHtmlHasACharset) {
  TempDir dir;
  const std::string db = dir.Database();
  RunEst({"--db", db, "demo"});
  Server trusting(db, {"--trust-proxy"});
  Response tls = Exchange(trusting.port(), "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n"
                                           "X-Forwarded-Proto: https\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n");
  EXPECT_EQ(tls.status, 200);
  EXPECT_EQ(tls.Header("Strict-Transport-Security"), "max-age=31536000");
  Response plain = Exchange(trusting.port(), kHealth);
  EXPECT_EQ(plain.Header("Strict-Transport-Security"), "");
  Response page = Exchange(trusting.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("X-Content-Type-Options"), "nosniff");

  // Without --trust-proxy the header is the client's word and changes nothing.
  Server direct(db);
  Response spoofed = Exchange(direct.port(), "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n"
                                             "X-Forwarded-Proto: https\r\n\r\n");
  EXPECT_EQ(spoofed.Header("Strict-Transport-Security"), "");
}

}  // namespace
}  // namespace est::testing
