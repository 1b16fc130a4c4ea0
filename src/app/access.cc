#include "app/access.h"

#include "app/disclosure.h"

namespace est::app {

bool OrgBound(const User& user) {
  return user.role == Role::kReporter || user.role == Role::kOrgLead;
}

bool MayActFor(const User& user, OrgId org) {
  if (!OrgBound(user)) return true;
  return user.org && *user.org == org;
}

std::optional<OrgId> ActingScope(const User& user) {
  if (!OrgBound(user)) return std::nullopt;
  return user.org.value_or(OrgId{-1});
}

std::optional<OrgId> ReportListScope(const User& user) {
  if (!AudienceOf(user).limited()) return std::nullopt;
  return user.org.value_or(OrgId{-1});
}

bool MaySeeReport(const User& user, OrgId org) { return MayListPoint(AudienceOf(user), org); }

}  // namespace est::app
