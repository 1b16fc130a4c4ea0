// Disclosure control for other organisations' reports (röjandeskydd, DESIGN.md §8): who may see
// which reports at cell, point and day level.
//
// The rule. Coordinators, administrators and the CLI (operators) see every report as it is.
// Everyone else (reporters, organisation leads, viewers) is a limited audience: their own
// organisation's reports in full, the common picture per area and category as before, and at
// cell or point level (hotspots, emerging hotspots, heat, the hour × weekday profile,
// concentration, the agenda's and documents' hot cells):
//   1. other organisations' reports only on cells of at least kOtherOrgMinCellM metres: a
//      smaller `cell` is refused (kInvalidArgument naming "cell"), so nobody reads a coarser map
//      than the one they asked for without knowing;
//   2. in a cell holding 1 or 2 (fewer than kOtherOrgMinCount) other-organisation reports those
//      reports are withheld: the analysis runs on the caller's own reports plus other
//      organisations' reports in the cells that pass, so a withheld report takes part in no
//      count, no neighbourhood sum and no test (Gi* cannot be used to infer it). The cell is not
//      marked: a mark would itself say "1–2 reports here". The total withheld is reported;
//   3. point lists never hold other organisations' reports (own organisation only);
//   4. a period shorter than kOtherOrgMinDays days is refused when the filter names another
//      organisation (kInvalidArgument naming "from" and "to", or "period").
// Thread safety: plain values and pure functions.
#ifndef EST_APP_DISCLOSURE_H_
#define EST_APP_DISCLOSURE_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/engine.h"
#include "core/error.h"
#include "core/model.h"

namespace est::app {

inline constexpr double kOtherOrgMinCellM = 100;
inline constexpr int64_t kOtherOrgMinCount = 3;
inline constexpr int kOtherOrgMinDays = 7;

// Who an analysis is for. Default: everything (operators, the CLI, published documents).
struct Audience {
  bool everything = true;
  // For a limited audience, the caller's own organisation; nullopt (a viewer without one): every
  // report is another organisation's.
  std::optional<OrgId> own_org;

  bool limited() const { return !everything; }
  bool IsOwn(OrgId o) const { return own_org && *own_org == o; }
};

// Coordinators and administrators see everything; every other role is limited to its
// organisation (user.org).
Audience AudienceOf(const User& user);

// Whether a point list (report lists, a single report) may show a report of organisation `org`.
bool MayListPoint(const Audience& a, OrgId org);

// Whether the query can count another organisation's reports for a limited audience (an org
// filter that is empty or names another organisation). False for everything.
bool IncludesOtherOrgs(const Audience& a, const analysis::LagesbildQuery& q);

// Rule 4. `named_range`: the period came from from/to (errors name both), else from "period".
// Succeeds for everything, for filters without another organisation, and for periods of at least
// kOtherOrgMinDays days.
Status CheckOtherOrgWindow(const Audience& a, const analysis::LagesbildQuery& q, bool named_range);

// Rule 1. `own_code` is named in the message as the way to finer cells ("" when none).
Status CheckOtherOrgCell(const Audience& a, const analysis::LagesbildQuery& q, double cell_m,
                         const std::string& own_code);

// The query restricted to the audience's own organisation (nullopt when it can count nothing:
// no own organisation, or a filter without it) and to the other organisations (nullopt when the
// filter names only the own one). `all_orgs`: every organisation id of the catalog.
// REQUIRES: a.limited().
std::optional<analysis::LagesbildQuery> OwnPart(const Audience& a,
                                                const analysis::LagesbildQuery& q);
std::optional<analysis::LagesbildQuery> OtherPart(const Audience& a,
                                                  const analysis::LagesbildQuery& q,
                                                  const std::vector<OrgId>& all_orgs);

// Rule 2 on counts per cell (the same cells in the same order): own[i] + other[i] where other[i]
// is 0 or at least kOtherOrgMinCount, own[i] alone otherwise. `withheld` (if not null) grows by
// the other-organisation reports left out. REQUIRES: own.size() == other.size().
std::vector<double> MergeDisclosed(const std::vector<double>& own, const std::vector<double>& other,
                                   int64_t* withheld);

// Whether `other_count` reports of other organisations in one cell (or hour) may be shown.
inline bool OtherCountPasses(double other_count) {
  return other_count <= 0 || other_count >= static_cast<double>(kOtherOrgMinCount);
}

// What a limited answer says about itself (null for everything): the rule's figures and the
// number of other organisations' reports withheld.
struct DisclosureNote {
  bool limited = false;
  int64_t withheld_reports = 0;
};
nlohmann::json DisclosureNoteJson(const DisclosureNote& n);  // null or an object

}  // namespace est::app

#endif  // EST_APP_DISCLOSURE_H_
