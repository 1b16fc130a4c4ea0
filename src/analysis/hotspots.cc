#include "analysis/hotspots.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace est::analysis {
namespace {
__extension__ using Int128 = __int128;  // GCC and Clang; exact sums of squared counts
}  // namespace

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

std::pair<double, double> BinomialTails(int64_t k, int64_t trials, double q) {
  if (k <= 0) return {1.0, k == 0 ? std::pow(1 - q, static_cast<double>(trials)) : 0.0};
  if (k > trials) return {0.0, 1.0};
  if (!(q > 0)) return {0.0, 1.0};
  if (!(q < 1)) return {1.0, k == trials ? 1.0 : 0.0};  // X = trials
  const double nt = static_cast<double>(trials), kd = static_cast<double>(k);
  const double log_pmf = std::lgamma(nt + 1) - std::lgamma(kd + 1) - std::lgamma(nt - kd + 1) +
                         kd * std::log(q) + (nt - kd) * std::log1p(-q);
  const double pmf = std::exp(log_pmf);
  const double odds = q / (1 - q);
  // Sum the side away from the mode, where the terms fall off geometrically; the other tail is
  // its complement plus P(X = k) (close to 1, so nothing is lost by the subtraction).
  double side = 0;
  if (kd > nt * q) {
    double term = pmf;
    for (int64_t j = k; j <= trials && term > 0; ++j) {
      side += term;
      if (term < side * 1e-17) break;
      term *= static_cast<double>(trials - j) / static_cast<double>(j + 1) * odds;
    }
    const double upper = std::min(1.0, side);
    return {upper, std::clamp(1 - upper + pmf, 0.0, 1.0)};
  }
  double term = pmf;
  for (int64_t j = k; j >= 0 && term > 0; --j) {
    side += term;
    if (term < side * 1e-17) break;
    term *= static_cast<double>(j) / (static_cast<double>(trials - j + 1) * odds);
  }
  const double lower = std::min(1.0, side);
  return {std::clamp(1 - lower + pmf, 0.0, 1.0), lower};
}

double BinomialTwoSidedP(int64_t k, int64_t trials, double q) {
  const auto [upper, lower] = BinomialTails(k, trials, q);
  return std::min(1.0, 2 * std::min(upper, lower));
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

  // Mean and S. The checks and sums run in four independent lanes (a single running sum waits
  // for its previous addition on every cell). Integer counts — reports per cell, the usual case —
  // are summed exactly as integers and S comes from n·Σx² − (Σx)² without rounding; other
  // values take two passes (Σx²/n − X̄² loses digits when the values are large and alike).
  double max_count = 0;
  bool integral = true;
  const double* x = counts.data();
  {
    double max_lane[4] = {0, 0, 0, 0};
    bool ok_lane[4] = {true, true, true, true}, int_lane[4] = {true, true, true, true};
    for (size_t i = 0; i < n; ++i) {
      const double v = x[i];
      const size_t l = i & 3;
      ok_lane[l] &= std::isfinite(v) && v >= 0;
      max_lane[l] = std::max(max_lane[l], v);
      int_lane[l] &= v < 9e15 && static_cast<double>(static_cast<int64_t>(v)) == v;
    }
    for (int l = 0; l < 4; ++l) {
      if (!ok_lane[l])
        return InvalidField("counts", "antalen måste vara ändliga och inte negativa");
      max_count = std::max(max_count, max_lane[l]);
      integral &= int_lane[l];
    }
  }
  const double nd = static_cast<double>(n);
  double mean = 0, s = 0;
  if (integral && max_count < 3e9) {
    // Σx < 2^63 and Σx² < 2^127 for any grid that fits in memory.
    int64_t sum_lane[4] = {0, 0, 0, 0};
    Int128 sq_lane[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; ++i) {
      const int64_t v = static_cast<int64_t>(x[i]);
      sum_lane[i & 3] += v;
      sq_lane[i & 3] += static_cast<Int128>(v) * v;
    }
    const Int128 sum = static_cast<Int128>(sum_lane[0]) + sum_lane[1] + sum_lane[2] + sum_lane[3];
    const Int128 sq = sq_lane[0] + sq_lane[1] + sq_lane[2] + sq_lane[3];
    mean = static_cast<double>(sum) / nd;
    // S² = (n·Σx² − (Σx)²) / n², the numerator exact.
    const Int128 num = static_cast<Int128>(n) * sq - sum * sum;
    s = std::sqrt(static_cast<double>(num)) / nd;
  } else {
    double sum_lane[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; ++i) sum_lane[i & 3] += x[i];
    mean = (sum_lane[0] + sum_lane[1] + sum_lane[2] + sum_lane[3]) / nd;
    double ss_lane[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; ++i) ss_lane[i & 3] += (x[i] - mean) * (x[i] - mean);
    s = std::sqrt((ss_lane[0] + ss_lane[1] + ss_lane[2] + ss_lane[3]) / nd);
  }

  BandSummer summer(grid, *band);
  std::vector<double> local(n);
  summer.Sum(counts.data(), local.data());
  const std::vector<int32_t>& w = summer.neighbour_counts();

  // W takes at most offset_count() + 1 values, so the denominator and, for the many cells whose
  // neighbourhood is empty, z and p come from tables: erfc only runs for cells with reports.
  const size_t max_w = static_cast<size_t>(band->offset_count());
  std::vector<double> unit_z(max_w + 1), empty_z(max_w + 1), empty_p(max_w + 1);
  std::vector<int64_t> empty_cells(max_w + 1, 0);
  for (size_t k = 1; k <= max_w; ++k) {
    const double wk = static_cast<double>(k);
    unit_z[k] = GiStarZ(1 + mean * wk, wk, mean, s, nd);  // z per unit of local_sum − X̄W
    empty_z[k] = GiStarZ(0, wk, mean, s, nd);
  }

  // The exact test of the local sum needs whole counts (reports per cell, the usual case).
  const bool exact = integral && options.inference == GiStarOptions::Inference::kExact;
  int64_t total = 0;
  if (exact) {
    for (size_t i = 0; i < n; ++i) total += static_cast<int64_t>(x[i]);
  }
  auto exact_p = [&](double local_sum, size_t wi) {
    return BinomialTwoSidedP(static_cast<int64_t>(local_sum), total, static_cast<double>(wi) / nd);
  };
  for (size_t k = 1; k <= max_w; ++k) {
    empty_p[k] = exact ? exact_p(0, k) : NormalTwoSidedP(empty_z[k]);
  }

  // z, p_normal and p depend only on (local_sum, W). With integer counts the cells fall into few
  // such groups (a few hundred for a week of reports), so erfc, the binomial tails and the
  // Benjamini–Hochberg sort run per group: the dense table group_of maps local_sum · (max_w + 1) +
  // W to a group (local_sum is at most W · the largest count). Cells with equal p share one
  // adjusted value either way (ties take the value of the highest rank, as in R's p.adjust), so
  // grouping changes no result.
  struct Group {
    double z;
    double p_normal;
    double p;
    int64_t multiplicity;
    double adjusted;
  };
  std::vector<Group> groups;
  // A new group for local sum v over W = wi cells, holding `cells` cells; returns its index.
  auto add_group = [&](double v, size_t wi, int64_t cells) {
    const double z = (v - mean * static_cast<double>(wi)) * unit_z[wi];
    const double p_normal = NormalTwoSidedP(z);
    groups.push_back({z, p_normal, exact ? exact_p(v, wi) : p_normal, cells, 1});
    return static_cast<int32_t>(groups.size() - 1);
  };
  // The empty cells: one group per W, made first so that group_of_cell can name them.
  std::vector<int32_t> empty_group(max_w + 1, -1);
  for (size_t i = 0; i < n; ++i) {
    if (!(local[i] > 0)) ++empty_cells[static_cast<size_t>(w[i])];
  }
  for (size_t k = 1; k <= max_w; ++k) {
    if (empty_cells[k] == 0) continue;
    groups.push_back({empty_z[k], NormalTwoSidedP(empty_z[k]), empty_p[k], empty_cells[k], 1});
    empty_group[k] = static_cast<int32_t>(groups.size() - 1);
  }
  std::vector<int32_t> group_of_cell(n);
  constexpr double kMaxTable = 1 << 22;
  const double table_size = (max_count * static_cast<double>(max_w) + 1) * (max_w + 1);
  const bool grouped = integral && table_size <= kMaxTable;
  if (grouped) {
    // First the key of every cell and how many cells have it, counted in four interleaved tables
    // (neighbouring cells often share a key, and one table would make each count wait for the
    // previous one); then one group per key in use, in key order; then each cell's group.
    const size_t keys = static_cast<size_t>(table_size);
    std::vector<int32_t> key_of_cell(n);
    std::vector<int32_t> key_count(4 * keys, 0);
    for (size_t i = 0; i < n; ++i) {
      const double v = local[i];
      const size_t wi = static_cast<size_t>(w[i]);
      if (!(v > 0)) {
        key_of_cell[i] = -1;
        continue;
      }
      const size_t key = static_cast<size_t>(static_cast<int64_t>(v)) * (max_w + 1) + wi;
      key_of_cell[i] = static_cast<int32_t>(key);
      ++key_count[(i & 3) * keys + key];
    }
    std::vector<int32_t> group_of(keys, -1);
    for (size_t key = 0; key < keys; ++key) {
      const int64_t m = int64_t{key_count[key]} + key_count[keys + key] +
                        key_count[2 * keys + key] + key_count[3 * keys + key];
      if (m == 0) continue;
      group_of[key] = add_group(static_cast<double>(key / (max_w + 1)), key % (max_w + 1), m);
    }
    for (size_t i = 0; i < n; ++i) {
      const int32_t key = key_of_cell[i];
      group_of_cell[i] =
          key < 0 ? empty_group[static_cast<size_t>(w[i])] : group_of[static_cast<size_t>(key)];
    }
  } else {
    // Values that are not whole (or a table too large): a group per cell.
    for (size_t i = 0; i < n; ++i) {
      const double v = local[i];
      const size_t wi = static_cast<size_t>(w[i]);
      group_of_cell[i] = v > 0 ? add_group(v, wi, 1) : empty_group[wi];
    }
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

  std::vector<GiStarCell> rows(n);
  for (size_t i = 0; i < n; ++i) {
    const Group& g = groups[static_cast<size_t>(group_of_cell[i])];
    GiStarCell& row = rows[i];
    row.ix = grid.cell(i).ix;
    row.iy = grid.cell(i).iy;
    row.count = static_cast<int64_t>(counts[i] + 0.5);  // counts are >= 0
    row.local_sum = local[i];
    row.n_neigh = w[i];
    row.gi_star = g.z;
    row.p_normal = g.p_normal;
    row.p = g.p;
    row.bin = EsriBin(g.z, g.p);
    row.p_fdr = g.adjusted;
    row.significant_fdr = g.adjusted <= options.alpha;
  }
  return rows;
}

}  // namespace est::analysis
