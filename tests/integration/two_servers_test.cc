// Two `est serve` on one database: a login on one is valid on the other, writers on both at once
// lose nothing, and each server's picture shows the other's writes within about a second (the
// change feed: LISTEN/NOTIFY on PostgreSQL, a 1 s poll on SQLite, where the second writer is the
// command line or another process on the same machine).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "api_client.h"
#include "core/time.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

json NewReport(int i) {
  return {{"occurred_from", FormatTimestamp(NowUnix() - 3600 - i)},
          {"location", {{"lon", 17.945997}, {"lat", 59.427118}}},
          {"category", "klotter"},
          {"severity", 2},
          {"description", "Klotter på elskåpet, nummer " + std::to_string(i)}};
}

int64_t Total(Session& s) {
  auto r = s.Get("/api/v1/reports?limit=1");
  EXPECT_TRUE(r && r->status == 200);
  return r && r->status == 200 ? json::parse(r->body)["total"].get<int64_t>() : -1;
}

std::string ThisWeek() { return FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix() - 3600))); }

// The lägesbild of this week as a server computes it from its engine (not the database).
std::string Picture(Session& s) {
  auto r = s.Get("/api/v1/lagesbild?period=" + ThisWeek());
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  if (!r || r->status != 200) return "";
  json j = json::parse(r->body);
  j.erase("generated_at");
  return j.dump();
}

// Waits (an event, not a speed limit) until `done` holds, up to 20 s; the time it took.
template <class Fn>
double WaitFor(Fn done) {
  const auto start = std::chrono::steady_clock::now();
  while (!done() && std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(TwoServers, SessionsAndWritesOfEachReachTheOther) {
  TempDir dir;
  const std::string db = dir.Database();
  SeedMunicipality(db);
  Server a(db);
  Server b(db);

  // A login on A is a session on B (sessions live in the database).
  Session on_a(a.port());
  ASSERT_EQ(on_a.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  Session on_b(b.port());
  ASSERT_EQ(on_b.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  // The same cookie on the other server.
  {
    httplib::Client raw("127.0.0.1", b.port());
    auto r = raw.Get("/api/v1/auth/me", on_a.Headers(false));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
  }
  const int64_t before = Total(on_a);
  ASSERT_EQ(before, Total(on_b));

  // Concurrent writers on both servers.
  constexpr int kEach = 60;
  std::atomic<int> accepted{0};
  auto writer = [&](int port, int offset) {
    Session s(port);
    ASSERT_EQ(s.Login("rap.hem", "Trygghet-Sollentuna-49!")->status, 200);
    for (int i = 0; i < kEach; ++i) {
      auto r = s.Post("/api/v1/reports", NewReport(offset + i));
      if (r && r->status == 201) ++accepted;
    }
  };
  std::thread wa(writer, a.port(), 0);
  std::thread wb(writer, b.port(), 1000);
  wa.join();
  wb.join();
  ASSERT_EQ(accepted.load(), 2 * kEach);

  // Each server's engine (its lägesbild) shows both servers' writes.
  const double waited = WaitFor([&] { return Picture(on_a) == Picture(on_b); });
  EXPECT_EQ(Picture(on_a), Picture(on_b)) << "waited " << waited << " s";
  EXPECT_EQ(Total(on_a), before + 2 * kEach);
  EXPECT_EQ(Total(on_b), before + 2 * kEach);
  std::printf("[two servers] pictures equal %.2f s after the last write\n", waited);

  // One write on A, timed until B's picture has it.
  const std::string b_before = Picture(on_b);
  Session reporter_a(a.port());
  ASSERT_EQ(reporter_a.Login("rap.hem", "Trygghet-Sollentuna-49!")->status, 200);
  auto one = reporter_a.Post("/api/v1/reports", NewReport(5000));
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 201) << one->body;
  const double seen = WaitFor([&] { return Picture(on_b) != b_before; });
  EXPECT_NE(Picture(on_b), b_before);
  std::printf("[two servers] a write on A in B's lägesbild after %.3f s\n", seen);

  // A review on B (an update) reaches A.
  auto list = on_b.Get("/api/v1/reports?limit=1");
  ASSERT_TRUE(list && list->status == 200);
  json item = json::parse(list->body)["items"][0];
  const int64_t id = item["id"].get<int64_t>();
  const std::string a_before = Picture(on_a);
  auto reviewed = on_b.Patch("/api/v1/reports/" + std::to_string(id),
                             {{"version", item["version"]},
                              {"status", "rejected"},
                              {"review_note", "Fel plats, dubbelrapporterad"}});
  ASSERT_TRUE(reviewed);
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;
  // Until A has caught up (not merely until A's picture changes: a new minute changes it too,
  // which once ended the wait before the review had arrived).
  WaitFor([&] { return Picture(on_a) != a_before && Picture(on_a) == Picture(on_b); });
  EXPECT_EQ(Picture(on_a), Picture(on_b)) << "a rejected report leaves A's picture too";
}

// The login limit (10 failures per login and address in 15 minutes) counts the failures made on
// every server: the limiter replays the database's login events, not its own process's alone.
TEST(TwoServers, LoginLimitsCountTheFailuresOfEveryServer) {
  TempDir dir;
  const std::string db = dir.Database();
  SeedMunicipality(db);
  Server a(db);
  Server b(db);
  const std::string good = "Trygghet-Sollentuna-49!";

  // Nine failures on A, then a success on B: the success forgets the pair's failures on A too.
  for (int i = 0; i < 9; ++i) {
    ASSERT_EQ(Session(a.port()).Login("samordnare", "fel-losen")->status, 401);
  }
  ASSERT_EQ(Session(b.port()).Login("samordnare", good)->status, 200);
  for (int i = 0; i < 9; ++i) {
    ASSERT_EQ(Session(a.port()).Login("samordnare", "fel-losen")->status, 401);
  }
  ASSERT_EQ(Session(a.port()).Login("samordnare", good)->status, 200)
      << "nine failures after a success on the other server are not ten";

  // Ten failures split over both servers block the pair on both, even with the right password.
  for (int i = 0; i < 10; ++i) {
    Server& on = i % 2 == 0 ? a : b;
    ASSERT_EQ(Session(on.port()).Login("samordnare", "fel-losen")->status, 401) << "attempt " << i;
  }
  for (Server* on : {&a, &b}) {
    auto r = Session(on->port()).Login("samordnare", good);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429) << r->body;
    EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  }
  // Another login from the same address is not blocked (the address allows 50 failures).
  EXPECT_EQ(Session(b.port()).Login("rap.hem", good)->status, 200);

  // The block began once and was recorded as a lockout.
  Session admin(a.port());
  ASSERT_EQ(admin.Login("admin", good)->status, 200);
  auto events = admin.Get("/api/v1/security-events?kind=lockout");
  ASSERT_TRUE(events && events->status == 200) << (events ? events->body : "");
  EXPECT_GE(json::parse(events->body)["items"].size(), 1u) << events->body;
}

}  // namespace
}  // namespace est::testing
