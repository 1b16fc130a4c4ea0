// Kernel density (täthetsyta) for the heat surface: Esri's point kernel density with the quartic
// (biweight) kernel of Silverman (1986, eq. 4.5), evaluated at the centres of the study cells
// (DESIGN.md §5, REFERENCE.md 3.4). For points (e_i, n_i) with weights w_i and bandwidth h:
//   density(x, y) = Σ_{i: d_i < h} 3/(π h²) · w_i · (1 − d_i²/h²)²        (per m²; returned per
//   km²)
// The kernel integrates to 1, so the surface integrates to Σ w_i; it is 0 at and beyond h.
//
// Pure functions of their arguments; thread-safe.
#ifndef EST_ANALYSIS_KDE_H_
#define EST_ANALYSIS_KDE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/grid.h"
#include "core/error.h"

namespace est::analysis {

struct KdeCell {
  int32_t ix = 0, iy = 0;
  double density = 0;  // weighted points per km² at the cell centre
};

// The density at the centre of every study cell, in grid order (zero cells included). Points may
// lie outside the study; they still add to study cells within h. w may be null (every weight 1).
// O(count · (h / cell)²).
// Errors: kInvalidArgument if bandwidth_m is not a positive finite number, or a point or weight is
// not finite, or a weight is negative.
Result<std::vector<KdeCell>> QuarticKde(const StudyGrid& grid, const double* e, const double* n,
                                        const double* w, size_t count, double bandwidth_m);

// Bandwidth used when none is given.
inline constexpr double kFallbackBandwidthM = 500;

// Esri's default search radius, the spatial variant of Silverman's rule of thumb (Esri, "How
// Kernel Density works"; Silverman 1986):
//   h = 0.9 · min(SD, sqrt(1/ln 2) · D_m) · N^(−0.2)
// SD = standard distance sqrt(Σw(e − ē)²/N + Σw(n − n̄)²/N) about the weighted mean centre,
// D_m = weighted median distance from that centre, N = Σ w (the count when w is null). Chosen over
// a fixed radius because it adapts to the spread of the selected reports (a single block vs the
// whole municipality) and matches what municipal GIS users get in ArcGIS. Returns
// kFallbackBandwidthM when there are fewer than two points or the rule gives 0 (all points at one
// place). Callers drawing on a grid should not go below the cell size (a radius smaller than the
// distance to the nearest cell centre leaves the cell empty).
double DefaultBandwidth(const double* e, const double* n, const double* w, size_t count);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_KDE_H_
