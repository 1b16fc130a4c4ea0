#include "analysis/concentration.h"

#include <algorithm>
#include <cassert>
#include <functional>

namespace est::analysis {
namespace {

// The Lorenz curve (descending) read at units share `p`, interpolating within a unit.
double ShareOfTop(const std::vector<int64_t>& descending, double total, double p) {
  const double n = static_cast<double>(descending.size());
  const double units = p * n;
  double sum = 0;
  for (size_t i = 0; i < descending.size(); ++i) {
    const double whole = static_cast<double>(i + 1);
    const double c = static_cast<double>(descending[i]);
    if (whole <= units) {
      sum += c;
    } else {
      sum += c * (units - static_cast<double>(i));
      break;
    }
  }
  return sum / total;
}

}  // namespace

ConcentrationResult Concentration(std::vector<int64_t> counts) {
  ConcentrationResult r;
  r.units = static_cast<int64_t>(counts.size());
  r.lorenz.push_back({0.0, 0.0});
  if (counts.empty()) return r;
  std::sort(counts.begin(), counts.end(), std::greater<>());
  for (int64_t c : counts) {
    assert(c >= 0);
    r.total += c;
  }
  const double n = static_cast<double>(counts.size());
  if (r.total == 0) {
    r.lorenz.push_back({1.0, 1.0});
    return r;
  }
  const double total = static_cast<double>(r.total);

  // Points at the end of each run of equal counts.
  int64_t cumulative = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    if (i + 1 == counts.size() || counts[i + 1] != counts[i]) {
      r.lorenz.push_back({static_cast<double>(i + 1) / n, static_cast<double>(cumulative) / total});
    }
  }
  r.lorenz.back() = {1.0, 1.0};  // exact despite rounding of the divisions

  r.top5_share = ShareOfTop(counts, total, 0.05);
  r.top10_share = ShareOfTop(counts, total, 0.10);

  // counts is descending, so rank i (1-based, ascending) of counts[k] is n − k.
  double weighted = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    weighted += (n - static_cast<double>(k)) * static_cast<double>(counts[k]);
  }
  r.gini = 2.0 * weighted / (n * total) - (n + 1.0) / n;
  return r;
}

}  // namespace est::analysis
