#include "analysis/change.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace est::analysis {
namespace {

// log P(X = k) for X ~ Binomial(n, p), 0 < p < 1.
struct LogBinomial {
  int64_t n;
  double log_p, log_q, log_n_factorial;

  LogBinomial(int64_t n_in, double p)
      : n(n_in),
        log_p(std::log(p)),
        log_q(std::log1p(-p)),
        log_n_factorial(std::lgamma(static_cast<double>(n_in) + 1.0)) {}

  double operator()(int64_t k) const {
    const double kd = static_cast<double>(k);
    const double rest = static_cast<double>(n - k);
    return log_n_factorial - std::lgamma(kd + 1.0) - std::lgamma(rest + 1.0) + kd * log_p +
           rest * log_q;
  }
};

// Sum of exp(log_pmf(k)) from `from` stepping by `step` (±1) while k stays in [0, n]. The terms
// shrink geometrically away from the mode, so stop once they no longer change the sum.
double TailSum(const LogBinomial& log_pmf, int64_t from, int step) {
  double sum = 0;
  for (int64_t k = from; k >= 0 && k <= log_pmf.n; k += step) {
    const double term = std::exp(log_pmf(k));
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

double WheelerZ(int64_t current, int64_t previous) {
  assert(current >= 0 && previous >= 0);
  return 2.0 * (std::sqrt(static_cast<double>(current)) - std::sqrt(static_cast<double>(previous)));
}

double ExactChangeP(int64_t current, double current_days, int64_t previous, double previous_days) {
  assert(current >= 0 && previous >= 0 && current_days > 0 && previous_days > 0);
  const int64_t n = current + previous;
  if (n == 0) return 1.0;
  const double p0 = current_days / (current_days + previous_days);
  const LogBinomial log_pmf(n, p0);
  // Same relative tolerance as R's binom.test, so that outcomes exactly as likely as the
  // observed one (symmetric cases) are not lost to rounding.
  const double threshold = log_pmf(current) + std::log1p(1e-7);

  // The pmf rises up to the mode and falls after it, so the outcomes no more likely than the
  // observed one are a lower tail [0, a] and an upper tail [b, n].
  const int64_t mode =
      std::min<int64_t>(n, static_cast<int64_t>(std::floor((static_cast<double>(n) + 1) * p0)));
  if (log_pmf(mode) <= threshold) return 1.0;

  // a = largest k < mode with log_pmf(k) <= threshold (−1 if none).
  int64_t lo = -1, hi = mode;  // invariant: lo qualifies (or is −1), hi does not
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (log_pmf(mid) <= threshold ? lo : hi) = mid;
  }
  const int64_t a = lo;
  // b = smallest k > mode with log_pmf(k) <= threshold (n + 1 if none).
  lo = mode;
  hi = n + 1;  // invariant: lo does not qualify, hi qualifies (or is n + 1)
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (log_pmf(mid) <= threshold ? hi : lo) = mid;
  }
  const int64_t b = hi;

  double p = 0;
  if (a >= 0) p += TailSum(log_pmf, a, -1);
  if (b <= n) p += TailSum(log_pmf, b, +1);
  return std::min(1.0, p);
}

ChangeTest TestChange(int64_t current, double current_days, int64_t previous, double previous_days,
                      double alpha) {
  assert(alpha > 0 && alpha < 1);
  ChangeTest t;
  t.current = current;
  t.previous = previous;
  const double current_rate = static_cast<double>(current) / current_days;
  const double previous_rate = static_cast<double>(previous) / previous_days;
  if (previous > 0) {
    t.rate_ratio = current_rate / previous_rate;
  } else {
    t.rate_ratio = current > 0 ? std::numeric_limits<double>::infinity()
                               : std::numeric_limits<double>::quiet_NaN();
  }
  const double expected_previous = static_cast<double>(previous) * current_days / previous_days;
  t.z = 2.0 * (std::sqrt(static_cast<double>(current)) - std::sqrt(expected_previous));
  t.p = ExactChangeP(current, current_days, previous, previous_days);
  if (t.p < alpha && current_rate != previous_rate) {
    t.direction = current_rate > previous_rate ? 1 : -1;
  }
  return t;
}

BaselineBand WeeklyBaseline(const std::vector<int64_t>& last_n_weeks, int64_t current) {
  BaselineBand band;
  if (last_n_weeks.empty()) return band;
  double sum = 0;
  for (int64_t c : last_n_weeks) sum += static_cast<double>(c);
  band.mean = sum / static_cast<double>(last_n_weeks.size());
  const double half_width = 3.0 * std::sqrt(band.mean);
  band.lower = std::max(0.0, band.mean - half_width);
  band.upper = band.mean + half_width;
  const double c = static_cast<double>(current);
  band.above = c > band.upper;
  band.below = c < band.lower;
  return band;
}

Change ComputeChange(int64_t current, double current_days, int64_t base, double base_days) {
  Change c;
  c.diff = current - base;
  if (base > 0) c.percent = 100.0 * static_cast<double>(current - base) / static_cast<double>(base);
  if (!(current_days > 0) || !(base_days > 0)) return c;
  ChangeTest t = TestChange(current, current_days, base, base_days);
  c.z = t.z;
  c.p = t.p;
  if (t.direction > 0) c.signal = "ökning";
  if (t.direction < 0) c.signal = "minskning";
  return c;
}

}  // namespace est::analysis
