// Issue 15, hostile input on the real `est serve`: over-long free texts are refused with 400
// naming the field and its limit before the personal-data scrubber sees them (a 30 kB
// description used to overflow the scrubber's stack and kill the server), and over-long login
// names are refused before the login limiter.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api_client.h"
#include "core/time.h"
#include "est_harness.h"
#include "seeded_server.h"

namespace est::testing {
namespace {

using nlohmann::json;

// Text the regex scrubber recursed on per character until the stack ran out: a long run that
// could be the local part of an e-mail address, then '@' and a phone number.
std::string Adversarial(size_t bytes) {
  const std::string tail = "@b ring 070-123 45 67";
  return std::string(bytes - tail.size(), 'a') + tail;
}

class HostileInputTest : public SeededServerTest<HostileInputTest> {
 protected:
  static void ExpectAlive() {
    httplib::Client c("127.0.0.1", server_->port());
    auto r = c.Get("/api/v1/health");
    ASSERT_TRUE(r) << "the server no longer answers";
    EXPECT_EQ(r->status, 200);
  }
  static void ExpectLimit(const httplib::Result& r, const std::string& field, size_t limit) {
    ExpectProblem(r, 400, field);
    if (!r) return;
    json p = json::parse(r->body);
    for (const auto& e : p["errors"]) {
      if (e["field"] == field) {
        EXPECT_EQ(e["reason"], "får vara högst " + std::to_string(limit) + " tecken");
      }
    }
  }
};

TEST_F(HostileInputTest, LongReportTextsAreRefusedAndTheServerLives) {
  Session hem = As("rap.hem");
  json report = {{"occurred_from", FormatTimestamp(NowUnix() - 3600)},
                 {"location", {{"lon", 17.900}, {"lat", 59.445}}},
                 {"category", "klotter"},
                 {"description", "Klotter på elskåpet."}};
  auto created = hem.Post("/api/v1/reports", report);
  ASSERT_EQ(created->status, 201) << created->body;
  int64_t id = json::parse(created->body)["id"];
  std::string path = "/api/v1/reports/" + std::to_string(id);

  ExpectLimit(hem.Patch(path, {{"version", 1}, {"description", Adversarial(30000)}}), "description",
              4000);
  ExpectAlive();
  report["description"] = Adversarial(30000);
  ExpectLimit(hem.Post("/api/v1/reports", report), "description", 4000);
  ExpectAlive();

  Session coordinator = As("samordnare");
  ExpectLimit(coordinator.Patch(path, {{"version", 1}, {"review_note", Adversarial(30000)}}),
              "review_note", 2000);
  ExpectAlive();
  // Nothing was changed by the refused requests; a text within the limit still goes through.
  auto ok = hem.Patch(path, {{"version", 1}, {"description", Adversarial(3900)}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body.substr(0, 300);
}

TEST_F(HostileInputTest, LongWorkTextsAreRefused) {
  Session c = As("samordnare");
  ExpectLimit(
      c.Post("/api/v1/meetings", {{"held_on", "2026-11-24"}, {"minutes", Adversarial(30000)}}),
      "minutes", 20000);
  ExpectLimit(
      c.Post("/api/v1/meetings", {{"held_on", "2026-11-24"}, {"title", Adversarial(30000)}}),
      "title", 200);
  ExpectLimit(c.Post("/api/v1/problems", {{"title", Adversarial(30000)}}), "title", 300);
  ExpectLimit(
      c.Post("/api/v1/problems", {{"title", "Klotter"}, {"description", Adversarial(30000)}}),
      "description", 4000);
  ExpectLimit(c.Post("/api/v1/actions", {{"title", "Belysning"}, {"result", Adversarial(30000)}}),
              "result", 4000);
  ExpectAlive();
}

TEST_F(HostileInputTest, HugeLoginNameIsRefusedWith400) {
  Session s(server_->port());
  auto r = s.Login(std::string(1 << 20, 'x'), "Trygghet-Sollentuna-49!");
  ExpectLimit(r, "login", 200);
  ExpectAlive();
}

}  // namespace
}  // namespace est::testing
