// Disclosure control for other organisations' reports (the rule is in the header).
#include "app/disclosure.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace est::app {

Audience AudienceOf(const User& user) {
  if (user.role == Role::kCoordinator || user.role == Role::kAdmin) return Audience{};
  return Audience{false, user.org};
}

bool MayListPoint(const Audience& a, OrgId org) { return a.everything || a.IsOwn(org); }

bool IncludesOtherOrgs(const Audience& a, const analysis::LagesbildQuery& q) {
  if (a.everything) return false;
  if (q.orgs.empty()) return true;
  return std::any_of(q.orgs.begin(), q.orgs.end(), [&](OrgId o) { return !a.IsOwn(o); });
}

Status CheckOtherOrgWindow(const Audience& a, const analysis::LagesbildQuery& q, bool named_range) {
  // Only a filter that names another organisation: without one, the other organisations' reports
  // are mixed with every other organisation's and pass the cell rule like any picture.
  if (a.everything || q.orgs.empty() || !IncludesOtherOrgs(a, q)) return {};
  if (q.period.days() >= kOtherOrgMinDays) return {};
  const std::string reason = "måste omfatta minst " + std::to_string(kOtherOrgMinDays) +
                             " dagar när filtret visar en annan organisations rapporter (perioden "
                             "har " +
                             std::to_string(q.period.days()) + " dagar)";
  std::vector<FieldError> fields;
  if (named_range) {
    fields = {{"from", reason}, {"to", reason}};
  } else {
    fields = {{"period", reason}};
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "Andra organisationers rapporter visas bara för perioder på minst en vecka; "
                   "välj en hel vecka eller längre, eller filtrera på din egen organisation",
                   std::move(fields));
}

Status CheckOtherOrgCell(const Audience& a, const analysis::LagesbildQuery& q, double cell_m,
                         const std::string& own_code) {
  if (!IncludesOtherOrgs(a, q) || cell_m >= kOtherOrgMinCellM) return {};
  std::string reason = "måste vara minst " + std::to_string(static_cast<int>(kOtherOrgMinCellM)) +
                       " meter när andra organisationers rapporter ingår";
  if (!own_code.empty()) {
    reason += " (med org=" + own_code + " får du finare rutor över dina egna rapporter)";
  }
  return InvalidField("cell", std::move(reason));
}

std::optional<analysis::LagesbildQuery> OwnPart(const Audience& a,
                                                const analysis::LagesbildQuery& q) {
  if (!a.own_org) return std::nullopt;
  if (!q.orgs.empty() && std::find(q.orgs.begin(), q.orgs.end(), *a.own_org) == q.orgs.end()) {
    return std::nullopt;
  }
  analysis::LagesbildQuery own = q;
  own.orgs = {*a.own_org};
  return own;
}

std::optional<analysis::LagesbildQuery> OtherPart(const Audience& a,
                                                  const analysis::LagesbildQuery& q,
                                                  const std::vector<OrgId>& all_orgs) {
  analysis::LagesbildQuery other = q;
  other.orgs.clear();
  for (OrgId o : q.orgs.empty() ? all_orgs : q.orgs) {
    if (!a.IsOwn(o)) other.orgs.push_back(o);
  }
  if (other.orgs.empty()) return std::nullopt;
  return other;
}

std::vector<double> MergeDisclosed(const std::vector<double>& own, const std::vector<double>& other,
                                   int64_t* withheld) {
  std::vector<double> out(own.size());
  for (size_t i = 0; i < own.size(); ++i) {
    if (OtherCountPasses(other[i])) {
      out[i] = own[i] + other[i];
    } else {
      out[i] = own[i];
      if (withheld) *withheld += static_cast<int64_t>(other[i]);
    }
  }
  return out;
}

nlohmann::json DisclosureNoteJson(const DisclosureNote& n) {
  if (!n.limited) return nullptr;
  return {{"min_cell_m", kOtherOrgMinCellM},
          {"min_count", kOtherOrgMinCount},
          {"min_days", kOtherOrgMinDays},
          {"withheld_reports", n.withheld_reports},
          {"rule",
           "Andra organisationers rapporter ingår bara i rutor om minst 100 m där de är minst 3; "
           "färre hålls utanför analysen. Egna rapporter ingår alltid."}};
}

}  // namespace est::app
