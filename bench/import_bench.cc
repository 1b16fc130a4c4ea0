// Bulk CSV import end to end (parse, validate, area assignment, durable SQLite commit) through
// System::ImportReportsCsv, on a file database holding the demo geography, and the store's bulk
// insert alone (the writer's ceiling). Reports rows/s.
//
//   build/bench/import_bench --benchmark_filter=ImportReportsCsv
//   build/bench/import_bench --benchmark_filter=StoreBulkInsert
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "app/demo.h"
#include "app/system.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;

// The demo database, created once per process; each iteration imports into a fresh copy.
const fs::path& DemoTemplate() {
  static const fs::path path = [] {
    setenv("EST_FAST_PASSWORD_HASH", "1", 0);
    fs::path dir = fs::temp_directory_path() / ("est_import_bench_" + std::to_string(getpid()));
    fs::create_directories(dir);
    fs::path db = dir / "template.db";
    {
      auto sys = est::app::System::Open(db.string());
      if (!sys) std::abort();
      est::app::DemoOptions options;
      options.years = 1;
      if (!est::app::CreateDemo(**sys, options)) std::abort();
    }
    return db;
  }();
  return path;
}

// N rows in the format of the reproduction: lon/lat over Sollentuna, five categories and
// organisations of the demo, ISO times with offset.
const std::string& Csv(int64_t rows) {
  static std::map<int64_t, std::string> cache;
  auto it = cache.find(rows);
  if (it != cache.end()) return it->second;
  static const char* kCats[] = {"klotter", "skadegorelse", "nedskrapning", "narkotika",
                                "storande_samling"};
  static const char* kOrgs[] = {"polis-lpo", "sollentunahem", "bun", "sn", "bevakning"};
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int> month(1, 12), day(1, 28), hour(0, 23), pick(0, 4);
  std::uniform_real_distribution<double> unit(0, 1);
  std::string text = "id,occurred_at,lon,lat,category,org,severity,count,description\n";
  text.reserve(static_cast<size_t>(rows) * 100);
  char line[256];
  for (int64_t i = 0; i < rows; ++i) {
    std::snprintf(line, sizeof line,
                  "b%lld,2025-%02d-%02dT%02d:15:00+01:00,%.6f,%.6f,%s,%s,2,1,Klotter på fasad\n",
                  static_cast<long long>(i), month(rng), day(rng), hour(rng),
                  17.88 + unit(rng) * 0.12, 59.40 + unit(rng) * 0.08, kCats[pick(rng)],
                  kOrgs[pick(rng)]);
    text += line;
  }
  return cache.emplace(rows, std::move(text)).first->second;
}

// A fresh copy of the demo database named `name` beside the template (its WAL files removed).
fs::path FreshDemoCopy(const char* name) {
  const fs::path& demo = DemoTemplate();
  const fs::path db = demo.parent_path() / name;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  fs::copy_file(demo, db);
  return db;
}

void BM_ImportReportsCsv(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const std::string& csv = Csv(rows);
  int64_t imported = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path db = FreshDemoCopy("run.db");
    auto sys = est::app::System::Open(db.string());
    if (!sys) {
      state.SkipWithError("cannot open the database");
      return;
    }
    state.ResumeTiming();
    auto r = (*sys)->ImportReportsCsv(csv, {}, est::store::Actor{std::nullopt, "bench"});
    if (!r || r->inserted != rows) {
      state.SkipWithError("import failed");
      return;
    }
    imported += r->inserted;
    state.PauseTiming();
    sys->reset();  // closing checkpoints the WAL: not part of the import
    state.ResumeTiming();
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(imported), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportReportsCsv)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The store's part alone: the same number of ready reports (ids of the demo's organisations,
// categories and areas) through ReportImport::Insert and Commit, with nothing parsed. This is
// the ceiling of the import on this machine, one writer. Second argument 0: into the demo's
// reports, so each row takes its place in the (org, source id) index as it comes; 1: into an
// empty reports table, where SQLite builds that index once at commit.
void BM_StoreBulkInsert(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const bool empty_table = state.range(1) != 0;
  int64_t imported = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path db = FreshDemoCopy("store.db");
    if (empty_table) {
      sqlite3* raw = nullptr;
      if (sqlite3_open(db.string().c_str(), &raw) != SQLITE_OK ||
          sqlite3_exec(raw, "DELETE FROM reports", nullptr, nullptr, nullptr) != SQLITE_OK) {
        state.SkipWithError("cannot empty the reports table");
        sqlite3_close(raw);
        return;
      }
      sqlite3_close(raw);
    }
    auto store = est::store::Store::Open(db.string());
    auto orgs = store ? (*store)->ListOrganisations() : decltype((*store)->ListOrganisations()){};
    auto cats = store ? (*store)->ListCategories() : decltype((*store)->ListCategories()){};
    auto areas = store ? (*store)->ListAreas() : decltype((*store)->ListAreas()){};
    if (!store || !orgs || !cats || !areas || orgs->empty() || cats->empty() || areas->empty()) {
      state.SkipWithError("cannot read the demo database");
      return;
    }
    std::vector<est::Report> reports(static_cast<size_t>(rows));
    std::mt19937_64 rng(1);
    for (int64_t i = 0; i < rows; ++i) {
      est::Report& r = reports[static_cast<size_t>(i)];
      r.org = (*orgs)[rng() % orgs->size()].id;
      r.category = (*cats)[rng() % cats->size()].id;
      r.area = (*areas)[rng() % areas->size()].id;
      r.occurred_from = 1'735'689'600 + static_cast<int64_t>(rng() % 31'536'000);
      r.reported_at = r.occurred_from + 600;
      r.e = 660'000 + static_cast<double>(rng() % 10'000);
      r.n = 6'590'000 + static_cast<double>(rng() % 10'000);
      r.lon = 17.9;
      r.lat = 59.4;
      r.severity = 2;
      r.description = "Klotter på fasad";
      r.source = est::ReportSource::kImport;
      r.source_id = "b" + std::to_string(i);
    }
    state.ResumeTiming();
    auto import = (*store)->BeginReportImport();
    auto n = import ? (*import)->Insert(reports) : decltype((*import)->Insert(reports)){};
    auto done = n ? (*import)->Commit(est::store::Actor{std::nullopt, "bench"})
                  : decltype((*import)->Commit({})){};
    if (!done || done->inserted != rows) {
      state.SkipWithError("insert failed");
      return;
    }
    imported += done->inserted;
    state.PauseTiming();
    import->reset();
    store->reset();
    state.ResumeTiming();
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(imported), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StoreBulkInsert)
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
