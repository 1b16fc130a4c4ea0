// Nothing acknowledged is lost: clients post reports while the server is killed with SIGKILL;
// after a restart every report that got a 201 is there, with its content.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/time.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

std::pair<std::string, std::string> Login(int port) {
  httplib::Client c("127.0.0.1", port);
  auto r =
      c.Post("/api/v1/auth/login", R"({"login":"samordnare","password":"Trygghet-Sollentuna-49!"})",
             "application/json");
  if (!r || r->status != 200) return {};
  std::string set = r->get_header_value("Set-Cookie");
  return {set.substr(0, set.find(';')), json::parse(r->body)["csrf_token"].get<std::string>()};
}

TEST(CrashTest, EveryAcknowledgedReportSurvivesKill9) {
  TempDir dir;
  std::string db = dir.Database();
  SeedMunicipality(db);
  auto server = std::make_unique<Server>(db);
  int port = server->port();
  auto [cookie, csrf] = Login(port);
  ASSERT_FALSE(cookie.empty());

  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> acknowledged;  // id, source id
  std::atomic<bool> stop{false};
  std::atomic<int> attempts{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_connection_timeout(2, 0);
      c.set_read_timeout(5, 0);
      httplib::Headers h = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
      // Bounded: at most 5 000 requests per client, and it stops when the server is gone.
      for (int i = 0; i < 5000 && !stop; ++i) {
        std::string sid = "crash-" + std::to_string(t) + "-" + std::to_string(i);
        json body = {{"source_id", sid},
                     {"org", "polis"},
                     {"occurred_from", FormatTimestamp(NowUnix() - 600)},
                     {"location", {{"lon", 17.9 + 0.0001 * (i % 50)}, {"lat", 59.445}}},
                     {"category", "skadegorelse"}};
        ++attempts;
        auto r = c.Post("/api/v1/reports", h, body.dump(), "application/json");
        if (!r) continue;  // the server died mid-request: not acknowledged
        if (r->status == 201) {
          std::lock_guard lock(mu);
          acknowledged.emplace_back(json::parse(r->body)["id"].get<int64_t>(), sid);
        }
      }
    });
  }
  // Let the clients write for a while, then crash the server without warning.
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(mu);
    if (acknowledged.size() >= 150) break;
  }
  server->Kill9();
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_GT(acknowledged.size(), 20u) << "too few writes before the crash to prove anything";

  Server restarted(db);
  auto [cookie2, csrf2] = Login(restarted.port());
  httplib::Client c("127.0.0.1", restarted.port());
  httplib::Headers h = {{"Cookie", cookie2}};
  for (const auto& [id, sid] : acknowledged) {
    auto r = c.Get(("/api/v1/reports/" + std::to_string(id)).c_str(), h);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << "acknowledged report " << id << " lost";
    EXPECT_EQ(json::parse(r->body)["source_id"], sid);
  }
  // The audit chain survived the crash too.
  EXPECT_EQ(RunEst({"--db", db, "audit", "verify"}).exit_code, 0);
  std::cout << "acknowledged " << acknowledged.size() << " of " << attempts.load()
            << " attempted writes before SIGKILL; all present after restart\n";
}

}  // namespace
}  // namespace est::testing
