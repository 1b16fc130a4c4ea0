// The work after the picture over HTTP on the real server: review (reject with reason,
// duplicate-of, move to a place), problem → meeting decision → action → baseline frozen at start
// → follow-up, the agenda, roles, and bad input that leaves everything as it was.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "api_client.h"
#include "core/period.h"
#include "core/time.h"
#include "est_harness.h"
#include "seeded_server.h"

namespace est::testing {
namespace {

using nlohmann::json;

constexpr double kTurebergLon = 17.945997, kTurebergLat = 59.427118;

class WorkTest : public SeededServerTest<WorkTest> {
 public:
  // The municipality and a named place in Tureberg (called by SeededServerTest).
  static void Seed(const std::string& db) {
    SeedMunicipality(db);
    RunEst({"--db", db, "places", "add", "Tureberg centrum", "--kind", "centrum", "--lon",
            "17.9462", "--lat", "59.4275"});
  }

 protected:
  // A report by rap.hem in Tureberg `days_ago` days ago; returns its id.
  int64_t NewReport(const std::string& category, int days_ago) {
    Session s = As("rap.hem");
    json body = {{"occurred_from", FormatTimestamp(NowUnix() - days_ago * 86400 - 600)},
                 {"location", {{"lon", kTurebergLon}, {"lat", kTurebergLat}}},
                 {"category", category},
                 {"description", "Krossad ruta vid entrén."}};
    auto r = s.Post("/api/v1/reports", body);
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    return json::parse(r->body)["id"].get<int64_t>();
  }
};

TEST_F(WorkTest, ReviewRejectNeedsReasonDuplicateNeedsOriginal) {
  int64_t a = NewReport("skadegorelse", 1);
  int64_t b = NewReport("skadegorelse", 1);
  Session c = As("samordnare");
  // Rejecting without a reason is refused and changes nothing.
  auto r =
      c.Patch("/api/v1/reports/" + std::to_string(a), {{"version", 1}, {"status", "rejected"}});
  ExpectProblem(r, 400, "review_note");
  auto got = json::parse(c.Get("/api/v1/reports/" + std::to_string(a))->body);
  EXPECT_EQ(got["status"], "new");
  EXPECT_EQ(got["version"], 1);
  r = c.Patch("/api/v1/reports/" + std::to_string(a),
              {{"version", 1}, {"status", "rejected"}, {"review_note", "Inte en EST-händelse"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["review_note"], "Inte en EST-händelse");

  // Duplicate: needs an existing other report.
  r = c.Patch("/api/v1/reports/" + std::to_string(b), {{"version", 1}, {"status", "duplicate"}});
  ExpectProblem(r, 400, "duplicate_of");
  r = c.Patch("/api/v1/reports/" + std::to_string(b),
              {{"version", 1}, {"status", "duplicate"}, {"duplicate_of", b}});
  ExpectProblem(r, 400, "duplicate_of");
  r = c.Patch("/api/v1/reports/" + std::to_string(b),
              {{"version", 1}, {"status", "duplicate"}, {"duplicate_of", 999999}});
  ExpectProblem(r, 400, "duplicate_of");
  r = c.Patch("/api/v1/reports/" + std::to_string(b),
              {{"version", 1}, {"status", "duplicate"}, {"duplicate_of", a}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["duplicate_of"], a);
  // Provenance: the original lists its duplicates.
  auto original = json::parse(c.Get("/api/v1/reports/" + std::to_string(a))->body);
  ASSERT_EQ(original["duplicates"].size(), 1u);
  EXPECT_EQ(original["duplicates"][0], b);

  // Back to reviewed clears the duplicate link.
  r = c.Patch("/api/v1/reports/" + std::to_string(b), {{"version", 2}, {"status", "reviewed"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(json::parse(r->body)["duplicate_of"].is_null());

  // A reporter cannot review.
  Session rep = As("rap.hem");
  r = rep.Patch("/api/v1/reports/" + std::to_string(b),
                {{"version", 3}, {"duplicate_of", a}, {"status", "duplicate"}});
  ExpectProblem(r, 403, "");
}

// A reporter who changes a reviewed report sends it back to review (issue 15, point 7).
TEST_F(WorkTest, ReporterChangeAfterReviewSendsTheReportBackToReview) {
  int64_t id = NewReport("klotter", 1);
  const std::string path = "/api/v1/reports/" + std::to_string(id);
  Session c = As("samordnare");
  auto r = c.Patch(path, {{"version", 1}, {"status", "reviewed"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["status"], "reviewed");
  Session rep = As("rap.hem");
  r = rep.Patch(path, {{"version", 2}, {"category", "skadegorelse"}, {"count", 3}});
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["category"], "skadegorelse");
  EXPECT_EQ(j["status"], "new") << "back in the review queue";
  EXPECT_NE(j["review_note"].get<std::string>().find("granskas igen"), std::string::npos);
  // The reporter may still not set the status itself.
  r = rep.Patch(path, {{"version", 3}, {"status", "reviewed"}});
  EXPECT_EQ(r->status, 403) << r->body;
}

TEST_F(WorkTest, ReviewMovesReportToPlaceOrPoint) {
  int64_t id = NewReport("klotter", 1);
  Session c = As("samordnare");
  auto r = c.Patch("/api/v1/reports/" + std::to_string(id),
                   {{"version", 1}, {"place", "Tureberg centrum"}});
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_FALSE(j["place"].is_null());
  EXPECT_NEAR(j["location"]["lon"].get<double>(), 17.9462, 1e-5);
  EXPECT_EQ(j["area"]["code"], "531330");
  // A point in Stockholm city (outside every area) moves it out of the areas.
  r = c.Patch("/api/v1/reports/" + std::to_string(id),
              {{"version", 2}, {"location", {{"lon", 18.07}, {"lat", 59.33}}}});
  ASSERT_EQ(r->status, 200) << r->body;
  j = json::parse(r->body);
  EXPECT_TRUE(j["area"].is_null());
  EXPECT_TRUE(j["place"].is_null());
  r = c.Patch("/api/v1/reports/" + std::to_string(id),
              {{"version", 3}, {"location", {{"lon", 59.33}, {"lat", 18.07}}}});
  ExpectProblem(r, 400, "lon");
  r = c.Patch("/api/v1/reports/" + std::to_string(id), {{"version", 3}, {"place", "Ingenstans"}});
  ExpectProblem(r, 400, "place");
}

TEST_F(WorkTest, ProblemMeetingDecisionActionFollowUp) {
  int64_t rep1 = NewReport("anlagd_brand", 2);
  int64_t rep2 = NewReport("anlagd_brand", 3);
  Session c = As("samordnare");

  // A problem written as behaviour, place and time, linked to its reports.
  auto r =
      c.Post("/api/v1/problems", {{"title", "Skadegörelse vid Tureberg centrum kvällstid fre–lör"},
                                  {"areas", {"531330"}},
                                  {"places", {"Tureberg centrum"}},
                                  {"categories", {"anlagd_brand"}},
                                  {"reports", {rep1, rep2}}});
  ASSERT_EQ(r->status, 201) << r->body;
  json problem = json::parse(r->body);
  EXPECT_EQ(problem["reports"].size(), 2u);
  EXPECT_EQ(problem["areas"][0]["code"], "531330");
  EXPECT_EQ(problem["status"], "open");

  // The weekly meeting: attendance, focus, decisions.
  r = c.Post("/api/v1/meetings",
             {{"held_on", "2026-11-24"},
              {"attendees", {"polis", "hem"}},
              {"focus_areas", {"531330"}},
              {"focus_places", {"Tureberg centrum"}},
              {"minutes", "Ökning av skadegörelse i Tureberg. Ring 070-123 45 67 vid frågor."},
              {"decisions",
               {{{"text", "Förstärkt belysning vid centrum"}, {"owner", "hem"}},
                {{"text", "Polisen prioriterar fredagskvällar"}, {"owner", "polis"}}}}});
  ASSERT_EQ(r->status, 201) << r->body;
  json meeting = json::parse(r->body);
  EXPECT_EQ(meeting["period"], "2026-W47");  // the week before the meeting
  EXPECT_EQ(meeting["attendees"].size(), 2u);
  EXPECT_EQ(meeting["decisions"][1]["number"], 2);
  EXPECT_EQ(meeting["minutes"].get<std::string>().find("070-123"), std::string::npos)
      << "phone number must be scrubbed";
  int64_t mid = meeting["id"];

  // Decision 1 becomes an action owned by hem, answering the problem; it starts ongoing so the
  // baseline is frozen (two reports in the 52 weeks before start → 2/52 per week).
  std::string today = FormatDay(ToLocalDay(NowUnix()));
  std::string past = FormatDay(ToLocalDay(NowUnix()) - 30);
  r = c.Post("/api/v1/actions", {{"title", "Förstärkt belysning vid Tureberg centrum"},
                                 {"owner", "hem"},
                                 {"partners", {"polis"}},
                                 {"prevention", "situational"},
                                 {"horizon", "long_term"},
                                 {"areas", {"531330"}},
                                 {"indicator_categories", {"anlagd_brand"}},
                                 {"problems", {problem["id"]}},
                                 {"meeting", mid},
                                 {"decision", 1},
                                 {"start", today},
                                 {"follow_up", past},
                                 {"status", "ongoing"},
                                 {"cost", 85000}});
  ASSERT_EQ(r->status, 201) << r->body;
  json action = json::parse(r->body);
  EXPECT_NEAR(action["baseline"].get<double>(), 2.0 / 52, 0.006);
  EXPECT_TRUE(action["overdue"].get<bool>());
  EXPECT_EQ(action["owner"]["code"], "hem");
  int64_t aid = action["id"];

  // The meeting's decision now points at the action; a second action for it is refused.
  meeting = json::parse(c.Get("/api/v1/meetings/" + std::to_string(mid))->body);
  EXPECT_EQ(meeting["decisions"][0]["action"], aid);
  r = c.Post("/api/v1/actions",
             {{"title", "Dubbel"}, {"owner", "hem"}, {"meeting", mid}, {"decision", 1}});
  ExpectProblem(r, 409, "decision");
  // Removing a decision that became an action is refused.
  r = c.Patch("/api/v1/meetings/" + std::to_string(mid),
              {{"version", meeting["version"]}, {"decisions", {{{"number", 2}, {"text", "x"}}}}});
  ExpectProblem(r, 400, "decisions");

  // Overdue and open lists; the agenda lists the open action until it is closed.
  auto overdue = json::parse(c.Get("/api/v1/actions?status=overdue")->body)["items"];
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0]["id"], aid);
  auto agenda = json::parse(c.Get("/api/v1/agenda?period=2026-W47")->body);
  ASSERT_EQ(agenda["open_actions"].size(), 1u);
  EXPECT_EQ(agenda["open_problems"].size(), 1u);
  EXPECT_TRUE(agenda["changes"].is_array());
  EXPECT_TRUE(agenda["hotspots"].is_array());

  // The owner organisation's lead is not a coordinator, but hem has no lead in the seed: a
  // reporter of hem may not change the action.
  Session rep = As("rap.hem");
  ExpectProblem(
      rep.Patch("/api/v1/actions/" + std::to_string(aid), {{"version", 1}, {"status", "done"}}),
      403, "");

  // Follow-up: done with a result; the baseline stays frozen; the agenda no longer lists it.
  r = c.Patch("/api/v1/actions/" + std::to_string(aid),
              {{"version", 1},
               {"status", "done"},
               {"result", "Belysningen uppsatt; färre rapporter"},
               {"areas", {"0163"}}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["baseline"], action["baseline"]);
  EXPECT_FALSE(json::parse(r->body)["overdue"].get<bool>());
  agenda = json::parse(c.Get("/api/v1/agenda?period=2026-W47")->body);
  EXPECT_EQ(agenda["open_actions"].size(), 0u);

  // The action's history: created, then the follow-up with its before and after.
  auto history = json::parse(c.Get("/api/v1/actions/" + std::to_string(aid) + "/history")->body);
  ASSERT_GE(history["items"].size(), 2u);
  EXPECT_EQ(history["items"][0]["action"], "create");
  const auto& last = history["items"].back();
  EXPECT_EQ(last["before"]["status"], "ongoing");
  EXPECT_EQ(last["after"]["status"], "done");
  EXPECT_EQ(last["actor"], "samordnare");
  ExpectProblem(c.Get("/api/v1/problems/987654/history"), 404, "");

  // Feedback: the reporter sees the problem its report is part of and the action answering it.
  auto mine = json::parse(rep.Get("/api/v1/reports/" + std::to_string(rep1))->body);
  ASSERT_EQ(mine["feedback"]["problems"].size(), 1u);
  EXPECT_EQ(mine["feedback"]["problems"][0]["id"], problem["id"]);
  ASSERT_EQ(mine["feedback"]["actions"].size(), 1u);
  EXPECT_EQ(mine["feedback"]["actions"][0]["status"], "done");
  EXPECT_EQ(mine["feedback"]["actions"][0]["result"], "Belysningen uppsatt; färre rapporter");
  auto listed = json::parse(rep.Get("/api/v1/reports?limit=1000")->body)["items"];
  bool found = false;
  for (const auto& it : listed) {
    if (it["id"] == rep1) found = it["feedback"]["problems"].size() == 1;
  }
  EXPECT_TRUE(found) << "the list carries the feedback too";

  // The weekly summary reaches hem's reporters, not polis's.
  std::string week = FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix()) - 7));
  r = c.Post("/api/v1/summaries", {{"org", "hem"}, {"period", week}});
  ASSERT_EQ(r->status, 201) << r->body;
  auto msgs = json::parse(rep.Get("/api/v1/messages")->body)["items"];
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_NE(msgs[0]["title"].get<std::string>().find("Veckans sammanfattning"), std::string::npos);
  EXPECT_NE(msgs[0]["body"].get<std::string>().find("rapporterade"), std::string::npos);
  Session polis = As("rap.polis");
  EXPECT_EQ(json::parse(polis.Get("/api/v1/messages")->body)["items"].size(), 0u);
  ExpectProblem(rep.Post("/api/v1/summaries", {{"org", "hem"}}), 403, "");
  ExpectProblem(c.Post("/api/v1/summaries", {{"org", "okänd"}}), 400, "org");
  ExpectProblem(c.Post("/api/v1/summaries", {{"org", "hem"}, {"period", "2026-11"}}), 400,
                "period");

  // Stale version.
  ExpectProblem(
      c.Patch("/api/v1/actions/" + std::to_string(aid), {{"version", 1}, {"status", "cancelled"}}),
      409, "version");
}

TEST_F(WorkTest, BadInputNamesTheFieldAndStoresNothing) {
  Session c = As("samordnare");
  size_t meetings = json::parse(c.Get("/api/v1/meetings")->body)["items"].size();
  ExpectProblem(c.Post("/api/v1/meetings", {{"held_on", "2026-02-30"}}), 400, "held_on");
  ExpectProblem(c.Post("/api/v1/meetings", {{"attendees", {"okänd"}}}), 400, "attendees[0]");
  ExpectProblem(c.Post("/api/v1/meetings", {{"decisions", {{{"text", ""}}}}}), 400,
                "decisions[0].text");
  ExpectProblem(c.Post("/api/v1/meetings", {{"kind", "fest"}}), 400, "kind");
  ExpectProblem(c.Post("/api/v1/meetings", {{"colour", "blå"}}), 400, "colour");
  EXPECT_EQ(json::parse(c.Get("/api/v1/meetings")->body)["items"].size(), meetings);

  ExpectProblem(c.Post("/api/v1/problems", {{"title", " "}}), 400, "title");
  ExpectProblem(c.Post("/api/v1/problems", {{"title", "x"}, {"reports", {123456789}}}), 400,
                "reports[0]");
  ExpectProblem(c.Post("/api/v1/actions", {{"title", "Utan ägare"}}), 400, "owner");
  ExpectProblem(
      c.Post("/api/v1/actions",
             {{"title", "x"}, {"owner", "hem"}, {"areas", {"531330"}}, {"controls", {"531330"}}}),
      400, "controls[0]");
  ExpectProblem(c.Post("/api/v1/actions", {{"title", "x"}, {"owner", "hem"}, {"cost", -5}}), 400,
                "cost");
  ExpectProblem(
      c.Post("/api/v1/actions",
             {{"title", "x"}, {"owner", "hem"}, {"start", "2026-12-01"}, {"end", "2026-11-01"}}),
      400, "end");
  ExpectProblem(c.Post("/api/v1/actions", {{"title", "x"}, {"owner", "hem"}, {"status", "kanske"}}),
                400, "status");
  ExpectProblem(c.Get("/api/v1/agenda"), 400, "period");
  ExpectProblem(c.Get("/api/v1/agenda?period=vecka-fel"), 400, "period");
  ExpectProblem(c.Get("/api/v1/meetings/424242"), 404, "");

  // Roles: a viewer reads but cannot write.
  Session v = As("lasare");
  EXPECT_EQ(v.Get("/api/v1/meetings")->status, 200);
  ExpectProblem(v.Post("/api/v1/meetings", {{"title", "x"}}), 403, "");
  ExpectProblem(v.Post("/api/v1/problems", {{"title", "x"}}), 403, "");
}

}  // namespace
}  // namespace est::testing
