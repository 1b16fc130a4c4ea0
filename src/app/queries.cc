#include "app/queries.h"

#include <set>

#include "app/present.h"
#include "app/system_access.h"

namespace est::app {

using internal::StoreOf;

Result<std::vector<Organisation>> ListOrganisations(const System& sys) {
  return StoreOf(sys).ListOrganisations();
}

Result<std::vector<User>> ListUsers(const System& sys) { return StoreOf(sys).ListUsers(); }

Result<std::map<int64_t, int64_t>> ReportCountsBySubtree(const System& sys,
                                                         const app::Catalog& cat) {
  auto counts = StoreOf(sys).ReportCountsByArea();
  if (!counts) return tl::unexpected(counts.error());
  return SubtreeReportCounts(cat, *counts);
}

Result<std::vector<store::NewArea>> AreaGeometries(const System& sys) {
  return StoreOf(sys).AllAreaGeometries();
}

Result<ReportPage> ListReports(const System& sys, const store::ReportFilter& filter) {
  auto list = StoreOf(sys).ListReports(filter);
  if (!list) return tl::unexpected(list.error());
  auto total = StoreOf(sys).CountReports(filter);
  if (!total) return tl::unexpected(total.error());
  return ReportPage{std::move(*list), *total};
}

Result<std::optional<Report>> GetReport(const System& sys, ReportId id) {
  return StoreOf(sys).GetReport(id);
}

Result<std::vector<ReportId>> DuplicatesOf(const System& sys, ReportId id) {
  return StoreOf(sys).DuplicatesOf(id);
}

Result<std::vector<CheckIn>> ListCheckIns(const System& sys) {
  return StoreOf(sys).ListCheckIns();
}

Result<std::vector<store::AuditEntry>> ListAudit(const System& sys, int64_t after_seq,
                                                 int64_t limit) {
  return StoreOf(sys).ListAudit(after_seq, limit);
}

Result<std::vector<store::AuditEntry>> ListAuditFor(const System& sys, const std::string& entity,
                                                    const std::string& entity_id) {
  return StoreOf(sys).ListAuditFor(entity, entity_id);
}

Status VerifyAudit(const System& sys) { return StoreOf(sys).VerifyAudit(); }

Result<std::vector<Meeting>> ListMeetings(const System& sys) { return StoreOf(sys).ListMeetings(); }

Result<std::optional<Meeting>> GetMeeting(const System& sys, MeetingId id) {
  return StoreOf(sys).GetMeeting(id);
}

Result<std::vector<Problem>> ListProblems(const System& sys) { return StoreOf(sys).ListProblems(); }

Result<std::optional<Problem>> GetProblem(const System& sys, ProblemId id) {
  return StoreOf(sys).GetProblem(id);
}

Result<std::vector<Action>> ListActions(const System& sys) { return StoreOf(sys).ListActions(); }

Result<std::optional<Action>> GetAction(const System& sys, ActionId id) {
  return StoreOf(sys).GetAction(id);
}

Result<std::vector<store::StoredDocument>> ListDocuments(const System& sys) {
  return StoreOf(sys).ListDocuments();
}

Result<std::optional<store::StoredDocument>> GetDocument(const System& sys, int64_t id) {
  return StoreOf(sys).GetDocument(id);
}

Result<std::vector<store::StoredMessage>> ListMessages(const System& sys, std::optional<OrgId> org,
                                                       int64_t limit) {
  return StoreOf(sys).ListMessages(org, limit);
}

Result<std::vector<std::string>> OrgsWithReporters(const System& sys) {
  auto users = StoreOf(sys).ListUsers();
  if (!users) return tl::unexpected(users.error());
  std::vector<std::string> orgs;
  std::set<int64_t> seen;
  auto cat = sys.catalog();
  for (const auto& u : *users) {
    if (u.role != Role::kReporter || !u.org || !seen.insert(u.org->value).second) continue;
    if (const Organisation* o = cat->OrgById(*u.org)) orgs.push_back(o->code);
  }
  return orgs;
}

Result<std::vector<SurveyResult>> ListSurveys(const System& sys) {
  return StoreOf(sys).ListSurveys();
}

Result<std::vector<VulnerableArea>> ListVulnerableAreas(const System& sys) {
  return StoreOf(sys).ListVulnerableAreas();
}

Result<std::optional<geo::MultiPolygon>> VulnerableGeometry(const System& sys, int64_t id) {
  return StoreOf(sys).VulnerableGeometry(id);
}

}  // namespace est::app
