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
  bool scaled = false;  // ScaledWdd: the comparison scaled to the treated area's before level
  double scale = 1;     // ScaledWdd: T_b / CT_b (1 for Wdd)
  double scale_displacement = 1;  // ScaledWdd: D_b / CD_b (1 for Wdd or without displacement)
  // What the treated area would have had after without an effect, as the comparison says:
  // T_b · CT_a / CT_b for ScaledWdd, T_b + (CT_a − CT_b) (length-scaled) for Wdd.
  double expected_treated_after = 0;
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

// The WDD with each comparison scaled to its area's before level (EST's default; issue "Honest
// by default"): with k = T_b / CT_b and k_D = D_b / CD_b,
//   WDD_s = (T_a − T_b) − k (CT_a − CT_b) + (D_a − D_b) − k_D (CD_a − CD_b)
//         = (T_a − T_b · CT_a/CT_b) + (D_a − D_b · CD_a/CD_b),
// the treated area's after count against what its own before count and the comparison's relative
// change predict. Plain Wdd subtracts the comparison's change in reports, which a trend common to
// every area inflates in proportion to the comparison's size (three comparison areas summed are
// ~3× the treated one): under a region-wide ×1.3 and no effect it claimed a reliable effect in 8 of
// 8 simulations. Variance by the delta method, the four counts independent Poisson and each
// replaced by its observed value, for one pair X = T_a − T_b·C_a/C_b:
//   Var X ≈ T_a + (C_a/C_b)² T_b + (T_b/C_b)² C_a + (T_b C_a / C_b²)² C_b
// summed over the treated and the displacement pair. The period lengths cancel (both areas share
// the same before and after periods). Calibration (evaluation_test.cc): no effect under trends
// ×1.0, ×1.3, ×0.75 claims an effect at about the nominal 5 %; a planted −30 % is found.
// Errors: kInvalidArgument when a count is negative, control_before is 0 (field
// "control_before": nothing to scale by), or displacement is given with displacement_control_before
// 0.
Result<WddResult> ScaledWdd(const WddCounts& counts);

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
