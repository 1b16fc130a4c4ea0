// The analyses end to end, on a planted scenario: `est hotspots`, `est emerging`, `est priority`
// and `est wdd` (the CLI contract other tools read), then the same analyses over HTTP (hotspots,
// heat, profile, series, concentration) with their bad-input and login rules.
//
// Scenario (SWEREF 99 TM, EPSG:3006, imported with x,y columns): in the week two weeks ago, 40
// reports in one 250 m cell in Tureberg (the cluster) and 20 single reports scattered over
// Sollentuna (the map below), 4 of them in a second level-1 area "2". One interval report
// 21:00–23:00 on the Wednesday of the week before, and 3 reports at the cluster four weeks before.
// Dates are relative to today, so every report lies in the past.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/time.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

// The cluster: a point in Tureberg, cell (floor(E/250), floor(N/250)) = (2668, 26365).
constexpr double kClusterE = 667125, kClusterN = 6591375;
constexpr int kClusterReports = 40;
constexpr int kCell = 250;

// Sollentuna, 500 m per character; a character's report lies at (kMapE0 + 500·col + 200,
// kMapN1 − 500·row − 300), away from every 250 m cell edge. '.' inside the kommun, 'T' Tureberg
// (the cluster), '2' the test area (its polygon is the box of the '2' and 'R' characters), 'r' a
// report, 'R' a report inside area 2, 'o' a probe point with no report within 1.5 km.
constexpr double kMapE0 = 660000, kMapN1 = 6599500, kMapStep = 500;
const char* const kMap[] = {
    "                      ",  //
    "           .          ",  //
    "     r    ...         ",  //
    "     ...  ....        ",  //
    "     .....o....       ",  //
    "   .............      ",  //
    " r..............r     ",  //
    "  ....R22R..r.....    ",  //
    "  .r..2222.........   ",  //
    "   ...2222.....r....  ",  //
    "   ...R22R..........  ",  //
    "     .............r.. ",  //
    "      r...r.......... ",  //
    "       ......r....... ",  //
    "       ............r. ",  //
    "        .r..........  ",  //
    "        ......T.....  ",  //
    "           .........  ",  //
    "             .......  ",  //
    "              .r..r.  ",  //
    "                ..... ",  //
    "                 r..r ",  //
    "                  ..  ",  //
};

struct Point {
  double e, n;
};

std::vector<Point> MapPoints(const std::string& chars) {
  std::vector<Point> out;
  for (size_t row = 0; row < std::size(kMap); ++row) {
    for (size_t col = 0; kMap[row][col]; ++col) {
      if (chars.find(kMap[row][col]) == std::string::npos) continue;
      out.push_back({kMapE0 + kMapStep * static_cast<double>(col) + 200,
                     kMapN1 - kMapStep * static_cast<double>(row) - 300});
    }
  }
  return out;
}

// Area 2 as a SWEREF 99 TM GeoJSON square: the box of its characters.
std::string Area2GeoJson() {
  size_t c0 = 99, c1 = 0, r0 = 99, r1 = 0;
  for (size_t row = 0; row < std::size(kMap); ++row) {
    for (size_t col = 0; kMap[row][col]; ++col) {
      if (kMap[row][col] != '2' && kMap[row][col] != 'R') continue;
      c0 = std::min(c0, col);
      c1 = std::max(c1, col);
      r0 = std::min(r0, row);
      r1 = std::max(r1, row);
    }
  }
  double w = kMapE0 + kMapStep * c0, e = kMapE0 + kMapStep * (c1 + 1);
  double n = kMapN1 - kMapStep * r0, s = kMapN1 - kMapStep * (r1 + 1);
  json ring = json::array({{w, s}, {e, s}, {e, n}, {w, n}, {w, s}});
  json fc = {{"type", "FeatureCollection"},
             {"crs", {{"type", "name"}, {"properties", {{"name", "EPSG:3006"}}}}},
             {"features",
              {{{"type", "Feature"},
                {"properties", {{"code", "T2"}, {"name", "Testområdet"}}},
                {"geometry", {{"type", "Polygon"}, {"coordinates", {ring}}}}}}}};
  return fc.dump();
}

int CellIndex(double v) { return static_cast<int>(std::floor(v / kCell)); }

// Monday of the ISO week `k` weeks before this one.
LocalDay MondayWeeksAgo(int k) {
  IsoWeek w = ToIsoWeek(ToLocalDay(NowUnix()) - 7 * k);
  return IsoWeekStart(w.year, w.week);
}
std::string WeekLabel(LocalDay d) { return FormatIsoWeek(ToIsoWeek(d)); }

std::string At(LocalDay day, int hour, int minute = 0) {
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d", hour, minute);
  return FormatDay(day) + buf;
}

struct Planted {
  std::string from, to;
  Point p;
};

// Reports as the import CSV with x,y in EPSG:3006.
std::string ReportsCsv(const std::vector<Planted>& rows) {
  std::string out = "id,occurred_from,occurred_to,x,y,category,org\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    char xy[64];
    std::snprintf(xy, sizeof xy, "%.1f,%.1f", rows[i].p.e, rows[i].p.n);
    out += "p" + std::to_string(i) + "," + rows[i].from + "," + rows[i].to + "," + xy +
           ",klotter,hem\n";
  }
  return out;
}

void Import(const TempDir& dir, const std::string& db, const std::vector<Planted>& rows) {
  WriteText(dir.File("planted.csv"), ReportsCsv(rows));
  auto r = RunEst({"--db", db, "import", "reports", dir.File("planted.csv"), "--crs", "EPSG:3006"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

// A CSV table as rows of column → value (the analysis outputs have no quoted fields).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
};
std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}
Csv ParseCsv(const std::string& text) {
  Csv csv;
  std::stringstream ss(text);
  std::string line;
  if (std::getline(ss, line)) csv.header = SplitComma(line);
  while (std::getline(ss, line)) {
    auto f = SplitComma(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < csv.header.size() && i < f.size(); ++i) row[csv.header[i]] = f[i];
    csv.rows.push_back(std::move(row));
  }
  return csv;
}
const std::map<std::string, std::string>* FindCell(const Csv& csv, int ix, int iy) {
  for (const auto& row : csv.rows) {
    if (row.at("ix") == std::to_string(ix) && row.at("iy") == std::to_string(iy)) return &row;
  }
  return nullptr;
}

class Session {
 public:
  explicit Session(int port) : client_("127.0.0.1", port) { client_.set_read_timeout(30, 0); }
  bool Login(const std::string& login) {
    json body = {{"login", login}, {"password", "Trygghet-Sollentuna-49!"}};
    auto r = client_.Post("/api/v1/auth/login", body.dump(), "application/json");
    if (!r || r->status != 200) return false;
    std::string set = r->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
    return true;
  }
  httplib::Result Get(const std::string& path) {
    httplib::Headers h;
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    return client_.Get(path.c_str(), h);
  }
  json GetJson(const std::string& path) {
    auto r = Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return json();
    EXPECT_EQ(r->status, 200) << path << "\n" << r->body;
    return json::parse(r->body, nullptr, false);
  }

 private:
  httplib::Client client_;
  std::string cookie_;
};

void ExpectProblem(const httplib::Result& r, int status, const std::string& field) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << r->body;
  json p = json::parse(r->body, nullptr, false);
  ASSERT_TRUE(p.is_object()) << r->body;
  EXPECT_EQ(p["status"], status);
  if (field.empty()) return;
  bool found = false;
  for (const auto& e : p["errors"]) found |= e["field"] == field;
  EXPECT_TRUE(found) << "no error for field " << field << " in " << r->body;
}

class AnalysisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->Database();
    SeedMunicipality(db_);
    WriteText(dir_->File("area2.geojson"), Area2GeoJson());
    auto area =
        RunEst({"--db", db_, "import", "areas", dir_->File("area2.geojson"), "--parent", "0163"});
    ASSERT_EQ(area.exit_code, 0) << area.out << area.err;

    monday_ = MondayWeeksAgo(2);
    period_ = WeekLabel(monday_);
    std::vector<Planted> rows;
    for (int k = 0; k < kClusterReports; ++k) {
      rows.push_back({At(monday_ + k % 7, 8 + k % 12, 30), "", {kClusterE, kClusterN}});
    }
    auto scattered = MapPoints("rR");
    for (size_t i = 0; i < scattered.size(); ++i) {
      rows.push_back({At(monday_ + static_cast<int>(i % 5), 14), "", scattered[i]});
    }
    in_period_ = static_cast<int>(rows.size());
    // The week before: one interval report, Wednesday 21:00–23:00, in area 2.
    interval_day_ = monday_ - 7 + 2;
    rows.push_back({At(interval_day_, 21), At(interval_day_, 23), MapPoints("R")[0]});
    // Four weeks before the period: three reports at the cluster.
    for (int k = 0; k < 3; ++k)
      rows.push_back({At(monday_ - 28 + k, 10), "", {kClusterE, kClusterN}});
    Import(*dir_, db_, rows);
    server_ = new Server(db_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "the scenario could not be set up"; }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  Session Coordinator() {
    Session s(server_->port());
    EXPECT_TRUE(s.Login("samordnare"));
    return s;
  }

  static TempDir* dir_;
  static std::string db_;
  static Server* server_;
  static LocalDay monday_, interval_day_;
  static std::string period_;
  static int in_period_;
};
TempDir* AnalysisTest::dir_ = nullptr;
std::string AnalysisTest::db_;
Server* AnalysisTest::server_ = nullptr;
LocalDay AnalysisTest::monday_ = 0;
LocalDay AnalysisTest::interval_day_ = 0;
std::string AnalysisTest::period_;
int AnalysisTest::in_period_ = 0;

const int kClusterIx = CellIndex(kClusterE), kClusterIy = CellIndex(kClusterN);

TEST_F(AnalysisTest, HotspotsCsvContractFindsThePlantedCluster) {
  ASSERT_EQ(kClusterIx, 2668);
  ASSERT_EQ(kClusterIy, 26365);
  auto r = Est({"hotspots", "--period", period_, "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string prefix = "ix,iy,count,local_sum,n_neigh,gi_star,p,p_fdr,bin";
  ASSERT_EQ(r.out.rfind(prefix, 0), 0u) << r.out.substr(0, 200);
  char next = r.out[prefix.size()];
  EXPECT_TRUE(next == ',' || next == '\n') << r.out.substr(0, 200);

  Csv csv = ParseCsv(r.out);
  const auto* cluster = FindCell(csv, kClusterIx, kClusterIy);
  ASSERT_NE(cluster, nullptr) << r.out;
  EXPECT_EQ(cluster->at("count"), "40");
  EXPECT_EQ(cluster->at("bin"), "3");
  EXPECT_GT(std::stod(cluster->at("gi_star")), 0);
  EXPECT_LT(std::stod(cluster->at("p_fdr")), 0.05);
  // The reports in the period, each counted once.
  double total = 0;
  for (const auto& row : csv.rows) total += std::stod(row.at("count"));
  EXPECT_EQ(total, in_period_);

  // A cell with no report within 1.5 km has nothing in its neighbourhood: listed all the same
  // (every study cell is a row), local_sum 0, not a hot spot. p_normal is the last column.
  EXPECT_NE(r.out.find(",significant_fdr,p_normal\n"), std::string::npos) << r.out.substr(0, 200);
  Point probe = MapPoints("o").at(0);
  const auto* empty = FindCell(csv, CellIndex(probe.e), CellIndex(probe.n));
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->at("local_sum"), "0");
  EXPECT_LE(std::stoi(empty->at("bin")), 0);
  // A scattered single report is not a hotspot.
  Point single = MapPoints("r").at(0);
  const auto* lone = FindCell(csv, CellIndex(single.e), CellIndex(single.n));
  ASSERT_NE(lone, nullptr);
  EXPECT_EQ(lone->at("count"), "1");
  EXPECT_NE(lone->at("bin"), "3");
}

TEST_F(AnalysisTest, HotspotsBandExtentAndGeoJson) {
  auto band = Est({"hotspots", "--period", period_, "--band", "354", "--format", "csv"});
  ASSERT_EQ(band.exit_code, 0) << band.err;
  Csv csv = ParseCsv(band.out);
  ASSERT_FALSE(csv.rows.empty());
  for (const auto& row : csv.rows) EXPECT_LE(std::stoi(row.at("n_neigh")), 9) << row.at("ix");
  EXPECT_EQ(FindCell(csv, kClusterIx, kClusterIy)->at("n_neigh"), "9");
  // A wider band takes in more cells than the 3×3 block.
  auto wide = Est({"hotspots", "--period", period_, "--band", "600", "--format", "csv"});
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_GT(std::stoi(FindCell(ParseCsv(wide.out), kClusterIx, kClusterIy)->at("n_neigh")), 9);

  auto areas = Est({"hotspots", "--period", period_, "--format", "json"});
  auto bbox = Est({"hotspots", "--period", period_, "--extent", "bbox", "--format", "json"});
  ASSERT_EQ(areas.exit_code, 0) << areas.err;
  ASSERT_EQ(bbox.exit_code, 0) << bbox.err;
  json ja = json::parse(areas.out), jb = json::parse(bbox.out);
  EXPECT_GT(ja["study_cells"].get<int64_t>(), 100);
  EXPECT_GE(jb["study_cells"].get<int64_t>(), ja["study_cells"].get<int64_t>());
  EXPECT_EQ(jb["extent"], "bbox");
  // Every study cell is a row, each with the exact p and, added, the normal one.
  ASSERT_EQ(ja["cells"].size(), ja["study_cells"].get<size_t>());
  for (const char* field : {"p", "p_fdr", "p_normal", "gi_star", "bin", "significant_fdr"}) {
    EXPECT_TRUE(ja["cells"][0].contains(field)) << field;
  }

  auto geo = Est({"hotspots", "--period", period_, "--format", "geojson"});
  ASSERT_EQ(geo.exit_code, 0) << geo.err;
  json g = json::parse(geo.out, nullptr, false);
  ASSERT_TRUE(g.is_object()) << geo.out.substr(0, 200);
  EXPECT_EQ(g["type"], "FeatureCollection");
  ASSERT_FALSE(g["features"].empty());
  const json& first = g["features"][0]["geometry"];
  EXPECT_EQ(first["type"], "Polygon");
  double lon = first["coordinates"][0][0][0], lat = first["coordinates"][0][0][1];
  EXPECT_NEAR(lon, 17.9, 0.15);
  EXPECT_NEAR(lat, 59.44, 0.1);
}

TEST_F(AnalysisTest, HotspotsBadCellExitsTwoNamingCell) {
  auto r = Est({"hotspots", "--period", period_, "--cell", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\n  cell: "), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  auto period = Est({"hotspots", "--period", "2026-W99"});
  EXPECT_EQ(period.exit_code, 2);
  EXPECT_NE(period.err.find("period"), std::string::npos) << period.err;
}

TEST_F(AnalysisTest, PriorityRanksTheClusterAreaFirst) {
  auto r = Est({"priority", "--period", period_, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json items = json::parse(r.out)["items"];
  ASSERT_EQ(items.size(), 2u) << r.out;  // the level-1 areas: Tureberg and area 2
  std::vector<int> ranks;
  for (const auto& item : items) {
    ranks.push_back(item["need_rank"].get<int>());
    EXPECT_FALSE(item["reasons"].empty()) << item.dump();
    EXPECT_GE(item["need"].get<double>(), 0);
    EXPECT_LE(item["need"].get<double>(), 1);
  }
  std::sort(ranks.begin(), ranks.end());
  EXPECT_EQ(ranks, (std::vector<int>{1, 2}));
  std::string first;
  for (const auto& item : items) {
    if (item["need_rank"] == 1) first = item["code"];
  }
  EXPECT_EQ(first, "531330") << r.out;

  auto table = Est({"priority", "--period", period_});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("1. Tureberg", 0), 0u) << table.out;
}

// The influence side of the ranking reads the area's concentration (concentration.h: the zeros
// must be included, they are what makes a problem concentrated). Tureberg's 40 reports all lie in
// one of the 250 m cells meeting the area (at least 6: it spans about 460 × 670 m), so at least
// 60 % of its reports are in its busiest 10 % of cells, not the 10 % of an even spread.
TEST_F(AnalysisTest, PriorityConcentrationCountsTheAreasEmptyCells) {
  auto r = Est({"priority", "--period", period_, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  bool tureberg = false;
  for (const auto& item : j["items"]) {
    if (item["code"] != "531330") continue;
    tureberg = true;
    bool found = false;
    for (const auto& why : item["reasons"]) {
      std::string text = why;
      if (text.rfind("Koncentrerat: ", 0) != 0) continue;
      found = true;
      EXPECT_GE(std::stoi(text.substr(14)), 60) << text;
    }
    EXPECT_TRUE(found) << item.dump();
  }
  EXPECT_TRUE(tureberg) << r.out;
}

TEST(AnalysisWdd, WorkedExampleAsJson) {
  // Wheeler & Ratcliffe (2018) / REFERENCE.md 3.7: treated 100 → 80, control 100 → 90, in their
  // plain (unscaled) form.
  auto r = RunEst({"wdd", "--treated", "100", "80", "--control", "100", "90", "--format", "json",
                   "--method", "plain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["method"], "plain");
  EXPECT_EQ(j["ci_low"], j["ci95"][0]) << "one shape: ci95 and ci_low/ci_high agree";
  const double se = std::sqrt(370.0);
  EXPECT_NEAR(j["estimate"].get<double>(), -10, 1e-9);
  EXPECT_NEAR(j["variance"].get<double>(), 370, 1e-9);
  EXPECT_NEAR(j["se"].get<double>(), se, 1e-9);
  // REFERENCE.md 3.7 fixes the interval at WDD ± 1.96·SE.
  ASSERT_EQ(j["ci95"].size(), 2u);
  EXPECT_NEAR(j["ci95"][0].get<double>(), -10 - 1.96 * se, 1e-9);
  EXPECT_NEAR(j["ci95"][1].get<double>(), -10 + 1.96 * se, 1e-9);
  EXPECT_NEAR(j["z"].get<double>(), -10 / se, 1e-9);
  EXPECT_NEAR(j["p"].get<double>(), std::erfc(10 / se / std::sqrt(2.0)), 1e-9);

  // The default scales the comparison to the treated area's before level (here 100/100 = 1):
  // the same estimate, the delta-method variance 80 + 0.81·100 + 90 + 0.81·100 = 332.
  auto scaled =
      RunEst({"wdd", "--treated", "100", "80", "--control", "100", "90", "--format", "json"});
  ASSERT_EQ(scaled.exit_code, 0) << scaled.err;
  json s = json::parse(scaled.out);
  EXPECT_EQ(s["method"], "scaled");
  EXPECT_NEAR(s["estimate"].get<double>(), -10, 1e-9);
  EXPECT_NEAR(s["variance"].get<double>(), 332, 1e-9);
  EXPECT_NEAR(s["expected_treated_after"].get<double>(), 90, 1e-9);
  EXPECT_NEAR(s["ci95"][1].get<double>(), -10 + 1.96 * std::sqrt(332.0), 1e-9);
  // A comparison twice the treated area's size under a common +30 %: plain reads the trend as a
  // reduction, scaled sees none.
  auto trend = RunEst({"wdd", "--treated", "100", "130", "--control", "200", "260", "--format",
                       "json"});
  ASSERT_EQ(trend.exit_code, 0) << trend.err;
  EXPECT_NEAR(json::parse(trend.out)["estimate"].get<double>(), 0, 1e-9);
  auto no_before = RunEst({"wdd", "--treated", "10", "5", "--control", "0", "4"});
  EXPECT_EQ(no_before.exit_code, 2);
  EXPECT_NE(no_before.err.find("control_before"), std::string::npos) << no_before.err;

  auto unpaired =
      RunEst({"wdd", "--treated", "100", "80", "--control", "100", "90", "--buffer", "10", "12"});
  EXPECT_EQ(unpaired.exit_code, 2);
  EXPECT_NE(unpaired.err.find("--buffer-control"), std::string::npos) << unpaired.err;
}

// Emerging hotspots in their own municipality: 8 four-week steps ending last week. Cell A has 5
// reports in every step, cell B 8 reports in the last step only, and one scattered report per
// step elsewhere.
TEST(AnalysisEmerging, PersistentAndNewHotSpotsByTheRuleTable) {
  TempDir dir;
  std::string db = dir.Database();
  SeedMunicipality(db);
  const Point a = {664125, 6595125};       // area 2's centre in the map above
  const Point b = {kClusterE, kClusterN};  // Tureberg
  LocalDay end_monday = MondayWeeksAgo(1);
  std::string end = WeekLabel(end_monday);
  const int steps = 8, bin_days = 28;
  LocalDay first = end_monday + 7 - steps * bin_days;
  auto scattered = MapPoints("r");
  std::vector<Planted> rows;
  for (int t = 0; t < steps; ++t) {
    LocalDay mid = first + t * bin_days + 14;
    for (int k = 0; k < 5; ++k) rows.push_back({At(mid + k, 12), "", a});
    rows.push_back({At(mid, 9), "", scattered.at(static_cast<size_t>(t))});
    if (t == steps - 1) {
      for (int k = 0; k < 8; ++k) rows.push_back({At(mid + k % 3, 20), "", b});
    }
  }
  Import(dir, db, rows);

  auto r = RunEst(
      {"--db", db, "emerging", "--periods", "8", "--bin", "4w", "--format", "csv", "--end", end});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Csv csv = ParseCsv(r.out);
  for (const char* col : {"ix", "iy", "category_label", "mk_z", "mk_p"}) {
    EXPECT_NE(std::find(csv.header.begin(), csv.header.end(), col), csv.header.end()) << col;
  }
  const auto* every = FindCell(csv, CellIndex(a.e), CellIndex(a.n));
  ASSERT_NE(every, nullptr) << r.out;
  EXPECT_EQ(every->at("count"), "40");
  EXPECT_EQ(every->at("hot_steps"), "8");
  // Significant hot in every step (≥ 90 %), so rule 1 makes it intensifying or persistent by its
  // trend. Its z series: step 0 has no previous step in its neighbourhood (9 bins, sum 5), steps
  // 1–7 have 18 bins with sum 10 and are exactly equal and larger. Mann–Kendall by hand: S = 7,
  // one tie group of 7, Var(S) = (8·7·21 − 7·6·19)/18 = 21, Z = (7 − 1)/√21 = 1.3093, p = 0.19:
  // no significant trend → persistent hot spot.
  EXPECT_EQ(every->at("category_label"), "persistent_hot_spot");
  EXPECT_NEAR(std::stod(every->at("mk_z")), 6 / std::sqrt(21.0), 1e-6);
  EXPECT_NEAR(std::stod(every->at("mk_p")), std::erfc(6 / std::sqrt(21.0) / std::sqrt(2.0)), 1e-6);
  // Only the final step significant, never before: a run of one step → new hot spot.
  const auto* fresh = FindCell(csv, CellIndex(b.e), CellIndex(b.n));
  ASSERT_NE(fresh, nullptr) << r.out;
  EXPECT_EQ(fresh->at("count"), "8");
  EXPECT_EQ(fresh->at("hot_steps"), "1");
  EXPECT_EQ(fresh->at("category_label"), "new_hot_spot");
  // A single scattered report is no pattern.
  const auto* lone = FindCell(csv, CellIndex(scattered[0].e), CellIndex(scattered[0].n));
  ASSERT_NE(lone, nullptr);
  EXPECT_EQ(lone->at("category_label"), "no_pattern");

  auto geo =
      RunEst({"--db", db, "emerging", "--periods", "8", "--end", end, "--format", "geojson"});
  ASSERT_EQ(geo.exit_code, 0) << geo.err;
  EXPECT_EQ(json::parse(geo.out)["type"], "FeatureCollection");

  auto bad = RunEst({"--db", db, "emerging", "--periods", "8", "--bin", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("\n  bin: "), std::string::npos) << bad.err;
  auto one = RunEst({"--db", db, "emerging", "--periods", "1"});
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_NE(one.err.find("\n  periods: "), std::string::npos) << one.err;
}

// ---- over HTTP ----

TEST_F(AnalysisTest, HttpHotspotsFindTheCluster) {
  Session s = Coordinator();
  json j = s.GetJson("/api/v1/hotspots?period=" + period_ + "&format=json");
  EXPECT_EQ(j["period"], period_);
  bool found = false;
  for (const auto& c : j["cells"]) {
    if (c["ix"] != kClusterIx || c["iy"] != kClusterIy) continue;
    found = true;
    EXPECT_EQ(c["count"], kClusterReports);
    EXPECT_EQ(c["bin"], 3);
    EXPECT_LT(c["p_fdr"].get<double>(), 0.05);
    EXPECT_TRUE(c["significant_fdr"].get<bool>());
  }
  EXPECT_TRUE(found) << j.dump().substr(0, 300);
  auto geo = s.Get("/api/v1/hotspots?period=" + period_);
  ASSERT_TRUE(geo);
  EXPECT_EQ(geo->get_header_value("Content-Type"), "application/geo+json");
  EXPECT_EQ(json::parse(geo->body)["type"], "FeatureCollection");
}

TEST_F(AnalysisTest, HttpHeatPeaksAtTheCluster) {
  Session s = Coordinator();
  json j = s.GetJson("/api/v1/heat?period=" + period_);
  EXPECT_EQ(j["type"], "FeatureCollection");
  ASSERT_FALSE(j["features"].empty());
  const json* top = nullptr;
  for (const auto& f : j["features"]) {
    if (!top || f["properties"]["density"] > (*top)["properties"]["density"]) top = &f;
  }
  int ix = (*top)["properties"]["ix"], iy = (*top)["properties"]["iy"];
  EXPECT_LE(std::abs(ix - kClusterIx), 1) << top->dump();
  EXPECT_LE(std::abs(iy - kClusterIy), 1) << top->dump();
}

double ProfileSum(const json& j, std::vector<double>* hours = nullptr) {
  double sum = 0;
  for (const auto& day : j["days"]) {
    EXPECT_EQ(day["hours"].size(), 24u);
    for (const auto& h : day["hours"]) {
      sum += h.get<double>();
      if (hours) hours->push_back(h.get<double>());
    }
  }
  return sum;
}

TEST_F(AnalysisTest, HttpProfileWeightsEveryReportOnceAoristically) {
  Session s = Coordinator();
  json week = s.GetJson("/api/v1/profile?period=" + period_);
  ASSERT_EQ(week["days"].size(), 7u);
  EXPECT_NEAR(ProfileSum(week), in_period_, 1e-6);
  // Cluster report k lies at 08:30 + (k mod 12) h on weekday k mod 7 (0 = Monday): Monday
  // 08:00–09:00 holds the k with k mod 84 = 0, i.e. only k = 0.
  std::vector<double> hours;
  ProfileSum(week, &hours);
  ASSERT_EQ(hours.size(), 168u);
  double monday8 = 0;
  for (int k = 0; k < kClusterReports; ++k) monday8 += (k % 7 == 0 && k % 12 == 0) ? 1 : 0;
  EXPECT_NEAR(hours[8], monday8, 1e-9);

  // The week before holds only the interval report: 21:00–23:00 on its Wednesday.
  json before = s.GetJson("/api/v1/profile?period=" + WeekLabel(monday_ - 7));
  hours.clear();
  EXPECT_NEAR(ProfileSum(before, &hours), 1, 1e-6);
  ASSERT_EQ(hours.size(), 168u);
  int wed = (IsoWeekday(interval_day_) - 1) * 24;
  for (int i = 0; i < 168; ++i) {
    double expected = (i == wed + 21 || i == wed + 22) ? 0.5 : 0;
    EXPECT_NEAR(hours[static_cast<size_t>(i)], expected, 1e-9) << "hour index " << i;
  }
}

TEST_F(AnalysisTest, HttpSeriesCountsThePlantedWeeks) {
  Session s = Coordinator();
  json j = s.GetJson("/api/v1/series?period=" + period_ + "&weeks=8");
  ASSERT_EQ(j["points"].size(), 8u) << j.dump();
  std::map<std::string, int64_t> expected = {
      {period_, in_period_}, {WeekLabel(monday_ - 7), 1}, {WeekLabel(monday_ - 28), 3}};
  for (int k = 0; k < 8; ++k) {
    const json& p = j["points"][static_cast<size_t>(k)];
    std::string week = WeekLabel(monday_ - 7 * (7 - k));
    EXPECT_EQ(p["week"], week);
    EXPECT_EQ(p["count"].get<int64_t>(), expected.count(week) ? expected[week] : 0) << week;
    EXPECT_EQ(p["last_year"].get<int64_t>(), 0) << week;
  }
  ASSERT_TRUE(j["baseline"].is_object()) << j.dump();
  for (const char* key : {"weeks", "mean", "lower", "upper", "above", "below"}) {
    EXPECT_TRUE(j["baseline"].contains(key)) << key;
  }
  EXPECT_EQ(j["baseline"]["weeks"], 12);
  // 4 reports in the 12 weeks before: mean 1/3, and 60 is far above the band.
  EXPECT_NEAR(j["baseline"]["mean"].get<double>(), 4.0 / 12, 1e-9);
  EXPECT_TRUE(j["baseline"]["above"].get<bool>());
}

TEST_F(AnalysisTest, HttpConcentrationTopTenPercentHoldsTheCluster) {
  Session s = Coordinator();
  json j = s.GetJson("/api/v1/concentration?period=" + period_);
  EXPECT_EQ(j["total"], in_period_);
  double cluster_share = static_cast<double>(kClusterReports) / in_period_;
  EXPECT_GE(j["top10_share"].get<double>(), cluster_share - 1e-12);
  EXPECT_LE(j["top10_share"].get<double>(), 1 + 1e-12);
  EXPECT_GE(j["top10_share"].get<double>(), j["top5_share"].get<double>());
  EXPECT_GT(j["gini"].get<double>(), 0);
}

TEST_F(AnalysisTest, HttpPriorityMatchesTheCli) {
  Session s = Coordinator();
  json j = s.GetJson("/api/v1/priority?period=" + period_);
  ASSERT_EQ(j["items"].size(), 2u);
  for (const auto& item : j["items"]) {
    if (item["need_rank"] == 1) {
      EXPECT_EQ(item["code"], "531330");
    }
  }
}

TEST_F(AnalysisTest, HttpBadParametersAreProblemJsonNamingTheField) {
  Session s = Coordinator();
  ExpectProblem(s.Get("/api/v1/hotspots?period=2026-W99"), 400, "period");
  ExpectProblem(s.Get("/api/v1/hotspots?period=" + period_ + "&cell=abc"), 400, "cell");
  ExpectProblem(s.Get("/api/v1/hotspots?period=" + period_ + "&cell=0"), 400, "cell");
  ExpectProblem(s.Get("/api/v1/hotspots?period=" + period_ + "&format=pdf"), 400, "format");
  ExpectProblem(s.Get("/api/v1/heat?period=" + period_ + "&cell=abc"), 400, "cell");
  ExpectProblem(s.Get("/api/v1/profile?period=2026-W99"), 400, "period");
  ExpectProblem(s.Get("/api/v1/series?period=" + period_ + "&weeks=0"), 400, "weeks");
  ExpectProblem(s.Get("/api/v1/concentration?period=2026-W99"), 400, "period");
  ExpectProblem(s.Get("/api/v1/emerging?bin=x"), 400, "bin");
  ExpectProblem(s.Get("/api/v1/emerging?format=pdf"), 400, "format");
  ExpectProblem(s.Get("/api/v1/emerging?periods=1"), 400, "periods");
  ExpectProblem(s.Get("/api/v1/hotspots?period=" + period_ + "&extent=world"), 400, "extent");
  ExpectProblem(s.Get("/api/v1/priority?period=" + period_ + "&level=abc"), 400, "level");
}

TEST_F(AnalysisTest, HttpAnalysesRequireLogin) {
  Session anonymous(server_->port());
  for (const char* path :
       {"/api/v1/hotspots", "/api/v1/emerging", "/api/v1/heat", "/api/v1/profile", "/api/v1/series",
        "/api/v1/concentration", "/api/v1/priority"}) {
    SCOPED_TRACE(path);
    ExpectProblem(anonymous.Get(std::string(path) + "?period=" + period_), 401, "");
  }
}

}  // namespace
}  // namespace est::testing
