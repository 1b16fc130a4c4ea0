#include "analysis/kde.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace est::analysis {

Result<std::vector<KdeCell>> QuarticKde(const StudyGrid& grid, const double* e, const double* n,
                                        const double* w, size_t count, double bandwidth_m) {
  if (!std::isfinite(bandwidth_m) || bandwidth_m <= 0) {
    return InvalidField("bandwidth_m", "bandbredden måste vara ett positivt tal");
  }
  std::vector<KdeCell> out(grid.size());
  for (size_t i = 0; i < grid.size(); ++i) {
    out[i].ix = grid.cell(i).ix;
    out[i].iy = grid.cell(i).iy;
  }
  const double h = bandwidth_m;
  const double h2 = h * h;
  const double cell = grid.cell_m();
  // 3/(π h²) per m², times 10⁶ m² per km².
  const double scale = 3.0 / (std::numbers::pi * h2) * 1e6;
  const int64_t x_end = int64_t{grid.ix0()} + grid.width();
  const int64_t y_end = int64_t{grid.iy0()} + grid.height();
  for (size_t k = 0; k < count; ++k) {
    const double weight = w != nullptr ? w[k] : 1.0;
    if (!std::isfinite(e[k]) || !std::isfinite(n[k]) || !std::isfinite(weight) || weight < 0) {
      return InvalidField("points", "punkter och vikter måste vara ändliga, vikter inte negativa");
    }
    if (weight == 0) continue;
    // Cells whose centre (i + ½)·cell lies within h of the point, clipped to the dense box (in
    // double first, so that a far point cannot overflow the integer conversion).
    const double x_min = grid.ix0(), x_max = static_cast<double>(x_end - 1);
    const double y_min = grid.iy0(), y_max = static_cast<double>(y_end - 1);
    const double ix_lo = std::max(x_min, std::ceil((e[k] - h) / cell - 0.5));
    const double ix_hi = std::min(x_max, std::floor((e[k] + h) / cell - 0.5));
    const double iy_lo = std::max(y_min, std::ceil((n[k] - h) / cell - 0.5));
    const double iy_hi = std::min(y_max, std::floor((n[k] + h) / cell - 0.5));
    if (ix_lo > ix_hi || iy_lo > iy_hi) continue;
    const auto x0 = static_cast<int64_t>(ix_lo), x1 = static_cast<int64_t>(ix_hi);
    const auto y0 = static_cast<int64_t>(iy_lo), y1 = static_cast<int64_t>(iy_hi);
    for (int64_t iy = y0; iy <= y1; ++iy) {
      const double dy = (static_cast<double>(iy) + 0.5) * cell - n[k];
      const size_t row = static_cast<size_t>((iy - grid.iy0()) * int64_t{grid.width()});
      for (int64_t ix = x0; ix <= x1; ++ix) {
        const int32_t s = grid.dense_to_study()[row + static_cast<size_t>(ix - grid.ix0())];
        if (s < 0) continue;
        const double dx = (static_cast<double>(ix) + 0.5) * cell - e[k];
        const double u = 1 - (dx * dx + dy * dy) / h2;
        if (u > 0) out[static_cast<size_t>(s)].density += scale * weight * u * u;
      }
    }
  }
  return out;
}

double DefaultBandwidth(const double* e, const double* n, const double* w, size_t count) {
  if (count < 2) return kFallbackBandwidthM;
  double total = 0, me = 0, mn = 0;
  for (size_t k = 0; k < count; ++k) {
    const double weight = w != nullptr ? w[k] : 1.0;
    total += weight;
    me += weight * e[k];
    mn += weight * n[k];
  }
  if (!(total > 0) || !std::isfinite(total)) return kFallbackBandwidthM;
  me /= total;
  mn /= total;
  double var = 0;
  std::vector<std::pair<double, double>> distances(count);  // (distance, weight)
  for (size_t k = 0; k < count; ++k) {
    const double weight = w != nullptr ? w[k] : 1.0;
    const double de = e[k] - me, dn = n[k] - mn;
    var += weight * (de * de + dn * dn);
    distances[k] = {std::sqrt(de * de + dn * dn), weight};
  }
  const double sd = std::sqrt(var / total);
  // Weighted median: the smallest distance at which half of the weight is reached.
  std::sort(distances.begin(), distances.end());
  double cumulative = 0, median = distances.back().first;
  for (const auto& [d, weight] : distances) {
    cumulative += weight;
    if (cumulative >= total / 2) {
      median = d;
      break;
    }
  }
  const double h =
      0.9 * std::min(sd, std::sqrt(1 / std::log(2.0)) * median) * std::pow(total, -0.2);
  return std::isfinite(h) && h > 0 ? h : kFallbackBandwidthM;
}

}  // namespace est::analysis
