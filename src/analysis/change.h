// Honest change for Poisson counts (REFERENCE.md 3.1, DESIGN.md §5 "Change"): Wheeler's z, an
// exact conditional test for the current against the previous period, and the c-chart baseline
// band for weekly counts. Raw percent change is never shown without one of these beside it.
//
// Pure functions of their arguments; thread-safe.
#ifndef EST_ANALYSIS_CHANGE_H_
#define EST_ANALYSIS_CHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace est::analysis {

// Default significance level of TestChange. A lägesbild tests many rows at once (areas ×
// categories × periods), so 0.01 rather than 0.05 keeps noise flags to about one in a hundred
// unchanged rows; it is also close in spirit to the |z| ≥ 3 rule of the c-chart.
inline constexpr double kDefaultChangeAlpha = 0.01;

// Wheeler's variance-stabilised z for two Poisson counts over equal periods: 2(√current −
// √previous). Example: 4 → 9 is "+125 %" but z = 2(3 − 2) = 2, within normal variation.
//
// Caution: 2√X has variance ≈ 1 for a Poisson X, so this z is ≈ N(0,1) only when `previous` is
// a known expected count (e.g. a long baseline mean). When both counts are observed, as in
// period-against-period, its variance is ≈ 2 and the rule of thumb |z| ≥ 3 fires far more often
// than the nominal 0.27 %. Calibration (change_test.cc, stationary Poisson, equal periods, 20 000
// pairs per rate), false-alarm rate of |z| ≥ 3: rate 0.5 → 1.7 %, 1 → 6.0 %, 2 → 9.0 %,
// 3 → 7.2 %, 5 → 4.3 %, 8 → 4.1 %, 12–30 → 3.4–3.8 % (theory for large rates: P(|N(0,1)| ≥
// 3/√2) = 3.4 %). Show it as an effect size; decide significance with TestChange.
// REQUIRES: current >= 0, previous >= 0.
double WheelerZ(int64_t current, int64_t previous);

// Two-sided p-value of the exact conditional test for equal Poisson rates. Given
// n = current + previous, under H0 `current` ~ Binomial(n, t_c / (t_c + t_p)) where t_c and t_p
// are the lengths of the periods (any unit, e.g. days). The p-value is the sum of the
// probabilities of every outcome no more likely than the observed one (the "minimum-likelihood"
// rule of R's binom.test, relative tolerance 1e-7); unlike 2 × min tail it is never above 1 and it
// is exact for asymmetric null distributions (unequal periods). Computed in log space with
// lgamma, summing only the tails, so n in the millions costs a few thousand terms.
// Returns 1 when n = 0.
// REQUIRES: current >= 0, previous >= 0, current_days > 0, previous_days > 0.
double ExactChangeP(int64_t current, double current_days, int64_t previous, double previous_days);

// Result of TestChange.
struct ChangeTest {
  int64_t current = 0, previous = 0;
  // (current / t_c) / (previous / t_p). +infinity when previous = 0 < current, NaN when both are
  // 0: check std::isfinite before showing it.
  double rate_ratio = 0;
  // Wheeler's z with the previous count scaled to the current period's length:
  // 2(√C − √(P · t_c / t_p)). Equal to WheelerZ(C, P) for equal periods. An effect size shown
  // beside p (see WheelerZ for why |z| ≥ 3 is not a 0.27 % test); `direction` comes from p.
  double z = 0;
  // Two-sided p-value of the exact conditional test (ExactChangeP).
  double p = 1;
  // +1 significant increase (p < alpha and the current rate is higher), −1 significant decrease,
  // 0 no significant change.
  int direction = 0;
};

// Tests the change from `previous` (counted over `previous_days`) to `current` (over
// `current_days`). Unequal lengths (31-day against 28-day month, a partial current period) are
// handled by the null proportion t_c / (t_c + t_p), not by scaling counts.
//
// Calibration (change_test.cc, stationary Poisson, rates 0.5–30, half with equal 7-day periods,
// half 31 against 28 days, 180 000 pairs): false-alarm rate at alpha = 0.01 is 0.40 % overall and
// at most 0.9 % for any rate (the exact test is conservative for small counts: 0 % at rates ≤ 1).
// Power for a planted doubling at alpha = 0.01: one week at 10 → 20 about 18 %, 30 → 60 about
// 70 %, a month at 10 a week (43 → 86) about 88 %, a tertial (170 → 340) 100 %. Weekly doublings
// of small counts cannot be told from noise by any valid test; compare longer periods.
// REQUIRES: current >= 0, previous >= 0, current_days > 0, previous_days > 0, 0 < alpha < 1.
ChangeTest TestChange(int64_t current, double current_days, int64_t previous, double previous_days,
                      double alpha = kDefaultChangeAlpha);

// The change figures shown beside each count: absolute change, percent (only when the base is at
// least 1), the rate-adjusted Wheeler z, and the exact conditional (binomial) test's p-value with
// its verdict at α = 0.01 (TestChange; Wheeler's |z| ≥ 3 alone gives ~3–9 % false alarms
// when both counts are random, so the verdict comes from the exact test).
struct Change {
  int64_t diff = 0;
  std::optional<double> percent;
  double z = 0;
  double p = 1;
  std::string signal;  // "ökning", "minskning" or "" (within normal variation)
};
// The days are the lengths the counts were gathered over (Lagesbild::days*: a running period and
// its comparisons cut at the same instant). A zero length (a period not begun) gives no test:
// p = 1 and no signal.
Change ComputeChange(int64_t current, double current_days, int64_t base, double base_days);

// c-chart (Shewhart) band for this week's count against the mean of earlier weeks.
struct BaselineBand {
  double mean = 0;
  // mean ± 3√mean; lower clipped at 0 (so for a mean below 9 nothing can be "below").
  double lower = 0, upper = 0;
  bool above = false;  // current > upper
  bool below = false;  // current < lower
};

// Baseline band from `last_n_weeks` (the weeks before the current one, oldest first; the order
// does not matter) and the flag for `current`. An empty history gives mean 0, a zero band and
// neither flag set: there is nothing to compare with.
// REQUIRES: every count >= 0.
BaselineBand WeeklyBaseline(const std::vector<int64_t>& last_n_weeks, int64_t current);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_CHANGE_H_
