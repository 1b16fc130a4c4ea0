// Benchmark data generator and measurements. The generated region is a 50 × 55 km rectangle in
// SWEREF 99 TM north of Stockholm, split into Voronoi areas; reports are clustered around 200
// hotspot centres (half of them) over a uniform background, over three years.
#include "app/bench.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "app/analyses.h"
#include "store/store.h"
#include "geo/geojson.h"
#include "geo/partition.h"

namespace est::app {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr double kMinE = 640000, kMinN = 6560000, kWidth = 50000, kHeight = 55000;
constexpr int kCategories = 20, kOrgs = 30;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

template <class F>
double MedianMs(int repeats, F&& fn) {
  std::vector<double> t;
  fn();  // warm-up
  for (int i = 0; i < repeats; ++i) {
    auto a = Clock::now();
    fn();
    t.push_back(Ms(a, Clock::now()));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::string Code(const char* prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d", prefix, i);
  return buf;
}

}  // namespace

Status GenerateBenchData(const BenchOptions& opt, const std::string& dir,
                         const ProgressFn& progress) {
  std::mt19937_64 rng(opt.seed);
  std::uniform_real_distribution<double> ux(kMinE, kMinE + kWidth), uy(kMinN, kMinN + kHeight);
  // Areas: a region plus Voronoi cells of random seeds.
  geo::MultiPolygon region;
  region.parts.push_back(geo::Polygon{geo::Ring{{{kMinE, kMinN},
                                                 {kMinE + kWidth, kMinN},
                                                 {kMinE + kWidth, kMinN + kHeight},
                                                 {kMinE, kMinN + kHeight},
                                                 {kMinE, kMinN}}},
                                      {}});
  std::vector<geo::Sweref99Point> seeds;
  for (int i = 0; i < opt.areas; ++i) seeds.push_back({ux(rng), uy(rng)});
  auto cells = geo::VoronoiPartition(seeds, region);
  if (!cells) return tl::unexpected(cells.error());
  {
    std::ofstream out(dir + "/areas.geojson");
    out << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3006"}},"features":[)";
    out << R"({"type":"Feature","properties":{"code":"region","name":"Bench-region"},"geometry":)"
        << geo::ToGeoJsonGeometry(region, false) << "}";
    for (int i = 0; i < opt.areas; ++i) {
      if ((*cells)[static_cast<size_t>(i)].parts.empty()) continue;
      out << R"(,{"type":"Feature","properties":{"code":")" << Code("a", i)
          << R"(","name":"Område )" << i << R"(","parent":"region","population":)"
          << 500 + (i * 7919) % 9000 << R"(},"geometry":)"
          << geo::ToGeoJsonGeometry((*cells)[static_cast<size_t>(i)], false) << "}";
    }
    out << "]}\n";
    if (!out)
      return MakeError(ErrorCode::kUnavailable, "Kan inte skriva " + dir + "/areas.geojson");
  }
  if (progress) progress(0, 0, "områden genererade (" + std::to_string(opt.areas) + ")");
  // Reports.
  std::vector<geo::Sweref99Point> hot;
  for (int i = 0; i < 200; ++i) hot.push_back({ux(rng), uy(rng)});
  std::normal_distribution<double> gauss(0, 200);
  std::uniform_real_distribution<double> unit(0, 1);
  LocalDay today = ToLocalDay(NowUnix());
  LocalDay start = today - 3 * 365;
  std::uniform_int_distribution<int> day(0, 3 * 365 - 1), minute(0, 1439), cat(1, kCategories),
      org(1, kOrgs), hot_pick(0, 199), sev(1, 3);
  std::FILE* f = std::fopen((dir + "/reports.csv").c_str(), "w");
  if (!f) return MakeError(ErrorCode::kUnavailable, "Kan inte skriva " + dir + "/reports.csv");
  std::fputs("id,occurred_at,x,y,category,org,severity,count,description\n", f);
  for (int64_t i = 0; i < opt.scale; ++i) {
    double e, n;
    if (unit(rng) < 0.5) {
      const auto& h = hot[static_cast<size_t>(hot_pick(rng))];
      e = std::clamp(h.e + gauss(rng), kMinE + 1, kMinE + kWidth - 1);
      n = std::clamp(h.n + gauss(rng), kMinN + 1, kMinN + kHeight - 1);
    } else {
      e = ux(rng);
      n = uy(rng);
    }
    LocalDay d = start + day(rng);
    UnixSeconds t = LocalDayStartUtc(d) + 60 * minute(rng);
    std::string when = FormatTimestamp(t);
    std::fprintf(f, "g%lld,%s,%.1f,%.1f,%s,%s,%d,1,Genererad rapport\n", static_cast<long long>(i),
                 when.c_str(), e, n, Code("k", cat(rng)).c_str(), Code("o", org(rng)).c_str(),
                 sev(rng));
    if (progress && (i + 1) % 1000000 == 0) progress(i + 1, opt.scale, "rapporter genererade");
  }
  if (std::fclose(f) != 0)
    return MakeError(ErrorCode::kUnavailable, "Kan inte skriva rapportfilen");
  return {};
}

// Generates (or takes the given) data and imports it into a fresh database at db, recording the
// import figures in out.
Status GenerateAndImport(const BenchOptions& opt, const std::string& dir, const std::string& db,
                         json& out, const ProgressFn& progress) {
  bool generated = opt.reports_file.empty();
  std::string areas_file = generated ? dir + "/areas.geojson" : opt.areas_file;
  std::string reports_file = generated ? dir + "/reports.csv" : opt.reports_file;
  if (generated) {
    if (auto s = GenerateBenchData(opt, dir, progress); !s) return tl::unexpected(s.error());
  }
  if (!store::Store::IsPostgresUrl(db)) std::remove(db.c_str());  // a URL must name an empty one
  store::Actor actor{std::nullopt, "bench"};
  {
    auto sys = System::Open(db);
    if (!sys) return tl::unexpected(sys.error());
    if (generated) {
      for (int k = 1; k <= kCategories; ++k) {
        Category c;
        c.code = Code("k", k);
        c.name_sv = "Kategori " + std::to_string(k);
        c.dimension = k % 3 == 0 ? Dimension::kTrygghet : Dimension::kSakerhet;
        if (auto r = (*sys)->CreateCategory(c, actor); !r) return tl::unexpected(r.error());
      }
      for (int k = 1; k <= kOrgs; ++k) {
        Organisation o;
        o.code = Code("o", k);
        o.name = "Organisation " + std::to_string(k);
        if (auto r = (*sys)->CreateOrganisation(o, actor); !r) return tl::unexpected(r.error());
      }
    }
    std::ifstream af(areas_file);
    std::stringstream as;
    as << af.rdbuf();
    AreaImportOptions ao;
    auto t0 = Clock::now();
    auto areas = (*sys)->ImportAreas(as.str(), ao, actor);
    if (!areas) return tl::unexpected(areas.error());
    out["area_import_ms"] = Ms(t0, Clock::now());
    out["areas"] = areas->areas.size();
    if (progress) progress(0, 0, "områden importerade");
    std::ifstream rf(reports_file);
    std::stringstream rs;
    rs << rf.rdbuf();
    std::string text = rs.str();
    CsvImportOptions io;
    io.csv.crs = generated ? std::optional<int>(3006) : opt.crs;
    io.create_missing = !generated;
    t0 = Clock::now();
    auto imported = (*sys)->ImportReportsCsv(text, io, actor, progress);
    if (!imported) return tl::unexpected(imported.error());
    double import_ms = Ms(t0, Clock::now());
    out["reports"] = imported->inserted;
    out["import_rows_per_s"] = std::round(static_cast<double>(imported->rows) / (import_ms / 1000));
    out["import_ms"] = import_ms;
    const auto& ph = imported->phases;
    out["import_phases_ms"] = {{"work_on_workers", ph.work_ms}, {"insert", ph.insert_ms},
                               {"wait_for_workers", ph.wait_ms}, {"commit", ph.commit_ms},
                               {"engine", ph.engine_ms}};
  }
  return {};
}

Result<json> RunBench(const BenchOptions& opt, const ProgressFn& progress) {
  // --reuse is judged before anything is created.
  if (opt.reuse) {
    if (opt.work_dir.empty()) {
      return InvalidField("--dir", "--reuse mäter databasen i en tidigare körnings --dir");
    }
    const std::string earlier = opt.work_dir + "/bench.db";
    if (opt.database.empty() && ::access(earlier.c_str(), R_OK) != 0) {
      return InvalidField("--reuse", "ingen databas från en tidigare körning i " + earlier);
    }
  }
  std::string dir = opt.work_dir;
  if (dir.empty()) {
    char tmpl[] = "/tmp/est-bench-XXXXXX";
    if (!mkdtemp(tmpl))
      return MakeError(ErrorCode::kUnavailable, "Kan inte skapa en tillfällig mapp");
    dir = tmpl;
  } else {
    std::string mk = "mkdir -p '" + dir + "'";
    if (std::system(mk.c_str()) != 0)
      return MakeError(ErrorCode::kUnavailable, "Kan inte skapa " + dir);
  }
  std::string db = opt.database.empty() ? dir + "/bench.db" : opt.database;
  json out;
  out["backend"] = store::Store::IsPostgresUrl(db) ? "postgresql" : "sqlite";
  if (!opt.reuse) {
    if (auto s = GenerateAndImport(opt, dir, db, out, progress); !s) {
      return tl::unexpected(s.error());
    }
  }

  // Engine load from the store (a fresh process would do the same).
  auto t0 = Clock::now();
  auto sys = System::Open(db);
  if (!sys) return tl::unexpected(sys.error());
  out["engine_load_ms"] = Ms(t0, Clock::now());
  const System& s = **sys;
  out["bytes_per_report"] = std::round(s.engine().bytes_per_report() * 10) / 10;

  // Point-in-polygon over every report position (the engine's points of all time).
  std::vector<geo::Sweref99Point> pts;
  analysis::LagesbildQuery all;
  auto range = s.engine().DayRange();
  if (range) {
    all.period = *MakeCustomPeriod(range->first, range->second);
    all.coverage = false;
    s.engine().ForEachPoint(all, [&](const analysis::EnginePoint& p) {
      pts.push_back({p.e / 10.0, p.n / 10.0});
    });
  }
  std::vector<int64_t> located(pts.size());
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double pip_ms = MedianMs(3, [&] {
    s.catalog()->index().LocateBatch(pts.data(), pts.size(), located.data(), threads);
  });
  out["pip_points_per_s"] = std::round(static_cast<double>(pts.size()) / (pip_ms / 1000));
  out["pip_threads"] = threads;
  const auto st = s.catalog()->index().stats();
  out["pip_index"] = {{"columns", st.columns},  {"rows", st.rows},
                      {"cell_m", st.cell_size}, {"boundary_cells", st.boundary_cells},
                      {"items", st.items},      {"edges", st.edges}};

  // The week: given, or the last complete one.
  std::string week = opt.period;
  if (week.empty()) {
    IsoWeek now = ToIsoWeek(ToLocalDay(NowUnix()));
    week = FormatIsoWeek(ToIsoWeek(IsoWeekStart(now.year, now.week) - 7));
  }
  auto wp = ParsePeriod(week);
  if (!wp) return tl::unexpected(wp.error());
  out["period"] = wp->label();
  analysis::LagesbildQuery q;
  q.period = *wp;
  q.coverage = false;
  int64_t rows = 0;
  out["lagesbild_week_ms"] = MedianMs(
      opt.repeats, [&] { rows = static_cast<int64_t>(s.engine().Compute(q).rows.size()); });
  out["lagesbild_week_rows"] = rows;
  q.coverage = true;
  out["lagesbild_week_with_coverage_ms"] =
      MedianMs(opt.repeats, [&] { (void)s.engine().Compute(q); });
  analysis::LagesbildQuery y;
  y.period = *ParsePeriod(std::to_string(CivilFromDay(wp->first).year));
  y.coverage = false;
  out["lagesbild_year_ms"] = MedianMs(opt.repeats, [&] { (void)s.engine().Compute(y); });

  LagesbildParams lp;
  lp.period = wp->label();
  GridParams gp;
  auto warm = ComputeHotspots(s, lp, gp);  // builds and caches the study grid
  if (!warm) return tl::unexpected(warm.error());
  out["hotspot_study_cells"] = warm->study_cells;
  out["hotspots_week_ms"] = MedianMs(opt.repeats, [&] { (void)ComputeHotspots(s, lp, gp); });
  EmergingParams ep;
  ep.periods = 104;
  ep.bin_weeks = 1;
  ep.end_week = wp->label();
  LagesbildParams none;
  out["emerging_104_weeks_ms"] =
      MedianMs(std::max(1, opt.repeats / 3), [&] { (void)ComputeEmerging(s, none, gp, ep); });
  out["machine"] = {{"cores", std::thread::hardware_concurrency()}};
  if (!opt.keep && opt.work_dir.empty()) {
    std::string rm = "rm -rf '" + dir + "'";
    (void)std::system(rm.c_str());
  } else {
    out["work_dir"] = dir;
  }
  return out;
}

}  // namespace est::app
