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

  // W takes at most offset_count() + 1 values, so the denominator and, for the many cells whose
  // neighbourhood is empty, z and p come from tables: erfc only runs for cells with reports.
  const size_t max_w = static_cast<size_t>(band->offset_count());
  std::vector<double> unit_z(max_w + 1), empty_p(max_w + 1);
  std::vector<int64_t> empty_cells(max_w + 1, 0);
  for (size_t k = 1; k <= max_w; ++k) {
    const double wk = static_cast<double>(k);
    unit_z[k] = GiStarZ(1 + mean * wk, wk, mean, s, nd);  // z per unit of local_sum − X̄W
    empty_p[k] = NormalTwoSidedP(GiStarZ(0, wk, mean, s, nd));
  }
  std::vector<size_t> active;
  for (size_t i = 0; i < n; ++i) {
    if (local[i] > 0) {
      active.push_back(i);
    } else {
      ++empty_cells[static_cast<size_t>(w[i])];
    }
  }

  // Benjamini–Hochberg over all n cells: the empty cells enter as one group per W (equal p, so
  // they share one adjusted value, as in R's p.adjust).
  struct Entry {
    double p;
    int64_t multiplicity;
    int64_t row;  // index into `rows`, or -1 for a group of empty cells
  };
  std::vector<GiStarCell> rows(active.size());
  std::vector<Entry> entries;
  entries.reserve(active.size() + max_w);
  for (size_t r = 0; r < active.size(); ++r) {
    const size_t i = active[r];
    GiStarCell& row = rows[r];
    row.ix = grid.cell(i).ix;
    row.iy = grid.cell(i).iy;
    row.count = static_cast<int64_t>(counts[i] + 0.5);  // counts are >= 0
    row.local_sum = local[i];
    row.n_neigh = w[i];
    row.gi_star = (local[i] - mean * w[i]) * unit_z[static_cast<size_t>(w[i])];
    row.p = NormalTwoSidedP(row.gi_star);
    row.bin = EsriBin(row.gi_star, row.p);
    entries.push_back({row.p, 1, static_cast<int64_t>(r)});
  }
  for (size_t k = 1; k <= max_w; ++k) {
    if (empty_cells[k] > 0) entries.push_back({empty_p[k], empty_cells[k], -1});
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.p < b.p; });
  int64_t rank = static_cast<int64_t>(n);
  double running = 1;
  for (size_t k = entries.size(); k-- > 0;) {
    running = std::min(running, entries[k].p * nd / static_cast<double>(rank));
    rank -= entries[k].multiplicity;
    if (entries[k].row >= 0) {
      GiStarCell& row = rows[static_cast<size_t>(entries[k].row)];
      row.p_fdr = running;
      row.significant_fdr = running <= options.alpha;
    }
  }
  return rows;
}

}  // namespace est::analysis
