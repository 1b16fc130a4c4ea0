// Hotspots: Getis-Ord Gi* on the metric grid with binary distance-band weights, its two-sided
// normal p-value, Benjamini–Hochberg FDR and Esri's Gi_Bin (DESIGN.md §5, REFERENCE.md 3.2).
//
// Esri form (Getis & Ord 1992; Ord & Getis 1995; Esri "How Hot Spot Analysis works"), for study
// cell i with count x_j per cell, binary weights w_ij (w_ii = 1) and n study cells:
//   X̄ = Σ x_j / n,   S = sqrt(Σ x_j² / n − X̄²)
//   G*_i = (Σ_j w_ij x_j − X̄ W_i) / (S · sqrt((n W_i − W_i²) / (n − 1))),   W_i = Σ_j w_ij
// (binary weights: Σ w_ij² = W_i). G*_i is a z-score; it equals PySAL esda's Z for G_Local with
// star=True and binary weights. Cells with a zero count are part of the study (n counts them)
// and cells outside the study are never neighbours.
//
// Pure functions of their arguments; thread-safe.
#ifndef EST_ANALYSIS_HOTSPOTS_H_
#define EST_ANALYSIS_HOTSPOTS_H_

#include <cstdint>
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
};

// One study cell's Gi* result.
struct GiStarCell {
  int32_t ix = 0, iy = 0;
  int64_t count = 0;             // the cell's own count (rounded to an integer)
  double local_sum = 0;          // Σ_j w_ij x_j: reports in the neighbourhood
  double gi_star = 0;            // z-score; 0 when undefined (all counts equal, or W_i = n)
  double p = 1;                  // two-sided normal p of gi_star
  double p_fdr = 1;              // Benjamini–Hochberg adjusted p over all n study cells
  int n_neigh = 0;               // W_i: study cells in the neighbourhood, the cell included
  int bin = 0;                   // EsriBin(gi_star, p): uncorrected
  bool significant_fdr = false;  // p_fdr <= alpha
};

// Gi* for every study cell. counts[i] belongs to grid.cell(i). The FDR adjustment runs over all
// n study cells; the returned rows, in grid order, are the cells whose neighbourhood holds at
// least one report (local_sum > 0).
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

// Benjamini–Hochberg adjusted p-values, in the input order: p̃_(k) = min_{j ≥ k} min(1, m·p_(j)/j)
// over the ascending order p_(1) ≤ … ≤ p_(m). Monotone in p; the hypotheses with p̃ ≤ α are
// exactly the first k of the step-up rule (largest k with p_(k) ≤ k·α/m).
std::vector<double> BenjaminiHochberg(const std::vector<double>& p);

// Esri's Gi_Bin: ±3 if p < 0.01, ±2 if p < 0.05, ±1 if p < 0.10, else 0; the sign is z's.
int EsriBin(double z, double p);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_HOTSPOTS_H_
