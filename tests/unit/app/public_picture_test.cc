// The public picture's rules (app/public_picture.h): weeks only and only once old enough, counts
// below 3 withheld, cells of 250 m drawn only from 3 reports, public categories only, and
// residents' reports counted only after a coordinator approves them.
#include "app/public_picture.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/system_access.h"
#include "core/period.h"
#include "core/time.h"
#include "geo/crs.h"
#include "fixtures.h"

namespace est::app {
namespace {

using testing::Square;
using testing::Sweref99Collection;
using testing::TempDbPath;

const store::Actor kCli{std::nullopt, "cli"};

std::string FieldsOf(const Error& e) {
  std::string s;
  for (const auto& f : e.fields) s += f.field + ": " + f.reason + "; ";
  return s;
}

// Kommun k (10 × 10 km) with område norr (a 2 km square) and its delområde norr-a; område syd.
class PublicPictureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    path_ = TempDbPath("est_public_test");
    auto s = System::Open(path_);
    ASSERT_TRUE(s) << ToString(s.error());
    sys_ = std::move(*s);
    ASSERT_TRUE(sys_->EnsureDefaultCategories(kCli));
    Organisation o;
    o.code = "hem";
    o.name = "Sollentunahem AB";
    o.kind = OrgKind::kBolag;
    ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
    auto areas = sys_->ImportAreas(
        Sweref99Collection({Square("k", 660000, 6585000, 10000, ""),
                            Square("norr", 665000, 6590000, 2000, "k"),
                            Square("norr-a", 665000, 6590000, 1000, "norr"),
                            Square("syd", 661000, 6586000, 2000, "k")}),
        {}, kCli);
    ASSERT_TRUE(areas) << ToString(areas.error());
    PublicSettings ps;
    ps.categories = {"klotter", "skadegorelse", "otrygg_plats"};
    ASSERT_TRUE(SetPublicSettings(*sys_, ps, kCli));
  }
  void TearDown() override {
    sys_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  // `n` reports of `category` at (e, n) on Wednesday of 2026-W40 (30 September).
  void Add(int count, const char* category, double e, double n) {
    for (int i = 0; i < count; ++i) {
      ingest::ReportInput in;
      in.occurred_from = "2026-09-30T12:00:00+02:00";
      in.x = e;
      in.y = n;
      in.epsg = 3006;
      in.category = category;
      in.org = "hem";
      auto r = sys_->CreateReport(in, kCli);
      ASSERT_TRUE(r) << ToString(r.error());
    }
  }

  CitizenReportInput Resident(double e, double n, const char* category = "klotter") {
    geo::Wgs84Point p = geo::ToWgs84({e, n});
    CitizenReportInput in;
    in.category = category;
    in.lon = p.lon;
    in.lat = p.lat;
    in.description = "Klotter på muren vid gångtunneln";
    return in;
  }

  // The count of `category` (by column) in area `code`; -1 when withheld.
  static int Count(const PublicPicture& p, const std::string& code, const std::string& category) {
    size_t col = 0;
    while (col < p.categories.size() && p.categories[col].code != category) ++col;
    for (const auto& a : p.areas) {
      if (a.code != code) continue;
      if (col == a.counts.size()) return -2;
      return a.counts[col] ? *a.counts[col] : -1;
    }
    return -3;
  }

  std::string path_;
  std::unique_ptr<System> sys_;
};

// Noon on Monday 2026-10-12: W40 (28 Sep – 4 Oct) ended eight days before, W41 one day before.
UnixSeconds Oct12() { return *ParseTimestamp("2026-10-12T12:00:00+02:00"); }

TEST_F(PublicPictureTest, OnlyWeeksOldEnough) {
  // The latest week: its Sunday ended at least delay_days before.
  const UnixSeconds sunday_noon = *ParseTimestamp("2026-10-11T12:00:00+02:00");
  EXPECT_EQ(LatestPublicWeek(7, sunday_noon).label(), "2026-W39");  // W40 ended 6.5 days ago
  EXPECT_EQ(LatestPublicWeek(7, Oct12()).label(), "2026-W40");
  const UnixSeconds monday_early = *ParseTimestamp("2026-10-12T00:30:00+02:00");
  EXPECT_EQ(LatestPublicWeek(7, monday_early).label(), "2026-W40");  // ended 7 days 30 min ago
  EXPECT_EQ(LatestPublicWeek(14, Oct12()).label(), "2026-W39");

  auto latest = PublicLagesbild(*sys_, "", Oct12());
  ASSERT_TRUE(latest) << ToString(latest.error());
  EXPECT_EQ(latest->period.label(), "2026-W40");
  ASSERT_EQ(latest->weeks.size(), static_cast<size_t>(kPublicWeeksOffered));
  EXPECT_EQ(latest->weeks.front().label(), "2026-W40");
  EXPECT_EQ(latest->weeks[1].label(), "2026-W39");

  for (const char* p : {"2026-W41", "2026-W50", "2026-10", "2026-Q3", "2026",
                        "2026-09-28..2026-10-04", "vecka 40", "2026-W60"}) {
    auto r = PublicLagesbild(*sys_, p, Oct12());
    ASSERT_FALSE(r) << p;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << p;
    ASSERT_EQ(r.error().fields.size(), 1u) << p;
    EXPECT_EQ(r.error().fields[0].field, "period") << p;
  }
  EXPECT_TRUE(PublicLagesbild(*sys_, "2026-W39", Oct12()));

  // A longer delay moves the latest week back.
  PublicSettings ps = CurrentPublicSettings(*sys_);
  ps.delay_days = 14;
  ASSERT_TRUE(SetPublicSettings(*sys_, ps, kCli));
  EXPECT_FALSE(PublicLagesbild(*sys_, "2026-W40", Oct12()));
  EXPECT_EQ(PublicLagesbild(*sys_, "", Oct12())->period.label(), "2026-W39");
}

TEST_F(PublicPictureTest, SmallCountsAreWithheldAndNothingIsSummed) {
  Add(2, "klotter", 665500, 6590500);       // norr-a (a delområde of norr): counts in norr
  Add(3, "skadegorelse", 665500, 6591500);  // norr
  Add(1, "skadegorelse", 661500, 6586500);  // syd
  Add(5, "vald", 665500, 6591500);          // not a public category
  auto p = PublicLagesbild(*sys_, "2026-W40", Oct12());
  ASSERT_TRUE(p) << ToString(p.error());
  ASSERT_EQ(p->categories.size(), 3u);
  for (const auto& c : p->categories) EXPECT_NE(c.code, "vald");
  // Only the level-1 areas: no kommun total, no delområde.
  ASSERT_EQ(p->areas.size(), 2u);
  EXPECT_EQ(p->areas[0].code, "norr");
  EXPECT_EQ(p->areas[1].code, "syd");
  EXPECT_EQ(Count(*p, "norr", "klotter"), -1);  // 2: withheld
  EXPECT_EQ(Count(*p, "norr", "skadegorelse"), 3);
  EXPECT_EQ(Count(*p, "norr", "otrygg_plats"), 0);  // zero is shown
  EXPECT_EQ(Count(*p, "syd", "skadegorelse"), -1);
  EXPECT_EQ(Count(*p, "syd", "klotter"), 0);
  // The dimension is kept.
  for (const auto& c : p->categories) {
    EXPECT_EQ(c.dimension, c.code == "otrygg_plats" ? Dimension::kTrygghet : Dimension::kSakerhet);
  }
  // Another week has none of them.
  auto other = PublicLagesbild(*sys_, "2026-W39", Oct12());
  ASSERT_TRUE(other);
  EXPECT_EQ(Count(*other, "norr", "skadegorelse"), 0);
}

// The map, as cells of 250 m (one character each), säkerhet only here:
//
//   row 6591500 / 250 = 26366:  . S .     S = 3 skadegörelse at (665510, 6591510): drawn
//   row 6590500 / 250 = 26362:  K .       K = 2 klotter and 0 else: not drawn
//
// and one more skadegörelse 260 m east of the three: a cell of its own with 1, not drawn.
TEST_F(PublicPictureTest, CellsOfFewerThanThreeAreNotDrawn) {
  Add(3, "skadegorelse", 665510, 6591510);
  Add(1, "skadegorelse", 665770, 6591510);
  Add(2, "klotter", 665510, 6590510);
  Add(3, "otrygg_plats", 665520, 6591520);  // trygghet: its own layer in the same cell
  auto p = PublicLagesbild(*sys_, "2026-W40", Oct12());
  ASSERT_TRUE(p) << ToString(p.error());
  ASSERT_EQ(p->cells.size(), 2u);
  for (const auto& c : p->cells) {
    EXPECT_EQ(c.col, 665510 / kPublicCellMetres);
    EXPECT_EQ(c.row, 6591510 / kPublicCellMetres);
    EXPECT_EQ(c.count, 3);
  }
  EXPECT_NE(p->cells[0].dimension, p->cells[1].dimension);
}

TEST_F(PublicPictureTest, AResidentsReportCountsOnlyOnceApproved) {
  const UnixSeconds now = NowUnix();
  std::vector<std::string> receipts;
  for (int i = 0; i < 3; ++i) {
    auto r = CreateCitizenReport(*sys_, Resident(665500, 6591500), now);
    ASSERT_TRUE(r) << ToString(r.error()) << FieldsOf(r.error());
    EXPECT_EQ(r->receipt.size(), 12u);
    EXPECT_EQ(r->receipt.substr(0, 2), "M-");
    receipts.push_back(r->receipt);
  }
  EXPECT_NE(receipts[0], receipts[1]);
  const std::string week = WeekContaining(ToLocalDay(now)).label();
  const UnixSeconds later = now + 15 * 86400;
  auto before = PublicLagesbild(*sys_, week, later);
  ASSERT_TRUE(before) << ToString(before.error());
  EXPECT_EQ(Count(*before, "norr", "klotter"), 0);
  EXPECT_TRUE(before->cells.empty());

  auto org = sys_->catalog()->FindOrg("medborgare");
  ASSERT_NE(org, nullptr);
  for (const auto& receipt : receipts) {
    auto st = CitizenReportStatus(*sys_, receipt);
    ASSERT_TRUE(st);
    EXPECT_EQ(st->status, "mottagen");
    auto rep = internal::StoreOf(*sys_).FindReportBySource(org->id, receipt);
    ASSERT_TRUE(rep && *rep);
    EXPECT_EQ((*rep)->source, ReportSource::kCitizen);
    ReportPatch patch;
    patch.status = "reviewed";
    ASSERT_TRUE(sys_->UpdateReport((*rep)->id, patch, (*rep)->version, kCli));
  }
  auto after = PublicLagesbild(*sys_, week, later);
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, "norr", "klotter"), 3);
  EXPECT_EQ(after->cells.size(), 1u);
  EXPECT_EQ(CitizenReportStatus(*sys_, receipts[0])->status, "godkänd");
  // Counted in the internal picture too, but never in coverage: residents are not a partner
  // whose silence would mean anything.
  LagesbildParams params;
  params.period = week;
  auto internal_picture = sys_->ComputeLagesbild(params);
  ASSERT_TRUE(internal_picture) << ToString(internal_picture.error());
  EXPECT_GE(internal_picture->total, 3);
  for (const auto& row : internal_picture->coverage) {
    for (const auto* list : {&row.reported, &row.checked_in, &row.silent}) {
      for (OrgId o : *list) EXPECT_NE(o, org->id) << "medborgare in coverage";
    }
  }
  // Lower case is the same receipt; an unknown one is not found.
  std::string lower = receipts[1];
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(CitizenReportStatus(*sys_, lower)->status, "godkänd");
  auto unknown = CitizenReportStatus(*sys_, "M-0000000000");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_F(PublicPictureTest, AResidentsReportIsCheckedAndScrubbed) {
  const UnixSeconds now = NowUnix();
  auto expect_field = [&](CitizenReportInput in, const std::string& field) {
    const int64_t before = *internal::StoreOf(*sys_).CountReports({});
    auto r = CreateCitizenReport(*sys_, in, now);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << field;
    EXPECT_NE(FieldsOf(r.error()).find(field + ":"), std::string::npos) << FieldsOf(r.error());
    EXPECT_EQ(*internal::StoreOf(*sys_).CountReports({}), before) << field;
  };
  expect_field(Resident(665500, 6591500, "vald"), "category");  // not public
  expect_field(Resident(665500, 6591500, ""), "category");
  expect_field(Resident(600000, 6500000), "location");  // outside the municipality
  CitizenReportInput none = Resident(665500, 6591500);
  none.lon.reset();
  none.lat.reset();
  expect_field(none, "location");
  CitizenReportInput half = Resident(665500, 6591500);
  half.lat.reset();
  expect_field(half, "lat");
  CitizenReportInput both = Resident(665500, 6591500);
  both.address = "Malmvägen 3";
  expect_field(both, "location");
  CitizenReportInput future = Resident(665500, 6591500);
  future.occurred_from = FormatTimestamp(now + 3 * 86400);
  expect_field(future, "occurred_from");
  CitizenReportInput long_text = Resident(665500, 6591500);
  long_text.description = std::string(kMaxCitizenDescription + 1, 'a');
  expect_field(long_text, "description");

  CitizenReportInput personal = Resident(665500, 6591500);
  personal.description = "Otryggt vid tunneln, ring mig på 070-123 45 67";
  auto r = CreateCitizenReport(*sys_, personal, now);
  ASSERT_TRUE(r) << FieldsOf(r.error());
  EXPECT_FALSE(r->scrubbed.empty());
  auto org = sys_->catalog()->FindOrg("medborgare");
  auto rep = internal::StoreOf(*sys_).FindReportBySource(org->id, r->receipt);
  ASSERT_TRUE(rep && *rep);
  EXPECT_EQ((*rep)->description.find("070"), std::string::npos) << (*rep)->description;

  // Turned off: refused, nothing stored.
  PublicSettings ps = CurrentPublicSettings(*sys_);
  ps.citizen_reports = false;
  ASSERT_TRUE(SetPublicSettings(*sys_, ps, kCli));
  auto off = CreateCitizenReport(*sys_, Resident(665500, 6591500), now);
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code, ErrorCode::kForbidden);
}

TEST_F(PublicPictureTest, SettingsAreCheckedAndKept) {
  PublicSettings bad;
  bad.categories = {"klotter", "finns-inte"};
  bad.actions = {999};
  bad.delay_days = 3;
  auto s = SetPublicSettings(*sys_, bad, kCli);
  ASSERT_FALSE(s);
  const std::string f = FieldsOf(s.error());
  EXPECT_NE(f.find("categories[1]:"), std::string::npos) << f;
  EXPECT_NE(f.find("actions[0]:"), std::string::npos) << f;
  EXPECT_NE(f.find("delay_days:"), std::string::npos) << f;
  // Unchanged.
  EXPECT_EQ(CurrentPublicSettings(*sys_).categories.size(), 3u);

  PublicSettings good;
  good.categories = {"Klotter", "klotter", "otrygg_plats"};  // by name or code, once each
  good.delay_days = 21;
  good.citizen_reports = false;
  ASSERT_TRUE(SetPublicSettings(*sys_, good, kCli));
  PublicSettings kept = CurrentPublicSettings(*sys_);
  EXPECT_EQ(kept.categories, (std::vector<std::string>{"klotter", "otrygg_plats"}));
  EXPECT_EQ(kept.delay_days, 21);
  EXPECT_FALSE(kept.citizen_reports);
}

}  // namespace
}  // namespace est::app
