// Quartic KDE: the surface integrates to the total weight, is symmetric about a point, is exactly
// the kernel formula inside the bandwidth and zero from it on; Esri's default bandwidth by hand.
#include "analysis/kde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace est::analysis {
namespace {

// Σ density · cell area (km²) over a fine grid around the points.
double Mass(const std::vector<KdeCell>& cells, double cell_m) {
  double mass = 0;
  for (const KdeCell& c : cells) mass += c.density;
  return mass * (cell_m / 1000) * (cell_m / 1000);
}

TEST(KdeQuartic, IntegratesToTheTotalWeight) {
  constexpr double kCell = 10;
  auto grid = StudyGrid::FromBbox(-1000, -1000, 1999, 999, kCell);
  ASSERT_TRUE(grid);
  const std::vector<double> e = {0, 900, 400}, n = {0, 0, -100}, w = {2.5, 1, 0.5};
  auto one = QuarticKde(*grid, e.data(), n.data(), w.data(), 1, 500);
  ASSERT_TRUE(one);
  EXPECT_NEAR(Mass(*one, kCell), 2.5, 2.5 * 1e-3);
  auto three = QuarticKde(*grid, e.data(), n.data(), w.data(), 3, 500);
  ASSERT_TRUE(three);
  EXPECT_NEAR(Mass(*three, kCell), 4.0, 4.0 * 1e-3);
  auto unweighted = QuarticKde(*grid, e.data(), n.data(), nullptr, 3, 300);
  ASSERT_TRUE(unweighted);
  EXPECT_NEAR(Mass(*unweighted, kCell), 3.0, 3.0 * 1e-3);
}

TEST(KdeQuartic, SymmetricExactInsideAndZeroBeyondBandwidth) {
  constexpr double kCell = 50, kH = 400;
  auto grid = StudyGrid::FromBbox(-1000, -1000, 999, 999, kCell);
  ASSERT_TRUE(grid);
  const double e = 0, n = 0;
  auto cells = QuarticKde(*grid, &e, &n, nullptr, 1, kH);
  ASSERT_TRUE(cells);
  ASSERT_EQ(cells->size(), grid->size());
  auto density = [&](int32_t ix, int32_t iy) {
    return (*cells)[static_cast<size_t>(grid->index(ix, iy))].density;
  };
  int inside = 0;
  for (size_t i = 0; i < grid->size(); ++i) {
    const CellKey k = grid->cell(i);
    EXPECT_EQ((*cells)[i].ix, k.ix);
    EXPECT_EQ((*cells)[i].iy, k.iy);
    // Cell centres at (ix + ½)·50: the mirror of ix is −ix − 1.
    EXPECT_NEAR(density(k.ix, k.iy), density(-k.ix - 1, k.iy), 1e-9);
    EXPECT_NEAR(density(k.ix, k.iy), density(k.ix, -k.iy - 1), 1e-9);
    EXPECT_NEAR(density(k.ix, k.iy), density(k.iy, k.ix), 1e-9);
    const double d = std::hypot(grid->centre_e(i), grid->centre_n(i));
    if (d >= kH) {
      EXPECT_EQ((*cells)[i].density, 0) << d;
    } else {
      const double u = 1 - d * d / (kH * kH);
      EXPECT_NEAR((*cells)[i].density, 3 / (std::numbers::pi * kH * kH) * u * u * 1e6, 1e-9);
      EXPECT_GT((*cells)[i].density, 0);
      ++inside;
    }
  }
  EXPECT_GT(inside, 100);
}

TEST(KdeQuartic, PointsOutsideTheStudyStillCount) {
  auto grid = StudyGrid::FromCells({{0, 0}}, 250);
  ASSERT_TRUE(grid);
  const double e = -100, n = 125;  // 225 m west of the centre (125, 125)
  auto cells = QuarticKde(*grid, &e, &n, nullptr, 1, 300);
  ASSERT_TRUE(cells);
  const double u = 1 - 225.0 * 225.0 / (300.0 * 300.0);
  EXPECT_NEAR((*cells)[0].density, 3 / (std::numbers::pi * 300 * 300) * u * u * 1e6, 1e-9);
  const double far_e = -1e12;
  auto far = QuarticKde(*grid, &far_e, &n, nullptr, 1, 300);
  ASSERT_TRUE(far);
  EXPECT_EQ((*far)[0].density, 0);
}

TEST(KdeQuartic, RejectsBadInput) {
  auto grid = StudyGrid::FromBbox(0, 0, 999, 999, 250);
  ASSERT_TRUE(grid);
  const double e = 10, n = 10, nan = std::numeric_limits<double>::quiet_NaN(), neg = -1;
  EXPECT_FALSE(QuarticKde(*grid, &e, &n, nullptr, 1, 0));
  EXPECT_FALSE(QuarticKde(*grid, &e, &n, nullptr, 1, nan));
  EXPECT_FALSE(QuarticKde(*grid, &nan, &n, nullptr, 1, 500));
  EXPECT_FALSE(QuarticKde(*grid, &e, &n, &neg, 1, 500));
  auto empty = QuarticKde(*grid, nullptr, nullptr, nullptr, 0, 500);
  ASSERT_TRUE(empty);
  for (const KdeCell& c : *empty) EXPECT_EQ(c.density, 0);
}

// Four points at (±100, 0), (0, ±100): mean centre (0, 0); SD = sqrt(4·100²/4) = 100; D_m = 100,
// sqrt(1/ln 2)·100 = 120.11; min = 100; h = 0.9 · 100 · 4^(−0.2) = 68.2072.
TEST(KdeDefaultBandwidth, EsriRuleByHand) {
  const std::vector<double> e = {100, -100, 0, 0}, n = {0, 0, 100, -100};
  EXPECT_NEAR(DefaultBandwidth(e.data(), n.data(), nullptr, 4), 68.20724549296791, 1e-9);
  // Weights 2 on each: N = 8, same centre, SD and D_m: h = 0.9 · 100 · 8^(−0.2).
  const std::vector<double> w = {2, 2, 2, 2};
  EXPECT_NEAR(DefaultBandwidth(e.data(), n.data(), w.data(), 4), 90 * std::pow(8.0, -0.2), 1e-9);
}

// Five points: four at the origin, one 1000 m east. Mean centre (200, 0); distances 200 (×4) and
// 800; SD = sqrt((4·200² + 800²)/5) = 400; D_m = 200, sqrt(1/ln 2)·200 = 240.22 < SD;
// h = 0.9 · 240.2245 · 5^(−0.2) = 156.66.
TEST(KdeDefaultBandwidth, MedianDistanceWinsWithAnOutlier) {
  const std::vector<double> e = {0, 0, 0, 0, 1000}, n = {0, 0, 0, 0, 0};
  const double want = 0.9 * std::sqrt(1 / std::log(2.0)) * 200 * std::pow(5.0, -0.2);
  EXPECT_NEAR(DefaultBandwidth(e.data(), n.data(), nullptr, 5), want, 1e-9);
}

TEST(KdeDefaultBandwidth, FallsBackWhenDegenerate) {
  const std::vector<double> e = {5, 5, 5}, n = {7, 7, 7};
  EXPECT_EQ(DefaultBandwidth(e.data(), n.data(), nullptr, 3), kFallbackBandwidthM);
  EXPECT_EQ(DefaultBandwidth(e.data(), n.data(), nullptr, 1), kFallbackBandwidthM);
  EXPECT_EQ(DefaultBandwidth(nullptr, nullptr, nullptr, 0), kFallbackBandwidthM);
}

}  // namespace
}  // namespace est::analysis
