// The organisation rule (organisationsbindning): reporters and organisation leads act for their
// own organisation only — they report, check in, change reports and read feedback messages for
// it, and nobody else's. Coordinators, administrators and viewers are not bound to one. What a
// user may *see* of other organisations' reports at cell, hour and point level is the disclosure
// rule (app/disclosure.h, AudienceOf); the two point-level helpers below apply it to lists and
// single reports. Every adapter (HTTP route, CLI command) asks these functions; none repeats the
// rule.
//
// Thread safety: pure functions.
#ifndef EST_APP_ACCESS_H_
#define EST_APP_ACCESS_H_

#include <optional>

#include "core/model.h"

namespace est::app {

// Whether `user` acts for its own organisation only (reporters and organisation leads).
bool OrgBound(const User& user);

// Whether `user` may act for organisation `org`: always when not OrgBound, else only for its own
// organisation (a bound user without an organisation acts for none).
bool MayActFor(const User& user, OrgId org);

// The organisation whose records (check-ins, messages) `user` is limited to: nullopt when not
// OrgBound (every organisation), else its own (an id that matches nothing when it has none).
std::optional<OrgId> ActingScope(const User& user);

// Point level (app/disclosure.h rule 3): the organisation a report list is limited to for `user`
// (nullopt: every organisation). A limited audience — viewers too — sees its own organisation's
// reports only (an id that matches nothing when it has none).
std::optional<OrgId> ReportListScope(const User& user);

// Whether `user` may see a single report of organisation `org` (the same rule as the list).
bool MaySeeReport(const User& user, OrgId org);

}  // namespace est::app

#endif  // EST_APP_ACCESS_H_
