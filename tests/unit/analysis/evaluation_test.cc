// Evaluation of interventions: WDD against the published examples (REFERENCE.md 3.7; Wheeler
// 2021 for unequal periods) and WDQ against hand-computed tables.
#include "analysis/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace est::analysis {
namespace {

// REFERENCE.md 3.7: treated 100 → 80, control 100 → 90 ⇒ WDD = −10, SE = √370 ≈ 19.2.
TEST(Wdd, PublishedExample) {
  WddCounts c;
  c.treated_before = 100;
  c.treated_after = 80;
  c.control_before = 100;
  c.control_after = 90;
  const Result<WddResult> r = Wdd(c);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->estimate, -10.0, 1e-9);
  EXPECT_NEAR(r->variance, 370.0, 1e-9);
  EXPECT_NEAR(r->se, std::sqrt(370.0), 1e-9);
  EXPECT_NEAR(r->se, 19.235384061671343, 1e-9);
  EXPECT_NEAR(r->ci_low, -10.0 - 1.96 * 19.235384061671343, 1e-9);
  EXPECT_NEAR(r->ci_high, -10.0 + 1.96 * 19.235384061671343, 1e-9);
  EXPECT_NEAR(r->z, -0.519875244910036, 1e-9);
  // p = 2(1 − Φ(0.519875...)) = 0.6031...
  EXPECT_NEAR(r->p, std::erfc(0.519875244910036 / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(r->p, 0.603, 1e-3);
}

// Wheeler (2021), "The WDD test with different pre/post time periods": treated 80 → 20, control
// 100 → 50 gives −10 with variance 250 (SE ≈ 15.8); with a two-year before and a one-year after
// period the per-year estimate is −20 with variance 20 + 80/4 + 50 + 100/4 = 115 (SE ≈ 10.7).
TEST(Wdd, UnequalPeriodsPublishedExample) {
  WddCounts c;
  c.treated_before = 80;
  c.treated_after = 20;
  c.control_before = 100;
  c.control_after = 50;
  Result<WddResult> r = Wdd(c);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->estimate, -10.0, 1e-9);
  EXPECT_NEAR(r->variance, 250.0, 1e-9);
  c.before_length = 2;
  c.after_length = 1;
  r = Wdd(c);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->estimate, -20.0, 1e-9);
  EXPECT_NEAR(r->variance, 115.0, 1e-9);
  EXPECT_NEAR(r->se, std::sqrt(115.0), 1e-9);
  // Lengths in weeks instead of years give the same numbers.
  c.before_length = 104;
  c.after_length = 52;
  r = Wdd(c);
  EXPECT_NEAR(r->estimate, -20.0, 1e-9);
  EXPECT_NEAR(r->variance, 115.0, 1e-9);
}

// With a buffer: T 100 → 80, CT 100 → 90, D 50 → 60, CD 40 → 40.
// WDD = (−20) − (−10) + (+10) − 0 = 0: the local gain was displaced into the buffer.
// Var = 80 + 100 + 90 + 100 + 60 + 50 + 40 + 40 = 560.
TEST(Wdd, DisplacementAddsBack) {
  WddCounts c;
  c.treated_before = 100;
  c.treated_after = 80;
  c.control_before = 100;
  c.control_after = 90;
  c.displacement_before = 50;
  c.displacement_after = 60;
  c.displacement_control_before = 40;
  c.displacement_control_after = 40;
  const Result<WddResult> r = Wdd(c);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->estimate, 0.0, 1e-9);
  EXPECT_NEAR(r->variance, 560.0, 1e-9);
  EXPECT_NEAR(r->z, 0.0, 1e-12);
  EXPECT_NEAR(r->p, 1.0, 1e-12);
}

TEST(Wdd, ZeroCountsAndInvalidInput) {
  const Result<WddResult> zero = Wdd(WddCounts{});
  ASSERT_TRUE(zero.has_value());
  EXPECT_DOUBLE_EQ(zero->se, 0.0);
  EXPECT_DOUBLE_EQ(zero->z, 0.0);
  EXPECT_DOUBLE_EQ(zero->p, 1.0);

  WddCounts negative;
  negative.control_after = -1;
  const Result<WddResult> bad = Wdd(negative);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "control_after");

  WddCounts no_length;
  no_length.before_length = 0;
  EXPECT_FALSE(Wdd(no_length).has_value());
  no_length.before_length = std::nan("");
  EXPECT_FALSE(Wdd(no_length).has_value());
}

// R 100 → 60, C 200 → 200, D 50 → 60:
//   GE = 40, NE = 0.5 − 0.3 = 0.2, SM = 0.3 − 0.5 = −0.2, BM = 0.30 − 0.25 = 0.05,
//   WDQ = 0.05 / −0.2 = −0.25 (some displacement, net gain), TNE = (100 − 60) + (50 − 60) = 30.
TEST(WddQuotient, DisplacementWithNetGain) {
  const Result<WdqResult> r = Wdq({100, 60, 200, 200, 50, 60});
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->gross_effect, 40.0, 1e-12);
  EXPECT_NEAR(r->net_effect, 0.2, 1e-12);
  EXPECT_NEAR(r->success_measure, -0.2, 1e-12);
  EXPECT_NEAR(r->buffer_measure, 0.05, 1e-12);
  ASSERT_TRUE(r->wdq.has_value());
  EXPECT_NEAR(*r->wdq, -0.25, 1e-12);
  EXPECT_NEAR(r->total_net_effect, 30.0, 1e-12);
  EXPECT_EQ(r->reading, WdqReading::kDisplacementNetGain);
}

// R 80 → 40, C 400 → 500 (control trend 1.25), D 30 → 25:
//   SM = 40/500 − 80/400 = −0.12, BM = 25/500 − 30/400 = −0.025, WDQ = 0.208333...,
//   NE = 0.12, TNE = (80·1.25 − 40) + (30·1.25 − 25) = 60 + 12.5 = 72.5.
TEST(WddQuotient, DiffusionWithAGrowingControl) {
  const Result<WdqResult> r = Wdq({80, 40, 400, 500, 30, 25});
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->success_measure, -0.12, 1e-12);
  EXPECT_NEAR(r->buffer_measure, -0.025, 1e-12);
  EXPECT_NEAR(*r->wdq, 0.025 / 0.12, 1e-12);
  EXPECT_NEAR(r->net_effect, 0.12, 1e-12);
  EXPECT_NEAR(r->total_net_effect, 72.5, 1e-12);
  EXPECT_EQ(r->reading, WdqReading::kSomeDiffusion);
}

TEST(WddQuotient, Readings) {
  struct Case {
    WdqCounts counts;
    double wdq;
    WdqReading reading;
  };
  // R 100 → 50 against a flat control 100 → 100 (SM = −0.5); only the buffer varies.
  const Case cases[] = {
      {{100, 50, 100, 100, 100, 40}, 1.2, WdqReading::kDiffusionExceedsDirect},
      {{100, 50, 100, 100, 100, 100}, 0.0, WdqReading::kNoBufferChange},
      {{100, 50, 100, 100, 100, 150}, -1.0, WdqReading::kDisplacementNetGain},
      {{100, 50, 100, 100, 100, 160}, -1.2, WdqReading::kDisplacementExceeds},
      {{50, 100, 100, 100, 100, 160}, 1.2, WdqReading::kNotApplicable},  // treated got worse
  };
  for (const Case& c : cases) {
    const Result<WdqResult> r = Wdq(c.counts);
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->wdq.has_value());
    EXPECT_NEAR(*r->wdq, c.wdq, 1e-12);
    EXPECT_EQ(r->reading, c.reading) << c.wdq;
  }
  // SM = 0: no quotient.
  const Result<WdqResult> flat = Wdq({100, 100, 100, 100, 10, 20});
  ASSERT_TRUE(flat.has_value());
  EXPECT_FALSE(flat->wdq.has_value());
  EXPECT_EQ(flat->reading, WdqReading::kNotApplicable);
}

TEST(WddQuotient, EmptyControlIsAnError) {
  const Result<WdqResult> r = Wdq({100, 60, 0, 200, 50, 60});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().fields.at(0).field, "control_before");
  EXPECT_FALSE(Wdq({-1, 60, 10, 10, 0, 0}).has_value());
}

}  // namespace
}  // namespace est::analysis
