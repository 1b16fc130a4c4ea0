// Evaluation of an action on a planted municipality (SWEREF 99 TM squares, 2 km):
//
//   +----+          D = "far2"  (5 before, 5 after)
//   | D  |     +----+
//   +----+     | C  |  C = "far1" (40 before, 40 after)
//              +----+
//   +----+----+         A = treated (40 before, 10 after)
//   | A  | B  |         B = neighbour, touches A: the buffer (20 before, 15 after)
//   +----+----+
//
// The proposed comparison areas are the non-neighbours with reports, closest level first (C, D);
// the verdict is a reliable reduction; WDD = 10 − 40 · 45/45 = −30 (comparison scaled to A).
#include "app/evaluation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "app/system_access.h"
#include "app/work.h"
#include "core/time.h"
#include "fixtures.h"

namespace est::app {
namespace {

using testing::Square;
using testing::Sweref99Collection;
using testing::TempDbPath;

namespace fs = std::filesystem;
const store::Actor kCli{std::nullopt, "cli"};

class EvaluationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    path_ = TempDbPath("est_eval_test");
    auto s = System::Open(path_);
    ASSERT_TRUE(s);
    sys_ = std::move(*s);
    ASSERT_TRUE(sys_->EnsureDefaultCategories(kCli));
    Organisation o;
    o.code = "hem";
    o.name = "Hem";
    o.kind = OrgKind::kBolag;
    ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
    std::string file = Sweref99Collection(
        {Square("0163", 660000, 6585000, 10000, ""), Square("A", 661000, 6586000, 2000, "0163"),
         Square("B", 663000, 6586000, 2000, "0163"), Square("C", 666000, 6590000, 2000, "0163"),
         Square("D", 661000, 6592000, 2000, "0163")});
    auto imported = sys_->ImportAreas(file, {}, kCli);
    ASSERT_TRUE(imported) << ToString(imported.error());
    today_ = ToLocalDay(NowUnix());
    start_ = today_ - 60;
    Plant(661500, 6587000, 40, 10);  // A
    Plant(663500, 6587000, 20, 15);  // B
    Plant(667000, 6591000, 40, 40);  // C
    Plant(662000, 6593000, 5, 5);    // D
  }
  void TearDown() override {
    sys_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  // `before` reports spread over the 60 days before the start, `after` over the 60 days from it.
  void Plant(double e, double n, int before, int after) {
    auto add = [&](LocalDay first, int count) {
      for (int i = 0; i < count; ++i) {
        LocalDay d = first + (i * 60) / std::max(count, 1);
        ingest::ReportInput in;
        in.occurred_from = FormatTimestamp(LocalDayStartUtc(d) + 12 * 3600);
        in.x = e + i;
        in.y = n;
        in.epsg = 3006;
        in.category = "klotter";
        in.org = "hem";
        auto r = sys_->CreateReport(in, kCli);
        ASSERT_TRUE(r) << ToString(r.error());
      }
    };
    add(start_ - 60, before);
    add(start_, after);
  }
  Action NewAction() {
    Action a;
    a.title = "Klotterskydd";
    a.owner = sys_->catalog()->FindOrg("hem")->id;
    a.areas = {sys_->catalog()->FindArea("A")->id};
    a.indicator_categories = {sys_->catalog()->FindCategory("klotter")->id};
    a.start = FormatDay(start_);
    a.follow_up = FormatDay(today_ - 1);
    return a;
  }

  std::string path_;
  std::unique_ptr<System> sys_;
  LocalDay today_ = 0, start_ = 0;
};

TEST_F(EvaluationTest, ProposedControlsAndReliableReduction) {
  auto ev = EvaluateAction(*sys_, NewAction());
  ASSERT_TRUE(ev) << ToString(ev.error());
  EXPECT_EQ(ev->after.days(), 60);
  EXPECT_EQ(ev->before.days(), 60);
  EXPECT_TRUE(ev->controls_proposed);
  auto cat = sys_->catalog();
  ASSERT_EQ(ev->controls.size(), 2u);
  EXPECT_EQ(ev->controls[0], cat->FindArea("C")->id);  // same level before: closest
  EXPECT_EQ(ev->controls[1], cat->FindArea("D")->id);
  ASSERT_EQ(ev->buffer.size(), 1u);
  EXPECT_EQ(ev->buffer[0], cat->FindArea("B")->id);
  EXPECT_EQ(ev->counts.treated_before, 40);
  EXPECT_EQ(ev->counts.treated_after, 10);
  EXPECT_EQ(ev->counts.control_before, 45);
  EXPECT_EQ(ev->counts.control_after, 45);
  // Scaled to A's before level: k = 40/45, expected after 40 · 45/45 = 40, WDD = 10 − 40 = −30;
  // Var = 10 + 1²·40 + k²·45 + (k·1)²·45 = 50 + 90·(40/45)² (delta method, analysis/evaluation.h).
  EXPECT_TRUE(ev->wdd.scaled);
  EXPECT_DOUBLE_EQ(ev->wdd.estimate, -30);
  const double var = 50 + 90 * (40.0 / 45) * (40.0 / 45);
  EXPECT_NEAR(ev->wdd.variance, var, 1e-9);
  EXPECT_NEAR(ev->wdd.ci_high, -30 + 1.96 * std::sqrt(var), 1e-9);
  EXPECT_NE(ev->verdict.find("skalad till insatsområdets nivå före (faktor 0,89)"),
            std::string::npos)
      << ev->verdict;
  EXPECT_NE(ev->verdict.find("Minskningen"), std::string::npos) << ev->verdict;
  ASSERT_TRUE(ev->wdq);
  // The neighbour fell too: 20 → 15 against a flat control: diffusion of benefits.
  EXPECT_NE(ev->verdict.find("spridning av nytta"), std::string::npos) << ev->verdict;
  // 40 before against nothing the year before: regression to the mean is named.
  bool rtm = false;
  for (const auto& c : ev->caveats)
    rtm |= c.find("Regression mot medelvärdet") != std::string::npos;
  EXPECT_TRUE(rtm);
}

TEST_F(EvaluationTest, UserControlsAndNoReliableChange) {
  Action a = NewAction();
  a.controls = {sys_->catalog()->FindArea("D")->id};
  a.areas = {sys_->catalog()->FindArea("C")->id};
  auto ev = EvaluateAction(*sys_, a);
  ASSERT_TRUE(ev) << ToString(ev.error());
  EXPECT_FALSE(ev->controls_proposed);
  EXPECT_EQ(ev->counts.treated_before, 40);
  EXPECT_EQ(ev->counts.treated_after, 40);
  EXPECT_EQ(ev->counts.control_before, 5);
  EXPECT_DOUBLE_EQ(ev->wdd.estimate, 0);
  EXPECT_NE(ev->verdict.find("Ingen säker skillnad"), std::string::npos);
}

TEST_F(EvaluationTest, AnotherActionInAComparisonAreaIsACaveat) {
  Action other;
  other.title = "Fältarbete i C";
  other.owner = sys_->catalog()->FindOrg("hem")->id;
  other.areas = {sys_->catalog()->FindArea("C")->id};
  other.start = FormatDay(start_ + 10);
  other.status = ActionStatus::kOngoing;
  ASSERT_TRUE(app::internal::StoreOf(*sys_).CreateAction(other, kCli));
  auto ev = EvaluateAction(*sys_, NewAction());
  ASSERT_TRUE(ev) << ToString(ev.error());
  bool named = false;
  for (const auto& c : ev->caveats)
    named |= c.find("egna insatser under perioden (C)") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST_F(EvaluationTest, ComparisonWithoutReportsBeforeIsAnErrorNamingIt) {
  std::string file = Sweref99Collection({Square("E", 666000, 6586000, 2000, "0163")});
  ASSERT_TRUE(sys_->ImportAreas(file, {}, kCli));
  Action a = NewAction();
  a.controls = {sys_->catalog()->FindArea("E")->id};
  auto ev = EvaluateAction(*sys_, a);
  ASSERT_FALSE(ev);
  ASSERT_FALSE(ev.error().fields.empty());
  EXPECT_EQ(ev.error().fields[0].field, "controls");
  EXPECT_NE(ev.error().fields[0].reason.find("(E) hade inga rapporter före"), std::string::npos)
      << ev.error().fields[0].reason;
}

TEST_F(EvaluationTest, TooShortOrWithoutAreasIsAnError) {
  Action a = NewAction();
  a.start = FormatDay(today_ - 3);
  auto ev = EvaluateAction(*sys_, a);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().fields[0].field, "start");
  a = NewAction();
  a.areas.clear();
  EXPECT_EQ(EvaluateAction(*sys_, a).error().fields[0].field, "areas");
}

}  // namespace
}  // namespace est::app
