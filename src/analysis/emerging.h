// Emerging hot spots (framväxande hotspots): space-time Gi* per (cell, time step), Mann–Kendall on
// each cell's series of z-scores and Esri's eight hot/cold spot trend categories (DESIGN.md §5,
// REFERENCE.md 3.3).
//
// Space-time Gi*: the space-time cube has one bin per (study cell, step); a bin's neighbours are
// the bins of the cells within band_m (the cell included) at the same step and at the `time_steps`
// previous steps (Esri's Neighborhood Time Step, default 1; fewer at the first steps). Binary
// weights; X̄, S and n are taken over every bin of the cube, as in Esri's space-time Gi*.
//
// A bin's significance (docs/statistics.md): its p is the exact test of its local sum L (as
// GiStar's p, hotspots.h): with whole counts and constant intensity over the cube, L is
// Binomial(N, W/(n·steps)) for N the cube's reports and W the bins in its space-time
// neighbourhood; p = min(1, 2·min(P(L ≥ l), P(L ≤ l))). (Counts that are not whole fall back to
// the normal p of z.) The p of all n·steps bins are corrected together by Benjamini–Hochberg at
// kEmergingFdr: a bin is significant when its adjusted p ≤ kEmergingFdr. The whole cube is one
// family because a cell's category reads every one of its steps. Before 2026-12 a bin was
// significant when its normal p < 0.05 uncorrected, and 3.3–4.8 % of the cells of pure-noise
// cubes got a category; now at most the nominal share (emerging_calibration test). sfdep's
// emerging_hotspot_analysis uses an uncorrected threshold of 0.01 on 199-permutation pseudo-p
// values; Esri's tool describes 0.05. The Mann–Kendall trend keeps an uncorrected α (alpha), as
// both do: it only splits cells that are already hot or cold spots.
//
// Mann–Kendall (Kendall 1975; esda emerging.py) on the z series x_1..x_n of a cell:
//   S = Σ_{k<j} sgn(x_j − x_k),  Var(S) = [n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)] / 18
//   Z = (S−1)/√Var if S > 0, 0 if S = 0, (S+1)/√Var if S < 0;  p = 2(1 − Φ(|Z|))
//   τ = S / sqrt((n(n−1)/2 − Σ_p t_p(t_p−1)/2) · n(n−1)/2)   (Kendall's τ-b, as R Kendall)
// with t_p the size of tie group p (exactly equal values).
//
// Classification, after Esri "How Emerging Hot Spot Analysis works" and sfdep
// R/emerging-hostpot-classifications.R. n = number of steps, "sig hot" = significant with z > 0,
// "sig cold" = significant with z < 0 (significant: by the FDR rule above), H = number of sig hot
// steps, "≥ 90 %" means 10·H ≥ 9·n, "trend" = the cell's Mann–Kendall test, significant when its
// p < alpha. Evaluated top to bottom, first match wins, so every cell gets exactly one category:
//
//   1. final step sig hot:
//        H ≥ 90 %, trend significant, Z > 0  → intensifying hot spot
//        H ≥ 90 %, trend significant, Z < 0  → diminishing hot spot
//        H ≥ 90 %, no significant trend      → persistent hot spot
//        some earlier step sig cold          → oscillating hot spot
//        no sig step before the final run of sig hot steps:
//          run of 1 step                     → new hot spot
//          run of ≥ 2 steps                  → consecutive hot spot
//        otherwise (on-off sig hot history, never sig cold) → sporadic hot spot
//   2. final step sig cold: as 1 with hot ↔ cold and the trend mirrored (a cold spot intensifies
//      when its z falls: Z < 0, and diminishes when Z > 0).
//   3. H ≥ 90 % → historical hot spot;  C ≥ 90 % (C = sig cold steps) → historical cold spot.
//   4. otherwise → no pattern.
//
// Choices where Esri's text leaves room: "new" and "consecutive" require that the cell was never
// significant (hot or cold) before, as sfdep does, so a cold spot turning hot is "oscillating",
// not "new"; "sporadic" requires the final step sig hot (Esri; sfdep does not); a cell whose
// final step is sig cold after ≥ 90 % sig hot steps is an oscillating cold spot, not historical.
// Esri recommends at least 10 time steps; with fewer, "90 %" means every step and the trend test
// has little power.
//
// Pure functions of their arguments; thread-safe.
#ifndef EST_ANALYSIS_EMERGING_H_
#define EST_ANALYSIS_EMERGING_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "analysis/grid.h"
#include "core/error.h"

namespace est::analysis {

struct MannKendall {
  double s = 0;    // Kendall's S
  double var = 0;  // Var(S) with the tie correction
  double z = 0;    // with the continuity correction; 0 when Var(S) = 0
  double p = 1;    // two-sided
  double tau = 0;  // Kendall's τ-b
};

// Mann–Kendall trend test of a series in time order. O(n log n) time (Knight's merge sort count of
// discordant pairs), O(n) scratch.
MannKendall MannKendallTest(std::span<const double> series);

namespace detail {
// For tests: the pairwise form (series up to 256 values) with a given instruction set, so that
// each kernel is checked on any machine that has it; nullopt when this CPU lacks it.
enum class Isa { kSse2, kAvx2 };
std::optional<MannKendall> MannKendallPairsFor(std::span<const double> series, Isa isa);
}  // namespace detail

enum class EmergingCategory {
  kNoPattern,
  kNew,
  kConsecutive,
  kIntensifying,
  kPersistent,
  kDiminishing,
  kSporadic,
  kOscillating,
  kHistorical,
};

// "new_hot_spot", "consecutive_cold_spot", …, "no_pattern" (hot is ignored for kNoPattern).
std::string_view EmergingCategoryLabel(EmergingCategory category, bool hot);
// The Swedish label for the UI: "Ny hotspot", "Ihållande coldspot", …, "Inget mönster".
std::string_view EmergingCategoryLabelSv(EmergingCategory category, bool hot);

struct EmergingClass {
  EmergingCategory category = EmergingCategory::kNoPattern;
  bool hot = false;  // hot spot family (false for cold spots and for no pattern)
};

// Applies the rule table above to one cell: z and significant hold one entry per step in time
// order (significant[t] != 0 when step t's bin is significant); trend is the Mann–Kendall test of
// z. REQUIRES: z.size() == significant.size().
EmergingClass ClassifyEmerging(std::span<const double> z, std::span<const uint8_t> significant,
                               const MannKendall& trend, double alpha);

// The false discovery rate at which a bin of the space-time cube is significant (see above).
inline constexpr double kEmergingFdr = 0.05;

struct EmergingOptions {
  double band_m = 354;  // spatial neighbourhood, as GiStarOptions::band_m
  int time_steps = 1;   // Neighborhood Time Step: previous steps in the neighbourhood (>= 0)
  // FDR level of the bins (Benjamini–Hochberg over the cube) and α of the trend test.
  double alpha = kEmergingFdr;
  // Threads for the z series and the per-cell tests: 0 = both cores when the cube is large, 1 =
  // this thread only, 2 = two threads whatever the size. The result is the same in every case.
  int threads = 0;
};

// One study cell's trend.
struct EmergingCell {
  int32_t ix = 0, iy = 0;
  EmergingCategory category = EmergingCategory::kNoPattern;
  bool hot = false;    // see EmergingClass
  int64_t count = 0;   // the cell's own reports over all steps (rounded)
  int hot_steps = 0;   // steps significant with z > 0
  int cold_steps = 0;  // steps significant with z < 0
  double last_z = 0;   // space-time Gi* z of the final step
  double last_p = 1;   // its two-sided p (exact, before the FDR correction)
  MannKendall trend;   // Mann–Kendall on the cell's z series
};

// Emerging hot spot analysis over the cube counts_by_step[t][i] (t = time step in time order,
// i = study cell in grid order). Returns every study cell in grid order, also a cell whose
// neighbourhood never holds a report: it is a cold spot when its empty bins are significant, a
// persistent cold spot when ≥ 90 % are, and no pattern otherwise.
// Time O(steps · (bbox + cells · (2r+1)) + cells · steps · log steps); memory cells · steps
// 4-byte keys with whole counts (8-byte z values otherwise).
// Errors: kInvalidArgument if there are no steps, a step's size != grid.size(), a count is
// negative or not finite, the cube has fewer than 2 bins, band_m is invalid, time_steps < 0 or
// alpha is not in (0, 1).
Result<std::vector<EmergingCell>> EmergingHotspots(
    const StudyGrid& grid, const std::vector<std::vector<double>>& counts_by_step,
    const EmergingOptions& options);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_EMERGING_H_
