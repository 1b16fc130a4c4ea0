// The read use cases of the adapters (queries.cc also holds System's lägesbild query, the study
// grid and its cache, declared in system.h): lists and single records as stored (configuration, reports
// and check-ins, the audit trail, meetings, problems, actions, documents, messages, surveys, the
// police list). The HTTP routes and the CLI commands read through these, never the store; the
// computed answers (lägesbild, analyses, agenda, evaluation, documents) are in their own use-case
// headers (system.h, analyses.h, work.h, evaluation.h, documents.h, context.h).
//
// Each returns the store's answer (kUnavailable when the database fails). Thread-safe: reads run
// concurrently with each other and with the one writer.
#ifndef EST_APP_QUERIES_H_
#define EST_APP_QUERIES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/system.h"
#include "core/context.h"
#include "core/error.h"
#include "core/model.h"
#include "core/work.h"

namespace est::app {

// Configuration.
Result<std::vector<Organisation>> ListOrganisations(const System& sys);
Result<std::vector<User>> ListUsers(const System& sys);
// The reports of each area and its sub-areas, by area id (0: outside every area).
Result<std::map<int64_t, int64_t>> ReportCountsBySubtree(const System& sys,
                                                         const app::Catalog& cat);
// Every area with its geometry (SWEREF 99 TM).
Result<std::vector<store::NewArea>> AreaGeometries(const System& sys);

// Reports and check-ins.
struct ReportPage {
  std::vector<Report> reports;  // the filter's page (limit, offset)
  int64_t total = 0;            // every report the filter matches
};
Result<ReportPage> ListReports(const System& sys, const store::ReportFilter& filter);
// The filters of an export (est reports list, GET /api/v1/reports?format=csv|geojson) by code:
// `within` keeps reports whose deepest area is that area or one below it ("outside": none);
// period/from/to as the lägesbild's; source form|import|police; status new|reviewed|rejected|
// duplicate. Errors name each bad filter. The caller's organisation scope is applied apart.
struct ReportExportParams {
  std::string period, from, to;
  std::vector<std::string> within, categories, orgs;
  std::string source, status;
};
Result<store::ReportFilter> ResolveReportFilter(const System& sys, const ReportExportParams& p);
// Writes the reports of `filter` (newest first, from its offset; its limit is ignored: at most
// `max_rows`, 0 = no limit) as csv, json (one object per line) or geojson (a FeatureCollection),
// read from the store in pages so memory stays flat. Returns how many were written.
Result<int64_t> WriteReports(const System& sys, store::ReportFilter filter,
                             const std::string& format, int64_t max_rows,
                             const std::function<void(std::string_view)>& write);
Result<std::optional<Report>> GetReport(const System& sys, ReportId id);
// The reports marked as duplicates of `id`.
Result<std::vector<ReportId>> DuplicatesOf(const System& sys, ReportId id);
Result<std::vector<CheckIn>> ListCheckIns(const System& sys);

// The audit trail: entries after `after_seq` (at most `limit`), the entries of one entity, and the
// check of the hash chain (an error naming the first broken entry).
Result<std::vector<store::AuditEntry>> ListAudit(const System& sys, int64_t after_seq,
                                                 int64_t limit);
Result<std::vector<store::AuditEntry>> ListAuditFor(const System& sys, const std::string& entity,
                                                    const std::string& entity_id);
Status VerifyAudit(const System& sys);

// Work after the picture.
Result<std::vector<Meeting>> ListMeetings(const System& sys);  // newest first
Result<std::optional<Meeting>> GetMeeting(const System& sys, MeetingId id);
Result<std::vector<Problem>> ListProblems(const System& sys);  // newest first
Result<std::optional<Problem>> GetProblem(const System& sys, ProblemId id);
Result<std::vector<Action>> ListActions(const System& sys);  // by follow-up date, then id
Result<std::optional<Action>> GetAction(const System& sys, ActionId id);

// Published documents (the list without their data).
Result<std::vector<store::StoredDocument>> ListDocuments(const System& sys);
Result<std::optional<store::StoredDocument>> GetDocument(const System& sys, int64_t id);

// Feedback: messages (of `org`, or every organisation's), newest first; the codes of the
// organisations that have a reporter account (the default recipients of a weekly summary).
Result<std::vector<store::StoredMessage>> ListMessages(const System& sys, std::optional<OrgId> org,
                                                       int64_t limit);
Result<std::vector<std::string>> OrgsWithReporters(const System& sys);

// Other information.
Result<std::vector<SurveyResult>> ListSurveys(const System& sys);
Result<std::vector<VulnerableArea>> ListVulnerableAreas(const System& sys);  // by year, name
Result<std::optional<geo::MultiPolygon>> VulnerableGeometry(const System& sys, int64_t id);

}  // namespace est::app

#endif  // EST_APP_QUERIES_H_
