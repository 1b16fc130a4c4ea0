#include "analysis/emerging.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "analysis/hotspots.h"

namespace est::analysis {
namespace {

// The statistic from its parts: S, the pairs within tie groups and Σ t(t − 1)(2t + 5) over the
// tie groups.
MannKendall FinishMannKendall(size_t n, double s, double tie_pairs, double tie_var) {
  MannKendall mk;
  const double nd = static_cast<double>(n);
  const double pairs = nd * (nd - 1) / 2;
  mk.s = s;
  mk.var = (nd * (nd - 1) * (2 * nd + 5) - tie_var) / 18;
  if (mk.var > 0) {
    if (mk.s > 0) mk.z = (mk.s - 1) / std::sqrt(mk.var);
    if (mk.s < 0) mk.z = (mk.s + 1) / std::sqrt(mk.var);
  }
  mk.p = NormalTwoSidedP(mk.z);
  const double denominator = std::sqrt((pairs - tie_pairs) * pairs);
  mk.tau = denominator > 0 ? mk.s / denominator : 0;
  return mk;
}

// Knight's O(n log n) form: a stable merge sort of the series counts the discordant pairs
// (k < j with x_k > x_j) and leaves the tie groups adjacent, so S = pairs − tied − 2·discordant.
// Scratch is caller-owned so that the cube loop allocates nothing per cell.
MannKendall MannKendallMerge(std::span<const double> x, std::vector<double>& sorted,
                             std::vector<double>& buffer) {
  const size_t n = x.size();
  sorted.assign(x.begin(), x.end());
  buffer.resize(n);
  long long discordant = 0;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      const size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      size_t i = lo, j = mid, out = lo;
      while (i < mid && j < hi) {
        // Branch-free: the comparison is unpredictable on noisy series.
        const double left = sorted[i], right = sorted[j];
        const bool take_right = right < left;
        buffer[out++] = take_right ? right : left;
        discordant += take_right ? static_cast<long long>(mid - i) : 0;
        j += take_right;
        i += !take_right;
      }
      while (i < mid) buffer[out++] = sorted[i++];
      while (j < hi) buffer[out++] = sorted[j++];
    }
    sorted.swap(buffer);
  }
  double tie_var = 0, tie_pairs = 0;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && sorted[b] == sorted[a]) ++b;
    const double t = static_cast<double>(b - a);
    tie_var += t * (t - 1) * (2 * t + 5);
    tie_pairs += t * (t - 1) / 2;
    a = b;
  }
  const double nd = static_cast<double>(n);
  const double pairs = nd * (nd - 1) / 2;
  return FinishMannKendall(n, pairs - tie_pairs - 2 * static_cast<double>(discordant), tie_pairs,
                           tie_var);
}

// How many of v[0, j) lie below and above x: the pairwise form's inner count. Two doubles per
// SSE2 compare, four per AVX2 compare (AVX2 is not in the x86-64 baseline, so that kernel is
// compiled for it alone and chosen at run time).
struct BelowAbove {
  int64_t below = 0, above = 0;
};

BelowAbove CountBelowAboveSse2(const double* v, size_t j, double x) {
  BelowAbove out;
  size_t i = 0;
#if defined(__SSE2__)
  __m128i below2 = _mm_setzero_si128(), above2 = _mm_setzero_si128();
  const __m128d x2 = _mm_set1_pd(x);
  for (; i + 2 <= j; i += 2) {
    const __m128d xi = _mm_loadu_pd(v + i);
    // A true compare is all ones, i.e. −1: subtracting it counts one.
    below2 = _mm_sub_epi64(below2, _mm_castpd_si128(_mm_cmplt_pd(xi, x2)));
    above2 = _mm_sub_epi64(above2, _mm_castpd_si128(_mm_cmpgt_pd(xi, x2)));
  }
  int64_t lanes[2];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), below2);
  out.below = lanes[0] + lanes[1];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), above2);
  out.above = lanes[0] + lanes[1];
#endif
  for (; i < j; ++i) {
    out.below += v[i] < x;
    out.above += v[i] > x;
  }
  return out;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) BelowAbove CountBelowAboveAvx2(const double* v, size_t j,
                                                               double x) {
  BelowAbove out;
  size_t i = 0;
  __m256i below4 = _mm256_setzero_si256(), above4 = _mm256_setzero_si256();
  const __m256d x4 = _mm256_set1_pd(x);
  for (; i + 4 <= j; i += 4) {
    const __m256d xi = _mm256_loadu_pd(v + i);
    // Ordered, quiet compares: a NaN is neither below nor above, as with SSE2.
    below4 = _mm256_sub_epi64(below4, _mm256_castpd_si256(_mm256_cmp_pd(xi, x4, _CMP_LT_OQ)));
    above4 = _mm256_sub_epi64(above4, _mm256_castpd_si256(_mm256_cmp_pd(xi, x4, _CMP_GT_OQ)));
  }
  int64_t lanes[4];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(lanes), below4);
  out.below = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(lanes), above4);
  out.above = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < j; ++i) {
    out.below += v[i] < x;
    out.above += v[i] > x;
  }
  return out;
}
#endif

// The pairwise form for short series (the emerging cube's 26–104 steps): for each j the earlier
// values below and above x_j; no sort, no dependency chain from one comparison to the next. A
// value's earlier equals e_j = j − below − above number its tie group's members 0, 1, …, t − 1,
// so Σ e_j is the tied pairs and Σ [f(e_j + 1) − f(e_j)] with f(t) = t(t − 1)(2t + 5) is the
// variance's tie term. Exact: the same counts as the merge form.
template <BelowAbove (*Count)(const double*, size_t, double)>
MannKendall MannKendallPairsWith(std::span<const double> x) {
  const size_t n = x.size();
  const double* v = x.data();
  int64_t below_total = 0, above_total = 0;
  double tie_pairs = 0, tie_var = 0;
  auto f = [](double t) { return t * (t - 1) * (2 * t + 5); };
  for (size_t j = 1; j < n; ++j) {
    const BelowAbove c = Count(v, j, v[j]);
    below_total += c.below;
    above_total += c.above;
    const double e = static_cast<double>(static_cast<int64_t>(j) - c.below - c.above);
    tie_pairs += e;
    tie_var += f(e + 1) - f(e);
  }
  return FinishMannKendall(n, static_cast<double>(below_total - above_total), tie_pairs, tie_var);
}

bool HasAvx2() {
#if defined(__x86_64__)
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

MannKendall MannKendallPairs(std::span<const double> x) {
#if defined(__x86_64__)
  if (HasAvx2()) return MannKendallPairsWith<CountBelowAboveAvx2>(x);
#endif
  return MannKendallPairsWith<CountBelowAboveSse2>(x);
}

MannKendall MannKendallWith(std::span<const double> x, std::vector<double>& sorted,
                            std::vector<double>& buffer) {
  if (x.size() < 2) return MannKendall{};
  // O(n²) with cheap steps beats O(n log n) with a dependent chain up to a few hundred values.
  constexpr size_t kPairsUpTo = 256;
  if (x.size() <= kPairsUpTo) return MannKendallPairs(x);
  return MannKendallMerge(x, sorted, buffer);
}

// Rule 1 of the table in the header for one family (hot: z > 0, cold: z < 0) once the final step
// is known to be significant in that family's direction.
EmergingCategory ClassifyFamily(std::span<const double> z, std::span<const uint8_t> significant,
                                bool hot, const MannKendall& trend, double alpha) {
  const size_t n = z.size();
  auto same = [&](size_t t) { return significant[t] != 0 && (hot ? z[t] > 0 : z[t] < 0); };
  auto other = [&](size_t t) { return significant[t] != 0 && (hot ? z[t] < 0 : z[t] > 0); };
  size_t count = 0, other_count = 0;
  for (size_t t = 0; t < n; ++t) {
    count += same(t);
    other_count += other(t);
  }
  if (10 * count >= 9 * n) {
    if (trend.p < alpha && trend.z != 0) {
      const bool intensifying = hot ? trend.z > 0 : trend.z < 0;
      return intensifying ? EmergingCategory::kIntensifying : EmergingCategory::kDiminishing;
    }
    return EmergingCategory::kPersistent;
  }
  if (other_count > 0) return EmergingCategory::kOscillating;
  size_t run_start = n - 1;
  while (run_start > 0 && same(run_start - 1)) --run_start;
  bool earlier = false;
  for (size_t t = 0; t < run_start; ++t) earlier = earlier || significant[t] != 0;
  if (earlier) return EmergingCategory::kSporadic;
  return n - run_start == 1 ? EmergingCategory::kNew : EmergingCategory::kConsecutive;
}

}  // namespace

namespace detail {
std::optional<MannKendall> MannKendallPairsFor(std::span<const double> series, Isa isa) {
  if (series.size() < 2) return MannKendall{};
  switch (isa) {
    case Isa::kSse2:
      return MannKendallPairsWith<CountBelowAboveSse2>(series);
    case Isa::kAvx2:
#if defined(__x86_64__)
      if (HasAvx2()) return MannKendallPairsWith<CountBelowAboveAvx2>(series);
#endif
      return std::nullopt;
  }
  return std::nullopt;
}
}  // namespace detail

MannKendall MannKendallTest(std::span<const double> series) {
  std::vector<double> sorted, buffer;
  return MannKendallWith(series, sorted, buffer);
}

std::string_view EmergingCategoryLabel(EmergingCategory category, bool hot) {
  switch (category) {
    case EmergingCategory::kNoPattern:
      return "no_pattern";
    case EmergingCategory::kNew:
      return hot ? "new_hot_spot" : "new_cold_spot";
    case EmergingCategory::kConsecutive:
      return hot ? "consecutive_hot_spot" : "consecutive_cold_spot";
    case EmergingCategory::kIntensifying:
      return hot ? "intensifying_hot_spot" : "intensifying_cold_spot";
    case EmergingCategory::kPersistent:
      return hot ? "persistent_hot_spot" : "persistent_cold_spot";
    case EmergingCategory::kDiminishing:
      return hot ? "diminishing_hot_spot" : "diminishing_cold_spot";
    case EmergingCategory::kSporadic:
      return hot ? "sporadic_hot_spot" : "sporadic_cold_spot";
    case EmergingCategory::kOscillating:
      return hot ? "oscillating_hot_spot" : "oscillating_cold_spot";
    case EmergingCategory::kHistorical:
      return hot ? "historical_hot_spot" : "historical_cold_spot";
  }
  return "no_pattern";
}

std::string_view EmergingCategoryLabelSv(EmergingCategory category, bool hot) {
  switch (category) {
    case EmergingCategory::kNoPattern:
      return "Inget mönster";
    case EmergingCategory::kNew:
      return hot ? "Ny hotspot" : "Ny coldspot";
    case EmergingCategory::kConsecutive:
      return hot ? "Sammanhängande hotspot" : "Sammanhängande coldspot";
    case EmergingCategory::kIntensifying:
      return hot ? "Intensifierande hotspot" : "Intensifierande coldspot";
    case EmergingCategory::kPersistent:
      return hot ? "Ihållande hotspot" : "Ihållande coldspot";
    case EmergingCategory::kDiminishing:
      return hot ? "Avtagande hotspot" : "Avtagande coldspot";
    case EmergingCategory::kSporadic:
      return hot ? "Sporadisk hotspot" : "Sporadisk coldspot";
    case EmergingCategory::kOscillating:
      return hot ? "Oscillerande hotspot" : "Oscillerande coldspot";
    case EmergingCategory::kHistorical:
      return hot ? "Historisk hotspot" : "Historisk coldspot";
  }
  return "Inget mönster";
}

EmergingClass ClassifyEmerging(std::span<const double> z, std::span<const uint8_t> significant,
                               const MannKendall& trend, double alpha) {
  const size_t n = std::min(z.size(), significant.size());
  if (n == 0) return {};
  z = z.first(n);
  significant = significant.first(n);
  const size_t last = n - 1;
  if (significant[last] != 0 && z[last] > 0) {
    return {ClassifyFamily(z, significant, true, trend, alpha), true};
  }
  if (significant[last] != 0 && z[last] < 0) {
    return {ClassifyFamily(z, significant, false, trend, alpha), false};
  }
  size_t hot = 0, cold = 0;
  for (size_t t = 0; t < n; ++t) {
    hot += significant[t] != 0 && z[t] > 0;
    cold += significant[t] != 0 && z[t] < 0;
  }
  if (10 * hot >= 9 * n) return {EmergingCategory::kHistorical, true};
  if (10 * cold >= 9 * n) return {EmergingCategory::kHistorical, false};
  return {};
}

Result<std::vector<EmergingCell>> EmergingHotspots(
    const StudyGrid& grid, const std::vector<std::vector<double>>& counts_by_step,
    const EmergingOptions& options) {
  const size_t steps = counts_by_step.size();
  const size_t n = grid.size();
  if (steps == 0) return InvalidField("steps", "minst ett tidssteg behövs");
  if (options.time_steps < 0) {
    return InvalidField("time_steps", "antalet tidigare tidssteg får inte vara negativt");
  }
  if (!(options.alpha > 0 && options.alpha < 1)) {
    return InvalidField("alpha", "signifikansnivån måste ligga mellan 0 och 1");
  }
  if (n * steps < 2) return InvalidField("extent", "kuben måste ha minst två celler");
  auto band = DistanceBand::Make(grid.cell_m(), options.band_m);
  if (!band) return tl::unexpected(band.error());

  // Cube-wide mean and S (two passes), and each cell's total over the steps.
  double total = 0;
  bool integral = true;
  std::vector<double> cell_total(n, 0.0);
  for (const std::vector<double>& step : counts_by_step) {
    if (step.size() != n) {
      return InvalidField("counts", "antalet värden stämmer inte med antalet rutor");
    }
    for (size_t i = 0; i < n; ++i) {
      const double x = step[i];
      if (!std::isfinite(x) || x < 0) {
        return InvalidField("counts", "antalen måste vara ändliga och inte negativa");
      }
      total += x;
      cell_total[i] += x;
      integral &= x < 9e15 && std::floor(x) == x;
    }
  }
  const double bins = static_cast<double>(n * steps);
  const double mean = total / bins;
  double ss = 0;
  for (const std::vector<double>& step : counts_by_step) {
    for (double x : step) ss += (x - mean) * (x - mean);
  }
  const double s = std::sqrt(ss / bins);

  BandSummer summer(grid, *band);
  const std::vector<int32_t>& neighbours = summer.neighbour_counts();

  // z is stored step-major (contiguous writes per step) and read back in blocks of cells.
  // W = |N(i)| · (steps in the time window) takes few values: one denominator per pair.
  const size_t lag = static_cast<size_t>(options.time_steps);
  const size_t max_w = static_cast<size_t>(band->offset_count());
  const size_t windows = std::min(lag, steps - 1) + 1;
  const size_t w_codes = windows * (max_w + 1);
  std::vector<double> unit_z(w_codes, 0.0);
  for (size_t k = 1; k <= windows; ++k) {
    for (size_t c = 1; c <= max_w; ++c) {
      const double wk = static_cast<double>(c * k);
      unit_z[(k - 1) * (max_w + 1) + c] = GiStarZ(1 + mean * wk, wk, mean, s, bins);
    }
  }
  // The exact test of a bin (as GiStar's p, hotspots.h): with whole counts its local sum L is
  // Binomial(N, W/(n · steps)) under constant intensity over the cube. Like z, p depends on
  // (L, W) only, so with whole counts a bin keeps just the key L · w_codes + code(W) (4 bytes
  // instead of z's 8), and z, p and the verdict are computed once per key in use.
  const bool exact = integral && total * static_cast<double>(w_codes) < 4e9;
  // Every study cell is classified, also one whose neighbourhood never holds a report: with
  // enough reports elsewhere its bins are significantly cold (a persistent cold spot).
  std::vector<double> z(exact ? 0 : n * steps);
  std::vector<uint32_t> key(exact ? n * steps : 0);
  std::vector<int32_t> key_count_lo, key_count_hi;  // per half of the steps
  // Steps [t0, t1) on one thread with its own summer and window. Before step t the window holds
  // steps max(0, t − 1 − lag) .. t − 1, so a half starting at t0 starts from that sum and both
  // halves see the running sums one pass would.
  auto z_steps = [&](size_t t0, size_t t1, std::vector<int32_t>* key_count) {
    BandSummer own(grid, *band);
    std::vector<double> window(n, 0.0), sums(n);
    for (size_t t = t0 > lag + 1 ? t0 - lag - 1 : 0; t < t0; ++t) {
      const std::vector<double>& add = counts_by_step[t];
      for (size_t i = 0; i < n; ++i) window[i] += add[i];
    }
    for (size_t t = t0; t < t1; ++t) {
      // Running sum over steps t − lag .. t: exact for integer counts.
      const std::vector<double>& add = counts_by_step[t];
      for (size_t i = 0; i < n; ++i) window[i] += add[i];
      if (t > lag) {
        const std::vector<double>& drop = counts_by_step[t - lag - 1];
        for (size_t i = 0; i < n; ++i) window[i] -= drop[i];
      }
      own.Sum(window.data(), sums.data());
      const size_t steps_in = std::min(t, lag) + 1;
      const size_t code0 = (steps_in - 1) * (max_w + 1);
      if (!exact) {
        const double* unit = &unit_z[code0];
        double* zt = &z[t * n];
        for (size_t i = 0; i < n; ++i) {
          const double w = static_cast<double>(neighbours[i] * steps_in);
          zt[i] = (sums[i] - mean * w) * unit[neighbours[i]];
        }
        continue;
      }
      uint32_t* kt = &key[t * n];
      for (size_t i = 0; i < n; ++i) {
        const size_t k =
            static_cast<size_t>(sums[i]) * w_codes + code0 + static_cast<size_t>(neighbours[i]);
        kt[i] = static_cast<uint32_t>(k);
        if (k >= key_count->size()) key_count->resize(std::max(k + 1, 2 * key_count->size()), 0);
        ++(*key_count)[k];
      }
    }
  };
  const bool many_cores = std::thread::hardware_concurrency() > 1;
  const bool two_z = options.threads == 2 ||
                     (options.threads == 0 && many_cores && steps >= 8 && n * steps >= 100000);
  if (two_z && steps >= 2) {
    std::thread helper(z_steps, steps / 2, steps, &key_count_hi);
    z_steps(0, steps / 2, &key_count_lo);
    helper.join();
  } else {
    z_steps(0, steps, &key_count_lo);
  }

  // Benjamini–Hochberg over every bin of the cube (one family: a cell's category reads all its
  // steps): the largest p_(r) ≤ r·α/m is the threshold, and a bin is significant when its p is
  // at or below it. Exact path: per key in use, with its multiplicity; otherwise on the normal p
  // of every bin, through |z| (p falls as |z| grows).
  const double m = bins;
  std::vector<double> p_of_key, z_of_key;
  std::vector<uint8_t> sig_of_key;
  double z_star = std::numeric_limits<double>::infinity();
  if (exact) {
    if (key_count_hi.size() > key_count_lo.size()) key_count_lo.swap(key_count_hi);
    for (size_t k = 0; k < key_count_hi.size(); ++k) key_count_lo[k] += key_count_hi[k];
    const int64_t cube_total = static_cast<int64_t>(total);
    const size_t keys = key_count_lo.size();
    p_of_key.assign(keys, 1.0);
    z_of_key.assign(keys, 0.0);
    sig_of_key.assign(keys, 0);
    struct Used {
      double p;
      uint32_t key;
    };
    std::vector<Used> used;
    for (size_t k = 0; k < keys; ++k) {
      if (key_count_lo[k] == 0) continue;
      const size_t local = k / w_codes, code = k % w_codes;
      const size_t steps_in = code / (max_w + 1) + 1, cells_in = code % (max_w + 1);
      const double w = static_cast<double>(steps_in * cells_in);
      p_of_key[k] = BinomialTwoSidedP(static_cast<int64_t>(local), cube_total, w / bins);
      z_of_key[k] = (static_cast<double>(local) - mean * w) * unit_z[code];
      used.push_back({p_of_key[k], static_cast<uint32_t>(k)});
    }
    std::sort(used.begin(), used.end(), [](const Used& a, const Used& b) { return a.p < b.p; });
    int64_t rank = 0;
    double p_star = -1;  // no bin significant
    for (const Used& u : used) {
      rank += key_count_lo[u.key];
      if (u.p <= static_cast<double>(rank) * options.alpha / m) p_star = u.p;
    }
    for (const Used& u : used) sig_of_key[u.key] = u.p <= p_star;
  } else {
    std::vector<double> abs_z(z.size());
    for (size_t b = 0; b < z.size(); ++b) abs_z[b] = std::fabs(z[b]);
    std::sort(abs_z.begin(), abs_z.end(), std::greater<>());
    for (size_t r = 0; r < abs_z.size(); ++r) {
      if (NormalTwoSidedP(abs_z[r]) <= static_cast<double>(r + 1) * options.alpha / m) {
        z_star = abs_z[r];
      }
    }
  }

  std::vector<EmergingCell> rows(n);
  // Each cell's trend test and class are independent of every other cell's: the cells are split
  // in two halves (whole blocks), one for this thread and one for a second core.
  constexpr size_t kBlock = 64;
  auto classify = [&](size_t from, size_t to) {
    std::vector<double> block(kBlock * steps), sorted, buffer;
    std::vector<uint32_t> block_key(exact ? kBlock * steps : 0);
    std::vector<uint8_t> sig(steps);
    for (size_t a0 = from; a0 < to; a0 += kBlock) {
      const size_t a1 = std::min(to, a0 + kBlock);
      for (size_t t = 0; t < steps; ++t) {
        if (exact) {
          const uint32_t* kt = &key[t * n];
          for (size_t a = a0; a < a1; ++a) {
            block_key[(a - a0) * steps + t] = kt[a];
            block[(a - a0) * steps + t] = z_of_key[kt[a]];
          }
          continue;
        }
        const double* zt = &z[t * n];
        for (size_t a = a0; a < a1; ++a) block[(a - a0) * steps + t] = zt[a];
      }
      for (size_t a = a0; a < a1; ++a) {
        const std::span<const double> series(&block[(a - a0) * steps], steps);
        EmergingCell& row = rows[a];
        row.ix = grid.cell(a).ix;
        row.iy = grid.cell(a).iy;
        row.count = std::llround(cell_total[a]);
        const uint32_t* keys = exact ? &block_key[(a - a0) * steps] : nullptr;
        for (size_t t = 0; t < steps; ++t) {
          sig[t] = exact ? sig_of_key[keys[t]] : std::fabs(series[t]) >= z_star;
          row.hot_steps += sig[t] && series[t] > 0;
          row.cold_steps += sig[t] && series[t] < 0;
        }
        row.last_z = series[steps - 1];
        row.last_p = exact ? p_of_key[keys[steps - 1]] : NormalTwoSidedP(row.last_z);
        row.trend = MannKendallWith(series, sorted, buffer);
        const EmergingClass c = ClassifyEmerging(series, sig, row.trend, options.alpha);
        row.category = c.category;
        row.hot = c.hot;
      }
    }
  };
  constexpr size_t kParallelCells = 4096;
  const bool two_cells =
      options.threads == 2 || (options.threads == 0 && many_cores && n >= kParallelCells);
  if (two_cells && n > kBlock) {
    const size_t half = (n / 2 + kBlock - 1) / kBlock * kBlock;
    std::thread helper(classify, half, n);
    classify(0, half);
    helper.join();
  } else {
    classify(0, n);
  }
  return rows;
}

}  // namespace est::analysis
