// Rapportindata: one report as it arrives (from the web form's JSON or a CSV row), before it is
// trusted, and the single validation that turns it into a stored-ready Report.
//
// Both the HTTP adapter and the CSV importer fill a ReportInput and call ResolveReport, so a
// report is judged by the same rules whichever way it came in.
#ifndef EST_INGEST_REPORT_INPUT_H_
#define EST_INGEST_REPORT_INPUT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "ingest/reference.h"

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
  // "" = new; new / reviewed / rejected, or duplicate (an exported file's: stored as rejected
  // with a note, since the report it repeated is not known here).
  std::string status;
  ReportSource source = ReportSource::kForm;
};

struct ResolvedReport {
  Report report;
  std::vector<std::string> scrubbed;  // kinds of personal data removed from the description
};

// Validates and resolves `in` against `catalog` (the reference data; app::Catalog) at time `now`. On success returns the report with
// its area assigned (empty area = outside every area). On failure returns nullopt and appends one
// FieldError per problem to `errors`, each field named `prefix + name` (e.g. "rad 12: category").
std::optional<ResolvedReport> ResolveReport(const ReportInput& in, const ReferenceData& catalog,
                                            UnixSeconds now, std::vector<FieldError>& errors,
                                            const std::string& prefix = "");

// The rules for single fields, shared by ResolveReport and a change to a stored report
// (app::System::UpdateReport), so that a field is judged the same way however it is set. Each
// sets its part of `r` or appends a FieldError named `prefix + field` to `errors`.
//
// Category by code or name, and in use; returns it (nullptr when unknown).
const Category* ApplyCategory(std::string_view text, const ReferenceData& catalog, Report& r,
                              std::vector<FieldError>& errors, const std::string& prefix = "");
void ApplySeverity(int severity, Report& r, std::vector<FieldError>& errors,
                   const std::string& prefix = "");  // 1–3
void ApplyCount(int count, Report& r, std::vector<FieldError>& errors,
                const std::string& prefix = "");  // 1–10000
void ApplyCertainty(std::string_view text, Report& r, std::vector<FieldError>& errors,
                    const std::string& prefix = "");  // observed / suspected
// At most 4000 characters; the text stored is scrubbed of personal data. Returns the kinds
// removed.
std::vector<std::string> ApplyDescription(std::string_view text, const ReferenceData& catalog,
                                          Report& r, std::vector<FieldError>& errors,
                                          const std::string& prefix = "");
// A point as lon/lat (WGS84, `lonlat`) or x/y in `epsg`: sets r.e, r.n and r.source_epsg. Errors:
// a coordinate missing or not a number (naming lon/lat or x/y), lon/lat out of range, a CRS PROJ
// cannot use, and a point outside Sweden (named `outside_field`; with the hint that lon and lat
// may be swapped when swapping would help). The point is transformed only when no error was
// added since index `*since` of `errors` (default: since the call).
void ApplyPoint(std::optional<double> a, std::optional<double> b, bool lonlat, int epsg, Report& r,
                std::vector<FieldError>& errors, const std::string& prefix = "",
                const std::string& outside_field = "location", const size_t* since = nullptr);

}  // namespace est::ingest

#endif  // EST_INGEST_REPORT_INPUT_H_
