#include "core/period.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "core/time.h"

namespace est {
namespace {

LocalDay Day(std::string_view text) {
  auto d = ParseDay(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(0);
}

Period MustParse(std::string_view text) {
  auto p = ParsePeriod(text);
  EXPECT_TRUE(p.has_value()) << text << ": " << (p ? "" : p.error().detail);
  return p.value_or(Period{PeriodKind::kCustom, 0, 0});
}

struct ParseCase {
  std::string_view text;
  PeriodKind kind;
  std::string_view first;
  std::string_view last;
  int days;
  std::string_view label;
  std::string_view label_sv;
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << c.text; }

class ParsePeriodValid : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParsePeriodValid, ParsesAndLabels) {
  const ParseCase& c = GetParam();
  auto p = ParsePeriod(c.text);
  ASSERT_TRUE(p.has_value()) << c.text << ": " << p.error().detail;
  EXPECT_EQ(p->kind, c.kind) << c.text;
  EXPECT_EQ(FormatDay(p->first), c.first) << c.text;
  EXPECT_EQ(FormatDay(p->last), c.last) << c.text;
  EXPECT_EQ(p->days(), c.days) << c.text;
  EXPECT_EQ(p->label(), c.label) << c.text;
  EXPECT_EQ(p->label_sv(), c.label_sv) << c.text;
  auto again = ParsePeriod(p->label());
  ASSERT_TRUE(again.has_value()) << p->label();
  EXPECT_EQ(*again, *p) << c.text;
}

INSTANTIATE_TEST_SUITE_P(Weeks, ParsePeriodValid,
                         ::testing::Values(ParseCase{"2026-W47", PeriodKind::kWeek, "2026-11-16",
                                                     "2026-11-22", 7, "2026-W47", "vecka 47 2026"},
                                           ParseCase{"2026W47", PeriodKind::kWeek, "2026-11-16",
                                                     "2026-11-22", 7, "2026-W47", "vecka 47 2026"},
                                           ParseCase{"2026-w05", PeriodKind::kWeek, "2026-01-26",
                                                     "2026-02-01", 7, "2026-W05", "vecka 5 2026"},
                                           ParseCase{"2026-W01", PeriodKind::kWeek, "2025-12-29",
                                                     "2026-01-04", 7, "2026-W01", "vecka 1 2026"},
                                           ParseCase{"2026-W53", PeriodKind::kWeek, "2026-12-28",
                                                     "2027-01-03", 7, "2026-W53", "vecka 53 2026"},
                                           ParseCase{"2020-W53", PeriodKind::kWeek, "2020-12-28",
                                                     "2021-01-03", 7, "2020-W53",
                                                     "vecka 53 2020"}));

INSTANTIATE_TEST_SUITE_P(Months, ParsePeriodValid,
                         ::testing::Values(ParseCase{"2026-11", PeriodKind::kMonth, "2026-11-01",
                                                     "2026-11-30", 30, "2026-11", "november 2026"},
                                           ParseCase{"2026-01", PeriodKind::kMonth, "2026-01-01",
                                                     "2026-01-31", 31, "2026-01", "januari 2026"},
                                           ParseCase{"2026-12", PeriodKind::kMonth, "2026-12-01",
                                                     "2026-12-31", 31, "2026-12", "december 2026"},
                                           ParseCase{"2024-02", PeriodKind::kMonth, "2024-02-01",
                                                     "2024-02-29", 29, "2024-02", "februari 2024"},
                                           ParseCase{"2025-02", PeriodKind::kMonth, "2025-02-01",
                                                     "2025-02-28", 28, "2025-02", "februari 2025"},
                                           ParseCase{"2000-02", PeriodKind::kMonth, "2000-02-01",
                                                     "2000-02-29", 29, "2000-02", "februari 2000"},
                                           ParseCase{"1900-02", PeriodKind::kMonth, "1900-02-01",
                                                     "1900-02-28", 28, "1900-02",
                                                     "februari 1900"}));

INSTANTIATE_TEST_SUITE_P(
    TertialsQuartersYears, ParsePeriodValid,
    ::testing::Values(ParseCase{"2026-T1", PeriodKind::kTertial, "2026-01-01", "2026-04-30", 120,
                                "2026-T1", "tertial 1 2026"},
                      ParseCase{"2024-t1", PeriodKind::kTertial, "2024-01-01", "2024-04-30", 121,
                                "2024-T1", "tertial 1 2024"},
                      ParseCase{"2026-T2", PeriodKind::kTertial, "2026-05-01", "2026-08-31", 123,
                                "2026-T2", "tertial 2 2026"},
                      ParseCase{"2026-T3", PeriodKind::kTertial, "2026-09-01", "2026-12-31", 122,
                                "2026-T3", "tertial 3 2026"},
                      ParseCase{"2026-Q1", PeriodKind::kQuarter, "2026-01-01", "2026-03-31", 90,
                                "2026-Q1", "kvartal 1 2026"},
                      ParseCase{"2024-q1", PeriodKind::kQuarter, "2024-01-01", "2024-03-31", 91,
                                "2024-Q1", "kvartal 1 2024"},
                      ParseCase{"2026-Q2", PeriodKind::kQuarter, "2026-04-01", "2026-06-30", 91,
                                "2026-Q2", "kvartal 2 2026"},
                      ParseCase{"2026-Q3", PeriodKind::kQuarter, "2026-07-01", "2026-09-30", 92,
                                "2026-Q3", "kvartal 3 2026"},
                      ParseCase{"2026-Q4", PeriodKind::kQuarter, "2026-10-01", "2026-12-31", 92,
                                "2026-Q4", "kvartal 4 2026"},
                      ParseCase{"2026", PeriodKind::kYear, "2026-01-01", "2026-12-31", 365, "2026",
                                "år 2026"},
                      ParseCase{" 2024 ", PeriodKind::kYear, "2024-01-01", "2024-12-31", 366,
                                "2024", "år 2024"}));

INSTANTIATE_TEST_SUITE_P(
    Custom, ParsePeriodValid,
    ::testing::Values(
        ParseCase{"2026-11-01..2026-11-20", PeriodKind::kCustom, "2026-11-01", "2026-11-20", 20,
                  "2026-11-01..2026-11-20", "1 nov 2026 – 20 nov 2026"},
        ParseCase{"2026-11-01..2026-11-01", PeriodKind::kCustom, "2026-11-01", "2026-11-01", 1,
                  "2026-11-01..2026-11-01", "1 nov 2026 – 1 nov 2026"},
        ParseCase{"2025-12-24..2026-01-06", PeriodKind::kCustom, "2025-12-24", "2026-01-06", 14,
                  "2025-12-24..2026-01-06", "24 dec 2025 – 6 jan 2026"},
        ParseCase{"2024-02-28..2024-03-01", PeriodKind::kCustom, "2024-02-28", "2024-03-01", 3,
                  "2024-02-28..2024-03-01", "28 feb 2024 – 1 mar 2024"},
        ParseCase{"2026-05-01 .. 2026-10-31", PeriodKind::kCustom, "2026-05-01", "2026-10-31", 184,
                  "2026-05-01..2026-10-31", "1 maj 2026 – 31 okt 2026"}));

struct BadCase {
  std::string_view text;
  std::string_view reason_part;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.text; }

class ParsePeriodInvalid : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParsePeriodInvalid, RejectsWithReason) {
  const BadCase& c = GetParam();
  auto p = ParsePeriod(c.text);
  ASSERT_FALSE(p.has_value()) << c.text << " parsed as " << p->label();
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(p.error().fields.size(), 1u);
  EXPECT_EQ(p.error().fields[0].field, "period");
  EXPECT_NE(p.error().fields[0].reason.find(c.reason_part), std::string::npos)
      << c.text << " -> " << p.error().fields[0].reason;
}

constexpr std::string_view kForms = "använd ÅÅÅÅ-Wvv (vecka";

INSTANTIATE_TEST_SUITE_P(
    Cases, ParsePeriodInvalid,
    ::testing::Values(
        BadCase{"", "period saknas"}, BadCase{"abc", kForms}, BadCase{"202", kForms},
        BadCase{"2026-", kForms}, BadCase{"2026-1", kForms}, BadCase{"2026-111", kForms},
        BadCase{"2026-T", kForms}, BadCase{"2026-Q", kForms}, BadCase{"2026-X1", kForms},
        BadCase{"2026/11", kForms}, BadCase{"2026-11-20", kForms},
        BadCase{"vecka 47", "okänd period \"vecka 47\""},
        BadCase{"2026-13", "månad 13 finns inte (1–12)"}, BadCase{"2026-00", "månad 0"},
        BadCase{"2026-T4", "tertial 4 finns inte (1–3)"}, BadCase{"2026-T0", "tertial 0"},
        BadCase{"2026-Q5", "kvartal 5 finns inte (1–4)"}, BadCase{"2026-Q0", "kvartal 0"},
        BadCase{"2025-W53", "vecka 53 finns inte år 2025 (året har 52 veckor)"},
        BadCase{"2026-W54", "vecka 54"}, BadCase{"2026-W00", "vecka 0"},
        BadCase{"2026-11-20..2026-11-01", "slutdatum 2026-11-01 ligger före startdatum 2026-11-20"},
        BadCase{"2026-02-30..2026-03-01", "startdatum: dag 30 finns inte i februari 2026"},
        BadCase{"2026-03-01..2026-13-01", "slutdatum: månad 13"},
        BadCase{"2026-11-01..", "slutdatum: datum saknas"},
        BadCase{"..2026-11-01", "startdatum: datum saknas"},
        BadCase{"2026-01-01..2036-12-31", "högst 3660 dagar"}));

TEST(MakeCustomPeriod, EnforcesOrderAndLength) {
  const LocalDay d = Day("2026-01-01");
  auto one = MakeCustomPeriod(d, d);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->days(), 1);
  EXPECT_EQ(one->kind, PeriodKind::kCustom);
  auto longest = MakeCustomPeriod(d, d + kMaxCustomPeriodDays - 1);
  ASSERT_TRUE(longest.has_value());
  EXPECT_EQ(longest->days(), 3660);
  auto too_long = MakeCustomPeriod(d, d + kMaxCustomPeriodDays);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().fields.at(0).field, "period");
  auto reversed = MakeCustomPeriod(d, d - 1);
  ASSERT_FALSE(reversed.has_value());
  EXPECT_EQ(reversed.error().code, ErrorCode::kInvalidArgument);
}

struct ShiftCase {
  std::string_view from;
  std::string_view to;
};

void PrintTo(const ShiftCase& c, std::ostream* os) { *os << c.from << " -> " << c.to; }

class PreviousPeriodTest : public ::testing::TestWithParam<ShiftCase> {};

TEST_P(PreviousPeriodTest, StepsBackOneUnit) {
  const Period p = MustParse(GetParam().from);
  const Period prev = PreviousPeriod(p);
  EXPECT_EQ(prev, MustParse(GetParam().to)) << GetParam().from << " -> " << prev.label();
  EXPECT_EQ(prev.last + 1, p.first) << GetParam().from;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PreviousPeriodTest,
    ::testing::Values(ShiftCase{"2027-W01", "2026-W53"}, ShiftCase{"2026-W01", "2025-W52"},
                      ShiftCase{"2021-W01", "2020-W53"}, ShiftCase{"2026-W47", "2026-W46"},
                      ShiftCase{"2026-W53", "2026-W52"}, ShiftCase{"2026-01", "2025-12"},
                      ShiftCase{"2024-03", "2024-02"}, ShiftCase{"2026-11", "2026-10"},
                      ShiftCase{"2026-T1", "2025-T3"}, ShiftCase{"2026-T3", "2026-T2"},
                      ShiftCase{"2026-T2", "2026-T1"}, ShiftCase{"2026-Q1", "2025-Q4"},
                      ShiftCase{"2026-Q3", "2026-Q2"}, ShiftCase{"2026", "2025"},
                      ShiftCase{"2026-11-11..2026-11-20", "2026-11-01..2026-11-10"},
                      ShiftCase{"2024-03-01..2024-03-01", "2024-02-29..2024-02-29"},
                      ShiftCase{"2026-01-01..2026-12-31", "2025-01-01..2025-12-31"}));

class SamePeriodLastYearTest : public ::testing::TestWithParam<ShiftCase> {};

TEST_P(SamePeriodLastYearTest, StepsBackOneYear) {
  const Period p = MustParse(GetParam().from);
  const Period last_year = SamePeriodLastYear(p);
  EXPECT_EQ(last_year, MustParse(GetParam().to)) << GetParam().from << " -> " << last_year.label();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SamePeriodLastYearTest,
    ::testing::Values(ShiftCase{"2026-W53", "2025-W52"}, ShiftCase{"2020-W53", "2019-W52"},
                      ShiftCase{"2027-W52", "2026-W52"}, ShiftCase{"2027-W01", "2026-W01"},
                      ShiftCase{"2026-W47", "2025-W47"}, ShiftCase{"2016-W01", "2015-W01"},
                      ShiftCase{"2026-11", "2025-11"}, ShiftCase{"2024-02", "2023-02"},
                      ShiftCase{"2025-02", "2024-02"}, ShiftCase{"2026-T2", "2025-T2"},
                      ShiftCase{"2026-Q4", "2025-Q4"}, ShiftCase{"2026", "2025"},
                      ShiftCase{"2026-11-01..2026-11-20", "2025-11-02..2025-11-21"},
                      ShiftCase{"2024-03-01..2024-03-31", "2023-03-03..2023-04-02"}));

TEST(SamePeriodLastYear, CustomKeepsWeekdays) {
  const Period p = MustParse("2026-11-02..2026-11-15");
  const Period q = SamePeriodLastYear(p);
  EXPECT_EQ(IsoWeekday(q.first), IsoWeekday(p.first));
  EXPECT_EQ(IsoWeekday(q.last), IsoWeekday(p.last));
  EXPECT_EQ(q.days(), p.days());
}

TEST(WeekContaining, FindsTheIsoWeek) {
  EXPECT_EQ(WeekContaining(Day("2027-01-01")), MustParse("2026-W53"));
  EXPECT_EQ(WeekContaining(Day("2026-11-16")), MustParse("2026-W47"));
  EXPECT_EQ(WeekContaining(Day("2026-11-22")), MustParse("2026-W47"));
  EXPECT_EQ(WeekContaining(Day("2026-11-23")), MustParse("2026-W48"));
  EXPECT_EQ(WeekContaining(Day("2025-12-31")), MustParse("2026-W01"));
}

TEST(Period, ContainsIsInclusive) {
  const Period p = MustParse("2026-11");
  EXPECT_FALSE(p.Contains(Day("2026-10-31")));
  EXPECT_TRUE(p.Contains(Day("2026-11-01")));
  EXPECT_TRUE(p.Contains(Day("2026-11-30")));
  EXPECT_FALSE(p.Contains(Day("2026-12-01")));
}

TEST(Period, UtcBoundsFollowStockholmMidnights) {
  // 2026-W13 contains the spring change (one hour shorter), 2026-10 the autumn one.
  const Period w13 = MustParse("2026-W13");
  EXPECT_EQ(FormatTimestampUtc(w13.StartUtc()), "2026-03-22T23:00:00Z");
  EXPECT_EQ(FormatTimestampUtc(w13.EndUtc()), "2026-03-29T22:00:00Z");
  EXPECT_EQ(w13.EndUtc() - w13.StartUtc(), 7 * 86400 - 3600);
  const Period oct = MustParse("2026-10");
  EXPECT_EQ(oct.EndUtc() - oct.StartUtc(), 31 * 86400 + 3600);
  // A report at 23:30Z on 31 July (01:30 local, 1 August) is in August, not July.
  auto t = ParseTimestamp("2026-07-31T23:30:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_FALSE(*t < MustParse("2026-07").EndUtc());
  EXPECT_TRUE(MustParse("2026-08").Contains(ToLocalDay(*t)));
}

TEST(Period, KindNames) {
  EXPECT_EQ(PeriodKindName(PeriodKind::kWeek), "week");
  EXPECT_EQ(PeriodKindName(PeriodKind::kMonth), "month");
  EXPECT_EQ(PeriodKindName(PeriodKind::kTertial), "tertial");
  EXPECT_EQ(PeriodKindName(PeriodKind::kQuarter), "quarter");
  EXPECT_EQ(PeriodKindName(PeriodKind::kYear), "year");
  EXPECT_EQ(PeriodKindName(PeriodKind::kCustom), "custom");
}

// For every day of 2015..2031 and every calendar kind: the containing period contains the day,
// its label parses back to it, the previous period ends the day before, and the period a year
// earlier has the same kind and label number.
TEST(Period, CalendarKindsRoundTripEveryDay) {
  const PeriodKind kinds[] = {PeriodKind::kWeek, PeriodKind::kMonth, PeriodKind::kTertial,
                              PeriodKind::kQuarter, PeriodKind::kYear};
  for (LocalDay d = Day("2015-01-01"); d <= Day("2031-12-31"); ++d) {
    for (PeriodKind kind : kinds) {
      const Period p = PeriodContaining(kind, d);
      ASSERT_EQ(p.kind, kind);
      ASSERT_TRUE(p.Contains(d)) << FormatDay(d) << " " << p.label();
      auto parsed = ParsePeriod(p.label());
      ASSERT_TRUE(parsed.has_value()) << p.label();
      ASSERT_EQ(*parsed, p) << p.label();
      const Period prev = PreviousPeriod(p);
      ASSERT_EQ(prev.kind, kind);
      ASSERT_EQ(prev.last + 1, p.first) << p.label();
      ASSERT_EQ(PeriodContaining(kind, prev.first), prev) << p.label();
      const Period last_year = SamePeriodLastYear(p);
      ASSERT_EQ(last_year.kind, kind);
      ASSERT_EQ(std::stoi(last_year.label().substr(0, 4)), std::stoi(p.label().substr(0, 4)) - 1)
          << p.label();
      if (kind != PeriodKind::kWeek) {
        ASSERT_EQ(last_year.label().substr(4), p.label().substr(4)) << p.label();
      }
    }
  }
}

}  // namespace
}  // namespace est

namespace est {
namespace {

UnixSeconds At(const char* text) { return *ParseTimestamp(text); }

TEST(RunningCut, MinutesFromTheFirstMidnightWhileThePeriodRuns) {
  const Period w49 = MakeWeekPeriod({2026, 49});  // Mon 2026-11-30 .. Sun 2026-12-06
  // Through the end of now's minute.
  EXPECT_EQ(RunningCutMinutes(w49, At("2026-11-30 08:00")), 481);
  EXPECT_EQ(RunningCutMinutes(w49, At("2026-12-03 08:00:59")), 3 * 1440 + 481);
  EXPECT_EQ(RunningCutMinutes(w49, At("2026-12-06 23:59:59")), 7 * 1440);
  EXPECT_EQ(RunningCutMinutes(w49, At("2026-11-30 00:00")), 1);
  EXPECT_EQ(RunningCutMinutes(w49, At("2026-11-29 12:00")), 0) << "not begun";
  EXPECT_EQ(RunningCutMinutes(w49, At("2026-12-07 00:00")), std::nullopt) << "ended";
  // Spring forward: 03:30 CEST on 2026-03-29 is wall-clock minute 210 of the Sunday.
  const Period w13 = MakeWeekPeriod({2026, 13});
  EXPECT_EQ(RunningCutMinutes(w13, At("2026-03-29 03:30")), 6 * 1440 + 211);
}

TEST(RunningCut, ExposureDaysAndLabel) {
  const Period w49 = MakeWeekPeriod({2026, 49});
  EXPECT_DOUBLE_EQ(ExposureDays(w49, std::nullopt), 7);
  EXPECT_DOUBLE_EQ(ExposureDays(w49, 480), 1.0 / 3);
  EXPECT_DOUBLE_EQ(ExposureDays(w49, 0), 0);
  // A cut beyond a shorter period's end counts it whole: February against 31 March.
  EXPECT_DOUBLE_EQ(ExposureDays(MakeMonthPeriod(2026, 2), 30 * 1440 + 600), 28);
  EXPECT_EQ(CutLabel(w49, 481), "mån 08:00");
  EXPECT_EQ(CutLabel(w49, 3 * 1440 + 481, true), "Thu 08:00");
  EXPECT_EQ(CutLabel(MakeMonthPeriod(2026, 12), 1440 + 606), "ons 2026-12-02 10:05");
}

}  // namespace
}  // namespace est
