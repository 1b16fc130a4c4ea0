#include "app/coverage.h"

#include <set>

namespace est::app {

CoverageTotal TotalCoverage(const analysis::Lagesbild& lb, const app::Catalog& c) {
  CoverageTotal out;
  for (const auto& cov : lb.coverage) {
    const Area* area = c.AreaById(cov.area);
    if (!area || area->parent) continue;
    // An organisation that both reported and checked in has spoken once.
    std::set<int64_t> spoke;
    for (OrgId o : cov.reported) spoke.insert(o.value);
    for (OrgId o : cov.checked_in) spoke.insert(o.value);
    out.spoke += static_cast<int>(spoke.size());
    out.expected += cov.expected;
  }
  if (out.expected > 0) out.share = static_cast<double>(out.spoke) / out.expected;
  return out;
}

}  // namespace est::app
