// Gi*: against the textbook Esri formula evaluated pair by pair with an explicit weight matrix,
// against the PySAL ratio form, on a 3×3 example worked on paper and on an ASCII map; the normal
// p-values against tabulated Φ, Benjamini–Hochberg against a hand-computed table, Esri's bins.
#include "analysis/hotspots.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace est::analysis {
namespace {

using Key = std::pair<int, int>;

// Textbook Gi* (REFERENCE.md 3.2, Esri form), straight from the definition: a dense n×n binary
// weight matrix from centre distances, Σx²/n − X̄² for S and Σ w² spelled out.
struct Reference {
  std::vector<double> z, local;
  std::vector<int> w;
};

Reference TextbookGiStar(const StudyGrid& grid, const std::vector<double>& x, double band_m) {
  const size_t n = grid.size();
  std::vector<std::vector<double>> w(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const double d =
          std::hypot(grid.centre_e(i) - grid.centre_e(j), grid.centre_n(i) - grid.centre_n(j));
      w[i][j] = d <= band_m ? 1.0 : 0.0;
    }
  }
  double sum = 0, sum2 = 0;
  for (double v : x) {
    sum += v;
    sum2 += v * v;
  }
  const double nd = static_cast<double>(n);
  const double mean = sum / nd;
  const double s = std::sqrt(sum2 / nd - mean * mean);
  Reference ref;
  for (size_t i = 0; i < n; ++i) {
    double wx = 0, wsum = 0, w2 = 0;
    for (size_t j = 0; j < n; ++j) {
      wx += w[i][j] * x[j];
      wsum += w[i][j];
      w2 += w[i][j] * w[i][j];
    }
    const double num = wx - mean * wsum;
    const double den = s * std::sqrt((nd * w2 - wsum * wsum) / (nd - 1));
    ref.z.push_back(num / den);
    ref.local.push_back(wx);
    ref.w.push_back(static_cast<int>(wsum));
  }
  return ref;
}

// PySAL esda G_Local (star=True, binary weights): ratio G*, its expectation and variance.
double PysalZ(double local, double w, double total, double mean, double s2, double n) {
  const double g = local / total;
  const double expected = w / n;
  const double var = w * (n - w) / (n - 1) * (1 / (n * n)) * (s2 / (mean * mean));
  return (g - expected) / std::sqrt(var);
}

struct GiCase {
  std::string name;
  std::vector<CellKey> cells;  // empty: the bbox below
  int32_t width = 0, height = 0;
  std::vector<double> counts;
  double band_m = 354;
};

std::vector<GiCase> GiCases() {
  std::vector<GiCase> cases;
  // 5×4 bbox with zeros and a cluster.
  cases.push_back(
      {"bbox5x4", {}, 5, 4, {0, 0, 1, 0, 0, 0, 3, 7, 2, 0, 0, 5, 9, 4, 1, 0, 0, 2, 0, 0}, 354});
  cases.push_back({"bbox5x4_cross", {}, 5, 4, cases[0].counts, 250});
  cases.push_back({"bbox5x4_circle600", {}, 5, 4, cases[0].counts, 600});
  cases.push_back({"bbox5x4_self", {}, 5, 4, cases[0].counts, 100});
  // Weighted (non-integer) values take the per-cell path instead of the (local_sum, W) groups.
  std::vector<double> weighted;
  for (double v : cases[0].counts) weighted.push_back(v > 0 ? v * 0.5 + 0.25 : 0);
  cases.push_back({"bbox5x4_weighted", {}, 5, 4, weighted, 354});
  // 7×3 bbox, mostly zeros, one lone report at the edge.
  std::vector<double> sparse(21, 0.0);
  sparse[0] = 1;
  sparse[10] = 4;
  sparse[11] = 3;
  cases.push_back({"sparse7x3", {}, 7, 3, sparse, 354});
  // A study mask: an L-shaped region with a hole, so that edge cells lose neighbours.
  std::vector<CellKey> mask = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {0, 1}, {2, 1},
                               {3, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {0, 4}};
  cases.push_back({"mask_L", mask, 0, 0, {2, 0, 6, 1, 0, 8, 3, 0, 1, 0, 0, 5}, 354});
  cases.push_back({"mask_L_band500", mask, 0, 0, {2, 0, 6, 1, 0, 8, 3, 0, 1, 0, 0, 5}, 500});
  return cases;
}

StudyGrid MakeGrid(const GiCase& c) {
  if (!c.cells.empty()) return *StudyGrid::FromCells(c.cells, 250);
  return *StudyGrid::FromBbox(660000, 6590000, 660000 + (c.width - 1) * 250.0,
                              6590000 + (c.height - 1) * 250.0, 250);
}

TEST(HotspotGiStar, MatchesTextbookEsriFormOnFixedGrids) {
  for (const GiCase& c : GiCases()) {
    const StudyGrid grid = MakeGrid(c);
    ASSERT_EQ(grid.size(), c.counts.size()) << c.name;
    auto rows = GiStar(grid, c.counts, {.band_m = c.band_m, .alpha = 0.05});
    ASSERT_TRUE(rows) << c.name << ": " << rows.error().detail;
    const Reference ref = TextbookGiStar(grid, c.counts, c.band_m);
    // p: the binomial test of the local sum given the total (whole counts), else the normal p.
    double total = 0;
    bool whole = true;
    for (double v : c.counts) {
      total += v;
      whole &= std::floor(v) == v;
    }
    std::vector<double> ref_p;
    for (size_t i = 0; i < grid.size(); ++i) {
      const double normal = std::erfc(std::fabs(ref.z[i]) / std::sqrt(2.0));
      ref_p.push_back(whole ? BinomialTwoSidedP(std::llround(ref.local[i]), std::llround(total),
                                                ref.w[i] / static_cast<double>(grid.size()))
                            : normal);
    }
    // FDR over every study cell, the empty ones included; every study cell is a row.
    const std::vector<double> ref_fdr = BenjaminiHochberg(ref_p);
    ASSERT_EQ(rows->size(), grid.size()) << c.name;
    for (const GiStarCell& row : *rows) {
      const int64_t i = grid.index(row.ix, row.iy);
      ASSERT_GE(i, 0);
      const size_t k = static_cast<size_t>(i);
      EXPECT_NEAR(row.gi_star, ref.z[k], 1e-9) << c.name << " cell " << k;
      EXPECT_EQ(row.local_sum, ref.local[k]) << c.name;
      EXPECT_EQ(row.n_neigh, ref.w[k]) << c.name;
      EXPECT_EQ(row.count, std::llround(c.counts[k]));
      EXPECT_NEAR(row.p_normal, std::erfc(std::fabs(ref.z[k]) / std::sqrt(2.0)), 1e-12);
      EXPECT_NEAR(row.p, ref_p[k], 1e-12 + 1e-9 * ref_p[k]) << c.name << " cell " << k;
      EXPECT_EQ(row.bin, EsriBin(ref.z[k], row.p));
      EXPECT_NEAR(row.p_fdr, ref_fdr[k], 1e-12) << c.name << " cell " << k;
      EXPECT_EQ(row.significant_fdr, ref_fdr[k] <= 0.05) << c.name << " cell " << k;
    }
  }
}

TEST(HotspotGiStar, EsriFormEqualsPysalRatioFormForBinaryWeights) {
  for (const GiCase& c : GiCases()) {
    const StudyGrid grid = MakeGrid(c);
    const Reference ref = TextbookGiStar(grid, c.counts, c.band_m);
    double total = 0, sum2 = 0;
    for (double v : c.counts) {
      total += v;
      sum2 += v * v;
    }
    const double n = static_cast<double>(grid.size());
    const double mean = total / n;
    const double s2 = sum2 / n - mean * mean;
    for (size_t i = 0; i < grid.size(); ++i) {
      if (ref.w[i] == static_cast<int>(grid.size())) continue;  // undefined in both forms
      EXPECT_NEAR(PysalZ(ref.local[i], ref.w[i], total, mean, s2, n), ref.z[i], 1e-9)
          << c.name << " cell " << i;
    }
  }
}

// Worked on paper. 3×3 grid of 250 m cells, 9 reports in the centre cell, none elsewhere:
//   n = 9, X̄ = 9/9 = 1, Σx² = 81, S = sqrt(81/9 − 1²) = sqrt(8) = 2√2.
// Band 250 m (the cross: the cell and its 4 edge neighbours):
//   centre (1,1): W = 5, Σwx = 9: num = 9 − 1·5 = 4,
//                 den = 2√2 · sqrt((9·5 − 5²)/8) = 2√2 · sqrt(2.5) = 2√5 → z = 2/√5 ≈ 0.894427
//   edge   (1,0): W = 4 (itself, (0,0), (2,0), (1,1)), Σwx = 9: num = 9 − 4 = 5,
//                 den = 2√2 · sqrt((36 − 16)/8) = 2√5 → z = √5/2 ≈ 1.118034
//   corner (0,0): W = 3, Σwx = 0 → z = −3 / (2√2 · sqrt((27 − 9)/8)) = −1/√2.
// Exact p of the edge cell: L ~ Binomial(9, 4/9), L = 9: P(L ≥ 9) = (4/9)^9 = 262144/387420489,
//   doubled: p = 524288/387420489 ≈ 0.0013533 (the normal p of z = √5/2 is 0.2636).
// Band 354 m (3×3 block):
//   corner (0,0): W = 4, num = 9 − 4 = 5, den = 2√2 · sqrt((36 − 16)/8) = 2√5 → z = √5/2
//   edge   (1,0): W = 6, num = 9 − 6 = 3, den = 2√2 · sqrt((54 − 36)/8) = 3√2 → z = 1/√2
//   centre (1,1): W = 9 = n, den = 0: undefined, reported as z = 0, p = 1.
TEST(HotspotGiStar, HandWorkedThreeByThree) {
  auto grid = StudyGrid::FromBbox(0, 0, 500, 500, 250);
  ASSERT_TRUE(grid);
  std::vector<double> counts(9, 0.0);
  counts[4] = 9;

  auto cross = GiStar(*grid, counts, {.band_m = 250});
  ASSERT_TRUE(cross);
  std::map<Key, GiStarCell> by;
  for (const GiStarCell& r : *cross) by[Key(r.ix, r.iy)] = r;
  ASSERT_EQ(by.size(), 9u);  // every cell; the corners see no report
  EXPECT_NEAR(by[Key(0, 0)].gi_star, -1 / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(by[Key(0, 0)].local_sum, 0);
  EXPECT_NEAR(by[Key(1, 1)].gi_star, 2 / std::sqrt(5.0), 1e-12);
  EXPECT_EQ(by[Key(1, 1)].n_neigh, 5);
  EXPECT_EQ(by[Key(1, 1)].count, 9);
  for (auto edge : {std::pair{1, 0}, std::pair{0, 1}, std::pair{2, 1}, std::pair{1, 2}}) {
    EXPECT_NEAR(by[edge].gi_star, std::sqrt(5.0) / 2, 1e-12);
    EXPECT_EQ(by[edge].n_neigh, 4);
    EXPECT_EQ(by[edge].count, 0);
    EXPECT_EQ(by[edge].local_sum, 9);
  }
  EXPECT_NEAR(by[Key(1, 0)].p_normal, 0.26355247728297276, 1e-12);
  EXPECT_NEAR(by[Key(1, 0)].p, 524288.0 / 387420489.0, 1e-15);
  EXPECT_EQ(by[Key(1, 0)].bin, 3);

  auto block = GiStar(*grid, counts, {.band_m = 354});
  ASSERT_TRUE(block);
  ASSERT_EQ(block->size(), 9u);
  for (const GiStarCell& r : *block) {
    const bool corner = r.ix != 1 && r.iy != 1;
    const bool centre = r.ix == 1 && r.iy == 1;
    const double want = centre ? 0 : corner ? std::sqrt(5.0) / 2 : 1 / std::sqrt(2.0);
    EXPECT_NEAR(r.gi_star, want, 1e-12) << r.ix << "," << r.iy;
    EXPECT_EQ(r.n_neigh, centre ? 9 : corner ? 4 : 6);
  }
}

// Each character is 50 m; 5×5 characters make one 250 m cell. Letters are reports (the letter is
// only a label), '.' is empty ground. The map's lower-left corner is E 660000, N 6590000.
constexpr const char* kMap[] = {
    // clang-format off
    "............................................................",
    "............................................................",
    "..........................................c.................",
    "............................................................",
    "............................................................",
    ".........................................................b..",
    "...........abababa..........................................",
    "..........babababab.........................................",
    "...........ababab...........................................",
    "............................................................",
    "............................................................",
    "............................................................",
    "...........................a................................",
    "......................................d.....................",
    "............................................................",
    "............................................................",
    "............................................................",
    "...e........................................................",
    "............................................................",
    "............................................................",
    // clang-format on
};

TEST(HotspotGiStar, AsciiMapClusterIsHotAndEmptyCornerIsNot) {
  constexpr double kE0 = 660000, kN0 = 6590000, kChar = 50, kCell = 250;
  const int rows = static_cast<int>(std::size(kMap));
  const int cols = static_cast<int>(std::string(kMap[0]).size());
  auto grid = StudyGrid::FromBbox(kE0, kN0, kE0 + cols * kChar - 1, kN0 + rows * kChar - 1, kCell);
  ASSERT_TRUE(grid);
  ASSERT_EQ(grid->size(), 12u * 4u);  // 3000 m × 1000 m
  std::vector<double> counts(grid->size(), 0.0);
  int reports = 0;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (kMap[r][c] == '.') continue;
      const double e = kE0 + (c + 0.5) * kChar;
      const double n = kN0 + (rows - 1 - r + 0.5) * kChar;
      const CellKey key = CellOf(e, n, kCell);
      counts[static_cast<size_t>(grid->index(key.ix, key.iy))] += 1;
      ++reports;
    }
  }
  ASSERT_EQ(reports, 27);
  auto result = GiStar(*grid, counts, {});
  ASSERT_TRUE(result);
  std::map<Key, GiStarCell> by;
  for (const GiStarCell& r : *result) by[Key(r.ix - 2640, r.iy - 26360)] = r;

  // The cluster of 22 letters (map rows 6..8 from the top, columns 10..18) falls in the cells
  // (2, 2) and (3, 2) counted from the south-west corner: 13 and 9 reports.
  ASSERT_EQ(by.count(Key(2, 2)), 1u);
  ASSERT_EQ(by.count(Key(3, 2)), 1u);
  EXPECT_EQ(by[Key(2, 2)].count, 13);
  EXPECT_EQ(by[Key(3, 2)].count, 9);
  for (auto hot : {std::pair{2, 2}, std::pair{3, 2}}) {
    EXPECT_EQ(by[hot].bin, 3) << hot.first << "," << hot.second;
    EXPECT_TRUE(by[hot].significant_fdr) << hot.first << "," << hot.second;
  }
  // Their neighbours share the cluster in their 3×3 neighbourhood: above the mean.
  for (int ix = 1; ix <= 4; ++ix) {
    for (int iy = 1; iy <= 3; ++iy) EXPECT_GT(by[Key(ix, iy)].gi_star, 0) << ix << "," << iy;
  }
  // The east (columns 6..11) holds single scattered reports at most: never hot.
  for (const auto& [key, row] : by) {
    if (key.first >= 6) {
      EXPECT_LE(row.bin, 0) << key.first << "," << key.second;
      EXPECT_FALSE(row.significant_fdr && row.gi_star > 0) << key.first << "," << key.second;
    }
  }
  // The empty south-east corner has no report in any neighbourhood: rows, never significant
  // (27 reports over 48 cells are too few for an empty 3×3 block to be unusual).
  ASSERT_EQ(by.size(), grid->size());
  for (int ix = 9; ix <= 11; ++ix) {
    EXPECT_EQ(by[Key(ix, 0)].local_sum, 0) << ix;
    EXPECT_FALSE(by[Key(ix, 0)].significant_fdr) << ix;
  }
}

TEST(HotspotGiStar, AllEqualCountsHaveNoHotSpots) {
  auto grid = StudyGrid::FromBbox(0, 0, 999, 999, 250);
  ASSERT_TRUE(grid);
  auto rows = GiStar(*grid, std::vector<double>(16, 2.0), {});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 16u);
  for (const GiStarCell& r : *rows) {
    EXPECT_EQ(r.gi_star, 0);
    EXPECT_EQ(r.p, 1);
    EXPECT_EQ(r.bin, 0);
  }
  auto none = GiStar(*grid, std::vector<double>(16, 0.0), {});
  ASSERT_TRUE(none);
  ASSERT_EQ(none->size(), 16u);
  for (const GiStarCell& r : *none) {
    EXPECT_EQ(r.p, 1);
    EXPECT_FALSE(r.significant_fdr);
  }
}

TEST(HotspotGiStar, RejectsBadInput) {
  auto grid = StudyGrid::FromBbox(0, 0, 999, 999, 250);
  ASSERT_TRUE(grid);
  const std::vector<double> ok(16, 1.0);
  EXPECT_FALSE(GiStar(*grid, std::vector<double>(15, 1.0), {}));
  std::vector<double> negative = ok;
  negative[3] = -1;
  EXPECT_FALSE(GiStar(*grid, negative, {}));
  std::vector<double> nan = ok;
  nan[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(GiStar(*grid, nan, {}));
  EXPECT_FALSE(GiStar(*grid, ok, {.band_m = -1}));
  EXPECT_FALSE(GiStar(*grid, ok, {.alpha = 0}));
  EXPECT_FALSE(GiStar(*grid, ok, {.alpha = 1}));
  auto one = StudyGrid::FromCells({{0, 0}}, 250);
  ASSERT_TRUE(one);
  auto r = GiStar(*one, {3.0}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

// Binomial tails against the definition summed in long double with exact binomial coefficients.
TEST(HotspotBinomialTails, MatchDefinitionOnSmallTables) {
  for (int64_t trials : {0, 1, 5, 30, 200}) {
    for (double q : {0.0, 0.01, 1.0 / 9, 0.5, 0.93, 1.0}) {
      std::vector<long double> pmf(static_cast<size_t>(trials) + 1);
      for (int64_t k = 0; k <= trials; ++k) {
        long double c = 1;
        for (int64_t j = 1; j <= k; ++j) c = c * (trials - k + j) / j;
        pmf[static_cast<size_t>(k)] =
            c * std::pow(static_cast<long double>(q), k) * std::pow(1.0L - q, trials - k);
      }
      for (int64_t k = 0; k <= trials; ++k) {
        long double up = 0, lo = 0;
        for (int64_t j = k; j <= trials; ++j) up += pmf[static_cast<size_t>(j)];
        for (int64_t j = 0; j <= k; ++j) lo += pmf[static_cast<size_t>(j)];
        const auto [u, l] = BinomialTails(k, trials, q);
        SCOPED_TRACE(::testing::Message() << "N " << trials << " q " << q << " k " << k);
        EXPECT_NEAR(u, static_cast<double>(std::min(1.0L, up)), 1e-13 + 1e-10 * u);
        EXPECT_NEAR(l, static_cast<double>(std::min(1.0L, lo)), 1e-13 + 1e-10 * l);
        EXPECT_NEAR(BinomialTwoSidedP(k, trials, q),
                    std::min(1.0, 2 * std::min(static_cast<double>(std::min(1.0L, up)),
                                               static_cast<double>(std::min(1.0L, lo)))),
                    1e-12);
      }
    }
  }
}

// Sparse counts: one cell with 3 reports among 400 empty ones. z is large and its normal p tiny;
// the exact p is the binomial tail by hand.
TEST(HotspotGiStar, ExactPOfASparseTrioByHand) {
  auto grid = StudyGrid::FromBbox(0, 0, 19 * 250, 19 * 250, 250);
  ASSERT_TRUE(grid);
  std::vector<double> counts(grid->size(), 0.0);
  counts[static_cast<size_t>(grid->index(10, 10))] = 3;
  auto exact = GiStar(*grid, counts, {});
  auto normal = GiStar(*grid, counts, {.inference = GiStarOptions::Inference::kNormal});
  ASSERT_TRUE(exact && normal);
  const size_t i = static_cast<size_t>(grid->index(10, 10));
  EXPECT_GT((*exact)[i].gi_star, 5);
  EXPECT_EQ((*exact)[i].gi_star, (*normal)[i].gi_star);
  EXPECT_LT((*exact)[i].p_normal, 1e-6);
  // L = 3 of N = 3 reports, q = 9/400: P(L ≥ 3) = (9/400)^3, doubled.
  EXPECT_NEAR((*exact)[i].p, 2 * std::pow(9.0 / 400, 3), 1e-15);
  EXPECT_TRUE((*normal)[i].significant_fdr);
  EXPECT_EQ((*normal)[i].p, (*normal)[i].p_normal);
  // Exact: p = 2.3e-5 passes Benjamini–Hochberg over 400 cells only with the 9 cells that share
  // those 3 reports (0.05 · 9 / 400 = 1.1e-3): the planted trio is found, nothing else.
  int significant = 0;
  for (const GiStarCell& r : *exact) significant += r.significant_fdr;
  EXPECT_EQ(significant, 9);
}

// Each character is one 250 m cell; digits are reports in the cell, '.' none. The 3×3 hole in
// the middle of a busy map: its centre cell's neighbourhood is empty, which 4 reports per cell
// elsewhere make a significant cold spot — a row of the output (before 2026-12 it was dropped).
constexpr const char* kBusyMap[] = {
    // clang-format off
    "4444444",
    "4444444",
    "44...44",
    "44...44",
    "44...44",
    "4444444",
    "4444444",
    // clang-format on
};

TEST(HotspotGiStar, EmptyNeighbourhoodIsAListedColdSpot) {
  const int rows_n = static_cast<int>(std::size(kBusyMap));
  auto grid = StudyGrid::FromBbox(0, 0, 6 * 250, 6 * 250, 250);
  ASSERT_TRUE(grid);
  std::vector<double> counts(grid->size(), 0.0);
  for (int r = 0; r < rows_n; ++r) {
    for (int c = 0; c < 7; ++c) {
      const char ch = kBusyMap[r][c];
      if (ch != '.') counts[static_cast<size_t>(grid->index(c, rows_n - 1 - r))] = ch - '0';
    }
  }
  auto result = GiStar(*grid, counts, {});
  ASSERT_TRUE(result);
  ASSERT_EQ(result->size(), 49u);
  const GiStarCell& centre = (*result)[static_cast<size_t>(grid->index(3, 3))];
  EXPECT_EQ(centre.local_sum, 0);
  EXPECT_EQ(centre.n_neigh, 9);
  EXPECT_LT(centre.gi_star, 0);
  // L = 0 of N = 160 with q = 9/49: P(L ≤ 0) = (40/49)^160, doubled.
  EXPECT_NEAR(centre.p, 2 * std::pow(40.0 / 49, 160), 1e-20);
  EXPECT_TRUE(centre.significant_fdr);
  EXPECT_EQ(centre.bin, -3);
}

// 2·(1 − Φ(|z|)) against tabulated values (R: 2 * pnorm(-z)).
TEST(HotspotNormalTwoSidedP, MatchesTabulatedPhi) {
  struct Case {
    double z, p;
  };
  const Case cases[] = {
      {0, 1},
      {1, 0.31731050786291415},
      {-1, 0.31731050786291415},
      {1.6448536269514722, 0.10},
      {1.959963984540054, 0.05},
      {-1.959963984540054, 0.05},
      {2.5758293035489004, 0.01},
      {3, 0.0026997960632601866},
      {8, 1.244192114854357e-15},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(NormalTwoSidedP(c.z), c.p, c.p * 1e-12) << c.z;
  }
}

// Hand-computed. p = (0.01, 0.04, 0.03, 0.005, 0.20), m = 5. Ascending: 0.005, 0.01, 0.03, 0.04,
// 0.20; m·p/k = 0.025, 0.025, 0.05, 0.05, 0.20; running minimum from the top leaves them as they
// are. In input order: 0.025, 0.05, 0.05, 0.025, 0.20. Step-up at α = 0.05: p_(4) = 0.04 ≤ 4·0.01,
// so the first four are significant, i.e. exactly those with p̃ ≤ 0.05.
TEST(HotspotBenjaminiHochberg, HandComputedTable) {
  const std::vector<double> adjusted = BenjaminiHochberg({0.01, 0.04, 0.03, 0.005, 0.20});
  const std::vector<double> want = {0.025, 0.05, 0.05, 0.025, 0.20};
  ASSERT_EQ(adjusted.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(adjusted[i], want[i], 1e-15) << i;
}

// The running minimum matters: p = (0.02, 0.021, 0.9), m = 3: m·p/k = 0.06, 0.0315, 0.9; the
// first is lowered to 0.0315. Capped at 1: p = (0.9, 0.95) → m·p/k = 1.8, 0.95 → both 0.95.
TEST(HotspotBenjaminiHochberg, MonotoneAndCapped) {
  const std::vector<double> a = BenjaminiHochberg({0.02, 0.9, 0.021});
  EXPECT_NEAR(a[0], 0.0315, 1e-15);
  EXPECT_NEAR(a[2], 0.0315, 1e-15);
  EXPECT_NEAR(a[1], 0.9, 1e-15);
  const std::vector<double> b = BenjaminiHochberg({0.9, 0.95});
  EXPECT_NEAR(b[0], 0.95, 1e-15);
  EXPECT_NEAR(b[1], 0.95, 1e-15);
  EXPECT_TRUE(BenjaminiHochberg({}).empty());
}

TEST(HotspotEsriBin, Thresholds) {
  struct Case {
    double z, p;
    int bin;
  };
  const Case cases[] = {
      {3.1, 0.002, 3}, {-3.1, 0.002, -3}, {2.2, 0.03, 2}, {-2.2, 0.03, -2},
      {1.7, 0.09, 1},  {-1.7, 0.09, -1},  {1.0, 0.3, 0},  {2.0, 0.01, 2},
      {1.9, 0.05, 1},  {1.6, 0.10, 0},    {0, 1, 0},
  };
  for (const Case& c : cases) EXPECT_EQ(EsriBin(c.z, c.p), c.bin) << c.z << " " << c.p;
}

}  // namespace
}  // namespace est::analysis
