// Point-in-polygon area assignment (geo::AreaIndex::LocateBatch) on the `est bench` geography: a
// 50 × 55 km region split into 6 000 Voronoi areas (two levels), 4 M points, half in 200 Gaussian
// clusters (σ 200 m), half uniform, in random order. Reports points/s.
//
//   build/bench/area_index_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <vector>

#include "geo/area_index.h"
#include "geo/partition.h"

namespace {

using est::geo::AreaIndex;
using est::geo::Sweref99Point;

constexpr double kMinE = 640000, kMinN = 6560000, kWidth = 50000, kHeight = 55000;

std::vector<AreaIndex::Entry> Entries() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> ux(kMinE, kMinE + kWidth), uy(kMinN, kMinN + kHeight);
  est::geo::MultiPolygon region;
  region.parts.push_back(est::geo::Polygon{est::geo::Ring{{{kMinE, kMinN},
                                                           {kMinE + kWidth, kMinN},
                                                           {kMinE + kWidth, kMinN + kHeight},
                                                           {kMinE, kMinN + kHeight},
                                                           {kMinE, kMinN}}},
                                           {}});
  std::vector<Sweref99Point> seeds;
  for (int i = 0; i < 6000; ++i) seeds.push_back({ux(rng), uy(rng)});
  auto cells = est::geo::VoronoiPartition(seeds, region);
  if (!cells) std::abort();
  std::vector<AreaIndex::Entry> entries;
  entries.push_back({1, 0, region});
  for (size_t i = 0; i < cells->size(); ++i) {
    entries.push_back({static_cast<int64_t>(i + 2), 1, (*cells)[i]});
  }
  return entries;
}

const AreaIndex& Index() {
  static const AreaIndex index = AreaIndex::Build(Entries());
  return index;
}

const std::vector<Sweref99Point>& Points() {
  static const std::vector<Sweref99Point> pts = [] {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> ux(kMinE, kMinE + kWidth), uy(kMinN, kMinN + kHeight),
        unit(0, 1);
    std::normal_distribution<double> gauss(0, 200);
    std::vector<Sweref99Point> hot;
    for (int i = 0; i < 200; ++i) hot.push_back({ux(rng), uy(rng)});
    std::uniform_int_distribution<int> pick(0, 199);
    std::vector<Sweref99Point> out;
    for (int i = 0; i < 4'000'000; ++i) {
      if (unit(rng) < 0.5) {
        const auto& h = hot[static_cast<size_t>(pick(rng))];
        out.push_back({h.e + gauss(rng), h.n + gauss(rng)});
      } else {
        out.push_back({ux(rng), uy(rng)});
      }
    }
    return out;
  }();
  return pts;
}

void BM_LocateBatch(benchmark::State& state) {
  const AreaIndex& index = Index();
  const auto& pts = Points();
  std::vector<int64_t> out(pts.size());
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    index.LocateBatch(pts.data(), pts.size(), out.data(), threads);
    benchmark::DoNotOptimize(out.data());
  }
  const auto st = index.stats();
  state.counters["points_per_s"] =
      benchmark::Counter(static_cast<double>(pts.size()) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["cell_m"] = st.cell_size;
  state.counters["boundary_share"] =
      static_cast<double>(st.boundary_cells) / (static_cast<double>(st.columns) * st.rows);
}
BENCHMARK(BM_LocateBatch)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

// Building the index (done at start-up and after every area import).
void BM_Build(benchmark::State& state) {
  const std::vector<AreaIndex::Entry> entries = Entries();
  for (auto _ : state) {
    AreaIndex index = AreaIndex::Build(entries);
    benchmark::DoNotOptimize(index.size());
  }
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
