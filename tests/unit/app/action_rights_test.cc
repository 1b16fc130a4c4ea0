// Per-field rights on an action (app/work.h): who gets which rights, and UpdateAction for an
// organisation lead (status and result only) on a real System.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "app/system_access.h"
#include "app/work.h"
#include "fixtures.h"

namespace est::app {
namespace {

using testing::Square;
using testing::Sweref99Collection;
using testing::TempDbPath;

const store::Actor kCli{std::nullopt, "cli"};
constexpr OrgId kOwn{1}, kPolice{2};

TEST(ActionRights, ByRoleAndOwner) {
  Action a;
  a.owner = kOwn;
  struct Case {
    Role role;
    std::optional<OrgId> org;
    ActionRights rights;
  } cases[] = {
      {Role::kCoordinator, std::nullopt, ActionRights::kAll},
      {Role::kAdmin, std::nullopt, ActionRights::kAll},
      {Role::kOrgLead, kOwn, ActionRights::kStatusAndResult},
      {Role::kOrgLead, kPolice, ActionRights::kNone},
      {Role::kOrgLead, std::nullopt, ActionRights::kNone},
      {Role::kReporter, kOwn, ActionRights::kNone},
      {Role::kViewer, kOwn, ActionRights::kNone},
  };
  for (const Case& c : cases) {
    User u;
    u.role = c.role;
    u.org = c.org;
    EXPECT_EQ(ActionRightsOf(u, a), c.rights) << RoleText(c.role);
  }
}

class ActionRightsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    path_ = TempDbPath("est_action_rights_test");
    auto s = System::Open(path_);
    ASSERT_TRUE(s);
    sys_ = std::move(*s);
    ASSERT_TRUE(sys_->EnsureDefaultCategories(kCli));
    for (const char* code : {"hem", "bun"}) {
      Organisation o;
      o.code = code;
      o.name = code;
      o.kind = OrgKind::kBolag;
      ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
    }
    auto imported = sys_->ImportAreas(
        Sweref99Collection({Square("0163", 660000, 6590000, 5000, "")}), {}, kCli);
    ASSERT_TRUE(imported) << ToString(imported.error());
  }
  void TearDown() override {
    sys_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  std::string path_;
  std::unique_ptr<System> sys_;
};

TEST_F(ActionRightsTest, OrganisationLeadChangesOnlyStatusAndResult) {
  ActionInput in;
  in.title = "Städning av tunneln";
  in.owner = "hem";
  in.areas = std::vector<std::string>{"0163"};
  in.cost = 1000;
  auto created = CreateAction(*sys_, in, kCli);
  ASSERT_TRUE(created) << ToString(created.error());
  const ActionId id = created->id;
  int version = created->version;
  auto lead = [&](ActionInput change) {
    return UpdateAction(*sys_, id, change, version, kCli, ActionRights::kStatusAndResult);
  };

  ActionInput ok;
  ok.status = "ongoing";
  ok.result = "Klart i vecka 12.";
  ok.title = "Städning av tunneln";  // sent back unchanged, as a form does
  ok.owner = "hem";
  ok.areas = std::vector<std::string>{"0163"};
  ok.cost = 1000;
  auto updated = lead(ok);
  ASSERT_TRUE(updated) << ToString(updated.error());
  EXPECT_EQ(updated->status, ActionStatus::kOngoing);
  EXPECT_EQ(updated->result, "Klart i vecka 12.");
  version = updated->version;

  struct Case {
    const char* field;
    ActionInput change;
  };
  std::vector<Case> cases;
  cases.push_back({"cost", [] {
                     ActionInput c;
                     c.cost = 5;
                     return c;
                   }()});
  cases.push_back({"owner", [] {
                     ActionInput c;
                     c.owner = "bun";
                     return c;
                   }()});
  cases.push_back({"title", [] {
                     ActionInput c;
                     c.title = "Annat";
                     return c;
                   }()});
  cases.push_back({"partners", [] {
                     ActionInput c;
                     c.partners = std::vector<std::string>{"bun"};
                     return c;
                   }()});
  cases.push_back({"follow_up", [] {
                     ActionInput c;
                     c.follow_up = "2026-12-01";
                     return c;
                   }()});
  for (Case& c : cases) {
    c.change.status = "done";
    auto r = lead(c.change);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << c.field;
    ASSERT_EQ(r.error().fields.size(), 1u) << c.field;
    EXPECT_EQ(r.error().fields[0].field, c.field);
  }
  auto stored = app::internal::StoreOf(*sys_).GetAction(id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->status, ActionStatus::kOngoing);  // nothing of the refused changes
  EXPECT_EQ((*stored)->cost.value_or(-1), 1000);

  ActionInput nothing;
  nothing.status = "done";
  auto none = UpdateAction(*sys_, id, nothing, version, kCli, ActionRights::kNone);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kForbidden);

  ActionInput cost;
  cost.cost = 5;
  auto coordinator = UpdateAction(*sys_, id, cost, version, kCli, ActionRights::kAll);
  ASSERT_TRUE(coordinator) << ToString(coordinator.error());
  EXPECT_EQ(coordinator->cost.value_or(-1), 5);
}

}  // namespace
}  // namespace est::app
