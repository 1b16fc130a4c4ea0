// The lägesbild engine's hot paths on a database made by `est bench` (10 M reports, 6 000 areas):
// the week's and the year's lägesbild, Gi* for a week (and its parts: counting reports per cell,
// the statistic itself) and emerging hot spots over 104 weeks. Skipped unless EST_BENCH_DB names
// such a database (its week is EST_BENCH_WEEK, default 2026-W47):
//
//   build/est bench --scale 10000000 --dir /tmp/bench10m
//   EST_BENCH_DB=/tmp/bench10m/bench.db build/bench/analysis_bench
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "analysis/engine.h"
#include "analysis/grid.h"
#include "analysis/hotspots.h"
#include "app/analyses.h"
#include "app/present.h"
#include <nlohmann/json.hpp>
#include "app/system.h"

namespace {

using est::app::System;

const System* Sys() {
  static std::unique_ptr<System> sys = []() -> std::unique_ptr<System> {
    const char* db = std::getenv("EST_BENCH_DB");
    if (!db) return nullptr;
    auto s = System::Open(db);
    if (!s) std::abort();
    return std::move(*s);
  }();
  return sys.get();
}

std::string Week() {
  const char* w = std::getenv("EST_BENCH_WEEK");
  return w ? w : "2026-W47";
}

bool Ready(benchmark::State& state) {
  if (Sys()) return true;
  state.SkipWithError("EST_BENCH_DB is not set");
  return false;
}

void BM_LagesbildWeek(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::LagesbildParams p;
  p.period = Week();
  auto q = Sys()->ResolveQuery(p);
  q->coverage = state.range(0) != 0;
  for (auto _ : state) benchmark::DoNotOptimize(Sys()->engine().Compute(*q).rows.size());
}
BENCHMARK(BM_LagesbildWeek)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// What GET /api/v1/lagesbild costs without HTTP: compute (0), the JSON document (1), its text (2).
void BM_LagesbildWeekReply(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::LagesbildParams p;
  p.period = Week();
  auto lb = Sys()->ComputeLagesbild(p);
  if (!lb) return state.SkipWithError("lagesbild failed");
  auto cat = Sys()->catalog();
  auto doc = est::app::LagesbildJson(*lb, *cat);
  size_t bytes = 0;
  for (auto _ : state) {
    if (state.range(0) == 0) {
      benchmark::DoNotOptimize(Sys()->ComputeLagesbild(p)->rows.size());
    } else if (state.range(0) == 1) {
      benchmark::DoNotOptimize(est::app::LagesbildJson(*lb, *cat).size());
    } else {
      std::string text = doc.dump();
      bytes = text.size();
      benchmark::DoNotOptimize(text.data());
    }
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_LagesbildWeekReply)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_LagesbildYear(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::LagesbildParams p;
  p.period = Week().substr(0, 4);
  auto q = Sys()->ResolveQuery(p);
  q->coverage = false;
  for (auto _ : state) benchmark::DoNotOptimize(Sys()->engine().Compute(*q).rows.size());
}
BENCHMARK(BM_LagesbildYear)->Unit(benchmark::kMillisecond);

void BM_HotspotsWeek(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::LagesbildParams p;
  p.period = Week();
  est::app::GridParams g;
  for (auto _ : state) {
    auto r = est::app::ComputeHotspots(*Sys(), p, g);
    benchmark::DoNotOptimize(r->cells.size());
  }
}
BENCHMARK(BM_HotspotsWeek)->Unit(benchmark::kMillisecond);

void BM_CellCountsWeek(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::LagesbildParams p;
  p.period = Week();
  auto q = Sys()->ResolveQuery(p);
  auto grid = Sys()->StudyGridFor(250, "areas");
  for (auto _ : state) {
    benchmark::DoNotOptimize(Sys()->engine().CountPerCell(*q, **grid).data());
  }
}
BENCHMARK(BM_CellCountsWeek)->Unit(benchmark::kMillisecond);

void BM_GiStarOnly(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::LagesbildParams p;
  p.period = Week();
  auto q = Sys()->ResolveQuery(p);
  auto grid = Sys()->StudyGridFor(250, "areas");
  const std::vector<double> counts = Sys()->engine().CountPerCell(*q, **grid);
  est::analysis::GiStarOptions opt;
  for (auto _ : state) {
    benchmark::DoNotOptimize(est::analysis::GiStar(**grid, counts, opt)->size());
  }
}
BENCHMARK(BM_GiStarOnly)->Unit(benchmark::kMillisecond);

void BM_Emerging104Weeks(benchmark::State& state) {
  if (!Ready(state)) return;
  est::app::GridParams g;
  est::app::EmergingParams e;
  e.periods = 104;
  e.bin_weeks = 1;
  e.end_week = Week();
  for (auto _ : state) {
    auto r = est::app::ComputeEmerging(*Sys(), {}, g, e);
    benchmark::DoNotOptimize(r->cells.size());
  }
}
BENCHMARK(BM_Emerging104Weeks)->Unit(benchmark::kMillisecond);

}  // namespace

// As in the est program (src/cli/main.cc): freed result memory stays in the process.
int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
