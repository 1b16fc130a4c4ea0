// Store: meetings, problems and actions — round trip of every field, optimistic concurrency,
// the decision → action link in one transaction, and the audit entries of each change.
#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_database.h"

namespace est::store {
namespace {

const Actor kCli{std::nullopt, "cli"};

// Runs on both backends (the conformance suite).
class WorkStore : public ::testing::TestWithParam<std::string> {
 public:
  void SetUp() override {
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    EST_REQUIRE_DATABASE(*db_);
    auto opened = Store::Open(db_->url());
    ASSERT_TRUE(opened) << ToString(opened.error());
    store = std::move(*opened);
    Organisation o;
    o.code = "polis";
    o.name = "Polisen";
    o.kind = OrgKind::kPolis;
    org = store->CreateOrganisation(o, kCli)->id;
  }
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<Store> store;
  OrgId org;
  WorkStore& f = *this;  // the tests were written against a fixture value `f`
};

INSTANTIATE_TEST_SUITE_P(Backends, WorkStore, ::testing::ValuesIn(testing::Backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

Meeting SampleMeeting(OrgId org) {
  Meeting m;
  m.held_on = "2026-11-24";
  m.kind = MeetingKind::kWeekly;
  m.period = "2026-W47";
  m.title = "EST vecka 48";
  m.attendees = {org};
  m.minutes = "Genomgång av lägesbilden.";
  m.decisions = {{1, "Extra belysning vid torget", org, std::nullopt},
                 {2, "Bevaka centrum fredag kväll", std::nullopt, std::nullopt}};
  return m;
}

TEST_P(WorkStore, MeetingRoundTripAndVersion) {
  auto m = f.store->CreateMeeting(SampleMeeting(f.org), kCli);
  ASSERT_TRUE(m) << ToString(m.error());
  EXPECT_GT(m->id.value, 0);
  EXPECT_EQ(m->version, 1);
  auto got = f.store->GetMeeting(m->id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->held_on, "2026-11-24");
  EXPECT_EQ((*got)->period, "2026-W47");
  EXPECT_EQ((*got)->attendees, std::vector<OrgId>{f.org});
  ASSERT_EQ((*got)->decisions.size(), 2u);
  EXPECT_EQ((*got)->decisions[0].text, "Extra belysning vid torget");
  EXPECT_EQ((*got)->decisions[0].owner, f.org);
  EXPECT_FALSE((*got)->decisions[1].owner);

  Meeting edit = **got;
  edit.minutes = "Ändrat protokoll";
  auto up = f.store->UpdateMeeting(edit, 1, kCli);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->version, 2);
  // A stale version is refused and changes nothing.
  edit.minutes = "Sent ändrat";
  auto stale = f.store->UpdateMeeting(edit, 1, kCli);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ((*f.store->GetMeeting(m->id))->minutes, "Ändrat protokoll");
  Meeting missing = edit;
  missing.id = MeetingId{999};
  EXPECT_EQ(f.store->UpdateMeeting(missing, 1, kCli).error().code, ErrorCode::kNotFound);
}

TEST_P(WorkStore, ProblemRoundTrip) {
  Problem p;
  p.title = "Samlingar vid torget 21–24 fre–lör";
  p.description = "Smällare mot fönster";
  p.reports = {ReportId{3}, ReportId{7}};
  p.categories = {CategoryId{2}};
  p.status = ProblemStatus::kMonitored;
  auto c = f.store->CreateProblem(p, kCli);
  ASSERT_TRUE(c);
  auto list = f.store->ListProblems();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].title, p.title);
  EXPECT_EQ((*list)[0].reports, p.reports);
  EXPECT_EQ((*list)[0].status, ProblemStatus::kMonitored);
}

TEST_P(WorkStore, ActionFromDecisionLinksBothInOneTransaction) {
  auto m = *f.store->CreateMeeting(SampleMeeting(f.org), kCli);
  Action a;
  a.title = "Belysning vid torget";
  a.owner = f.org;
  a.meeting = m.id;
  a.decision = 1;
  a.start = "2026-12-01";
  a.follow_up = "2027-03-01";
  a.cost = 45000;
  a.prevention = Prevention::kSituational;
  a.horizon = Horizon::kEventDriven;
  auto created = f.store->CreateAction(a, kCli);
  ASSERT_TRUE(created) << ToString(created.error());
  auto after = *f.store->GetMeeting(m.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->decisions[0].action, created->id);
  EXPECT_EQ(after->version, 2);
  auto got = *f.store->GetAction(created->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->cost, 45000);
  EXPECT_EQ(got->horizon, Horizon::kEventDriven);
  EXPECT_EQ(got->follow_up, "2027-03-01");

  // The same decision cannot get a second action; nothing is stored by the refused call.
  auto again = f.store->CreateAction(a, kCli);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  a.decision = 9;
  auto unknown = f.store->CreateAction(a, kCli);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(f.store->ListActions()->size(), 1u);
}

TEST_P(WorkStore, ActionsListedByFollowUpAndAudited) {
  for (const char* day : {"2027-02-01", "", "2026-12-15"}) {
    Action a;
    a.title = std::string("Insats ") + day;
    a.owner = f.org;
    a.follow_up = day;
    ASSERT_TRUE(f.store->CreateAction(a, kCli));
  }
  auto list = *f.store->ListActions();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].follow_up, "2026-12-15");
  EXPECT_EQ(list[1].follow_up, "2027-02-01");
  EXPECT_EQ(list[2].follow_up, "");
  Action edit = list[0];
  edit.status = ActionStatus::kDone;
  edit.result = "Färre anmälningar";
  ASSERT_TRUE(f.store->UpdateAction(edit, 1, kCli));
  auto audit = *f.store->ListAudit(0, 100);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "update");
  EXPECT_EQ(audit.back().entity, "action");
  EXPECT_NE(audit.back().before.find("\"planned\""), std::string::npos);
  EXPECT_NE(audit.back().after.find("\"done\""), std::string::npos);
  EXPECT_TRUE(f.store->VerifyAudit());
}

TEST_P(WorkStore, ReportReviewFieldsStored) {
  Category k;
  k.code = "klotter";
  k.name_sv = "Klotter";
  k.name_en = "Graffiti";
  auto cat = *f.store->CreateCategory(k, kCli);
  Report r;
  r.org = f.org;
  r.category = cat.id;
  r.occurred_from = 1'700'000'000;
  r.reported_at = 1'700'000'000;
  auto a = *f.store->InsertReports({r, r}, kCli);
  ASSERT_EQ(a.reports.size(), 2u);
  Report dup = a.reports[1];
  dup.status = ReportStatus::kDuplicate;
  dup.duplicate_of = a.reports[0].id;
  dup.review_note = "Samma händelse som polisens";
  ASSERT_TRUE(f.store->UpdateReport(dup, 1, kCli));
  auto got = *f.store->GetReport(dup.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->duplicate_of, a.reports[0].id);
  EXPECT_EQ(got->review_note, "Samma händelse som polisens");
}

}  // namespace
}  // namespace est::store
