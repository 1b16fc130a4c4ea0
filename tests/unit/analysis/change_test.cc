// Change statistics: hand-computed binomial tables, Wheeler's examples from REFERENCE.md 3.1, and
// a calibration of the false-alarm rate and power on simulated stationary Poisson data.
#include "analysis/change.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace est::analysis {
namespace {

TEST(ChangeWheeler, HandExamples) {
  EXPECT_DOUBLE_EQ(WheelerZ(9, 4), 2.0);  // REFERENCE.md 3.1: 4 → 9 is "+125 %" but z = 2
  EXPECT_DOUBLE_EQ(WheelerZ(4, 9), -2.0);
  EXPECT_DOUBLE_EQ(WheelerZ(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(WheelerZ(25, 0), 10.0);
  EXPECT_NEAR(WheelerZ(100, 81), 2.0, 1e-12);
}

// 4 → 9 over equal periods: n = 13, C ~ Binomial(13, 1/2). Binomial coefficients C(13, k):
//   k:  0  1  2   3   4    5    6    7    8    9  10  11 12 13
//       1 13 78 286 715 1287 1716 1716 1287 715 286  78 13  1      (sum 8192 = 2^13)
// P(C = 9) = 715/8192. Outcomes no more likely: k = 0..4 and 9..13, each tail 1+13+78+286+715 =
// 1093, so p = 2186/8192 = 0.266845703125 — not significant, in line with z = 2.
TEST(ChangeExact, FourToNineIsNotSignificant) {
  EXPECT_NEAR(ExactChangeP(9, 7, 4, 7), 2186.0 / 8192.0, 1e-12);
  EXPECT_NEAR(ExactChangeP(4, 7, 9, 7), 2186.0 / 8192.0, 1e-12);
  const ChangeTest t = TestChange(9, 7, 4, 7);
  EXPECT_EQ(t.current, 9);
  EXPECT_EQ(t.previous, 4);
  EXPECT_DOUBLE_EQ(t.z, 2.0);
  EXPECT_DOUBLE_EQ(t.rate_ratio, 9.0 / 4.0);
  EXPECT_NEAR(t.p, 0.266845703125, 1e-12);
  EXPECT_EQ(t.direction, 0);
}

// Table-driven hand cases (equal periods unless stated):
//   0 → 5:  n = 5, P(C=0) = 1/32; no more likely: k = 0 and 5 → p = 2/32.
//   3 vs 0 with t_c = 1, t_p = 2: C ~ Bin(3, 1/3): pmf 8/27, 12/27, 6/27, 1/27; observed k = 3 is
//           the only outcome as unlikely → p = 1/27 (2 × min tail would give 2/27).
//   0 vs 3 with t_c = 1, t_p = 2: observed k = 0 (8/27); no more likely: k = 0, 2, 3 → 15/27.
//   1 → 1:  observed at the mode → p = 1.
//   0 → 0:  nothing observed → p = 1.
//   6 → 0:  n = 6, p = 2/64.
//   12 vs 4: n = 16, tail Σ_{k=12..16} C(16,k) = 1820+560+120+16+1 = 2517 → p = 2·2517/65536.
TEST(ChangeExact, HandTable) {
  struct Case {
    int64_t c;
    double tc;
    int64_t p;
    double tp;
    double expected;
  };
  const Case cases[] = {
      {0, 7, 5, 7, 2.0 / 32.0},
      {5, 7, 0, 7, 2.0 / 32.0},
      {3, 1, 0, 2, 1.0 / 27.0},
      {0, 1, 3, 2, 15.0 / 27.0},
      {1, 7, 1, 7, 1.0},
      {0, 7, 0, 7, 1.0},
      {6, 30, 0, 30, 2.0 / 64.0},
      {12, 7, 4, 7, 2.0 * 2517.0 / 65536.0},
      {4, 7, 12, 7, 2.0 * 2517.0 / 65536.0},
  };
  for (const Case& k : cases) {
    EXPECT_NEAR(ExactChangeP(k.c, k.tc, k.p, k.tp), k.expected, 1e-12)
        << k.c << " over " << k.tc << " vs " << k.p << " over " << k.tp;
  }
}

TEST(ChangeExact, UnequalPeriodsUseTheRateNotTheCount) {
  // 31 reports in a 31-day month against 28 in February: same daily rate, no change.
  const ChangeTest same = TestChange(31, 31, 28, 28);
  EXPECT_DOUBLE_EQ(same.rate_ratio, 1.0);
  EXPECT_NEAR(same.z, 0.0, 1e-12);
  EXPECT_GT(same.p, 0.9);
  EXPECT_EQ(same.direction, 0);
  // A half-week so far against a full week: 10 in 3.5 days vs 10 in 7 days is a doubled rate.
  const ChangeTest partial = TestChange(10, 3.5, 10, 7);
  EXPECT_DOUBLE_EQ(partial.rate_ratio, 2.0);
  EXPECT_NEAR(partial.z, 2.0 * (std::sqrt(10.0) - std::sqrt(5.0)), 1e-12);
}

TEST(ChangeExact, RateRatioEdgeCases) {
  EXPECT_TRUE(std::isinf(TestChange(3, 7, 0, 7).rate_ratio));
  EXPECT_TRUE(std::isnan(TestChange(0, 7, 0, 7).rate_ratio));
  EXPECT_DOUBLE_EQ(TestChange(0, 7, 3, 7).rate_ratio, 0.0);
}

TEST(ChangeExact, DirectionOfSignificantChanges) {
  const ChangeTest up = TestChange(60, 28, 30, 28);
  EXPECT_LT(up.p, 0.01);
  EXPECT_EQ(up.direction, 1);
  const ChangeTest down = TestChange(30, 28, 60, 28);
  EXPECT_NEAR(down.p, up.p, 1e-12);
  EXPECT_EQ(down.direction, -1);
  // Significant at 0.05 but not at the default 0.01.
  const double p = ExactChangeP(15, 7, 5, 7);
  ASSERT_GT(p, 0.01);
  ASSERT_LT(p, 0.05);
  EXPECT_EQ(TestChange(15, 7, 5, 7).direction, 0);
  EXPECT_EQ(TestChange(15, 7, 5, 7, 0.05).direction, 1);
}

// n in the millions: the tails are summed from the cut-off outwards only, and the result agrees
// with the normal approximation (continuity-corrected) to its own accuracy.
TEST(ChangeExact, MillionsOfReports) {
  const auto start = std::chrono::steady_clock::now();
  const double p = ExactChangeP(1'001'000, 365, 999'000, 365);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // C ~ Bin(2e6, 1/2): mean 1e6, sd √5e5 = 707.1; |1001000 − 1e6| − 0.5 = 999.5 sd units 1.4135.
  const double z = 999.5 / std::sqrt(500'000.0);
  EXPECT_NEAR(p, std::erfc(z / std::sqrt(2.0)), 2e-4);
  EXPECT_LT(ms, 200.0);
  EXPECT_LT(ExactChangeP(1'200'000, 365, 1'000'000, 365), 1e-300);  // far tail underflows to ~0
  EXPECT_DOUBLE_EQ(ExactChangeP(1'000'000, 365, 1'000'000, 365), 1.0);
}

TEST(BaselineBand, ThreeSigmaAroundTheMean) {
  // Mean 16: band 16 ± 12 = [4, 28].
  const BaselineBand b = WeeklyBaseline({14, 18, 16, 12, 20, 16}, 29);
  EXPECT_DOUBLE_EQ(b.mean, 16.0);
  EXPECT_DOUBLE_EQ(b.lower, 4.0);
  EXPECT_DOUBLE_EQ(b.upper, 28.0);
  EXPECT_TRUE(b.above);
  EXPECT_FALSE(b.below);
  EXPECT_FALSE(WeeklyBaseline({14, 18, 16, 12, 20, 16}, 28).above);  // on the limit: not above
  EXPECT_TRUE(WeeklyBaseline({14, 18, 16, 12, 20, 16}, 3).below);
  EXPECT_FALSE(WeeklyBaseline({14, 18, 16, 12, 20, 16}, 4).below);
}

TEST(BaselineBand, LowerClippedAtZeroAndEmptyHistory) {
  // Mean 4: 4 − 6 < 0 → 0; upper 10.
  const BaselineBand b = WeeklyBaseline({3, 5, 4, 4}, 0);
  EXPECT_DOUBLE_EQ(b.lower, 0.0);
  EXPECT_DOUBLE_EQ(b.upper, 10.0);
  EXPECT_FALSE(b.below);
  const BaselineBand none = WeeklyBaseline({}, 5);
  EXPECT_DOUBLE_EQ(none.mean, 0.0);
  EXPECT_FALSE(none.above);
  EXPECT_FALSE(none.below);
}

// ---- Calibration on simulated data -----------------------------------------------------------

constexpr double kRates[] = {0.5, 1, 2, 3, 5, 8, 12, 20, 30};
constexpr int kPairsPerRate = 20'000;  // 180 000 area-week pairs in all

// Stationary data: both periods drawn at the same daily rate. Half of the pairs have equal
// 7-day periods, half compare a 31-day with a 28-day month (rate scaled per day), so the
// unequal-length null is calibrated as well.
TEST(ChangeCalibration, FalseAlarmRateWithinAlpha) {
  std::mt19937_64 rng(20240611);
  int64_t alarms_total = 0, pairs_total = 0;
  for (double rate : kRates) {
    int64_t alarms = 0;
    for (int i = 0; i < kPairsPerRate; ++i) {
      const bool months = i % 2 == 1;
      const double tc = months ? 31 : 7, tp = months ? 28 : 7;
      // `rate` is the expected count in the previous period.
      std::poisson_distribution<int64_t> current(rate * tc / tp), previous(rate);
      const ChangeTest t = TestChange(current(rng), tc, previous(rng), tp);
      if (t.direction != 0) ++alarms;
    }
    const double fa = static_cast<double>(alarms) / kPairsPerRate;
    std::printf("  TestChange alpha=0.01 rate %5.1f: false alarms %.4f\n", rate, fa);
    EXPECT_LE(fa, kDefaultChangeAlpha + 0.01) << "rate " << rate;
    alarms_total += alarms;
    pairs_total += kPairsPerRate;
  }
  const double fa = static_cast<double>(alarms_total) / static_cast<double>(pairs_total);
  std::printf("  TestChange alpha=0.01 all rates: false alarms %.4f over %lld pairs\n", fa,
              static_cast<long long>(pairs_total));
  EXPECT_LE(fa, kDefaultChangeAlpha + 0.01);
}

// Wheeler's |z| ≥ 3: documented, not asserted against 0.27 %. Both counts are random, so
// 2(√C − √P) has variance ≈ 2, not 1: for large rates |z| ≥ 3 is |N(0,1)| ≥ 2.12, i.e. 3.4 %,
// and small counts are worse. The assertions only guard the figures documented in change.h.
TEST(ChangeCalibration, WheelerRuleFalseAlarmRate) {
  std::mt19937_64 rng(7);
  for (double rate : kRates) {
    std::poisson_distribution<int64_t> draw(rate);
    int alarms = 0;
    for (int i = 0; i < kPairsPerRate; ++i) {
      if (std::abs(WheelerZ(draw(rng), draw(rng))) >= 3.0) ++alarms;
    }
    const double fa = static_cast<double>(alarms) / kPairsPerRate;
    std::printf("  Wheeler |z|>=3 rate %5.1f: false alarms %.4f (nominal 0.0027)\n", rate, fa);
    EXPECT_LE(fa, 0.11) << "rate " << rate;
    if (rate >= 12) {
      EXPECT_NEAR(fa, 0.034, 0.008) << "rate " << rate;
    }
  }
}

double Power(std::mt19937_64& rng, double before, double after, int trials) {
  std::poisson_distribution<int64_t> prev(before), cur(after);
  int hits = 0;
  for (int i = 0; i < trials; ++i) {
    if (TestChange(cur(rng), 7, prev(rng), 7).direction == 1) ++hits;
  }
  return static_cast<double>(hits) / trials;
}

TEST(ChangeCalibration, PowerForAPlantedDoubling) {
  std::mt19937_64 rng(99);
  const double week = Power(rng, 10, 20, 10'000);
  const double busy_week = Power(rng, 30, 60, 10'000);
  const double month = Power(rng, 43, 86, 10'000);     // a month at 10 a week, doubled
  const double tertial = Power(rng, 170, 340, 2'000);  // 17 weeks at 10 a week, doubled
  std::printf(
      "  Power alpha=0.01: week 10->20 %.3f, week 30->60 %.3f, month 43->86 %.3f, "
      "tertial 170->340 %.3f\n",
      week, busy_week, month, tertial);
  // One week at 10 against 20 is hard to tell from noise at alpha = 0.01 (no valid test can do
  // much better: the counts differ by under two standard deviations). A doubling is found in
  // nearly 9 of 10 months at 10 a week and always over a tertial.
  EXPECT_GE(week, 0.12);
  EXPECT_LE(week, 0.30);
  EXPECT_GE(busy_week, 0.60);
  EXPECT_GE(month, 0.80);
  EXPECT_GE(tertial, 0.999);
}

}  // namespace
}  // namespace est::analysis
