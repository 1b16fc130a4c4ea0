// The disclosure rule for other organisations' reports (app/disclosure.h), as tables.
#include "app/disclosure.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/period.h"

namespace est::app {
namespace {

constexpr OrgId kOwn{1}, kPolice{2}, kThird{3};

Audience Limited() { return Audience{false, kOwn}; }

analysis::LagesbildQuery Query(std::vector<OrgId> orgs, int days) {
  analysis::LagesbildQuery q;
  q.orgs = std::move(orgs);
  LocalDay first = IsoWeekStart(2026, 47);
  q.period = *MakeCustomPeriod(first, first + days - 1);
  return q;
}

bool HasField(const Error& e, const std::string& field) {
  for (const auto& f : e.fields) {
    if (f.field == field) return true;
  }
  return false;
}

TEST(Disclosure, AudienceByRole) {
  struct Case {
    Role role;
    bool everything;
  } cases[] = {{Role::kCoordinator, true},
               {Role::kAdmin, true},
               {Role::kReporter, false},
               {Role::kOrgLead, false},
               {Role::kViewer, false}};
  for (const Case& c : cases) {
    User u;
    u.role = c.role;
    u.org = kOwn;
    Audience a = AudienceOf(u);
    EXPECT_EQ(a.everything, c.everything) << RoleText(c.role);
    if (!c.everything) {
      EXPECT_EQ(a.own_org, kOwn);
    }
  }
}

TEST(Disclosure, PointListsHoldOnlyTheOwnOrganisation) {
  EXPECT_TRUE(MayListPoint(Limited(), kOwn));
  EXPECT_FALSE(MayListPoint(Limited(), kPolice));
  EXPECT_FALSE(MayListPoint(Audience{false, std::nullopt}, kOwn));  // a viewer without org
  EXPECT_TRUE(MayListPoint(Audience{}, kPolice));
}

TEST(Disclosure, WhichFiltersIncludeOtherOrganisations) {
  EXPECT_TRUE(IncludesOtherOrgs(Limited(), Query({}, 7)));  // no filter: everyone's reports
  EXPECT_TRUE(IncludesOtherOrgs(Limited(), Query({kPolice}, 7)));
  EXPECT_TRUE(IncludesOtherOrgs(Limited(), Query({kOwn, kPolice}, 7)));
  EXPECT_FALSE(IncludesOtherOrgs(Limited(), Query({kOwn}, 7)));
  EXPECT_FALSE(IncludesOtherOrgs(Audience{}, Query({kPolice}, 1)));
}

TEST(Disclosure, WindowShorterThanAWeekToAnotherOrganisationIsRefused) {
  struct Case {
    std::vector<OrgId> orgs;
    int days;
    bool ok;
  } cases[] = {
      {{kPolice}, 1, false}, {{kPolice}, 6, false},
      {{kPolice}, 7, true},  {{kOwn, kPolice}, 3, false},
      {{kOwn}, 1, true},  // the own organisation: any window
      {{}, 1, true},      // no organisation named: the cell rule protects the picture
  };
  for (const Case& c : cases) {
    auto r = CheckOtherOrgWindow(Limited(), Query(c.orgs, c.days), true);
    EXPECT_EQ(r.has_value(), c.ok) << c.days << " days, " << c.orgs.size() << " orgs";
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
      EXPECT_TRUE(HasField(r.error(), "from"));
      EXPECT_TRUE(HasField(r.error(), "to"));
    }
  }
  auto by_period = CheckOtherOrgWindow(Limited(), Query({kPolice}, 2), false);
  ASSERT_FALSE(by_period);
  EXPECT_TRUE(HasField(by_period.error(), "period"));
  EXPECT_TRUE(CheckOtherOrgWindow(Audience{}, Query({kPolice}, 1), true));
}

TEST(Disclosure, CellsBelow100MetresOnlyForTheOwnOrganisation) {
  EXPECT_TRUE(CheckOtherOrgCell(Limited(), Query({kPolice}, 7), 100, "hem"));
  EXPECT_TRUE(CheckOtherOrgCell(Limited(), Query({kOwn}, 7), 50, "hem"));
  EXPECT_TRUE(CheckOtherOrgCell(Audience{}, Query({kPolice}, 7), 50, ""));
  auto r = CheckOtherOrgCell(Limited(), Query({}, 7), 99.9, "hem");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(HasField(r.error(), "cell"));
  EXPECT_NE(r.error().fields[0].reason.find("org=hem"), std::string::npos);
}

TEST(Disclosure, OwnAndOtherParts) {
  const std::vector<OrgId> all = {kOwn, kPolice, kThird};
  auto own = OwnPart(Limited(), Query({}, 7));
  ASSERT_TRUE(own);
  EXPECT_EQ(own->orgs, std::vector<OrgId>{kOwn});
  EXPECT_FALSE(OwnPart(Limited(), Query({kPolice}, 7)));
  EXPECT_FALSE(OwnPart(Audience{false, std::nullopt}, Query({}, 7)));

  auto other = OtherPart(Limited(), Query({}, 7), all);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->orgs, (std::vector<OrgId>{kPolice, kThird}));
  other = OtherPart(Limited(), Query({kOwn, kPolice}, 7), all);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->orgs, std::vector<OrgId>{kPolice});
  EXPECT_FALSE(OtherPart(Limited(), Query({kOwn}, 7), all));
}

TEST(Disclosure, OtherOrganisationsCountsBelowThreeAreWithheld) {
  // cell:                   0  1  2  3  4  5
  const std::vector<double> own = {0, 0, 0, 0, 1, 2};
  const std::vector<double> other = {0, 1, 2, 3, 2, 7};
  int64_t withheld = 0;
  auto out = MergeDisclosed(own, other, &withheld);
  EXPECT_EQ(out, (std::vector<double>{0, 0, 0, 3, 1, 9}));
  EXPECT_EQ(withheld, 1 + 2 + 2);
}

TEST(Disclosure, NoteOnlyForALimitedAudience) {
  EXPECT_TRUE(DisclosureNoteJson(DisclosureNote{}).is_null());
  auto j = DisclosureNoteJson(DisclosureNote{true, 4});
  EXPECT_EQ(j["withheld_reports"], 4);
  EXPECT_EQ(j["min_cell_m"], 100);
  EXPECT_EQ(j["min_count"], 3);
  EXPECT_EQ(j["min_days"], 7);
}

}  // namespace
}  // namespace est::app
