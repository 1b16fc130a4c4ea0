// The analysis engine: a hand-computed lägesbild over a three-level area tree, filters, updates,
// coverage, and the week-53 and year periods.
#include "analysis/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/grid.h"

namespace est::analysis {
namespace {

// Area tree (ids):
//   kommun 1 "0163" (level 0)
//     A 2 "a" (level 1)
//       A1 4 "a1" (level 2)
//     B 3 "b" (level 1)
constexpr AreaId kKommun{1}, kA{2}, kB{3}, kA1{4};
constexpr CategoryId kKlotter{1};  // säkerhet
constexpr CategoryId kOtrygg{2};   // trygghet
constexpr OrgId kOrg1{1}, kOrg2{2}, kOrg3{3};

std::vector<Area> Areas() {
  std::vector<Area> a(4);
  a[0].id = kKommun;
  a[0].code = "0163";
  a[0].level = 0;
  a[1].id = kA;
  a[1].code = "a";
  a[1].parent = kKommun;
  a[1].level = 1;
  a[2].id = kB;
  a[2].code = "b";
  a[2].parent = kKommun;
  a[2].level = 1;
  a[3].id = kA1;
  a[3].code = "a1";
  a[3].parent = kA;
  a[3].level = 2;
  return a;
}

std::vector<Category> Categories() {
  std::vector<Category> c(2);
  c[0].id = kKlotter;
  c[0].code = "klotter";
  c[0].dimension = Dimension::kSakerhet;
  c[1].id = kOtrygg;
  c[1].code = "otrygg_plats";
  c[1].dimension = Dimension::kTrygghet;
  return c;
}

// An engine holds the test's area tree and categories (the fixture's and most tests' start).
void UseTree(Engine& engine, const std::vector<Category>& categories = Categories()) {
  engine.SetAreas(Areas());
  engine.SetCategories(categories);
}

// A report at Stockholm local time `when` ("2026-11-16 12:00").
Report At(int64_t id, const char* when, std::optional<AreaId> area, CategoryId cat, OrgId org,
          ReportStatus status = ReportStatus::kNew) {
  Report r;
  r.id = ReportId{id};
  r.occurred_from = *ParseTimestamp(when);
  r.area = area;
  r.category = cat;
  r.org = org;
  r.status = status;
  return r;
}

Period P(const char* text) { return *ParsePeriod(text); }

// The row for (area, category), or nullptr.
const LagesbildRow* Row(const Lagesbild& lb, std::optional<AreaId> area,
                        std::optional<CategoryId> cat) {
  for (const LagesbildRow& r : lb.rows) {
    if (r.area() == area && r.category() == cat) return &r;
  }
  return nullptr;
}

struct Want {
  std::optional<AreaId> area;
  std::optional<CategoryId> category;
  int64_t count, previous, last_year;
};

void ExpectRows(const Lagesbild& lb, const std::vector<Want>& want) {
  for (const Want& w : want) {
    SCOPED_TRACE("area " + (w.area ? std::to_string(w.area->value) : std::string("outside")) +
                 " category " +
                 (w.category ? std::to_string(w.category->value) : std::string("total")));
    const LagesbildRow* r = Row(lb, w.area, w.category);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->count, w.count);
    EXPECT_EQ(r->previous, w.previous);
    EXPECT_EQ(r->last_year, w.last_year);
  }
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    UseTree(engine_);
    // 2026-W47 = Mon 16 – Sun 22 Nov 2026.
    engine_.Append(At(1, "2026-11-16 00:00", kA1, kKlotter, kOrg1));
    engine_.Append(At(2, "2026-11-18 14:00", kA1, kKlotter, kOrg2));
    engine_.Append(At(3, "2026-11-22 23:30", kA, kOtrygg, kOrg1));  // 22:30Z, still Sunday
    engine_.Append(At(4, "2026-11-20 20:00", kB, kKlotter, kOrg1));
    engine_.Append(At(5, "2026-11-19 10:00", std::nullopt, kKlotter, kOrg3));
    engine_.Append(At(6, "2026-11-19 10:00", kA1, kOtrygg, kOrg1, ReportStatus::kRejected));
    engine_.Append(At(7, "2026-11-17 10:00", kB, kOtrygg, kOrg2, ReportStatus::kDuplicate));
    engine_.Append(At(8, "2026-11-23 00:30", kA1, kKlotter, kOrg1));  // Monday of W48
    // 2026-W46 = 9 – 15 Nov 2026.
    engine_.Append(At(9, "2026-11-10 09:00", kA1, kKlotter, kOrg1));
    engine_.Append(At(10, "2026-11-15 23:59", kB, kOtrygg, kOrg2));
    engine_.Append(At(11, "2026-11-09 00:01", kKommun, kKlotter, kOrg1));
    // 2025-W47 = 17 – 23 Nov 2025.
    engine_.Append(At(12, "2025-11-17 08:00", kA1, kKlotter, kOrg1));
    engine_.Append(At(13, "2025-11-23 22:00", kB, kKlotter, kOrg1));
    engine_.Append(At(14, "2025-11-16 22:00", kB, kKlotter, kOrg1));  // 2025-W46: not counted
    // Earlier activity that sets expectations for coverage (12 weeks before W47).
    engine_.Append(At(15, "2026-10-01 12:00", kB, kKlotter, kOrg3));
  }

  Lagesbild Week47(LagesbildQuery q = {}) const {
    q.period = P("2026-W47");
    return engine_.Compute(q);
  }

  Engine engine_;
};

TEST_F(EngineTest, PeriodsOfTheQuery) {
  Lagesbild lb = Week47();
  EXPECT_EQ(lb.period, P("2026-W47"));
  EXPECT_EQ(lb.previous, P("2026-W46"));
  EXPECT_EQ(lb.last_year, P("2025-W47"));
  EXPECT_EQ(engine_.size(), 15u);
}

TEST_F(EngineTest, HandComputedCountsWithRollUp) {
  Lagesbild lb = Week47();
  ExpectRows(lb, {
                     // A1: r1, r2 now; r9 previous; r12 last year. r6 rejected, r8 is W48.
                     {kA1, std::nullopt, 2, 1, 1},
                     {kA1, kKlotter, 2, 1, 1},
                     // A: own r3 plus A1.
                     {kA, std::nullopt, 3, 1, 1},
                     {kA, kKlotter, 2, 1, 1},
                     {kA, kOtrygg, 1, 0, 0},
                     // B: r4 now; r10 previous; r13 last year; r7 duplicate, r14 W46 2025.
                     {kB, std::nullopt, 1, 1, 1},
                     {kB, kKlotter, 1, 0, 1},
                     {kB, kOtrygg, 0, 1, 0},
                     // Kommun: own r11 (previous) plus A and B.
                     {kKommun, std::nullopt, 4, 3, 2},
                     {kKommun, kKlotter, 3, 2, 2},
                     {kKommun, kOtrygg, 1, 1, 0},
                     // Outside: r5.
                     {std::nullopt, std::nullopt, 1, 0, 0},
                     {std::nullopt, kKlotter, 1, 0, 0},
                 });
  EXPECT_EQ(Row(lb, kA1, kOtrygg), nullptr) << "all-zero rows are left out";
  EXPECT_EQ(lb.rows.size(), 13u);
  EXPECT_EQ(lb.total, 5);
  EXPECT_EQ(lb.total_previous, 3);
  EXPECT_EQ(lb.total_last_year, 2);
  EXPECT_EQ(lb.outside, 1);
}

TEST_F(EngineTest, RowsAreAreaMajorWithTotalFirst) {
  Lagesbild lb = Week47();
  std::vector<std::pair<int64_t, int64_t>> order;  // (area or 0, category or 0)
  for (const LagesbildRow& r : lb.rows) {
    order.emplace_back(r.area() ? r.area()->value : 0, r.category() ? r.category()->value : 0);
  }
  const std::vector<std::pair<int64_t, int64_t>> want = {
      {1, 0}, {1, 1}, {1, 2},  // 0163
      {2, 0}, {2, 1}, {2, 2},  // a
      {3, 0}, {3, 1}, {3, 2},  // b
      {4, 0}, {4, 1},          // a1
      {0, 0}, {0, 1},          // outside
  };
  EXPECT_EQ(order, want);
}

TEST_F(EngineTest, AreaFilterShowsTheSubtreeOnly) {
  LagesbildQuery q;
  q.areas = {kA};
  Lagesbild lb = Week47(q);
  EXPECT_EQ(lb.rows.size(), 5u);
  for (const LagesbildRow& r : lb.rows) {
    ASSERT_TRUE(r.area().has_value());
    EXPECT_TRUE(*r.area() == kA || *r.area() == kA1);
  }
  EXPECT_EQ(lb.total, 3);
  EXPECT_EQ(lb.total_previous, 1);
  EXPECT_EQ(lb.total_last_year, 1);
  EXPECT_EQ(lb.outside, 0);

  q.areas = {kA1, kB};
  lb = Week47(q);
  EXPECT_EQ(lb.total, 3) << "two disjoint roots add up";
  EXPECT_EQ(lb.total_previous, 2);
  EXPECT_EQ(lb.total_last_year, 2);

  q.areas = {kKommun};
  lb = Week47(q);
  EXPECT_EQ(lb.total, 4) << "outside reports are not in the kommun's subtree";
  EXPECT_EQ(Row(lb, std::nullopt, std::nullopt), nullptr);
}

TEST_F(EngineTest, CategoryOrgAndDimensionFilters) {
  struct Case {
    const char* name;
    LagesbildQuery query;
    int64_t total, previous, last_year, outside;
  };
  LagesbildQuery by_cat;
  by_cat.categories = {kOtrygg};
  LagesbildQuery by_org;
  by_org.orgs = {kOrg2};
  LagesbildQuery by_org3;
  by_org3.orgs = {kOrg3};
  LagesbildQuery trygghet;
  trygghet.dimension = Dimension::kTrygghet;
  LagesbildQuery sakerhet;
  sakerhet.dimension = Dimension::kSakerhet;
  LagesbildQuery both_cats;
  both_cats.categories = {kKlotter, kOtrygg};
  LagesbildQuery cat_and_dim;  // klotter is säkerhet: nothing left
  cat_and_dim.categories = {kKlotter};
  cat_and_dim.dimension = Dimension::kTrygghet;
  const Case cases[] = {
      {"category otrygg", by_cat, 1, 1, 0, 0},
      {"org 2 (r2 now, r10 before; r7 is a duplicate)", by_org, 1, 1, 0, 0},
      {"org 3 (outside only)", by_org3, 1, 0, 0, 1},
      {"dimension trygghet", trygghet, 1, 1, 0, 0},
      {"dimension säkerhet", sakerhet, 4, 2, 2, 1},
      {"both categories", both_cats, 5, 3, 2, 1},
      {"category and dimension disagree", cat_and_dim, 0, 0, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Lagesbild lb = Week47(c.query);
    EXPECT_EQ(lb.total, c.total);
    EXPECT_EQ(lb.total_previous, c.previous);
    EXPECT_EQ(lb.total_last_year, c.last_year);
    EXPECT_EQ(lb.outside, c.outside);
  }
  Lagesbild lb = Week47(by_cat);
  ExpectRows(lb, {{kKommun, std::nullopt, 1, 1, 0}, {kKommun, kOtrygg, 1, 1, 0}});
  EXPECT_EQ(Row(lb, kKommun, kKlotter), nullptr);
}

TEST_F(EngineTest, UpdateIsReflectedImmediately) {
  // r4 (B, klotter) becomes otrygg.
  Report r4 = At(4, "2026-11-20 20:00", kB, kOtrygg, kOrg1);
  engine_.Update(r4);
  Lagesbild lb = Week47();
  ExpectRows(lb, {{kB, kOtrygg, 1, 1, 0},
                  {kB, kKlotter, 0, 0, 1},
                  {kKommun, kKlotter, 2, 2, 2},
                  {kKommun, kOtrygg, 2, 1, 0}});
  EXPECT_EQ(lb.total, 5);

  // ... and is then rejected.
  r4.status = ReportStatus::kRejected;
  engine_.Update(r4);
  lb = Week47();
  ExpectRows(lb, {{kB, std::nullopt, 0, 1, 1}, {kKommun, std::nullopt, 3, 3, 2}});
  EXPECT_EQ(lb.total, 4);

  // A rejected report that is reinstated counts again.
  Report r6 = At(6, "2026-11-19 10:00", kA1, kOtrygg, kOrg1, ReportStatus::kReviewed);
  engine_.Update(r6);
  lb = Week47();
  ExpectRows(lb, {{kA1, kOtrygg, 1, 0, 0}});
  EXPECT_EQ(lb.total, 5);

  // A report moved to another area (area import) moves its count.
  Report r1 = At(1, "2026-11-16 00:00", kB, kKlotter, kOrg1);
  engine_.Update(r1);
  lb = Week47();
  ExpectRows(lb, {{kA1, kKlotter, 1, 1, 1}, {kB, kKlotter, 1, 0, 1}});
  EXPECT_EQ(engine_.size(), 15u);
}

TEST_F(EngineTest, AppendOfAKnownIdIsIgnoredAndUpdateOfUnknownAppends) {
  engine_.Append(At(1, "2026-11-16 00:00", kB, kOtrygg, kOrg1));
  EXPECT_EQ(engine_.size(), 15u);
  ExpectRows(Week47(), {{kA1, kKlotter, 2, 1, 1}});
  engine_.Update(At(99, "2026-11-17 00:00", kB, kOtrygg, kOrg1));
  EXPECT_EQ(engine_.size(), 16u);
  ExpectRows(Week47(), {{kB, kOtrygg, 1, 1, 0}});
}

const CoverageRow* Coverage(const Lagesbild& lb, AreaId area) {
  for (const CoverageRow& c : lb.coverage) {
    if (c.area == area) return &c;
  }
  return nullptr;
}

TEST_F(EngineTest, CoverageSilentAndCheckedIn) {
  // Org 2 reported for B in W46 and only a duplicate in W47; it checks in for W47.
  CheckIn c;
  c.org = kOrg2;
  c.area = kB;
  c.week = {2026, 47};
  engine_.AddCheckIn(c);
  // Org 3 checked in for A in W40, within the 12 weeks before: it is expected there.
  CheckIn old;
  old.org = kOrg3;
  old.area = kA;
  old.week = {2026, 40};
  engine_.AddCheckIn(old);

  Lagesbild lb = Week47();
  using Ids = std::vector<OrgId>;
  const CoverageRow* b = Coverage(lb, kB);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->reported, (Ids{kOrg1}));
  EXPECT_EQ(b->checked_in, (Ids{kOrg2}));
  EXPECT_EQ(b->silent, (Ids{kOrg3})) << "org 3 reported on 1 Oct but neither reports nor checks in";
  EXPECT_EQ(b->expected, 3) << "org 1 (new now), org 2 and org 3";
  const CoverageRow* a = Coverage(lb, kA);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->reported, (Ids{kOrg1, kOrg2}));
  EXPECT_EQ(a->silent, (Ids{kOrg3}));
  const CoverageRow* a1 = Coverage(lb, kA1);
  ASSERT_NE(a1, nullptr);
  // Org 3's check-in for A spoke for A's sub-area A1 too, so it is expected (and silent) there.
  EXPECT_EQ(a1->silent, (Ids{kOrg3}));
  const CoverageRow* k = Coverage(lb, kKommun);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->reported, (Ids{kOrg1, kOrg2}));
  EXPECT_EQ(k->checked_in, (Ids{kOrg2}));
  EXPECT_EQ(k->silent, (Ids{kOrg3}));
  EXPECT_EQ(lb.coverage.size(), 4u);

  // Without the check-in org 2 is silent for B.
  Engine fresh;
  UseTree(fresh);
  fresh.Append(At(10, "2026-11-15 23:59", kB, kOtrygg, kOrg2));
  LagesbildQuery q;
  q.period = P("2026-W47");
  const Lagesbild fresh_lb = fresh.Compute(q);
  const CoverageRow* fb = Coverage(fresh_lb, kB);
  ASSERT_NE(fb, nullptr);
  EXPECT_EQ(fb->silent, (Ids{kOrg2}));

  // Activity more than 12 weeks before the period sets no expectation.
  Engine older;
  UseTree(older);
  older.Append(At(1, "2026-08-23 12:00", kB, kOtrygg, kOrg2));  // Sunday before the window
  const Lagesbild older_lb = older.Compute(q);
  const CoverageRow* ob = Coverage(older_lb, kB);
  ASSERT_NE(ob, nullptr);
  EXPECT_TRUE(ob->silent.empty());

  // A period that starts and ends mid-week (Wed 18 – Fri 20 Nov): its edge weeks are judged day
  // by day. Org 2 reported on Tue 17 (the day before: expected), org 3 on Thu 19 (in the period),
  // org 1 on Sat 21 (after it: neither).
  Engine mid;
  UseTree(mid);
  mid.Append(At(1, "2026-11-17 10:00", kB, kKlotter, kOrg2));
  mid.Append(At(2, "2026-11-19 10:00", kB, kKlotter, kOrg3));
  mid.Append(At(3, "2026-11-21 10:00", kB, kKlotter, kOrg1));
  LagesbildQuery mq;
  mq.period = *MakeCustomPeriod(DayFromCivil(2026, 11, 18), DayFromCivil(2026, 11, 20));
  const Lagesbild mid_lb = mid.Compute(mq);  // Coverage points into it
  const CoverageRow* mb = Coverage(mid_lb, kB);
  ASSERT_NE(mb, nullptr);
  EXPECT_EQ(mb->reported, (Ids{kOrg3}));
  EXPECT_EQ(mb->silent, (Ids{kOrg2}));
  EXPECT_EQ(mb->expected, 2) << "org 2 (expected) and org 3 (spoke now); org 1 came after";
}

TEST(EnginePeriods, Week53ComparesWithWeek52) {
  Engine e;
  UseTree(e);
  e.Append(At(1, "2027-01-02 12:00", kA, kKlotter, kOrg1));  // 2026-W53
  e.Append(At(2, "2026-12-28 00:00", kA, kKlotter, kOrg1));  // 2026-W53 (Monday)
  e.Append(At(3, "2026-12-27 23:59", kA, kKlotter, kOrg1));  // 2026-W52
  e.Append(At(4, "2025-12-22 08:00", kA, kKlotter, kOrg1));  // 2025-W52
  e.Append(At(5, "2025-12-29 08:00", kA, kKlotter, kOrg1));  // 2026-W01
  LagesbildQuery q;
  q.period = P("2026-W53");
  Lagesbild lb = e.Compute(q);
  EXPECT_EQ(lb.previous, P("2026-W52"));
  EXPECT_EQ(lb.last_year, P("2025-W52"));
  EXPECT_EQ(lb.total, 2);
  EXPECT_EQ(lb.total_previous, 1);
  EXPECT_EQ(lb.total_last_year, 1);
}

TEST(EnginePeriods, YearComparesWithThePreviousYear) {
  Engine e;
  UseTree(e);
  e.Append(At(1, "2026-01-01 00:00", kA, kKlotter, kOrg1));
  e.Append(At(2, "2026-12-31 23:59", kA, kKlotter, kOrg1));
  e.Append(At(3, "2026-06-15 12:00", kB, kOtrygg, kOrg2));
  e.Append(At(4, "2025-12-31 23:59", kA, kKlotter, kOrg1));
  e.Append(At(5, "2025-03-01 12:00", kB, kKlotter, kOrg1));
  e.Append(At(6, "2024-12-31 12:00", kB, kKlotter, kOrg1));
  e.Append(At(7, "2027-01-01 00:00", kB, kKlotter, kOrg1));
  LagesbildQuery q;
  q.period = P("2026");
  Lagesbild lb = e.Compute(q);
  EXPECT_EQ(lb.previous, P("2025"));
  EXPECT_EQ(lb.last_year, P("2025"));
  EXPECT_EQ(lb.total, 3);
  EXPECT_EQ(lb.total_previous, 2);
  EXPECT_EQ(lb.total_last_year, 2);
  ExpectRows(lb, {{kA, kKlotter, 2, 1, 1},
                  {kB, kOtrygg, 1, 0, 0},
                  {kB, kKlotter, 0, 1, 1},
                  {kKommun, std::nullopt, 3, 2, 2}});
}

TEST(EnginePeriods, EmptyEngine) {
  Engine e;
  LagesbildQuery q;
  q.period = P("2026-W47");
  Lagesbild lb = e.Compute(q);
  EXPECT_EQ(lb.total, 0);
  EXPECT_EQ(lb.outside, 0);
  EXPECT_TRUE(lb.coverage.empty());
  EXPECT_EQ(e.size(), 0u);
}

// The hour × weekday profile needs the wall-clock minute, also on the days the clocks change.
TEST(EngineMinute, WallClockMinuteAcrossDaylightSaving) {
  Engine engine;
  struct Case {
    const char* when;
    int minute;
  };
  const Case cases[] = {
      {"2026-03-29T03:30:00+02:00", 210},  // spring forward: 02:00–03:00 does not exist
      {"2026-10-25T02:30:00+01:00", 150},  // the second 02:30 of the autumn night
      {"2026-11-20T21:45:00+01:00", 1305},
      {"2026-07-01T00:05:00+02:00", 5},
  };
  int64_t id = 1;
  for (const Case& c : cases) {
    Report r;
    r.id = ReportId{id++};
    r.occurred_from = *ParseTimestamp(c.when);
    r.category = CategoryId{1};
    r.org = OrgId{1};
    engine.Append(r);
  }
  for (const Case& c : cases) {
    LagesbildQuery q;
    LocalDay day = ToLocalDay(*ParseTimestamp(c.when));
    q.period = *MakeCustomPeriod(day, day);
    q.coverage = false;
    std::vector<int> minutes;
    engine.ForEachPoint(q, [&](const EnginePoint& p) { minutes.push_back(p.minute); });
    ASSERT_EQ(minutes.size(), 1u) << c.when;
    EXPECT_EQ(minutes[0], c.minute) << c.when;
  }
}

// Reports per grid cell: cells are floor(E / cell), floor(N / cell) of the stored position, also
// exactly on a cell edge and for negative coordinates; excluded reports, reports outside the
// period, outside the study cells and filtered out are not counted. Each expected count is placed
// by hand.
TEST(EngineCountPerCell, CellsFollowTheFloorContractExactly) {
  Engine engine;
  UseTree(engine);
  int64_t id = 0;
  auto add = [&](double e, double n, const char* when = "2026-11-18 12:00",
                 CategoryId cat = kKlotter, ReportStatus status = ReportStatus::kNew) {
    Report r = At(++id, when, kA1, cat, kOrg1, status);
    r.e = e;
    r.n = n;
    engine.Append(r);
  };
  add(500.0, 250.0);    // exactly on corner (2, 1) of a 250 m grid
  add(499.9, 250.0);    // (1, 1)
  add(749.99, 499.99);  // (2, 1)
  add(-0.1, 0.0);       // (-1, 0)
  add(-250.0, -250.0);  // (-1, -1), on the corner
  add(-250.1, 0.0);     // (-2, 0): not a study cell
  add(500.0, 250.0, "2026-11-18 12:00", kKlotter, ReportStatus::kRejected);  // not counted
  add(500.0, 250.0, "2026-11-10 12:00");                                     // W46
  add(500.0, 250.0, "2026-11-18 12:00", kOtrygg);                            // filtered out below
  std::vector<CellKey> cells = {{-1, -1}, {-1, 0}, {1, 1}, {2, 1}, {5, 5}};
  auto grid = StudyGrid::FromCells(cells, 250);
  ASSERT_TRUE(grid);
  LagesbildQuery q;
  q.period = P("2026-W47");
  q.categories = {kKlotter};
  std::vector<double> counts = engine.CountPerCell(q, *grid);
  ASSERT_EQ(counts.size(), 5u);
  // Grid order: iy ascending, then ix.
  EXPECT_EQ(counts[static_cast<size_t>(grid->index(-1, -1))], 1);
  EXPECT_EQ(counts[static_cast<size_t>(grid->index(-1, 0))], 1);
  EXPECT_EQ(counts[static_cast<size_t>(grid->index(1, 1))], 1);
  EXPECT_EQ(counts[static_cast<size_t>(grid->index(2, 1))], 2);
  EXPECT_EQ(counts[static_cast<size_t>(grid->index(5, 5))], 0);
  // The whole November: the W46 report joins cell (2, 1).
  q.period = P("2026-11");
  counts = engine.CountPerCell(q, *grid);
  EXPECT_EQ(counts[static_cast<size_t>(grid->index(2, 1))], 3);
  // A cell that is not a whole number of decimetres goes through doubles: 33.33 m.
  auto odd = StudyGrid::FromCells({{15, 7}, {14, 7}, {-1, 0}}, 33.33);
  ASSERT_TRUE(odd);
  q.period = P("2026-W47");
  counts = engine.CountPerCell(q, *odd);
  // 500 / 33.33 = 15.0015 → 15; 499.9 / 33.33 = 14.998 → 14; 250 / 33.33 = 7.5 → 7.
  EXPECT_EQ(counts[static_cast<size_t>(odd->index(15, 7))], 1);
  EXPECT_EQ(counts[static_cast<size_t>(odd->index(14, 7))], 1);
  EXPECT_EQ(counts[static_cast<size_t>(odd->index(-1, 0))], 1);  // -0.1 → -1
}

// The bulk path: AppendBatch (reports at random weeks, an id twice in the batch, an id already
// present) followed by Compact (blocks re-ordered by area) gives the same pictures as appending
// one by one, and an edit after the re-ordering reaches the right row.
TEST(EngineBulkLoad, BatchAndCompactEqualOneByOne) {
  std::vector<Report> reports;
  const char* days[] = {"2026-11-16 08:00", "2026-11-10 09:00", "2025-11-18 10:00",
                        "2026-11-22 23:30", "2026-10-01 12:00", "2026-11-19 07:15"};
  const std::optional<AreaId> areas[] = {kA1, kB, std::nullopt, kA, kKommun};
  for (int i = 1; i <= 60; ++i) {
    reports.push_back(At(i, days[i % 6], areas[i % 5], i % 2 ? kKlotter : kOtrygg, OrgId{1 + i % 3},
                         i % 11 == 0 ? ReportStatus::kRejected : ReportStatus::kNew));
  }
  Engine one, bulk;
  UseTree(one);
  UseTree(bulk);
  for (const Report& r : reports) one.Append(r);
  bulk.Append(reports[5]);  // already present when the batch arrives: kept once
  std::vector<Report> batch = reports;
  batch.push_back(reports[7]);  // twice in the batch: kept once
  Report unsaved = reports[3];
  unsaved.id = ReportId{0};  // not stored (an import's already-present row): skipped
  batch.insert(batch.begin() + 10, unsaved);
  bulk.AppendBatch(batch);
  bulk.Compact();
  EXPECT_EQ(bulk.size(), one.size());
  auto same = [&](const char* period) {
    LagesbildQuery q;
    q.period = P(period);
    const Lagesbild a = one.Compute(q), b = bulk.Compute(q);
    ASSERT_EQ(a.rows.size(), b.rows.size()) << period;
    for (size_t i = 0; i < a.rows.size(); ++i) {
      EXPECT_EQ(a.rows[i].area_id, b.rows[i].area_id) << period << " row " << i;
      EXPECT_EQ(a.rows[i].category_id, b.rows[i].category_id) << period << " row " << i;
      EXPECT_EQ(a.rows[i].count, b.rows[i].count) << period << " row " << i;
      EXPECT_EQ(a.rows[i].previous, b.rows[i].previous) << period << " row " << i;
      EXPECT_EQ(a.rows[i].last_year, b.rows[i].last_year) << period << " row " << i;
    }
    EXPECT_EQ(a.total, b.total);
    EXPECT_EQ(a.outside, b.outside);
  };
  same("2026-W47");
  same("2026-11");
  same("2026");
  // Move report 12 (area B) to A1 after the re-ordering: both engines agree again.
  Report moved = reports[11];
  moved.area = kA1;
  one.Update(moved);
  bulk.Update(moved);
  same("2026-W47");
  same("2026");
  // And to another week (the row moves between blocks).
  moved.occurred_from = *ParseTimestamp("2026-11-03 10:00");
  one.Update(moved);
  bulk.Update(moved);
  same("2026-11");
}

// A year of 300 000 reports (over the 200 000 that take a second core) is counted on two threads
// (the previous year on the second); the counts equal a plain count of the generated reports.
TEST(EngineLongPeriod, YearOnTwoThreadsEqualsPlainCount) {
  Engine engine;
  UseTree(engine);
  const LocalDay first = DayFromCivil(2025, 1, 1);
  std::map<std::tuple<int, int64_t, int64_t>, int64_t> want;  // (year, area, category) → count
  std::vector<Report> batch;
  for (int64_t i = 1; i <= 600000; ++i) {
    const LocalDay day = first + static_cast<LocalDay>(i % 730);
    Report r;
    r.id = ReportId{i};
    r.occurred_from = LocalDayStartUtc(day) + 3600 * (i % 24);
    r.area = i % 3 == 0 ? kB : kA1;
    r.category = i % 2 == 0 ? kKlotter : kOtrygg;
    r.org = kOrg1;
    r.status = i % 101 == 0 ? ReportStatus::kRejected : ReportStatus::kNew;
    if (r.status != ReportStatus::kRejected) {
      ++want[{CivilFromDay(day).year, r.area->value, r.category.value}];
    }
    batch.push_back(r);
  }
  engine.AppendBatch(batch);
  engine.Compact();
  LagesbildQuery q;
  q.period = P("2026");
  const Lagesbild lb = engine.Compute(q);
  for (AreaId area : {kA1, kB}) {
    for (CategoryId cat : {kKlotter, kOtrygg}) {
      const LagesbildRow* row = Row(lb, area, cat);
      ASSERT_NE(row, nullptr);
      EXPECT_EQ(row->count, (want[{2026, area.value, cat.value}]));
      EXPECT_EQ(row->previous, (want[{2025, area.value, cat.value}]));
      EXPECT_EQ(row->last_year, (want[{2025, area.value, cat.value}]));
    }
  }
  int64_t all_2026 = 0, all_2025 = 0;
  for (const auto& [key, n] : want) (std::get<0>(key) == 2026 ? all_2026 : all_2025) += n;
  EXPECT_EQ(lb.total, all_2026);
  EXPECT_EQ(lb.total_previous, all_2025);
  EXPECT_EQ(lb.reports_scanned, all_2026);
  const LagesbildRow* kommun = Row(lb, kKommun, std::nullopt);
  ASSERT_NE(kommun, nullptr);
  EXPECT_EQ(kommun->count, all_2026);
}

// Thirteen categories (so that the count rows are longer than the four lanes the roll-up and the
// row count take at a time, with a remainder), the three-level tree, reports at random days over
// three years: every lägesbild row, with and without category, organisation and area filters and
// for whole and partial weeks, equals a count by definition (ancestors included, rejected
// reports out, a row exactly where a count is non-zero).
TEST(EngineBruteForce, EveryRowEqualsACountByDefinition) {
  constexpr int kCats = 13;
  std::vector<Category> cats(kCats);
  for (int c = 0; c < kCats; ++c) {
    cats[static_cast<size_t>(c)].id = CategoryId{c + 1};
    cats[static_cast<size_t>(c)].code = "k" + std::to_string(c + 1);
    cats[static_cast<size_t>(c)].dimension = c % 3 ? Dimension::kSakerhet : Dimension::kTrygghet;
  }
  Engine engine;
  UseTree(engine, cats);
  std::mt19937 rng(7);
  const std::optional<AreaId> places[] = {kA1, kA, kB, std::nullopt};
  std::vector<Report> reports;
  const LocalDay first = DayFromCivil(2024, 11, 1);
  for (int64_t i = 1; i <= 20000; ++i) {
    Report r;
    r.id = ReportId{i};
    const LocalDay day = first + static_cast<LocalDay>(rng() % 760);
    r.occurred_from = LocalDayStartUtc(day) + 60 * static_cast<int64_t>(rng() % 1440);
    r.area = places[rng() % 4];
    r.category = CategoryId{1 + static_cast<int64_t>(rng() % kCats)};
    r.org = OrgId{1 + static_cast<int64_t>(rng() % 3)};
    r.status = rng() % 17 == 0 ? ReportStatus::kRejected : ReportStatus::kNew;
    reports.push_back(r);
  }
  engine.AppendBatch(reports);
  engine.Compact();
  const std::vector<Area> tree = Areas();
  auto ancestors_or_self = [&](AreaId a) {
    std::vector<int64_t> out;
    for (std::optional<AreaId> cur = a; cur;) {
      out.push_back(cur->value);
      auto it = std::find_if(tree.begin(), tree.end(), [&](const Area& x) { return x.id == *cur; });
      cur = it == tree.end() ? std::nullopt : it->parent;
    }
    return out;
  };
  struct Case {
    const char* period;
    std::vector<CategoryId> categories;
    std::vector<OrgId> orgs;
    std::vector<AreaId> areas;
  };
  const std::vector<Case> cases = {
      {"2026-W47", {}, {}, {}},
      {"2026-W47", {CategoryId{2}, CategoryId{5}, CategoryId{13}}, {}, {}},
      {"2026-W47", {}, {kOrg2}, {}},
      {"2026-W47", {CategoryId{1}, CategoryId{7}}, {kOrg1, kOrg3}, {kA}},
      {"2026-11", {}, {}, {}},  // partial weeks at both ends
      {"2026-11", {CategoryId{4}}, {kOrg3}, {}},
      {"2025", {}, {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.period);
    LagesbildQuery q;
    q.period = P(c.period);
    q.categories = c.categories;
    q.orgs = c.orgs;
    q.areas = c.areas;
    const Lagesbild lb = engine.Compute(q);
    const Period slots[3] = {lb.period, lb.previous, lb.last_year};
    // (area id or 0 for outside, category) → counts per slot; category 0 = the area's total.
    std::map<std::pair<int64_t, int64_t>, std::array<int32_t, 3>> want;
    for (const Report& r : reports) {
      if (r.status == ReportStatus::kRejected) continue;
      if (!c.categories.empty() &&
          std::find(c.categories.begin(), c.categories.end(), r.category) == c.categories.end())
        continue;
      if (!c.orgs.empty() && std::find(c.orgs.begin(), c.orgs.end(), r.org) == c.orgs.end())
        continue;
      const LocalDay day = static_cast<LocalDay>(
          FloorDiv(r.occurred_from + UtcOffsetSeconds(r.occurred_from), 86400));
      std::vector<int64_t> at = r.area ? ancestors_or_self(*r.area) : std::vector<int64_t>{0};
      if (!c.areas.empty()) {
        // Only areas inside the filter are shown (and nothing outside every area).
        std::vector<int64_t> inside;
        for (int64_t a : at) {
          for (int64_t up : ancestors_or_self(AreaId{a})) {
            if (std::find(c.areas.begin(), c.areas.end(), AreaId{up}) != c.areas.end()) {
              inside.push_back(a);
              break;
            }
          }
        }
        at = inside;
      }
      for (int k = 0; k < 3; ++k) {
        if (!slots[k].Contains(day)) continue;
        for (int64_t a : at) {
          ++want[{a, r.category.value}][static_cast<size_t>(k)];
          ++want[{a, 0}][static_cast<size_t>(k)];
        }
      }
    }
    size_t checked = 0;
    for (const LagesbildRow& row : lb.rows) {
      auto it = want.find({row.area_id, row.category_id});
      const std::array<int32_t, 3> got = {row.count, row.previous, row.last_year};
      if (it == want.end()) {
        // A total row may be all zero (an area is always listed); a category row never is.
        EXPECT_EQ(row.category_id, 0) << "area " << row.area_id;
        EXPECT_EQ(got, (std::array<int32_t, 3>{0, 0, 0})) << "area " << row.area_id;
        continue;
      }
      EXPECT_EQ(got, it->second) << "area " << row.area_id << " category " << row.category_id;
      ++checked;
    }
    EXPECT_EQ(checked, want.size()) << "every counted (area, category) has its row";
  }
}

// Coverage by definition, for reports only (check-ins are covered above): for each area and its
// sub-areas, who reported in the period and who reported in the 12 weeks before it.
struct CoverageWant {
  std::set<int64_t> reported, expected_before;
};
std::map<int64_t, CoverageWant> CoverageByDefinition(const std::vector<Report>& reports,
                                                     const Period& period,
                                                     const std::vector<OrgId>& orgs) {
  const std::vector<Area> tree = Areas();
  std::map<int64_t, CoverageWant> out;
  const LocalDay expect_from = period.first - 7 * 12;
  for (const Report& r : reports) {
    if (r.status == ReportStatus::kRejected || !r.area) continue;
    if (!orgs.empty() && std::find(orgs.begin(), orgs.end(), r.org) == orgs.end()) continue;
    const LocalDay day =
        static_cast<LocalDay>(FloorDiv(r.occurred_from + UtcOffsetSeconds(r.occurred_from), 86400));
    for (std::optional<AreaId> cur = r.area; cur;) {
      if (period.Contains(day)) out[cur->value].reported.insert(r.org.value);
      if (day >= expect_from && day < period.first) {
        out[cur->value].expected_before.insert(r.org.value);
      }
      auto it = std::find_if(tree.begin(), tree.end(), [&](const Area& x) { return x.id == *cur; });
      cur = it == tree.end() ? std::nullopt : it->parent;
    }
  }
  return out;
}

// The week's activity bits are kept between queries: after appends, edits that reject a report,
// move it to another area or week, the coverage still equals the definition (and a fresh engine).
TEST(EngineCoverage, KeptWeekActivityFollowsEveryChange) {
  Engine engine;
  UseTree(engine);
  std::mt19937 rng(11);
  const std::optional<AreaId> places[] = {kA1, kA, kB};
  std::vector<Report> reports;
  const LocalDay first = DayFromCivil(2026, 8, 1);
  auto make = [&](int64_t id) {
    Report r;
    r.id = ReportId{id};
    r.occurred_from =
        LocalDayStartUtc(first + static_cast<LocalDay>(rng() % 120)) + 3600 * (rng() % 24);
    r.area = places[rng() % 3];
    r.category = kKlotter;
    r.org = OrgId{1 + static_cast<int64_t>(rng() % 100)};  // two 64-bit words of organisations
    return r;
  };
  for (int64_t i = 1; i <= 400; ++i) reports.push_back(make(i));
  engine.AppendBatch(reports);
  engine.Compact();

  auto check = [&](const char* when) {
    for (const char* period : {"2026-W47", "2026-11", "2026-W45"}) {
      for (const std::vector<OrgId>& orgs :
           {std::vector<OrgId>{}, std::vector<OrgId>{OrgId{3}, OrgId{70}}}) {
        SCOPED_TRACE(std::string(when) + " " + period + (orgs.empty() ? "" : " filtered"));
        LagesbildQuery q;
        q.period = P(period);
        q.orgs = orgs;
        const Lagesbild lb = engine.Compute(q);
        const auto want = CoverageByDefinition(reports, q.period, orgs);
        for (AreaId area : {kKommun, kA, kB, kA1}) {
          const CoverageRow* row = Coverage(lb, area);
          ASSERT_NE(row, nullptr);
          const auto it = want.find(area.value);
          std::set<int64_t> reported, silent, expected;
          if (it != want.end()) {
            reported = it->second.reported;
            for (int64_t o : it->second.expected_before) {
              if (!reported.count(o)) silent.insert(o);
            }
            expected = it->second.expected_before;
            expected.insert(reported.begin(), reported.end());
          }
          std::set<int64_t> got_reported, got_silent;
          for (OrgId o : row->reported) got_reported.insert(o.value);
          for (OrgId o : row->silent) got_silent.insert(o.value);
          EXPECT_EQ(got_reported, reported) << "area " << area.value;
          EXPECT_EQ(got_silent, silent) << "area " << area.value;
          EXPECT_EQ(row->expected, static_cast<int>(expected.size())) << "area " << area.value;
        }
      }
    }
  };
  check("loaded");
  check("again (kept bits)");
  // Reject some, move some to another area, some to another week; append new ones.
  for (size_t i = 0; i < reports.size(); i += 7) {
    Report& r = reports[i];
    if (i % 3 == 0) r.status = ReportStatus::kRejected;
    if (i % 3 == 1) r.area = r.area == kB ? kA1 : kB;
    if (i % 3 == 2) r.occurred_from += 86400 * 9;
    engine.Update(r);
  }
  for (int64_t i = 401; i <= 450; ++i) {
    reports.push_back(make(i));
    engine.Append(reports.back());
  }
  check("after edits");
}

}  // namespace
}  // namespace est::analysis
