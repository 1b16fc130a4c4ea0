// Täckning: the one coverage figure of a lägesbild, shared by the API (`coverage_total` in
// LagesbildJson) and the documents, so that a PDF and the screen never disagree for the same
// period.
//
// Definition ("andel organisationer som hörts av"): for the municipality (the root area or areas),
// the organisations expected there are those that reported or checked in during the 12 weeks
// before the period (analysis::CoverageRow::expected); an organisation has spoken when it reported
// or checked in during the period. Each organisation counts once per root area, however many
// reports or areas it has. Share = spoke / expected.
//
// Pure function of its arguments; thread-safe.
#ifndef EST_APP_COVERAGE_H_
#define EST_APP_COVERAGE_H_

#include <optional>

#include "analysis/engine.h"
#include "app/catalog.h"

namespace est::app {

struct CoverageTotal {
  int spoke = 0;                // organisations that reported or checked in
  int expected = 0;             // organisations that usually do (the 12 weeks before)
  std::optional<double> share;  // spoke / expected; none when nobody is expected
};

// The coverage of `lb` as defined above. `lb` must have been computed with coverage (the
// default of analysis::LagesbildQuery); without it the result is 0 of 0, no share.
CoverageTotal TotalCoverage(const analysis::Lagesbild& lb, const app::Catalog& catalog);

}  // namespace est::app

#endif  // EST_APP_COVERAGE_H_
