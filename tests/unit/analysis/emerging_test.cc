// Emerging hot spots: Mann–Kendall against hand-computed series, the Esri/sfdep rule table on
// constructed z series, and the space-time Gi* of the cube against a brute-force reference.
#include "analysis/emerging.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "analysis/hotspots.h"

namespace est::analysis {
namespace {

// Hand-computed. x = (1, 2, 2, 3, 1), n = 5.
//   k=1 (1): vs 2 +, 2 +, 3 +, 1 0  → +3
//   k=2 (2): vs 2 0, 3 +, 1 −       →  0
//   k=3 (2): vs 3 +, 1 −            →  0
//   k=4 (3): vs 1 −                 → −1        S = 2
// Ties: {1, 1} and {2, 2}, t = 2 each: t(t−1)(2t+5) = 18, Σ = 36.
//   Var(S) = (5·4·15 − 36)/18 = 264/18 = 14.6667;  Z = (2 − 1)/√14.6667 = 0.261116
//   τ-b = 2 / sqrt((10 − 2)·10) = 2/√80 = 0.223607;  p = 2(1 − Φ(0.261116)) = 0.794003
TEST(EmergingMannKendall, HandComputedWithTies) {
  const std::vector<double> x = {1, 2, 2, 3, 1};
  const MannKendall mk = MannKendallTest(x);
  EXPECT_EQ(mk.s, 2);
  EXPECT_NEAR(mk.var, 264.0 / 18.0, 1e-12);
  EXPECT_NEAR(mk.z, 1 / std::sqrt(264.0 / 18.0), 1e-12);
  EXPECT_NEAR(mk.z, 0.26111648393354675, 1e-12);
  EXPECT_NEAR(mk.tau, 2 / std::sqrt(80.0), 1e-12);
  EXPECT_NEAR(mk.p, 0.794002680192762, 1e-9);
}

// Strictly decreasing, no ties: S = −10, Var = 5·4·15/18 = 16.6667, Z = (−10 + 1)/4.08248 =
// −2.204541, τ = −1, p = 0.027486.
TEST(EmergingMannKendall, HandComputedDecreasing) {
  const MannKendall mk = MannKendallTest(std::vector<double>{5, 4, 3, 2, 1});
  EXPECT_EQ(mk.s, -10);
  EXPECT_NEAR(mk.var, 300.0 / 18.0, 1e-12);
  EXPECT_NEAR(mk.z, -2.2045407685048604, 1e-12);
  EXPECT_NEAR(mk.tau, -1, 1e-12);
  EXPECT_NEAR(mk.p, 0.027486336111510353, 1e-9);
}

// The merge-sort count against the definition S = Σ_{k<j} sgn(x_j − x_k) on random series with
// many ties, odd and even lengths.
TEST(EmergingMannKendall, MatchesDefinitionOnRandomSeriesWithTies) {
  std::mt19937 rng(7);
  // Short series take the pairwise form, long ones (over 256) the merge-sort form: both must give
  // the definition's S and the variance with the tie term from the tie groups.
  for (size_t n : {2u, 3u, 7u, 16u, 33u, 104u, 255u, 256u, 257u, 600u}) {
    for (int values : {2, 5, 1000}) {
      std::uniform_int_distribution<int> pick(0, values - 1);
      std::vector<double> x(n);
      for (double& v : x) v = pick(rng) * 0.25 - 1;
      double s = 0;
      for (size_t k = 0; k < n; ++k) {
        for (size_t j = k + 1; j < n; ++j) s += (x[j] > x[k]) - (x[j] < x[k]);
      }
      std::map<double, double> group;
      for (double v : x) ++group[v];
      double tie_term = 0;
      for (const auto& [value, t] : group) tie_term += t * (t - 1) * (2 * t + 5);
      const double nd = static_cast<double>(n);
      const MannKendall mk = MannKendallTest(x);
      EXPECT_EQ(mk.s, s) << "n " << n << " values " << values;
      EXPECT_EQ(mk.var, (nd * (nd - 1) * (2 * nd + 5) - tie_term) / 18)
          << "n " << n << " values " << values;
    }
  }
}

// Each instruction set's kernel of the pairwise form (SSE2 always, AVX2 where the CPU has it)
// gives the definition's S and tie-corrected variance, NaN included.
TEST(EmergingMannKendall, EveryKernelMatchesTheDefinition) {
  std::mt19937 rng(9);
  for (detail::Isa isa : {detail::Isa::kSse2, detail::Isa::kAvx2}) {
    for (size_t n : {2u, 3u, 5u, 8u, 33u, 104u, 256u}) {
      for (int values : {2, 7, 1000}) {
        std::uniform_int_distribution<int> pick(0, values - 1);
        std::vector<double> x(n);
        for (double& v : x) v = pick(rng) * 0.5 - 3;
        if (n > 5) x[n / 3] = std::nan("");
        double s = 0;
        for (size_t k = 0; k < n; ++k) {
          for (size_t j = k + 1; j < n; ++j) s += (x[j] > x[k]) - (x[j] < x[k]);
        }
        const auto mk = detail::MannKendallPairsFor(x, isa);
        if (!mk) {
          ASSERT_EQ(isa, detail::Isa::kAvx2) << "SSE2 is always there";
          continue;  // this CPU has no AVX2
        }
        EXPECT_EQ(mk->s, s) << "n " << n << " values " << values;
        if (n <= 5) {
          std::map<double, double> group;
          for (double v : x) ++group[v];
          double tie_term = 0;
          for (const auto& [value, t] : group) tie_term += t * (t - 1) * (2 * t + 5);
          const double nd = static_cast<double>(n);
          EXPECT_EQ(mk->var, (nd * (nd - 1) * (2 * nd + 5) - tie_term) / 18) << "n " << n;
        }
      }
    }
  }
}

// A short series with a value that has no order (NaN) is compared as doubles: a NaN is neither
// above nor below anything, so S counts only the ordered pairs.
TEST(EmergingMannKendall, NanIsNeitherAboveNorBelow) {
  const double nan = std::nan("");
  const std::vector<double> x = {1, nan, 3, 2, 5, nan, 4, 6, 0.5, 7, 8, 2};
  double s = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    for (size_t j = k + 1; j < x.size(); ++j) s += (x[j] > x[k]) - (x[j] < x[k]);
  }
  EXPECT_EQ(MannKendallTest(x).s, s);
}

TEST(EmergingMannKendall, DegenerateSeries) {
  const MannKendall constant = MannKendallTest(std::vector<double>{3, 3, 3, 3});
  EXPECT_EQ(constant.s, 0);
  EXPECT_EQ(constant.var, 0);  // one tie group of 4: 4·3·13 = 156 = n(n−1)(2n+5)
  EXPECT_EQ(constant.z, 0);
  EXPECT_EQ(constant.p, 1);
  EXPECT_EQ(constant.tau, 0);
  const MannKendall single = MannKendallTest(std::vector<double>{1});
  EXPECT_EQ(single.z, 0);
  EXPECT_EQ(single.p, 1);
}

// A constructed series of 10 steps: 'H' = significant hot (z = +3 + small ramp), 'C' = significant
// cold (z = −3 − ramp), '.' = not significant (z = 0.5). `ramp` makes the z trend up (+1), down
// (−1) or stay flat with alternation (0) so that Mann–Kendall decides the trend.
struct Series {
  std::vector<double> z;
  std::vector<uint8_t> sig;
};

Series Make(const std::string& pattern, int ramp = 0) {
  Series s;
  for (size_t t = 0; t < pattern.size(); ++t) {
    const double step = ramp != 0 ? ramp * 0.5 * static_cast<double>(t) : (t % 2 ? 0.2 : 0.0);
    if (pattern[t] == 'H') {
      s.z.push_back(3 + 5 + step);
      s.sig.push_back(1);
    } else if (pattern[t] == 'C') {
      s.z.push_back(-3 - 5 - step);
      s.sig.push_back(1);
    } else {
      s.z.push_back(0.5 + (t % 2 ? 0.1 : 0.0));
      s.sig.push_back(0);
    }
  }
  return s;
}

struct RuleCase {
  std::string pattern;
  int ramp;
  EmergingCategory category;
  bool hot;
  std::string_view label;
};

TEST(EmergingClassify, RuleTableOnConstructedSeries) {
  using C = EmergingCategory;
  const RuleCase cases[] = {
      // Hot spots.
      {".........H", 0, C::kNew, true, "new_hot_spot"},
      {".......HHH", 0, C::kConsecutive, true, "consecutive_hot_spot"},
      {"........HH", 0, C::kConsecutive, true, "consecutive_hot_spot"},
      {"HHHHHHHHHH", +1, C::kIntensifying, true, "intensifying_hot_spot"},
      {".HHHHHHHHH", +1, C::kIntensifying, true, "intensifying_hot_spot"},  // exactly 90 %
      {"HHHHHHHHHH", 0, C::kPersistent, true, "persistent_hot_spot"},
      {"HHHHHHHHHH", -1, C::kDiminishing, true, "diminishing_hot_spot"},
      {"H.HHHHHHHH", -1, C::kDiminishing, true, "diminishing_hot_spot"},
      {"..H..H...H", 0, C::kSporadic, true, "sporadic_hot_spot"},
      {"H.......HH", 0, C::kSporadic, true, "sporadic_hot_spot"},   // hot before the final run
      {"..HH.HHHHH", +1, C::kSporadic, true, "sporadic_hot_spot"},  // 70 %: not intensifying
      {"...C.....H", 0, C::kOscillating, true, "oscillating_hot_spot"},
      {"C.......HH", 0, C::kOscillating, true, "oscillating_hot_spot"},  // not consecutive
      {"HHHHHHHHH.", 0, C::kHistorical, true, "historical_hot_spot"},
      // Cold spots, mirrored (a cold spot intensifies when z falls: ramp +1 pushes z down).
      {".........C", 0, C::kNew, false, "new_cold_spot"},
      {"......CCCC", 0, C::kConsecutive, false, "consecutive_cold_spot"},
      {"CCCCCCCCCC", +1, C::kIntensifying, false, "intensifying_cold_spot"},
      {"CCCCCCCCCC", 0, C::kPersistent, false, "persistent_cold_spot"},
      {"CCCCCCCCCC", -1, C::kDiminishing, false, "diminishing_cold_spot"},
      {".C...C...C", 0, C::kSporadic, false, "sporadic_cold_spot"},
      {"H........C", 0, C::kOscillating, false, "oscillating_cold_spot"},
      {"CCCCCCCCC.", 0, C::kHistorical, false, "historical_cold_spot"},
      // Neither.
      {"..........", 0, C::kNoPattern, false, "no_pattern"},
      {"..H..H....", 0, C::kNoPattern, false, "no_pattern"},  // sporadic needs the final step
      {"HHHHHHHH..", 0, C::kNoPattern, false, "no_pattern"},  // 80 %: not historical
  };
  for (const RuleCase& c : cases) {
    const Series s = Make(c.pattern, c.ramp);
    const MannKendall trend = MannKendallTest(s.z);
    const EmergingClass got = ClassifyEmerging(s.z, s.sig, trend, 0.05);
    EXPECT_EQ(got.category, c.category) << c.pattern << " ramp " << c.ramp;
    EXPECT_EQ(got.hot, c.hot) << c.pattern << " ramp " << c.ramp;
    EXPECT_EQ(EmergingCategoryLabel(got.category, got.hot), c.label) << c.pattern;
  }
}

TEST(EmergingClassify, TrendSignificanceDecidesBetweenPersistentAndIntensifying) {
  const Series s = Make("HHHHHHHHHH", +1);
  MannKendall trend = MannKendallTest(s.z);
  ASSERT_GT(trend.z, 0);
  ASSERT_LT(trend.p, 0.05);
  EXPECT_EQ(ClassifyEmerging(s.z, s.sig, trend, 0.05).category, EmergingCategory::kIntensifying);
  trend.p = 0.2;  // same direction, not significant
  EXPECT_EQ(ClassifyEmerging(s.z, s.sig, trend, 0.05).category, EmergingCategory::kPersistent);
}

TEST(EmergingLabels, EnglishAndSwedish) {
  EXPECT_EQ(EmergingCategoryLabel(EmergingCategory::kNoPattern, true), "no_pattern");
  EXPECT_EQ(EmergingCategoryLabel(EmergingCategory::kHistorical, false), "historical_cold_spot");
  EXPECT_EQ(EmergingCategoryLabelSv(EmergingCategory::kNew, true), "Ny hotspot");
  EXPECT_EQ(EmergingCategoryLabelSv(EmergingCategory::kPersistent, false), "Ihållande coldspot");
  EXPECT_EQ(EmergingCategoryLabelSv(EmergingCategory::kNoPattern, false), "Inget mönster");
}

// Brute-force space-time Gi*: explicit binary weights between every pair of bins (cell, step):
// neighbours when the centres are within the band and 0 ≤ t − s ≤ lag. X̄, S, n over the cube.
// Also, when sig is given, each bin's significance from the definition: the binomial p of its
// local sum (N = the cube's reports, q = W / bins), Benjamini–Hochberg over every bin at 0.05.
std::vector<std::vector<double>> CubeReference(const StudyGrid& grid,
                                               const std::vector<std::vector<double>>& x,
                                               double band_m, int lag,
                                               std::vector<std::vector<bool>>* sig = nullptr) {
  const size_t steps = x.size(), n = grid.size();
  const double bins = static_cast<double>(steps * n);
  double sum = 0, sum2 = 0;
  for (const auto& step : x) {
    for (double v : step) {
      sum += v;
      sum2 += v * v;
    }
  }
  const double mean = sum / bins;
  const double s = std::sqrt(sum2 / bins - mean * mean);
  std::vector<std::vector<double>> z(n, std::vector<double>(steps));
  std::vector<double> p;
  for (size_t i = 0; i < n; ++i) {
    for (size_t t = 0; t < steps; ++t) {
      double wx = 0, w = 0, w2 = 0;
      for (size_t j = 0; j < n; ++j) {
        const double d =
            std::hypot(grid.centre_e(i) - grid.centre_e(j), grid.centre_n(i) - grid.centre_n(j));
        for (size_t u = 0; u < steps; ++u) {
          const bool in = d <= band_m && u <= t && static_cast<int>(t - u) <= lag;
          const double wij = in ? 1.0 : 0.0;
          wx += wij * x[u][j];
          w += wij;
          w2 += wij * wij;
        }
      }
      z[i][t] = (wx - mean * w) / (s * std::sqrt((bins * w2 - w * w) / (bins - 1)));
      p.push_back(BinomialTwoSidedP(std::llround(wx), std::llround(sum), w / bins));
    }
  }
  if (sig != nullptr) {
    const std::vector<double> adjusted = BenjaminiHochberg(p);
    sig->assign(n, std::vector<bool>(steps));
    for (size_t i = 0; i < n; ++i) {
      for (size_t t = 0; t < steps; ++t) (*sig)[i][t] = adjusted[i * steps + t] <= 0.05;
    }
  }
  return z;
}

TEST(EmergingHotspots, SpaceTimeGiStarMatchesBruteForce) {
  auto grid = StudyGrid::FromCells(
      {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {0, 1}, {1, 1}, {3, 1}, {0, 2}, {1, 2}, {2, 2}, {3, 2}},
      250);
  ASSERT_TRUE(grid);
  const std::vector<std::vector<double>> cube = {
      {0, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0},
      {0, 0, 0, 1, 4, 2, 0, 1, 0, 0, 0}, {0, 0, 2, 0, 5, 2, 0, 0, 0, 0, 1},
      {0, 0, 0, 0, 6, 3, 1, 0, 0, 0, 0}, {2, 0, 0, 0, 7, 3, 0, 0, 0, 0, 0},
  };
  for (int lag : {0, 1, 2}) {
    for (double band : {354.0, 250.0}) {
      for (int threads : {1, 2}) {
        SCOPED_TRACE("threads " + std::to_string(threads));
        auto rows =
            EmergingHotspots(*grid, cube, {.band_m = band, .time_steps = lag, .threads = threads});
        ASSERT_TRUE(rows) << rows.error().detail;
        std::vector<std::vector<bool>> sig;
        const auto ref = CubeReference(*grid, cube, band, lag, &sig);
        ASSERT_EQ(rows->size(), grid->size());
        for (const EmergingCell& row : *rows) {
          const size_t i = static_cast<size_t>(grid->index(row.ix, row.iy));
          EXPECT_NEAR(row.last_z, ref[i].back(), 1e-9) << "lag " << lag << " cell " << i;
          const MannKendall mk = MannKendallTest(ref[i]);
          EXPECT_EQ(row.trend.s, mk.s) << "lag " << lag << " cell " << i;
          EXPECT_NEAR(row.trend.z, mk.z, 1e-12);
          int hot = 0, cold = 0;
          for (size_t t = 0; t < ref[i].size(); ++t) {
            hot += ref[i][t] > 0 && sig[i][t];
            cold += ref[i][t] < 0 && sig[i][t];
          }
          EXPECT_EQ(row.hot_steps, hot) << "lag " << lag << " cell " << i;
          EXPECT_EQ(row.cold_steps, cold) << "lag " << lag << " cell " << i;
        }
      }
    }
  }
}

// Two threads (the z series split by steps, the cells' tests split in halves) give exactly the
// result of one, on a cube large enough for both splits to matter.
TEST(EmergingHotspots, TwoThreadsEqualOne) {
  auto grid = StudyGrid::FromBbox(0, 0, 39 * 250, 29 * 250, 250);
  ASSERT_TRUE(grid);
  std::mt19937 rng(5);
  std::poisson_distribution<int> sparse(0.3);
  std::vector<std::vector<double>> cube(20, std::vector<double>(grid->size()));
  for (size_t t = 0; t < cube.size(); ++t) {
    for (size_t i = 0; i < grid->size(); ++i) {
      cube[t][i] = sparse(rng) + (i % 97 == 0 ? static_cast<double>(t) : 0);
    }
  }
  for (int lag : {0, 1, 3}) {
    auto one = EmergingHotspots(*grid, cube, {.time_steps = lag, .threads = 1});
    auto two = EmergingHotspots(*grid, cube, {.time_steps = lag, .threads = 2});
    ASSERT_TRUE(one && two);
    ASSERT_GT(one->size(), 1000u);
    ASSERT_EQ(one->size(), two->size());
    for (size_t k = 0; k < one->size(); ++k) {
      const EmergingCell &a = (*one)[k], &b = (*two)[k];
      ASSERT_EQ(a.ix, b.ix);
      ASSERT_EQ(a.iy, b.iy);
      EXPECT_EQ(a.category, b.category) << k;
      EXPECT_EQ(a.hot, b.hot) << k;
      EXPECT_EQ(a.count, b.count) << k;
      EXPECT_EQ(a.hot_steps, b.hot_steps) << k;
      EXPECT_EQ(a.cold_steps, b.cold_steps) << k;
      EXPECT_EQ(a.last_z, b.last_z) << k;
      EXPECT_EQ(a.trend.s, b.trend.s) << k;
      EXPECT_EQ(a.trend.z, b.trend.z) << k;
    }
  }
}

// A 9×9 grid over 12 steps. A block of cells that is busy every step (persistent), one that only
// lights up in the last step (new) and one busy in the last three steps only (consecutive); a far
// corner that never sees a report is returned too, with no pattern (too few reports for an empty
// neighbourhood to be significantly cold).
TEST(EmergingHotspots, ScenarioCategories) {
  auto grid = StudyGrid::FromBbox(0, 0, 8 * 250, 8 * 250, 250);
  ASSERT_TRUE(grid);
  const size_t steps = 12;
  std::vector<std::vector<double>> cube(steps, std::vector<double>(grid->size(), 0.0));
  auto at = [&](int ix, int iy) { return static_cast<size_t>(grid->index(ix, iy)); };
  for (size_t t = 0; t < steps; ++t) {
    cube[t][at(1, 1)] = 6;                     // persistent, south-west
    cube[t][at(7, 4)] = (t % 4 == 0) ? 1 : 0;  // background noise, east
  }
  cube[steps - 1][at(6, 7)] = 12;                                    // new, north-east
  for (size_t t = steps - 3; t < steps; ++t) cube[t][at(2, 6)] = 9;  // consecutive, north-west
  auto rows = EmergingHotspots(*grid, cube, {});
  ASSERT_TRUE(rows) << rows.error().detail;
  auto find = [&](int ix, int iy) -> const EmergingCell* {
    for (const EmergingCell& r : *rows) {
      if (r.ix == ix && r.iy == iy) return &r;
    }
    return nullptr;
  };
  const EmergingCell* persistent = find(1, 1);
  ASSERT_NE(persistent, nullptr);
  EXPECT_EQ(persistent->category, EmergingCategory::kPersistent);
  EXPECT_TRUE(persistent->hot);
  EXPECT_EQ(persistent->count, 72);
  EXPECT_GE(10 * persistent->hot_steps, 9 * 12);
  EXPECT_EQ(persistent->cold_steps, 0);
  const EmergingCell* fresh = find(6, 7);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(fresh->category, EmergingCategory::kNew);
  EXPECT_TRUE(fresh->hot);
  EXPECT_EQ(fresh->hot_steps, 1);
  const EmergingCell* run = find(2, 6);
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->category, EmergingCategory::kConsecutive);
  EXPECT_TRUE(run->hot);
  // South-east corner: no report within the band in any step; in the output, no pattern.
  ASSERT_EQ(rows->size(), grid->size());
  for (auto [ix, iy] : {std::pair{8, 0}, std::pair{5, 0}}) {
    const EmergingCell* empty = find(ix, iy);
    ASSERT_NE(empty, nullptr);
    EXPECT_EQ(empty->category, EmergingCategory::kNoPattern);
    EXPECT_EQ(empty->count, 0);
  }
}

// A cell whose neighbourhood is empty in every step of a busy cube is a persistent cold spot
// (REFERENCE.md 3.3: sig cold in ≥ 90 % of the steps, no trend), and is in the output.
TEST(EmergingHotspots, AlwaysEmptyNeighbourhoodIsAPersistentColdSpot) {
  auto grid = StudyGrid::FromBbox(0, 0, 9 * 250, 9 * 250, 250);
  ASSERT_TRUE(grid);
  std::vector<std::vector<double>> cube(12, std::vector<double>(grid->size(), 5.0));
  for (auto& step : cube) {
    for (int ix = 0; ix <= 1; ++ix) {
      for (int iy = 0; iy <= 1; ++iy) step[static_cast<size_t>(grid->index(ix, iy))] = 0;
    }
  }
  auto rows = EmergingHotspots(*grid, cube, {});
  ASSERT_TRUE(rows) << rows.error().detail;
  ASSERT_EQ(rows->size(), grid->size());
  const EmergingCell& corner = (*rows)[static_cast<size_t>(grid->index(0, 0))];
  EXPECT_EQ(corner.count, 0);
  EXPECT_EQ(corner.cold_steps, 12);
  EXPECT_EQ(corner.category, EmergingCategory::kPersistent);
  EXPECT_FALSE(corner.hot);
  EXPECT_EQ(EmergingCategoryLabel(corner.category, corner.hot), "persistent_cold_spot");
}

TEST(EmergingHotspots, RejectsBadInput) {
  auto grid = StudyGrid::FromBbox(0, 0, 500, 500, 250);
  ASSERT_TRUE(grid);
  const std::vector<std::vector<double>> ok(3, std::vector<double>(9, 1.0));
  EXPECT_TRUE(EmergingHotspots(*grid, ok, {}));
  EXPECT_FALSE(EmergingHotspots(*grid, {}, {}));
  EXPECT_FALSE(EmergingHotspots(*grid, {std::vector<double>(8, 1.0)}, {}));
  std::vector<std::vector<double>> negative = ok;
  negative[1][2] = -1;
  EXPECT_FALSE(EmergingHotspots(*grid, negative, {}));
  EXPECT_FALSE(EmergingHotspots(*grid, ok, {.time_steps = -1}));
  EXPECT_FALSE(EmergingHotspots(*grid, ok, {.alpha = 1.5}));
  EXPECT_FALSE(EmergingHotspots(*grid, ok, {.band_m = -5}));
}

}  // namespace
}  // namespace est::analysis
