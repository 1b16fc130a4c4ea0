// Koncentration (80-20): how unevenly reports fall on places or grid cells (REFERENCE.md 3.8).
// Concentrated problems are easier to influence, so the share in the top places feeds the
// priority ranking, and the Lorenz curve is the 80-20 chart.
//
// Pure function of its argument; thread-safe.
#ifndef EST_ANALYSIS_CONCENTRATION_H_
#define EST_ANALYSIS_CONCENTRATION_H_

#include <cstdint>
#include <vector>

namespace est::analysis {

// One point of the 80-20 chart: the `units_share` of units with the most reports hold
// `reports_share` of all reports. Both in [0, 1].
struct LorenzPoint {
  double units_share = 0;
  double reports_share = 0;
};

struct ConcentrationResult {
  int64_t total = 0;      // sum of the counts
  int64_t units = 0;      // number of units, zeros included
  double top5_share = 0;  // share of reports in the 5 % of units with the most reports
  double top10_share = 0;
  // Units sorted by count, descending; starts at (0, 0) and ends at (1, 1). Units with equal
  // counts lie on one straight segment, so one point per run of equal counts is kept (exact, and
  // it keeps the chart small when thousands of grid cells are 0 or 1).
  std::vector<LorenzPoint> lorenz;
  // Gini coefficient: 0 = every unit has the same count, (n − 1)/n = all reports in one unit.
  // G = 2 Σ_i i·x_(i) / (n Σ x) − (n + 1)/n with x ascending, i = 1..n.
  double gini = 0;
};

// Concentration of `counts_per_unit` (one count per place or grid cell; include the zeros, they
// are what makes a problem concentrated). The top-p share treats units as divisible: it is the
// Lorenz curve read at p, so with 10 units the top 5 % is half of the busiest unit and with 20
// units exactly the busiest one. No units or no reports give shares 0, Gini 0 and a Lorenz curve
// of (0, 0) only (no units) or the diagonal from (0, 0) to (1, 1) (all zero).
// REQUIRES: every count >= 0.
ConcentrationResult Concentration(std::vector<int64_t> counts_per_unit);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_CONCENTRATION_H_
