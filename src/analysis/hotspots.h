// Hotspots: Getis-Ord Gi* on the metric grid with binary distance-band weights, its inference by
// exact conditional randomisation (analysis/randomisation.h), Benjamini–Hochberg FDR and Esri's
// Gi_Bin (DESIGN.md §5, REFERENCE.md 3.2, docs/statistics.md).
//
// Esri form (Getis & Ord 1992; Ord & Getis 1995; Esri "How Hot Spot Analysis works"), for study
// cell i with count x_j per cell, binary weights w_ij (w_ii = 1) and n study cells:
//   X̄ = Σ x_j / n,   S = sqrt(Σ x_j² / n − X̄²)
//   G*_i = (Σ_j w_ij x_j − X̄ W_i) / (S · sqrt((n W_i − W_i²) / (n − 1))),   W_i = Σ_j w_ij
// (binary weights: Σ w_ij² = W_i). G*_i is a z-score; it equals PySAL esda's Z for G_Local with
// star=True and binary weights. Cells with a zero count are part of the study (n counts them)
// and cells outside the study are never neighbours.
//
// Inference. z is the size of the departure; whether it is significant comes from p, the exact
// two-sided test of the local sum L_i = Σ_j w_ij x_j against constant intensity: given the total
// N = Σ x_j, each report falls in any of the n study cells with probability 1/n, so L_i is
// Binomial(N, W_i/n) (the exact Poisson test of the local sum, conditional on the total, so no
// mean is estimated). p = min(1, 2 · min(P(L ≥ L_i), P(L ≤ L_i))). It depends on (L_i, W_i)
// only, like z, and is exact for any count, however sparse. The normal p of z (p_normal, the
// `p` before 2026-12) is anti-conservative for sparse counts: on pure-noise maps with 0.3 and 1
// report per cell it gave an FDR-significant hot cell in 23 and 11 of 60 maps; the binomial p
// stays at or below the nominal rate (tests/unit/analysis/hotspots_calibration_test.cc and
// docs/statistics.md, which also says why not conditional permutation). p falls back to
// p_normal when the counts are not whole numbers. W_i = n gives p = 1 (L_i is the total).
//
// Pure functions of their arguments; thread-safe.
#ifndef EST_ANALYSIS_HOTSPOTS_H_
#define EST_ANALYSIS_HOTSPOTS_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "analysis/grid.h"
#include "core/error.h"

namespace est::analysis {

struct GiStarOptions {
  // Neighbourhood: cells whose centres lie within band_m of the cell's centre, itself included.
  // The default 354 m is the 3×3 block on 250 m cells. (The cell size is the grid's.)
  double band_m = 354;
  // Level of the Benjamini–Hochberg false discovery rate for significant_fdr.
  double alpha = 0.05;
  // Which p drives p_fdr, bin and significant_fdr: the exact binomial test (default) or, for
  // comparisons and calibration only, the normal approximation of z.
  enum class Inference { kExact, kNormal };
  Inference inference = Inference::kExact;
};

// One study cell's Gi* result.
struct GiStarCell {
  int32_t ix = 0, iy = 0;
  int64_t count = 0;             // the cell's own count (rounded to an integer)
  double local_sum = 0;          // Σ_j w_ij x_j: reports in the neighbourhood
  double gi_star = 0;            // z-score; 0 when undefined (all counts equal, or W_i = n)
  double p = 1;                  // two-sided exact (binomial) p of local_sum, see above
  double p_fdr = 1;              // Benjamini–Hochberg adjusted p over all n study cells
  int n_neigh = 0;               // W_i: study cells in the neighbourhood, the cell included
  int bin = 0;                   // EsriBin(gi_star, p): uncorrected
  bool significant_fdr = false;  // p_fdr <= alpha
  double p_normal = 1;           // two-sided normal p of gi_star (Esri's p; size only)
};

// Gi* for every study cell. counts[i] belongs to grid.cell(i). The FDR adjustment runs over all
// n study cells; the returned rows are every study cell, in grid order (cells whose neighbourhood
// is empty included: with enough reports elsewhere they are significant cold spots).
// Errors: kInvalidArgument if counts.size() != grid.size(), a count is negative or not finite,
// the grid has fewer than 2 cells, band_m is invalid (see DistanceBand::Make) or alpha is not in
// (0, 1).
Result<std::vector<GiStarCell>> GiStar(const StudyGrid& grid, const std::vector<double>& counts,
                                       const GiStarOptions& options);

// The Esri-form z of one cell from its neighbourhood sum and size and the global mean, standard
// deviation S (population form, divisor n) and n. Returns 0 when S = 0 or W = n (undefined).
double GiStarZ(double local_sum, double w, double mean, double s, double n);

// Two-sided p-value of a standard normal z: 2·(1 − Φ(|z|)) = erfc(|z|/√2), accurate in the tails.
double NormalTwoSidedP(double z);

// (P(X ≥ k), P(X ≤ k)) for X ~ Binomial(trials, q): the side away from the mode summed term by
// term from the pmf at k (lgamma), the other as its complement. The relative error is about
// 1e-16 · lgamma(trials + 1): ~1e-13 at 1 000 trials, ~2e-9 at 10^6, far finer than a
// Benjamini–Hochberg threshold needs. REQUIRES: trials >= 0, 0 <= q <= 1.
std::pair<double, double> BinomialTails(int64_t k, int64_t trials, double q);
// min(1, 2 · min(P(X ≥ k), P(X ≤ k))): the doubled tail of the side observed.
double BinomialTwoSidedP(int64_t k, int64_t trials, double q);

// Benjamini–Hochberg adjusted p-values, in the input order: p̃_(k) = min_{j ≥ k} min(1, m·p_(j)/j)
// over the ascending order p_(1) ≤ … ≤ p_(m). Monotone in p; the hypotheses with p̃ ≤ α are
// exactly the first k of the step-up rule (largest k with p_(k) ≤ k·α/m).
std::vector<double> BenjaminiHochberg(const std::vector<double>& p);

// Esri's Gi_Bin: ±3 if p < 0.01, ±2 if p < 0.05, ±1 if p < 0.10, else 0; the sign is z's.
int EsriBin(double z, double p);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_HOTSPOTS_H_
