// Rapportindata: one report as it arrives (from the web form's JSON or a CSV row), before it is
// trusted, and the single validation that turns it into a stored-ready Report.
//
// Both the HTTP adapter and the CSV importer fill a ReportInput and call ResolveReport, so a
// report is judged by the same rules whichever way it came in.
#ifndef EST_INGEST_REPORT_INPUT_H_
#define EST_INGEST_REPORT_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "ingest/catalog.h"

namespace est::ingest {

struct ReportInput {
  std::optional<std::string> source_id;
  std::string occurred_from;  // ISO-8601 text (core/time.h ParseTimestamp)
  std::string occurred_to;    // optional, "" = none
  // Location: exactly one of lon/lat, x/y (in `epsg`), a named place, or an area alone.
  std::optional<double> lon, lat, x, y;
  std::optional<int> epsg;  // CRS of x/y; default 3006
  std::string place;
  std::string area;             // placed only by this area (code or name): "bara område", no point
  std::string category;         // code or name
  std::string org;              // code or name
  std::optional<int> severity;  // 1..3, default from the category
  std::optional<int> count;     // >= 1, default 1
  std::string certainty;        // "observed" (default) / "suspected"
  std::optional<bool> police_notified;
  std::string description;
  ReportSource source = ReportSource::kForm;
};

struct ResolvedReport {
  Report report;
  std::vector<std::string> scrubbed;  // kinds of personal data removed from the description
};

// Validates and resolves `in` against `catalog` at time `now`. On success returns the report with
// its area assigned (empty area = outside every area). On failure returns nullopt and appends one
// FieldError per problem to `errors`, each field named `prefix + name` (e.g. "rad 12: category").
std::optional<ResolvedReport> ResolveReport(const ReportInput& in, const Catalog& catalog,
                                            UnixSeconds now, std::vector<FieldError>& errors,
                                            const std::string& prefix = "");

}  // namespace est::ingest

#endif  // EST_INGEST_REPORT_INPUT_H_
