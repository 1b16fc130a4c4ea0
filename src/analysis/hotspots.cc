#include "analysis/hotspots.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace est::analysis {

double GiStarZ(double local_sum, double w, double mean, double s, double n) {
  const double spread = (n * w - w * w) / (n - 1);
  if (!(s > 0) || !(spread > 0)) return 0;
  return (local_sum - mean * w) / (s * std::sqrt(spread));
}

double NormalTwoSidedP(double z) {
  if (std::isnan(z)) return 1;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

std::vector<double> BenjaminiHochberg(const std::vector<double>& p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(m);
  double running = 1;
  for (size_t k = m; k-- > 0;) {
    const double candidate = p[order[k]] * static_cast<double>(m) / static_cast<double>(k + 1);
    running = std::min(running, candidate);
    adjusted[order[k]] = running;
  }
  return adjusted;
}

int EsriBin(double z, double p) {
  if (!(z != 0)) return 0;
  const int sign = z > 0 ? 1 : -1;
  if (p < 0.01) return 3 * sign;
  if (p < 0.05) return 2 * sign;
  if (p < 0.10) return sign;
  return 0;
}

Result<std::vector<GiStarCell>> GiStar(const StudyGrid& grid, const std::vector<double>& counts,
                                       const GiStarOptions& options) {
  const size_t n = grid.size();
  if (counts.size() != n) {
    return InvalidField("counts", "antalet värden stämmer inte med antalet rutor");
  }
  if (n < 2) return InvalidField("extent", "studieområdet måste ha minst två rutor");
  if (!(options.alpha > 0 && options.alpha < 1)) {
    return InvalidField("alpha", "signifikansnivån måste ligga mellan 0 och 1");
  }
  auto band = DistanceBand::Make(grid.cell_m(), options.band_m);
  if (!band) return tl::unexpected(band.error());

  // Two passes for S: Σx²/n − X̄² loses digits when the counts are large and alike.
  double total = 0;
  for (double x : counts) {
    if (!std::isfinite(x) || x < 0) {
      return InvalidField("counts", "antalen måste vara ändliga och inte negativa");
    }
    total += x;
  }
  const double nd = static_cast<double>(n);
  const double mean = total / nd;
  double ss = 0;
  for (double x : counts) ss += (x - mean) * (x - mean);
  const double s = std::sqrt(ss / nd);

  BandSummer summer(grid, *band);
  std::vector<double> local(n);
  summer.Sum(counts.data(), local.data());
  const std::vector<int32_t>& w = summer.neighbour_counts();

  std::vector<double> z(n), p(n);
  for (size_t i = 0; i < n; ++i) {
    z[i] = GiStarZ(local[i], w[i], mean, s, nd);
    p[i] = NormalTwoSidedP(z[i]);
  }
  const std::vector<double> p_fdr = BenjaminiHochberg(p);

  std::vector<GiStarCell> rows;
  for (size_t i = 0; i < n; ++i) {
    if (!(local[i] > 0)) continue;
    GiStarCell& row = rows.emplace_back();
    row.ix = grid.cell(i).ix;
    row.iy = grid.cell(i).iy;
    row.count = std::llround(counts[i]);
    row.local_sum = local[i];
    row.n_neigh = w[i];
    row.gi_star = z[i];
    row.p = p[i];
    row.p_fdr = p_fdr[i];
    row.significant_fdr = p_fdr[i] <= options.alpha;
    row.bin = EsriBin(z[i], p[i]);
  }
  return rows;
}

}  // namespace est::analysis
