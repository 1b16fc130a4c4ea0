// Other organisations' reports over HTTP (app/disclosure.h), on the real server.
//
// Scenario in the week two weeks ago, category klotter, SWEREF 99 TM (100 m cells shown):
//
//      ix 6666      6671      6676      6681        (100 m cells, iy 65913)
//          C          A         B         D
//   C: 5 police reports, Monday 10:00–10:40     A: 1 police report, Tuesday
//   B: 2 police reports, Wednesday              D: 1 report of hem (the reporter's own), Thursday
//
// The attack of issue 15: a reporter of hem asks for the police's week as fine cells.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api_client.h"
#include "core/period.h"
#include "core/time.h"
#include "est_harness.h"
#include "seeded_server.h"

namespace est::testing {
namespace {

using nlohmann::json;

struct Planted {
  double e, n;
  int day;  // from Monday
  int hour, minute;
  const char* org;
};

const Planted kPlanted[] = {
    {666610, 6591310, 0, 10, 0, "polis"},  {666612, 6591312, 0, 10, 10, "polis"},
    {666614, 6591314, 0, 10, 20, "polis"}, {666616, 6591316, 0, 10, 30, "polis"},
    {666618, 6591318, 0, 10, 40, "polis"},                                         // C
    {667125, 6591375, 1, 14, 0, "polis"},                                          // A
    {667625, 6591375, 2, 15, 0, "polis"},  {667630, 6591380, 2, 15, 30, "polis"},  // B
    {668125, 6591375, 3, 9, 0, "hem"},                                             // D
};
constexpr int kIy100 = 65913;
constexpr int kC = 6666, kA = 6671, kB = 6676, kD = 6681;

LocalDay Monday() {
  IsoWeek w = ToIsoWeek(ToLocalDay(NowUnix()) - 14);
  return IsoWeekStart(w.year, w.week);
}

class PrivacyTest : public SeededServerTest<PrivacyTest> {
 public:
  static void Seed(const std::string& db) {
    SeedMunicipality(db);
    for (auto [login, org] : {std::pair{"chef.hem", "hem"}, std::pair{"chef.bun", "bun"}}) {
      auto r = RunEst({"--db", db, "user", "add", login, "--role", "org_lead", "--org", org,
                       "--password", "Trygghet-Sollentuna-49!"});
      if (r.exit_code != 0) throw std::runtime_error(r.out + r.err);
    }
    std::string csv = "id,occurred_from,occurred_to,x,y,category,org\n";
    int i = 0;
    for (const Planted& p : kPlanted) {
      char line[160];
      std::snprintf(line, sizeof line, "q%d,%s %02d:%02d,,%.1f,%.1f,klotter,%s\n", i++,
                    FormatDay(Monday() + p.day).c_str(), p.hour, p.minute, p.e, p.n, p.org);
      csv += line;
    }
    const std::string file = ScratchFile("planted.csv");
    WriteText(file, csv);
    auto r = RunEst({"--db", db, "import", "reports", file, "--crs", "EPSG:3006"});
    if (r.exit_code != 0) throw std::runtime_error(r.out + r.err);
  }

 protected:
  static std::string Week() {
    return "from=" + FormatDay(Monday()) + "&to=" + FormatDay(Monday() + 6) + "&category=klotter";
  }
  // ix → count of the cells with a count (row iy), from format=json of /hotspots.
  static std::map<int, int> Counts(const httplib::Result& r, int iy) {
    std::map<int, int> out;
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    if (!r || r->status != 200) return out;
    const json body = json::parse(r->body);  // alive for the loop (the range would dangle)
    for (const auto& c : body["cells"]) {
      if (c["count"].get<int>() > 0 && c["iy"] == iy) out[c["ix"].get<int>()] = c["count"];
    }
    return out;
  }
};

TEST_F(PrivacyTest, ReporterAskingForAnotherOrganisationsFineCellsGetsNoSmallCell) {
  Session hem = As("rap.hem");
  // The exact attack: 10 m cells (below every grid) and 50 m (below the rule) are refused.
  ExpectProblem(hem.Get("/api/v1/hotspots?org=polis&cell=10&" + Week()), 400, "cell");
  auto fine = hem.Get("/api/v1/hotspots?org=polis&cell=50&format=json&" + Week());
  ExpectProblem(fine, 400, "cell");
  EXPECT_NE(fine->body.find("minst 100 meter"), std::string::npos) << fine->body;
  EXPECT_NE(fine->body.find("org=hem"), std::string::npos) << fine->body;

  // 100 m: the police cluster shows; the single report and the pair are in no cell at all.
  auto r = hem.Get("/api/v1/hotspots?org=polis&cell=100&format=json&" + Week());
  EXPECT_EQ(Counts(r, kIy100), (std::map<int, int>{{kC, 5}}));
  json j = json::parse(r->body);
  EXPECT_EQ(j["privacy"]["withheld_reports"], 3);
  for (const auto& c : j["cells"]) {
    int n = c["count"];
    EXPECT_TRUE(n == 0 || n >= 3) << c.dump();
  }
  // The same in GeoJSON and CSV.
  auto geo = json::parse(hem.Get("/api/v1/hotspots?org=polis&cell=100&" + Week())->body);
  EXPECT_EQ(geo["privacy"]["withheld_reports"], 3);
  for (const auto& f : geo["features"]) {
    int n = f["properties"]["count"];
    EXPECT_TRUE(n == 0 || n >= 3) << f.dump();
  }
  auto csv = hem.Get("/api/v1/hotspots?org=polis&cell=100&format=csv&" + Week());
  ASSERT_TRUE(csv && csv->status == 200);
  EXPECT_NE(csv->body.find("\n" + std::to_string(kA) + "," + std::to_string(kIy100) + ",0,"),
            std::string::npos)
      << "A's cell should be listed with count 0";
}

TEST_F(PrivacyTest, OwnOrganisationAndTheWholePictureStayFull) {
  Session hem = As("rap.hem");
  // Own organisation: any cell size, single reports shown.
  auto own = hem.Get("/api/v1/hotspots?org=hem&cell=50&format=json&" + Week());
  EXPECT_EQ(Counts(own, 131827), (std::map<int, int>{{13362, 1}}));
  // Everyone's reports at 100 m: own single report shown, other organisations' only from 3.
  auto all = hem.Get("/api/v1/hotspots?cell=100&format=json&" + Week());
  EXPECT_EQ(Counts(all, kIy100), (std::map<int, int>{{kC, 5}, {kD, 1}}));
  // The lägesbild per area and category is as before: all 9 reports.
  auto lb = json::parse(hem.Get("/api/v1/lagesbild?" + Week())->body);
  EXPECT_EQ(lb["totals"]["count"], 9);
}

TEST_F(PrivacyTest, CoordinatorSeesEverything) {
  Session c = As("samordnare");
  auto r = c.Get("/api/v1/hotspots?org=polis&cell=50&format=json&" + Week());
  EXPECT_EQ(Counts(r, 131827), (std::map<int, int>{{13342, 1}, {13352, 2}}));
  EXPECT_EQ(Counts(r, 131826), (std::map<int, int>{{13332, 5}}));
  EXPECT_TRUE(json::parse(r->body)["privacy"].is_null());
  auto short_window = c.Get("/api/v1/hotspots?org=polis&cell=50&from=" + FormatDay(Monday()) +
                            "&to=" + FormatDay(Monday()));
  ASSERT_TRUE(short_window);
  EXPECT_EQ(short_window->status, 200);
  auto heat = json::parse(c.Get("/api/v1/heat?org=polis&cell=100&bandwidth=50&" + Week())->body);
  bool a_shown = false;
  for (const auto& f : heat["features"]) a_shown |= f["properties"]["ix"] == kA;
  EXPECT_TRUE(a_shown);
}

TEST_F(PrivacyTest, ShortWindowToAnotherOrganisationIsRefused) {
  Session hem = As("rap.hem");
  const std::string days = "&from=" + FormatDay(Monday() + 1) + "&to=" + FormatDay(Monday() + 3);
  for (const char* path : {"/api/v1/hotspots?org=polis", "/api/v1/heat?org=polis",
                           "/api/v1/profile?org=polis", "/api/v1/concentration?org=polis"}) {
    auto r = hem.Get(path + days);
    ExpectProblem(r, 400, "from");
    ExpectProblem(r, 400, "to");
  }
  ExpectProblem(hem.Get("/api/v1/hotspots?org=polis&period=" + FormatDay(Monday()) + ".." +
                        FormatDay(Monday() + 2)),
                400, "period");
  // A week is enough; the own organisation and the unfiltered picture take any window.
  EXPECT_EQ(hem.Get("/api/v1/hotspots?org=polis&" + Week())->status, 200);
  EXPECT_EQ(hem.Get("/api/v1/hotspots?org=hem" + days)->status, 200);
  EXPECT_EQ(hem.Get("/api/v1/hotspots?cell=100" + days)->status, 200);
}

TEST_F(PrivacyTest, HeatProfileConcentrationAndEmergingFollowTheRule) {
  Session hem = As("rap.hem");
  auto heat = json::parse(hem.Get("/api/v1/heat?org=polis&cell=100&bandwidth=50&" + Week())->body);
  EXPECT_EQ(heat["privacy"]["withheld_reports"], 3);
  for (const auto& f : heat["features"]) {
    EXPECT_NE(f["properties"]["ix"], kA) << f.dump();
    EXPECT_NE(f["properties"]["ix"], kB) << f.dump();
  }
  ExpectProblem(hem.Get("/api/v1/heat?org=polis&cell=50&" + Week()), 400, "cell");

  // Profile: C's five reports share Monday 10–11; A and B are alone in their hours.
  auto profile = json::parse(hem.Get("/api/v1/profile?org=polis&" + Week())->body);
  double sum = 0;
  for (const auto& d : profile["days"])
    for (double h : d["hours"]) sum += h;
  EXPECT_NEAR(sum, 5, 1e-6);
  EXPECT_NEAR(profile["days"][0]["hours"][10].get<double>(), 5, 1e-6);

  auto conc = json::parse(hem.Get("/api/v1/concentration?org=polis&cell=100&" + Week())->body);
  EXPECT_EQ(conc["total"], 5);

  ExpectProblem(hem.Get("/api/v1/emerging?org=polis&cell=50"), 400, "cell");
  auto em = hem.Get("/api/v1/emerging?org=polis&cell=250&periods=4&bin=1w");
  ASSERT_TRUE(em);
  ASSERT_EQ(em->status, 200) << em->body;
  EXPECT_TRUE(json::parse(em->body)["privacy"].is_object());
}

TEST_F(PrivacyTest, PointListsHoldOnlyTheOwnOrganisation) {
  Session c = As("samordnare");
  auto police = json::parse(c.Get("/api/v1/reports?org=polis")->body)["items"];
  ASSERT_EQ(police.size(), 8u);
  const std::string one = "/api/v1/reports/" + std::to_string(police[0]["id"].get<int64_t>());

  Session hem = As("rap.hem");
  auto mine = json::parse(hem.Get("/api/v1/reports?org=polis")->body);
  for (const auto& r : mine["items"]) EXPECT_EQ(r["org"], "hem");
  EXPECT_EQ(hem.Get(one)->status, 404);

  // A viewer (no organisation) lists no report; an organisation lead its own only.
  Session viewer = As("lasare");
  EXPECT_EQ(json::parse(viewer.Get("/api/v1/reports")->body)["total"], 0);
  EXPECT_EQ(viewer.Get(one)->status, 404);
  Session lead = As("chef.hem");
  auto led = json::parse(lead.Get("/api/v1/reports")->body);
  EXPECT_EQ(led["total"], 1);
  // Reporters still read the agenda; its hot cells follow the rule.
  EXPECT_EQ(hem.Get("/api/v1/agenda?period=" + FormatIsoWeek(ToIsoWeek(Monday())))->status, 200);
}

}  // namespace
}  // namespace est::testing
