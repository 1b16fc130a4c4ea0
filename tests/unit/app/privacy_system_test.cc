// The disclosure rule (app/disclosure.h) through the analyses on a real System.
//
// Map (100 m per character, SWEREF 99 TM from E 660000, N 6590000 upwards; one area "0163"):
//   row 0:  P . . . . Q . . . . H      P: 1 police report   Q: 4 police reports   H: 1 hem report
// All in the ISO week 2026-W10, category klotter.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "app/analyses.h"
#include "core/period.h"
#include "core/time.h"
#include "fixtures.h"

namespace est::app {
namespace {

using testing::Square;
using testing::Sweref99Collection;
using testing::TempDbPath;

const store::Actor kCli{std::nullopt, "cli"};
constexpr double kE0 = 661050, kN0 = 6591050;  // the middle of a 100 m cell

class PrivacySystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    path_ = TempDbPath("est_privacy_test");
    auto s = System::Open(path_);
    ASSERT_TRUE(s);
    sys_ = std::move(*s);
    ASSERT_TRUE(sys_->EnsureDefaultCategories(kCli));
    for (const char* code : {"hem", "polis", "bun"}) {
      Organisation o;
      o.code = code;
      o.name = code;
      o.kind = OrgKind::kBolag;
      ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
    }
    auto imported = sys_->ImportAreas(
        Sweref99Collection({Square("0163", 660000, 6590000, 5000, "")}), {}, kCli);
    ASSERT_TRUE(imported) << ToString(imported.error());
    Plant(kE0, "polis", 1);
    Plant(kE0 + 500, "polis", 4);
    Plant(kE0 + 1000, "hem", 1);
  }
  void TearDown() override {
    sys_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  void Plant(double e, const std::string& org, int count) {
    for (int i = 0; i < count; ++i) {
      ingest::ReportInput in;
      in.occurred_from = FormatTimestamp(LocalDayStartUtc(IsoWeekStart(2026, 10) + i) + 10 * 3600);
      in.x = e + i;
      in.y = kN0;
      in.epsg = 3006;
      in.category = "klotter";
      in.org = org;
      auto r = sys_->CreateReport(in, kCli);
      ASSERT_TRUE(r) << ToString(r.error());
    }
  }
  Audience Hem() { return Audience{false, sys_->catalog()->FindOrg("hem")->id}; }
  // Cell (ix at 100 m) → count of the hotspot answer.
  std::map<int32_t, int64_t> Counts(const HotspotResult& r) {
    std::map<int32_t, int64_t> out;
    for (const auto& c : r.cells) {
      if (c.count > 0) out[c.ix] = c.count;
    }
    return out;
  }

  std::string path_;
  std::unique_ptr<System> sys_;
};

TEST_F(PrivacySystemTest, HotspotsWithholdOtherOrganisationsCellsBelowThree) {
  LagesbildParams p;
  p.period = "2026-W10";
  GridParams g;
  g.cell_m = 100;
  const int32_t ix_p = 6610, ix_q = 6615, ix_h = 6620;

  auto everything = ComputeHotspots(*sys_, p, g);
  ASSERT_TRUE(everything) << ToString(everything.error());
  EXPECT_EQ(Counts(*everything), (std::map<int32_t, int64_t>{{ix_p, 1}, {ix_q, 4}, {ix_h, 1}}));
  EXPECT_FALSE(everything->disclosure.limited);

  p.audience = Hem();
  auto limited = ComputeHotspots(*sys_, p, g);
  ASSERT_TRUE(limited) << ToString(limited.error());
  // The single police report is in no cell; the own single report is.
  EXPECT_EQ(Counts(*limited), (std::map<int32_t, int64_t>{{ix_q, 4}, {ix_h, 1}}));
  EXPECT_TRUE(limited->disclosure.limited);
  EXPECT_EQ(limited->disclosure.withheld_reports, 1);
  // Nor in any neighbourhood sum: the cell next to P sums to 0.
  for (const auto& c : limited->cells) {
    if (c.ix == ix_p + 1 && c.iy == 65910) {
      EXPECT_EQ(c.local_sum, 0);
    }
  }

  g.cell_m = 50;
  auto fine = ComputeHotspots(*sys_, p, g);
  ASSERT_FALSE(fine);
  EXPECT_EQ(fine.error().fields.at(0).field, "cell");
  p.orgs = {"hem"};  // own organisation only: fine cells are allowed
  EXPECT_TRUE(ComputeHotspots(*sys_, p, g));
}

TEST_F(PrivacySystemTest, ShortWindowToAnotherOrganisationIsRefused) {
  LagesbildParams p;
  p.audience = Hem();
  p.orgs = {"polis"};
  p.from = "2026-03-02";
  p.to = "2026-03-04";
  GridParams g;
  auto r = ComputeHotspots(*sys_, p, g);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "from");
  EXPECT_FALSE(ComputeHeat(*sys_, p, 250, 0));
  EXPECT_FALSE(ComputeProfile(*sys_, p));
  EXPECT_FALSE(ComputeConcentration(*sys_, p, 250));
  p.to = "2026-03-08";
  EXPECT_TRUE(ComputeHotspots(*sys_, p, g));
}

TEST_F(PrivacySystemTest, HeatProfileAndConcentrationLeaveTheSingleReportOut) {
  LagesbildParams p;
  p.period = "2026-W10";
  p.audience = Hem();
  auto conc = ComputeConcentration(*sys_, p, 100);
  ASSERT_TRUE(conc) << ToString(conc.error());
  EXPECT_EQ(conc->total, 5);  // 4 police + 1 own; the single police report is withheld

  auto heat = ComputeHeat(*sys_, p, 100, 40);
  ASSERT_TRUE(heat) << ToString(heat.error());
  EXPECT_EQ(heat->disclosure.withheld_reports, 1);
  for (const auto& c : heat->cells) EXPECT_NE(c.ix, 6610) << "the single police report shows";

  // Profile: the police reports fall at 10:00 on Monday (2) to Thursday (1 each): every hour of
  // the week holds fewer than 3, so all are withheld; the own report stays. Everything: 6.
  auto limited = ComputeProfile(*sys_, p);
  ASSERT_TRUE(limited);
  double sum = 0;
  for (double v : *limited) sum += v;
  EXPECT_NEAR(sum, 1, 1e-9);
  p.audience = Audience{};
  auto all = ComputeProfile(*sys_, p);
  ASSERT_TRUE(all);
  sum = 0;
  for (double v : *all) sum += v;
  EXPECT_NEAR(sum, 6, 1e-9);
}

}  // namespace
}  // namespace est::app
