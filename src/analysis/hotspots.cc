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
  double total = 0, max_count = 0;
  bool integral = true;
  for (double x : counts) {
    if (!std::isfinite(x) || x < 0) {
      return InvalidField("counts", "antalen måste vara ändliga och inte negativa");
    }
    total += x;
    max_count = std::max(max_count, x);
    integral &= x < 9e15 && static_cast<double>(static_cast<int64_t>(x)) == x;
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

  // z and p depend only on (local_sum, W). With integer counts the cells fall into few such groups
  // (a few hundred for a week of reports), so erfc and the Benjamini–Hochberg sort run per group:
  // the dense table group_of maps local_sum · (max_w + 1) + W to a group (local_sum is at most
  // W · the largest count). Cells with equal p share one adjusted value either way (ties take the
  // value of the highest rank, as in R's p.adjust), so grouping changes no result.
  struct Group {
    double z;
    double p;
    int64_t multiplicity;
    double adjusted;
  };
  std::vector<Group> groups;
  std::vector<uint32_t> active;  // cells with reports in their neighbourhood
  std::vector<int32_t> group_of_cell;
  active.reserve(n);
  group_of_cell.reserve(n);
  constexpr double kMaxTable = 1 << 22;
  const double table_size = (max_count * static_cast<double>(max_w) + 1) * (max_w + 1);
  const bool grouped = integral && table_size <= kMaxTable;
  std::vector<int32_t> group_of(grouped ? static_cast<size_t>(table_size) : 0, -1);
  for (size_t i = 0; i < n; ++i) {
    const double v = local[i];
    const size_t wi = static_cast<size_t>(w[i]);
    if (!(v > 0)) {
      ++empty_cells[wi];
      continue;
    }
    active.push_back(static_cast<uint32_t>(i));
    int32_t g = -1;
    if (grouped) {
      const size_t key = static_cast<size_t>(static_cast<int64_t>(v)) * (max_w + 1) + wi;
      g = group_of[key];
      if (g < 0) {
        g = group_of[key] = static_cast<int32_t>(groups.size());
        const double z = (v - mean * static_cast<double>(wi)) * unit_z[wi];
        groups.push_back({z, NormalTwoSidedP(z), 0, 1});
      }
    } else {
      g = static_cast<int32_t>(groups.size());
      const double z = (v - mean * static_cast<double>(wi)) * unit_z[wi];
      groups.push_back({z, NormalTwoSidedP(z), 0, 1});
    }
    ++groups[static_cast<size_t>(g)].multiplicity;
    group_of_cell.push_back(g);
  }
  // The empty cells: one group per W.
  for (size_t k = 1; k <= max_w; ++k) {
    if (empty_cells[k] > 0) groups.push_back({0, empty_p[k], empty_cells[k], 1});
  }

  // Benjamini–Hochberg over all n cells.
  std::vector<int32_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return groups[static_cast<size_t>(a)].p < groups[static_cast<size_t>(b)].p;
  });
  int64_t rank = static_cast<int64_t>(n);
  double running = 1;
  for (size_t k = order.size(); k-- > 0;) {
    Group& g = groups[static_cast<size_t>(order[k])];
    running = std::min(running, g.p * nd / static_cast<double>(rank));
    rank -= g.multiplicity;
    g.adjusted = running;
  }

  std::vector<GiStarCell> rows;
  rows.reserve(active.size());
  for (size_t r = 0; r < active.size(); ++r) {
    const size_t i = active[r];
    const Group& g = groups[static_cast<size_t>(group_of_cell[r])];
    GiStarCell& row = rows.emplace_back();
    row.ix = grid.cell(i).ix;
    row.iy = grid.cell(i).iy;
    row.count = static_cast<int64_t>(counts[i] + 0.5);  // counts are >= 0
    row.local_sum = local[i];
    row.n_neigh = w[i];
    row.gi_star = g.z;
    row.p = g.p;
    row.bin = EsriBin(g.z, g.p);
    row.p_fdr = g.adjusted;
    row.significant_fdr = g.adjusted <= options.alpha;
  }
  return rows;
}

}  // namespace est::analysis
