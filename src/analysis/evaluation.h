// Utvärdering av åtgärder: before/after statistics for an action's area against comparison areas
// (REFERENCE.md 3.7, DESIGN.md §5 "Evaluation of an action"). The plain-language verdict and its
// caveats (small counts, regression to the mean, contaminated controls, seasonality) are built
// on top of these numbers elsewhere.
//
// Pure functions of their arguments; thread-safe.
#ifndef EST_ANALYSIS_EVALUATION_H_
#define EST_ANALYSIS_EVALUATION_H_

#include <cstdint>
#include <optional>

#include "core/error.h"

namespace est::analysis {

// Counts for the Weighted Displacement Difference. T = treated area, CT = its control, D = the
// displacement (buffer) area around T, CD = the control for D. Leave the four displacement
// counts at 0 to ignore displacement.
struct WddCounts {
  int64_t treated_before = 0, treated_after = 0;
  int64_t control_before = 0, control_after = 0;
  int64_t displacement_before = 0, displacement_after = 0;
  int64_t displacement_control_before = 0, displacement_control_after = 0;
  // Lengths of the two periods in any one unit (days, weeks). With unequal lengths every "before"
  // count is scaled to the after period, x_b · (after/before), and its variance by the square of
  // that factor (Wheeler 2021, "The WDD test with different pre/post time periods"), so the
  // estimate is in crimes per after period. Equal lengths (the default) give the plain test.
  double before_length = 1, after_length = 1;
};

// WDD with its Poisson normal-approximation inference. All in crimes; negative = reduction.
struct WddResult {
  double estimate = 0;             // ΔT − ΔCT + ΔD − ΔCD
  double variance = 0;             // sum of the (scaled) counts
  double se = 0;                   // √variance
  double ci_low = 0, ci_high = 0;  // estimate ∓ 1.96 · se (as in REFERENCE.md 3.7)
  double z = 0;                    // estimate / se; 0 when se = 0
  double p = 1;                    // two-sided, 2(1 − Φ(|z|)); 1 when se = 0
};

// Weighted Displacement Difference (Wheeler & Ratcliffe 2018, Crime Science 7:11):
//   WDD = (T_a − T_b) − (CT_a − CT_b) + (D_a − D_b) − (CD_a − CD_b)
//   Var = T_a + T_b + CT_a + CT_b + D_a + D_b + CD_a + CD_b
// Example: treated 100 → 80, control 100 → 90 gives WDD −10, SE √370 ≈ 19.2.
// The normal approximation is poor for very small counts; the caller shows that caveat.
// Errors: kInvalidArgument when a count is negative or a period length is not positive.
Result<WddResult> Wdd(const WddCounts& counts);

// Counts for the Weighted Displacement Quotient. R = response (treated) area, C = control,
// D = buffer around R; equal-length before and after periods.
struct WdqCounts {
  int64_t treated_before = 0, treated_after = 0;
  int64_t control_before = 0, control_after = 0;
  int64_t buffer_before = 0, buffer_after = 0;
};

// How to read a WDQ (Bowers & Johnson 2003; POP Center Tool Guide 10, App. B).
enum class WdqReading {
  kNotApplicable,           // SM >= 0: the treated area did not improve against the control
  kDiffusionExceedsDirect,  // WDQ > 1: diffusion of benefits larger than the direct effect
  kSomeDiffusion,           // 0 < WDQ <= 1
  kNoBufferChange,          // WDQ = 0
  kDisplacementNetGain,     // −1 <= WDQ < 0: some displacement, but a net gain
  kDisplacementExceeds,     // WDQ < −1: displacement exceeds the direct effect
};

struct WdqResult {
  double gross_effect = 0;      // GE = R_b − R_a
  double net_effect = 0;        // NE = R_b/C_b − R_a/C_a
  double success_measure = 0;   // SM = R_a/C_a − R_b/C_b (negative: treated improved vs control)
  double buffer_measure = 0;    // BM = D_a/C_a − D_b/C_b
  std::optional<double> wdq;    // BM / SM; empty when SM = 0
  double total_net_effect = 0;  // TNE = [R_b·(C_a/C_b) − R_a] + [D_b·(C_a/C_b) − D_a], crimes
  WdqReading reading = WdqReading::kNotApplicable;
};

// Weighted Displacement Quotient for a buffer area, with the effect measures of REFERENCE.md 3.7.
// Errors: kInvalidArgument when a count is negative or a control count is 0 (the ratios are
// undefined).
Result<WdqResult> Wdq(const WdqCounts& counts);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_EVALUATION_H_
