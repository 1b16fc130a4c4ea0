// The reports export: `est reports list` and GET /api/v1/reports?format=csv|geojson — the CSV's
// contract columns, filters (an area with its sub-areas, source, period), GeoJSON points and the
// null geometry of a report placed only by its area, the organisation scope of a reporter, and
// bad filters named.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

const char* kCsv =
    "id;occurred_at;lon;lat;category;org;severity;count;description\n"
    "a1;2026-11-16T21:30:00+01:00;17,945997;59,427118;Klotter;hem;1;1;\"Klotter på fasad, \"\"röd\"\"\"\n"
    "a2;2026-11-17T22:00:00+01:00;17.900;59.445;narkotika;polis;3;2;Misstänkt försäljning\n"
    "a3;2026-11-18T08:00:00+01:00;18.070;59.330;skadegörelse;hem;2;1;Utanför kommunen\n";

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
    WriteText(dir_.File("r.csv"), kCsv);
    ASSERT_EQ(Est({"import", "reports", dir_.File("r.csv")}).exit_code, 0);
    ASSERT_EQ(Est({"import", "polisen", DataFile("polisen-events-2026-08-22.json")}).exit_code, 0);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  static std::vector<std::string> Lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  TempDir dir_;
  std::string db_;
};

constexpr const char* kHeader =
    "id,source_id,occurred_from,occurred_to,area_code,category,org,severity,count,status,source,"
    "lon,lat,area_only,description";

TEST_F(ExportTest, CsvHasTheContractColumnsAndFilters) {
  auto all = Est({"reports", "list"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  auto lines = Lines(all.out);
  ASSERT_EQ(lines.size(), 1u + 3 + 2);  // header, three partner reports, two police events
  EXPECT_EQ(lines[0], kHeader);
  bool klotter = false;
  for (const auto& l : lines) {
    if (l.find(",a1,") == std::string::npos) continue;
    klotter = true;
    EXPECT_NE(l.find(",2026-11-16T21:30:00+01:00,,531330,klotter,hem,1,1,new,import,17.945997,"
                     "59.427118,0,\"Klotter på fasad, \"\"röd\"\"\""),
              std::string::npos)
        << l;
  }
  EXPECT_TRUE(klotter) << all.out;
  // The municipality with its sub-areas: Tureberg's report too, and the police event.
  auto kommun = Est({"reports", "list", "--area", "0163", "--period", "2026-W47"});
  ASSERT_EQ(kommun.exit_code, 0) << kommun.err;
  EXPECT_EQ(Lines(kommun.out).size(), 1u + 2) << kommun.out;
  auto tureberg = Est({"reports", "list", "--area", "531330"});
  EXPECT_EQ(Lines(tureberg.out).size(), 1u + 1) << tureberg.out;
  auto outside = Est({"reports", "list", "--area", "outside", "--source", "import"});
  ASSERT_EQ(Lines(outside.out).size(), 1u + 1) << outside.out;
  EXPECT_NE(outside.out.find(",a3,"), std::string::npos);
  auto police = Est({"reports", "list", "--source", "police"});
  auto pl = Lines(police.out);
  ASSERT_EQ(pl.size(), 1u + 2) << police.out;
  for (size_t i = 1; i < pl.size(); ++i) EXPECT_NE(pl[i].find(",police,,,1,"), std::string::npos) << pl[i];

  auto bad = Est({"reports", "list", "--area", "finnsinte", "--period", "2026-W99"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("area"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("period"), std::string::npos) << bad.err;
}

TEST_F(ExportTest, GeoJsonOverCliAndHttpWithTheReportersScope) {
  auto geo = Est({"reports", "list", "--format", "geojson"});
  ASSERT_EQ(geo.exit_code, 0) << geo.err;
  json fc = json::parse(geo.out);
  EXPECT_EQ(fc["type"], "FeatureCollection");
  ASSERT_EQ(fc["features"].size(), 5u);
  int points = 0, area_only = 0;
  for (const auto& f : fc["features"]) {
    if (f["geometry"].is_null()) {
      ++area_only;
      EXPECT_TRUE(f["properties"]["lon"].is_null());
      EXPECT_EQ(f["properties"]["source"], "police");
    } else {
      ++points;
      EXPECT_EQ(f["geometry"]["type"], "Point");
      EXPECT_EQ(f["geometry"]["coordinates"][0], f["properties"]["lon"]);
    }
  }
  EXPECT_EQ(points, 3);
  EXPECT_EQ(area_only, 2);

  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  auto csv = c.Get("/api/v1/reports?format=csv&area=0163");
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(Lines(csv->body)[0], kHeader);
  EXPECT_EQ(Lines(csv->body).size(), 1u + 3) << csv->body;  // a1, a2 and the Sollentuna event
  EXPECT_EQ(csv->get_header_value("X-Report-Count"), "3");
  auto page = c.Get("/api/v1/reports?format=csv&limit=2&offset=1");
  EXPECT_EQ(Lines(page->body).size(), 1u + 2);
  auto gj = c.Get("/api/v1/reports?format=geojson&source=import");
  ASSERT_EQ(gj->status, 200);
  EXPECT_EQ(gj->get_header_value("Content-Type"), "application/geo+json");
  EXPECT_EQ(json::parse(gj->body)["features"].size(), 3u);
  ExpectProblem(c.Get("/api/v1/reports?format=xlsx"), 400, "format");
  ExpectProblem(c.Get("/api/v1/reports?format=csv&source=brev"), 400, "source");
  ExpectProblem(c.Get("/api/v1/reports?format=csv&limit=100001"), 400, "limit");

  // A reporter sees its own organisation's reports only, in every format.
  Session rep(server.port());
  ASSERT_EQ(rep.Login("rap.hem", "Trygghet-Sollentuna-49!")->status, 200);
  auto own = rep.Get("/api/v1/reports?format=csv");
  ASSERT_EQ(own->status, 200);
  auto rows = Lines(own->body);
  ASSERT_EQ(rows.size(), 1u + 2) << own->body;
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_NE(rows[i].find(",hem,"), std::string::npos);
}

// Export → re-import into another municipality database → export again: the same rows (but
// EST's own ids), the same lägesbild with and without the police's events, and a rejected report
// stays out of the counts.
TEST_F(ExportTest, AnExportReadsBackAsTheSameReports) {
  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  auto list = json::parse(c.Get("/api/v1/reports?limit=10")->body)["items"];
  int64_t rejected_id = 0, version = 0;
  for (const auto& r : list) {
    if (r["source_id"] == "a2") {
      rejected_id = r["id"];
      version = r["version"];
    }
  }
  ASSERT_GT(rejected_id, 0);
  auto patch = c.Patch("/api/v1/reports/" + std::to_string(rejected_id),
                       json{{"status", "rejected"}, {"version", version}, {"review_note", "fel"}});
  ASSERT_EQ(patch->status, 200) << patch->body;

  auto first = Est({"reports", "list", "--area", "0163"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  WriteText(dir_.File("export.csv"), first.out);
  std::string other = dir_.Database("annan");
  SeedMunicipality(other);
  auto imported = RunEst({"--db", other, "import", "reports", dir_.File("export.csv")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto again = RunEst({"--db", other, "import", "reports", dir_.File("export.csv")});
  EXPECT_NE(again.out.find("fanns redan"), std::string::npos) << again.out;
  auto second = RunEst({"--db", other, "reports", "list", "--area", "0163"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  // Row by row without the first column (each database's own id).
  auto strip = [](const std::string& text) {
    std::vector<std::string> out;
    for (const auto& l : Lines(text)) out.push_back(l.substr(l.find(',')));
    std::sort(out.begin(), out.end());
    return out;
  };
  auto a = strip(first.out), b = strip(second.out);
  ASSERT_EQ(a.size(), 1u + 3);
  for (size_t i = 0; i < a.size(); ++i) {
    // The review note of a rejected report is not in the export; "import" is the re-imported
    // form report's source.
    EXPECT_EQ(a[i], b[i]);
  }
  for (const char* q : {"--police=true", "--police=false"}) {
    auto la = Est({"lagesbild", "--period", "2026-W47", "--area", "0163", "--format", "csv", q});
    auto lb = RunEst({"--db", other, "lagesbild", "--period", "2026-W47", "--area", "0163",
                      "--format", "csv", q});
    EXPECT_EQ(la.out, lb.out) << q;
  }
  auto w34 = RunEst({"--db", other, "lagesbild", "--period", "2026-W34", "--format", "json",
                     "--police", "false"});
  EXPECT_EQ(json::parse(w34.out)["totals"]["count"], 0) << "the police event stays the police's";
}

}  // namespace
}  // namespace est::testing
