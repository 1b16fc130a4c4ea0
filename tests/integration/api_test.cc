// The real `est serve` on a loopback port, spoken to over HTTP: login, CSRF, roles, reports,
// bad input (problem+json, nothing written), check-ins and the week's lägesbild.
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

// The Tureberg police polygon's centroid; a point in Sollentuna outside Tureberg (Viby); a point
// in Stockholm city outside every area.
constexpr double kTurebergLon = 17.945997, kTurebergLat = 59.427118;
constexpr double kVibyLon = 17.900, kVibyLat = 59.445;
constexpr double kStockholmLon = 18.070, kStockholmLat = 59.330;

json Report(double lon, double lat, const std::string& category = "klotter",
            const std::string& org = "") {
  json j = {{"occurred_from", FormatTimestamp(NowUnix() - 3600)},
            {"location", {{"lon", lon}, {"lat", lat}}},
            {"category", category},
            {"severity", 2},
            {"description", "Klotter på elskåpet vid gångtunneln."}};
  if (!org.empty()) j["org"] = org;
  return j;
}

class ApiTest : public SeededServerTest<ApiTest> {
 protected:
  int64_t TotalReports() {
    Session s = As("samordnare");
    auto r = s.Get("/api/v1/reports?limit=1");
    return json::parse(r->body)["total"].get<int64_t>();
  }
};

TEST_F(ApiTest, HealthNeedsNoLogin) {
  httplib::Client c("127.0.0.1", server_->port());
  auto r = c.Get("/api/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["status"], "ok");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
}

TEST_F(ApiTest, LoginRejectsWrongPasswordAndSetsHttpOnlyCookie) {
  Session s(server_->port());
  ExpectProblem(s.Login("samordnare", "fel-losenord"), 401, "");
  auto ok = s.Login("samordnare", "Trygghet-Sollentuna-49!");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200);
  std::string cookie = ok->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  auto me = s.Get("/api/v1/auth/me");
  EXPECT_EQ(json::parse(me->body)["user"]["role"], "coordinator");
}

TEST_F(ApiTest, EndpointsRequireLogin) {
  httplib::Client c("127.0.0.1", server_->port());
  ExpectProblem(c.Get("/api/v1/reports"), 401, "");
  ExpectProblem(c.Get("/api/v1/lagesbild?period=2026-W47"), 401, "");
}

TEST_F(ApiTest, StateChangeWithoutCsrfTokenIsRefused) {
  Session s = As("rap.hem");
  int64_t before = TotalReports();
  ExpectProblem(s.Post("/api/v1/reports", Report(kTurebergLon, kTurebergLat), false), 403,
                "X-CSRF-Token");
  EXPECT_EQ(TotalReports(), before);
}

TEST_F(ApiTest, ReporterCreatesReportAssignedToDeepestArea) {
  Session s = As("rap.hem");
  auto r = s.Post("/api/v1/reports", Report(kTurebergLon, kTurebergLat));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["org"], "hem");              // defaults to the reporter's organisation
  EXPECT_EQ(j["area"]["code"], "531330");  // Tureberg, not only the kommun
  EXPECT_EQ(j["status"], "new");
  EXPECT_NEAR(j["location"]["lon"].get<double>(), kTurebergLon, 1e-6);
  auto again = s.Get("/api/v1/reports/" + std::to_string(j["id"].get<int64_t>()));
  EXPECT_EQ(again->status, 200);

  auto viby = s.Post("/api/v1/reports", Report(kVibyLon, kVibyLat));
  EXPECT_EQ(json::parse(viby->body)["area"]["code"], "0163");
  // A point outside the municipality is refused, naming the location (and stores nothing).
  int64_t before = TotalReports();
  auto outside = s.Post("/api/v1/reports", Report(kStockholmLon, kStockholmLat));
  ExpectProblem(outside, 400, "location");
  EXPECT_NE(outside->body.find("utanför kommunens områden"), std::string::npos) << outside->body;
  EXPECT_EQ(TotalReports(), before);
  // Outside Sweden: the lon/lat hint only when swapping would land in Sweden.
  auto swapped = s.Post("/api/v1/reports", Report(kTurebergLat, kTurebergLon));
  ExpectProblem(swapped, 400, "location");
  EXPECT_NE(swapped->body.find("bytt plats"), std::string::npos) << swapped->body;
  auto atlantic = s.Post("/api/v1/reports", Report(-30.0, 45.0));
  ExpectProblem(atlantic, 400, "location");
  EXPECT_EQ(atlantic->body.find("bytt plats"), std::string::npos) << atlantic->body;
}

TEST_F(ApiTest, SourceIdMakesRepeatIdempotent) {
  Session s = As("rap.polis");
  json body = Report(kVibyLon, kVibyLat, "skadegorelse");
  body["source_id"] = "polis-2026-0001";
  auto first = s.Post("/api/v1/reports", body);
  ASSERT_EQ(first->status, 201) << first->body;
  int64_t before = TotalReports();
  auto second = s.Post("/api/v1/reports", body);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(json::parse(second->body)["id"], json::parse(first->body)["id"]);
  EXPECT_EQ(TotalReports(), before);
}

TEST_F(ApiTest, PersonalDataIsScrubbedAndReported) {
  Session s = As("rap.hem");
  json body = Report(kVibyLon, kVibyLat);
  body["description"] = "Ring 070-123 45 67 eller mejla kalle@example.se om bilen ABC 123.";
  auto r = s.Post("/api/v1/reports", body);
  ASSERT_EQ(r->status, 201) << r->body;
  json j = json::parse(r->body);
  std::string d = j["description"];
  EXPECT_EQ(d.find("070"), std::string::npos) << d;
  EXPECT_EQ(d.find("kalle@"), std::string::npos) << d;
  EXPECT_EQ(d.find("ABC 123"), std::string::npos) << d;
  EXPECT_EQ(j["removed_personal_data"].size(), 3u);
}

struct BadReportCase {
  const char* name;
  std::function<void(json&)> mutate;
  int status;
  const char* field;
};

TEST_F(ApiTest, BadReportsAreRefusedWithFieldAndNothingIsStored) {
  const BadReportCase cases[] = {
      {"unknown field", [](json& j) { j["colour"] = "red"; }, 400, "colour"},
      {"wrong type", [](json& j) { j["severity"] = "hög"; }, 400, "severity"},
      {"severity out of range", [](json& j) { j["severity"] = 5; }, 400, "severity"},
      {"count zero", [](json& j) { j["count"] = 0; }, 400, "count"},
      {"impossible date", [](json& j) { j["occurred_from"] = "2026-02-30T12:00:00+01:00"; }, 400,
       "occurred_from"},
      {"future", [](json& j) { j["occurred_from"] = "2099-01-01T12:00:00+01:00"; }, 400,
       "occurred_from"},
      {"missing time", [](json& j) { j.erase("occurred_from"); }, 400, "occurred_from"},
      {"unknown category", [](json& j) { j["category"] = "ufo"; }, 400, "category"},
      {"swapped lon/lat",
       [](json& j) {
         j["location"] = {{"lon", kTurebergLat}, {"lat", kTurebergLon}};
       },
       400, "location"},
      {"lat out of range",
       [](json& j) {
         j["location"] = {{"lon", 18.0}, {"lat", 123.0}};
       },
       400, "lat"},
      {"no location", [](json& j) { j.erase("location"); }, 400, "location"},
      {"unknown location field", [](json& j) { j["location"]["alt"] = 3; }, 400, "location.alt"},
      {"interval reversed", [](json& j) { j["occurred_to"] = FormatTimestamp(NowUnix() - 7200); },
       400, "occurred_to"},
      {"other organisation", [](json& j) { j["org"] = "polis"; }, 403, ""},
  };
  Session s = As("rap.hem");
  int64_t before = TotalReports();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json body = Report(kTurebergLon, kTurebergLat);
    c.mutate(body);
    ExpectProblem(s.Post("/api/v1/reports", body), c.status, c.field);
  }
  ExpectProblem(s.PostRaw("/api/v1/reports", "{\"category\": ", "application/json"), 400, "body");
  ExpectProblem(s.PostRaw("/api/v1/reports", "category=klotter", "text/plain"), 415,
                "Content-Type");
  EXPECT_EQ(TotalReports(), before);
}

TEST_F(ApiTest, OversizedBodyIsRefused) {
  Session s = As("rap.hem");
  std::string huge(40 * 1024 * 1024, 'x');
  auto r = s.PostRaw("/api/v1/reports", huge, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ApiTest, RolesAndOrganisationsAreEnforced) {
  Session polis = As("rap.polis");
  auto created = polis.Post("/api/v1/reports", Report(kVibyLon, kVibyLat, "vald"));
  ASSERT_EQ(created->status, 201);
  int64_t id = json::parse(created->body)["id"];

  Session hem = As("rap.hem");
  // Another organisation's report is invisible to a reporter.
  ExpectProblem(hem.Get("/api/v1/reports/" + std::to_string(id)), 404, "");
  json list = json::parse(hem.Get("/api/v1/reports?limit=1000")->body);
  for (const auto& item : list["items"]) EXPECT_EQ(item["org"], "hem");
  // A reporter cannot review (change status).
  ExpectProblem(
      hem.Patch("/api/v1/reports/" + std::to_string(id), {{"version", 1}, {"status", "reviewed"}}),
      404, "");

  Session viewer = As("lasare");
  ExpectProblem(viewer.Post("/api/v1/reports", Report(kVibyLon, kVibyLat, "klotter", "hem")), 403,
                "");
  ExpectProblem(viewer.Post("/api/v1/users", {{"login", "x"}}), 403, "");
  EXPECT_EQ(viewer.Get("/api/v1/lagesbild?period=2026-W47")->status, 200);

  Session coordinator = As("samordnare");
  ExpectProblem(coordinator.Post("/api/v1/users", {{"login", "ny.person"},
                                                   {"password", "Trygghet-Sollentuna-49!"},
                                                   {"role", "viewer"}}),
                403, "");
  auto reviewed = coordinator.Patch("/api/v1/reports/" + std::to_string(id),
                                    {{"version", 1}, {"status", "reviewed"}});
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;
  EXPECT_EQ(json::parse(reviewed->body)["version"], 2);
  // A stale version is a conflict, not a silent overwrite.
  ExpectProblem(coordinator.Patch("/api/v1/reports/" + std::to_string(id),
                                  {{"version", 1}, {"status", "rejected"}}),
                409, "version");

  Session admin = As("admin");
  auto user = admin.Post("/api/v1/users", {{"login", "ny.rapportor"},
                                           {"password", "Trygghet-Edsberg-58!"},
                                           {"role", "reporter"},
                                           {"org", "bun"}});
  EXPECT_EQ(user->status, 201) << user->body;
  ExpectProblem(
      admin.Post("/api/v1/users", {{"login", "kort"}, {"password", "kort"}, {"role", "viewer"}}),
      400, "password");
}

TEST_F(ApiTest, CheckInAndLagesbildCountTheWeek) {
  Session hem = As("rap.hem");
  std::string week = FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix())));
  auto ci =
      hem.Post("/api/v1/checkins", {{"area", "0163"}, {"week", week}, {"nothing_to_report", true}});
  ASSERT_EQ(ci->status, 201) << ci->body;
  ExpectProblem(hem.Post("/api/v1/checkins", {{"area", "0163"}, {"week", "2026-W60"}}), 400,
                "week");
  ExpectProblem(hem.Post("/api/v1/checkins", {{"area", "0163"}, {"week", week}, {"org", "polis"}}),
                403, "");

  Session polis = As("rap.polis");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        polis.Post("/api/v1/reports", Report(kTurebergLon, kTurebergLat, "narkotika"))->status,
        201);
  }
  Session coordinator = As("samordnare");
  auto r = coordinator.Get("/api/v1/lagesbild?period=" + week + "&category=narkotika");
  ASSERT_EQ(r->status, 200) << r->body;
  json lb = json::parse(r->body);
  EXPECT_EQ(lb["period"]["label"], week);
  bool found = false;
  for (const auto& row : lb["rows"]) {
    if (row["area_code"] == "531330" && row["category"] == "narkotika") {
      EXPECT_GE(row["count"].get<int>(), 3);
      found = true;
    }
  }
  EXPECT_TRUE(found) << r->body;
  bool hem_checked_in = false;
  for (const auto& cov : lb["coverage"]) {
    if (cov["area_code"] != "0163") continue;
    for (const auto& o : cov["checked_in"]) hem_checked_in |= o == "hem";
    bool polis_reported = false;
    for (const auto& o : cov["reported"]) polis_reported |= o == "polis";
    EXPECT_TRUE(polis_reported);
  }
  EXPECT_TRUE(hem_checked_in);

  auto csv = coordinator.Get("/api/v1/lagesbild?period=" + week + "&format=csv");
  EXPECT_EQ(csv->body.rfind("area_code,area_name,category,count,previous,last_year", 0), 0u);
  ExpectProblem(coordinator.Get("/api/v1/lagesbild?period=2026-W99"), 400, "period");
  ExpectProblem(coordinator.Get("/api/v1/lagesbild?period=2026-W47&area=nowhere"), 400, "area");
}

TEST_F(ApiTest, CsvImportOverHttpIsAllOrNothing) {
  Session coordinator = As("samordnare");
  int64_t before = TotalReports();
  std::string bad =
      "id,occurred_at,lon,lat,category,org\n"
      "h1,2026-11-02T10:00:00+01:00,17.9,59.445,klotter,hem\n"
      "h2,2026-11-02T11:00:00+01:00,17.9,59.445,ufo,hem\n";
  auto r = coordinator.PostRaw("/api/v1/reports/import", bad, "text/csv");
  ExpectProblem(r, 400, "rad 3: category");
  EXPECT_EQ(TotalReports(), before);
  std::string good =
      "id,occurred_at,lon,lat,category,org\n"
      "h1,2026-11-02T10:00:00+01:00,17.9,59.445,klotter,hem\n";
  auto ok = coordinator.PostRaw("/api/v1/reports/import", good, "text/csv");
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["inserted"], 1);
  EXPECT_EQ(TotalReports(), before + 1);
}

// Issue 15: hostile input is refused with a 4xx naming the field, never a 500, and nothing is
// stored.
TEST_F(ApiTest, HostileInputIsA4xxNamingTheField) {
  Session s = As("samordnare");
  int64_t before = TotalReports();
  // Path ids beyond int64.
  ExpectProblem(s.Get("/api/v1/reports/99999999999999999999"), 400, "id");
  ExpectProblem(s.Get("/api/v1/meetings/99999999999999999999"), 400, "id");
  ExpectProblem(s.Patch("/api/v1/reports/99999999999999999999", json{{"version", 1}}), 400, "id");
  // A number that overflows a double, at the top and inside the location.
  std::string body = Report(kTurebergLon, kTurebergLat).dump();
  std::string overflow = body;
  overflow.replace(overflow.find("\"severity\":2"), 12, "\"severity\":1e309");
  ExpectProblem(s.PostRaw("/api/v1/reports", overflow, "application/json"), 400, "severity");
  std::string wraps = body;  // 2^64 - 1 must not wrap to -1
  wraps.replace(wraps.find("\"severity\":2"), 12, "\"severity\":18446744073709551615");
  ExpectProblem(s.PostRaw("/api/v1/reports", wraps, "application/json"), 400, "severity");
  json xy = Report(kTurebergLon, kTurebergLat);
  xy["location"] = {{"x", 0}, {"y", 6590000}, {"crs", "EPSG:3006"}};
  std::string deep = xy.dump();
  deep.replace(deep.find("\"x\":0"), 5, "\"x\":-1E400");
  ExpectProblem(s.PostRaw("/api/v1/reports", deep, "application/json"), 400, "location.x");
  // A CRS with more than the code is not that code.
  xy["location"] = {{"x", 666000}, {"y", 6590000}, {"crs", "EPSG:3006'; DROP TABLE reports;--"}};
  ExpectProblem(s.Post("/api/v1/reports", xy), 400, "location.crs");
  // Control characters in any text of the body, named by their field.
  json nul = Report(kTurebergLon, kTurebergLat);
  nul["description"] = std::string("Klotter\0dolt", 12);
  ExpectProblem(s.Post("/api/v1/reports", nul), 400, "description");
  json esc = Report(kTurebergLon, kTurebergLat);
  esc["location"] = {{"place", "Tureberg\x1b[2J"}};
  ExpectProblem(s.Post("/api/v1/reports", esc), 400, "location.place");
  json ok_text = Report(kTurebergLon, kTurebergLat, "klotter", "hem");
  ok_text["description"] = "Rad ett\n\tRad två";
  auto created = s.Post("/api/v1/reports", ok_text);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  // Weeks have two digits; a bandwidth is above zero.
  ExpectProblem(s.Get("/api/v1/lagesbild?period=2026-W4"), 400, "period");
  ExpectProblem(s.Get("/api/v1/heat?period=2026-W47&bandwidth=-5"), 400, "bandwidth");
  ExpectProblem(s.Get("/api/v1/heat?period=2026-W47&bandwidth=0"), 400, "bandwidth");
  ExpectProblem(s.Get("/api/v1/heat?period=2026-W47&bandwidth=inf"), 400, "bandwidth");
  // Bytes that are not UTF-8, echoed in an error, and in a CSV upload (a UTF-16 file).
  ExpectProblem(s.Get("/api/v1/lagesbild?period=2026-W47&area=%FF%FE"), 400, "area");
  std::string utf16 =
      "\xFF\xFEid,occurred_at,lon,lat,category,org\n"
      "h9,2026-11-02T10:00:00+01:00,17.9,59.445,klotter,hem\n";
  ExpectProblem(s.PostRaw("/api/v1/reports/import", utf16, "text/csv"), 400, "rad 1");
  std::string latin1 =
      "id,occurred_at,lon,lat,category,org\n"
      "h9,2026-11-02T10:00:00+01:00,17.9,59.445,klotter,hem\n"
      "h10,2026-11-02T10:00:00+01:00,17.9,59.445,klotter,hem,V\xE4g\n";
  ExpectProblem(s.PostRaw("/api/v1/reports/import", latin1, "text/csv"), 400, "rad 3");
  ExpectProblem(s.PostRaw("/api/v1/reports/import?crs=3006x", "id,occurred_at,x,y,category,org\n",
                          "text/csv"),
                400, "crs");
  EXPECT_EQ(TotalReports(), before + 1);
}

TEST_F(ApiTest, UnknownRouteIsProblemJson) {
  Session s = As("samordnare");
  ExpectProblem(s.Get("/api/v1/nonexistent"), 404, "");
}

}  // namespace
}  // namespace est::testing

namespace est::testing {
namespace {

TEST_F(ApiTest, EmergingAcceptsThePeriodLikeTheOtherAnalyses) {
  Session s = As("samordnare");
  // A tertial ends with its last complete week: the same steps as end=that week.
  auto by_period = s.Get("/api/v1/emerging?period=2025-T3&periods=4&format=csv");
  ASSERT_EQ(by_period->status, 200) << by_period->body;
  auto by_end = s.Get("/api/v1/emerging?end=2025-W35&periods=4&format=csv");
  ASSERT_EQ(by_end->status, 200) << by_end->body;
  EXPECT_EQ(by_period->body, by_end->body);
  ExpectProblem(s.Get("/api/v1/emerging?period=2025-T9"), 400, "period");
}

}  // namespace
}  // namespace est::testing

namespace est::testing {
namespace {

TEST_F(ApiTest, AdminChangesRoleDisablesAndResetsAUser) {
  Session admin = As("admin");
  auto created = admin.Post("/api/v1/users", {{"login", "tillfallig"},
                                              {"display_name", "Tillfällig"},
                                              {"password", "Trygghet-Sollentuna-49!"},
                                              {"role", "reporter"},
                                              {"org", "hem"}});
  ASSERT_EQ(created->status, 201) << created->body;
  int64_t id = json::parse(created->body)["id"];
  std::string path = "/api/v1/users/" + std::to_string(id);
  Session user(server_->port());
  ASSERT_EQ(user.Login("tillfallig", "Trygghet-Sollentuna-49!")->status, 200);
  EXPECT_EQ(user.Get("/api/v1/auth/me")->status, 200);

  auto r = admin.Patch(path, {{"role", "viewer"}, {"org", nullptr}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["role"], "viewer");
  ExpectProblem(admin.Patch(path, {{"role", "reporter"}}), 400, "org");  // reporters need one
  ExpectProblem(admin.Patch(path, {{"role", "kung"}}), 400, "role");
  ExpectProblem(admin.Patch(path, {{"password", "kort"}}), 400, "password");
  ExpectProblem(admin.Patch("/api/v1/users/999999", {{"disabled", true}}), 404, "");

  // Disabling ends the user's session at once.
  r = admin.Patch(path, {{"disabled", true}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(user.Get("/api/v1/auth/me")->status, 401);
  Session again(server_->port());
  EXPECT_EQ(again.Login("tillfallig", "Trygghet-Sollentuna-49!")->status, 401);
  // Re-enabled with a new password: the old one no longer works.
  ASSERT_EQ(
      admin.Patch(path, {{"disabled", false}, {"password", "Nytt-Trygghet-Edsberg-73"}})->status,
      200);
  EXPECT_EQ(again.Login("tillfallig", "Trygghet-Sollentuna-49!")->status, 401);
  EXPECT_EQ(again.Login("tillfallig", "Nytt-Trygghet-Edsberg-73")->status, 200);

  // Nobody locks themselves out; only administrators change users.
  int64_t me = json::parse(admin.Get("/api/v1/auth/me")->body)["user"]["id"];
  ExpectProblem(admin.Patch("/api/v1/users/" + std::to_string(me), {{"disabled", true}}), 400,
                "disabled");
  ExpectProblem(admin.Patch("/api/v1/users/" + std::to_string(me), {{"role", "viewer"}}), 400,
                "role");
  Session coordinator = As("samordnare");
  ExpectProblem(coordinator.Patch(path, {{"disabled", true}}), 403, "");
}

}  // namespace
}  // namespace est::testing
