// The public page's API over HTTP with no login: the public lägesbild (weeks old enough only,
// small counts withheld), residents' reports (honeypot, scrubbing, bad input named by the field
// with the data left as it was, a receipt to follow), counted only after a coordinator approves
// them, the per-address limit (429 with Retry-After), and who may change the settings.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api_client.h"
#include "core/period.h"
#include "core/time.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

constexpr double kTurebergLon = 17.945997, kTurebergLat = 59.427118;

class PublicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
    server_ = std::make_unique<Server>(db_);
    Session admin = As("admin");
    auto s = admin.Post("/api/v1/public/settings", {{"categories", {"klotter", "otrygg_plats"}}});
    ASSERT_EQ(s->status, 200) << s->body;
  }
  Session As(const std::string& login) {
    Session s(server_->port());
    auto r = s.Login(login, "Trygghet-Sollentuna-49!");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return s;
  }
  httplib::Client Anonymous() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  static json Resident(const std::string& when, const std::string& category = "klotter") {
    return {{"category", category},
            {"lon", kTurebergLon},
            {"lat", kTurebergLat},
            {"occurred_from", when},
            {"description", "Klotter på muren vid tunneln"}};
  }
  // The public count of `category` in the first area of the public picture of `week`.
  json PublicCount(const std::string& week, const std::string& category) {
    auto c = Anonymous();
    auto r = c.Get(("/api/v1/public/lagesbild?period=" + week).c_str());
    EXPECT_EQ(r->status, 200) << r->body;
    json j = json::parse(r->body);
    for (size_t i = 0; i < j["categories"].size(); ++i) {
      if (j["categories"][i]["code"] == category) return j["areas"][0]["counts"][i];
    }
    return "missing";
  }
  int64_t StoredReports() {
    Session s = As("samordnare");
    return json::parse(s.Get("/api/v1/reports?limit=1")->body)["total"].get<int64_t>();
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<Server> server_;
};

TEST_F(PublicTest, AResidentsReportCountsOnlyAfterApproval) {
  // Twenty days ago: a week that may be published now.
  const UnixSeconds when = NowUnix() - 20 * 86400;
  const std::string week = WeekContaining(ToLocalDay(when)).label();
  auto c = Anonymous();
  std::vector<std::string> receipts;
  for (int i = 0; i < 3; ++i) {
    auto r = c.Post("/api/v1/public/reports", Resident(FormatTimestamp(when)).dump(),
                    "application/json");
    ASSERT_EQ(r->status, 201) << r->body;
    json j = json::parse(r->body);
    EXPECT_EQ(j["status"], "mottagen");
    receipts.push_back(j["receipt"]);
  }
  // Waiting for review: not counted, and the page shows no trace of them.
  EXPECT_EQ(PublicCount(week, "klotter"), 0);
  auto st = c.Get(("/api/v1/public/report-status?receipt=" + receipts[0]).c_str());
  ASSERT_EQ(st->status, 200) << st->body;
  EXPECT_EQ(json::parse(st->body)["status"], "mottagen");

  // In the coordinator's queue, source medborgare.
  Session coordinator = As("samordnare");
  auto list = coordinator.Get("/api/v1/reports?org=medborgare&status=new");
  ASSERT_EQ(list->status, 200) << list->body;
  json items = json::parse(list->body)["items"];
  ASSERT_EQ(items.size(), 3u);
  for (const auto& item : items) {
    EXPECT_EQ(item["source"], "medborgare");
    auto ok = coordinator.Patch("/api/v1/reports/" + std::to_string(item["id"].get<int64_t>()),
                                {{"version", item["version"]}, {"status", "reviewed"}});
    ASSERT_EQ(ok->status, 200) << ok->body;
  }
  EXPECT_EQ(PublicCount(week, "klotter"), 3);
  st = c.Get(("/api/v1/public/report-status?receipt=" + receipts[2]).c_str());
  EXPECT_EQ(json::parse(st->body)["status"], "godkänd");
  // Two approved would still be withheld: reject one and the count is "fewer than 3".
  auto one = json::parse(coordinator.Get("/api/v1/reports?org=medborgare")->body)["items"][0];
  auto rej = coordinator.Patch("/api/v1/reports/" + std::to_string(one["id"].get<int64_t>()),
                               {{"version", one["version"]},
                                {"status", "rejected"},
                                {"review_note", "Fel plats"}});
  ASSERT_EQ(rej->status, 200) << rej->body;
  EXPECT_TRUE(PublicCount(week, "klotter").is_null());

  ExpectProblem(c.Get("/api/v1/public/report-status?receipt=M-0000000000"), 404, "");
  ExpectProblem(c.Get("/api/v1/public/report-status"), 400, "receipt");
}

TEST_F(PublicTest, OnlyOldEnoughWeeksAndPublicCategories) {
  auto c = Anonymous();
  auto r = c.Get("/api/v1/public/lagesbild");
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  const Period latest = *ParsePeriod(j["period"].get<std::string>());
  EXPECT_EQ(latest.kind, PeriodKind::kWeek);
  EXPECT_LE(latest.EndUtc() + 7 * 86400, NowUnix()) << "the latest week ended 7 days ago";
  EXPECT_GT(latest.EndUtc() + 14 * 86400, NowUnix()) << "and is the latest such week";
  EXPECT_EQ(j["min_count"], 3);
  EXPECT_EQ(j["cell_m"], 250);
  ASSERT_EQ(j["categories"].size(), 2u);
  EXPECT_EQ(j["categories"][0]["code"], "klotter");
  EXPECT_EQ(j["categories"][0]["dimension"], "säkerhet");
  EXPECT_EQ(j["categories"][1]["dimension"], "trygghet");
  // Only the level-1 area, never the municipality's total.
  ASSERT_EQ(j["areas"].size(), 1u);
  EXPECT_EQ(j["areas"][0]["name"], "Tureberg");

  const std::string this_week = WeekContaining(ToLocalDay(NowUnix())).label();
  ExpectProblem(c.Get(("/api/v1/public/lagesbild?period=" + this_week).c_str()), 400, "period");
  ExpectProblem(c.Get("/api/v1/public/lagesbild?period=2026-11"), 400, "period");
  ExpectProblem(c.Get("/api/v1/public/lagesbild?period=nonsens"), 400, "period");
  ExpectProblem(c.Get(("/api/v1/public/lagesbild?period=" + std::string(100, 'x')).c_str()), 400,
                "period");
}

TEST_F(PublicTest, BadReportsAreRefusedByFieldAndLeaveTheDataAsItWas) {
  auto c = Anonymous();
  const int64_t before = StoredReports();
  const std::string when = FormatTimestamp(NowUnix() - 3600);
  auto post = [&](const json& body) {
    return c.Post("/api/v1/public/reports", body.dump(), "application/json");
  };
  json bot = Resident(when);
  bot["website"] = "http://spam.example";
  ExpectProblem(post(bot), 400, "website");
  ExpectProblem(post(Resident(when, "narkotika")), 400, "category");  // not public
  json outside = Resident(when);
  outside["lon"] = 13.0;
  outside["lat"] = 55.6;
  ExpectProblem(post(outside), 400, "location");
  json unknown = Resident(when);
  unknown["name"] = "Anna";
  ExpectProblem(post(unknown), 400, "name");
  json long_text = Resident(when);
  long_text["description"] = std::string(1001, 'a');
  ExpectProblem(post(long_text), 400, "description");
  ExpectProblem(post(Resident(FormatTimestamp(NowUnix() + 5 * 86400))), 400, "occurred_from");
  ExpectProblem(c.Post("/api/v1/public/reports", "{inte json", "application/json"), 400, "");
  EXPECT_EQ(StoredReports(), before);
}

TEST_F(PublicTest, TheTextIsScrubbedAndTheAddressIsLimited) {
  auto c = Anonymous();
  json personal = Resident(FormatTimestamp(NowUnix() - 3600), "otrygg_plats");
  personal["description"] = "Mörkt vid tunneln, mejla anna.andersson@example.com";
  auto r = c.Post("/api/v1/public/reports", personal.dump(), "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_FALSE(json::parse(r->body)["scrubbed"].empty());
  Session coordinator = As("samordnare");
  auto items = json::parse(coordinator.Get("/api/v1/reports?org=medborgare")->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["description"].get<std::string>().find("anna"), std::string::npos)
      << items[0]["description"];

  // Ten attempts an hour from one address, good or bad: the eleventh is 429 with Retry-After.
  int accepted = 1;
  for (int i = 0; i < 9; ++i) {
    auto a = c.Post("/api/v1/public/reports", R"({"category":""})", "application/json");
    ASSERT_EQ(a->status, 400) << a->body;
  }
  auto limited = c.Post("/api/v1/public/reports", personal.dump(), "application/json");
  ExpectProblem(limited, 429, "");
  EXPECT_GT(std::stoll(limited->get_header_value("Retry-After")), 0);
  EXPECT_EQ(json::parse(coordinator.Get("/api/v1/reports?org=medborgare")->body)["items"].size(),
            static_cast<size_t>(accepted));
  // The public picture is not limited.
  EXPECT_EQ(c.Get("/api/v1/public/lagesbild")->status, 200);
}

TEST_F(PublicTest, OnlyCoordinatorsAndAdministratorsSetThePage) {
  auto c = Anonymous();
  EXPECT_EQ(c.Get("/api/v1/public/settings")->status, 401);
  Session viewer = As("lasare");
  ExpectProblem(viewer.Post("/api/v1/public/settings", {{"delay_days", 30}}), 403, "");
  Session coordinator = As("samordnare");
  ExpectProblem(coordinator.Post("/api/v1/public/settings", {{"delay_days", 2}}), 400,
                "delay_days");
  ExpectProblem(coordinator.Post("/api/v1/public/settings", {{"categories", {"finns-inte"}}}),
                400, "categories[0]");
  ExpectProblem(coordinator.Post("/api/v1/public/settings", {{"actions", {12345}}}), 400,
                "actions[0]");
  auto ok = coordinator.Post("/api/v1/public/settings",
                             {{"delay_days", 14}, {"citizen_reports", false}});
  ASSERT_EQ(ok->status, 200) << ok->body;
  json s = json::parse(coordinator.Get("/api/v1/public/settings")->body);
  EXPECT_EQ(s["delay_days"], 14);
  EXPECT_EQ(s["categories"].size(), 2u);  // kept
  EXPECT_EQ(json::parse(c.Get("/api/v1/public/lagesbild")->body)["citizen_reports"], false);
  ExpectProblem(c.Post("/api/v1/public/reports",
                       Resident(FormatTimestamp(NowUnix() - 3600)).dump(), "application/json"),
                403, "");
}

}  // namespace
}  // namespace est::testing
