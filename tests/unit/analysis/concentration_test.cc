// Concentration: hand-computed shares, Lorenz points and Gini coefficients.
#include "analysis/concentration.h"

#include <gtest/gtest.h>

#include <vector>

namespace est::analysis {
namespace {

void ExpectLorenz(const ConcentrationResult& r, const std::vector<LorenzPoint>& expected) {
  ASSERT_EQ(r.lorenz.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(r.lorenz[i].units_share, expected[i].units_share, 1e-12) << "point " << i;
    EXPECT_NEAR(r.lorenz[i].reports_share, expected[i].reports_share, 1e-12) << "point " << i;
  }
}

// All 10 reports in one of 4 units. Ascending 0,0,0,10: Σ i·x = 40, G = 2·40/(4·10) − 5/4 = 0.75
// = (n − 1)/n, the maximum. Top 5 % of 4 units = 0.2 unit → 0.2 of the reports.
TEST(Concentration, AllInOneUnit) {
  const ConcentrationResult r = Concentration({0, 10, 0, 0});
  EXPECT_EQ(r.total, 10);
  EXPECT_EQ(r.units, 4);
  EXPECT_NEAR(r.gini, 0.75, 1e-12);
  EXPECT_NEAR(r.top5_share, 0.2, 1e-12);
  EXPECT_NEAR(r.top10_share, 0.4, 1e-12);
  ExpectLorenz(r, {{0, 0}, {0.25, 1}, {1, 1}});
}

// 20 units: 10, 5 and eighteen 1s (33 reports). Top 5 % = the busiest unit = 10/33, top 10 % =
// two units = 15/33. Ascending ranks: ones at 1..18 (Σ 171), 5 at 19 (95), 10 at 20 (200):
// Σ i·x = 466, G = 932/660 − 21/20 = 239/660.
TEST(Concentration, TwentyUnits) {
  std::vector<int64_t> counts(18, 1);
  counts.push_back(5);
  counts.push_back(10);
  const ConcentrationResult r = Concentration(counts);
  EXPECT_EQ(r.total, 33);
  EXPECT_EQ(r.units, 20);
  EXPECT_NEAR(r.top5_share, 10.0 / 33.0, 1e-12);
  EXPECT_NEAR(r.top10_share, 15.0 / 33.0, 1e-12);
  EXPECT_NEAR(r.gini, 239.0 / 660.0, 1e-12);
  ExpectLorenz(r, {{0, 0}, {0.05, 10.0 / 33.0}, {0.10, 15.0 / 33.0}, {1, 1}});
}

// 1..10 (55 reports): top 5 % = half of the 10 → 5/55; top 10 % = 10/55.
// Σ i² = 385, G = 770/550 − 11/10 = 0.3.
TEST(Concentration, OneToTenInterpolatesWithinAUnit) {
  const ConcentrationResult r = Concentration({3, 1, 4, 10, 5, 9, 2, 6, 8, 7});
  EXPECT_NEAR(r.top5_share, 5.0 / 55.0, 1e-12);
  EXPECT_NEAR(r.top10_share, 10.0 / 55.0, 1e-12);
  EXPECT_NEAR(r.gini, 0.3, 1e-12);
  EXPECT_EQ(r.lorenz.size(), 11u);
  EXPECT_NEAR(r.lorenz[3].units_share, 0.3, 1e-12);
  EXPECT_NEAR(r.lorenz[3].reports_share, 27.0 / 55.0, 1e-12);
}

// 80-20 table in the style of Esri's tool: 50, 30, 10, 10, 0 (100 reports).
//   unit share 0.2 → 0.5, 0.4 → 0.8, 0.8 → 1.0 (the two 10s are one run), 1.0 → 1.0.
// Ascending 0,10,10,30,50: Σ i·x = 420, G = 840/500 − 6/5 = 0.48.
TEST(Concentration, EightyTwentyTable) {
  const ConcentrationResult r = Concentration({10, 50, 0, 30, 10});
  ExpectLorenz(r, {{0, 0}, {0.2, 0.5}, {0.4, 0.8}, {0.8, 1.0}, {1, 1}});
  EXPECT_NEAR(r.gini, 0.48, 1e-12);
  EXPECT_NEAR(r.top10_share, 0.25, 1e-12);  // half of the busiest unit
}

TEST(Concentration, EvenAndEmpty) {
  const ConcentrationResult even = Concentration({3, 3, 3, 3});
  EXPECT_NEAR(even.gini, 0.0, 1e-12);
  EXPECT_NEAR(even.top5_share, 0.05, 1e-12);
  EXPECT_NEAR(even.top10_share, 0.10, 1e-12);
  ExpectLorenz(even, {{0, 0}, {1, 1}});

  const ConcentrationResult none = Concentration({});
  EXPECT_EQ(none.units, 0);
  EXPECT_EQ(none.total, 0);
  ExpectLorenz(none, {{0, 0}});

  const ConcentrationResult zeros = Concentration({0, 0, 0});
  EXPECT_EQ(zeros.units, 3);
  EXPECT_DOUBLE_EQ(zeros.gini, 0.0);
  EXPECT_DOUBLE_EQ(zeros.top10_share, 0.0);
  ExpectLorenz(zeros, {{0, 0}, {1, 1}});
}

}  // namespace
}  // namespace est::analysis
