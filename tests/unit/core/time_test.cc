#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace est {
namespace {

// Instants in the tables are written as UTC text; FormatTimestampUtc is itself pinned to epoch
// literals in FormatUtcMatchesEpochLiterals.
UnixSeconds Utc(std::string_view text) {
  auto t = ParseTimestamp(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

LocalDay Day(std::string_view text) {
  auto d = ParseDay(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(0);
}

TEST(TimeFormat, FormatUtcMatchesEpochLiterals) {
  EXPECT_EQ(FormatTimestampUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestampUtc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimestampUtc(1795181400), "2026-11-20T13:30:00Z");
  EXPECT_EQ(FormatTimestampUtc(951782400), "2000-02-29T00:00:00Z");
}

struct ParseCase {
  std::string_view text;
  std::string_view utc;  // expected instant
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << c.text; }

class ParseTimestampValid : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseTimestampValid, ParsesToInstant) {
  const ParseCase& c = GetParam();
  auto t = ParseTimestamp(c.text);
  ASSERT_TRUE(t.has_value()) << c.text << ": " << t.error().detail;
  EXPECT_EQ(FormatTimestampUtc(*t), c.utc) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseTimestampValid,
    ::testing::Values(ParseCase{"2026-11-20T14:30:00+01:00", "2026-11-20T13:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00Z", "2026-11-20T14:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00z", "2026-11-20T14:30:00Z"},
                      ParseCase{"2026-11-20t14:30:00Z", "2026-11-20T14:30:00Z"},
                      ParseCase{"2026-11-20T14:30+0100", "2026-11-20T13:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00+01", "2026-11-20T13:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00-05:00", "2026-11-20T19:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00+05:30", "2026-11-20T09:00:00Z"},
                      ParseCase{"2026-11-20T14:30:00.123+01:00", "2026-11-20T13:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00,999999Z", "2026-11-20T14:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00.5", "2026-11-20T13:30:00Z"},
                      ParseCase{"2026-11-20T14:30:00+01:00:00", "2026-11-20T13:30:00Z"},
                      ParseCase{"  2026-11-20T14:30:00Z\t", "2026-11-20T14:30:00Z"},
                      ParseCase{"1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"},
                      ParseCase{"2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"},
                      ParseCase{"2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"},
                      // Offset crosses midnight and the year.
                      ParseCase{"2027-01-01T00:30:00+01:00", "2026-12-31T23:30:00Z"}));

INSTANTIATE_TEST_SUITE_P(StockholmLocal, ParseTimestampValid,
                         ::testing::Values(ParseCase{"2026-11-20 14:30:00", "2026-11-20T13:30:00Z"},
                                           ParseCase{"2026-11-20T14:30", "2026-11-20T13:30:00Z"},
                                           ParseCase{"2026-07-01T12:00", "2026-07-01T10:00:00Z"},
                                           ParseCase{"2026-11-20", "2026-11-19T23:00:00Z"},
                                           ParseCase{"2026-07-01", "2026-06-30T22:00:00Z"},
                                           ParseCase{"1970-01-01", "1969-12-31T23:00:00Z"},
                                           // Beyond the tz file's explicit transitions (2037): the
                                           // EU rule still applies.
                                           ParseCase{"2040-07-01T12:00", "2040-07-01T10:00:00Z"},
                                           ParseCase{"2040-12-01T12:00", "2040-12-01T11:00:00Z"}));

INSTANTIATE_TEST_SUITE_P(
    PoliceFormat, ParseTimestampValid,
    ::testing::Values(ParseCase{"2025-06-07 7:32:06 +02:00", "2025-06-07T05:32:06Z"},
                      ParseCase{"2025-06-07 07:32:06 +02:00", "2025-06-07T05:32:06Z"},
                      ParseCase{"2025-12-07 0:05:00 +01:00", "2025-12-06T23:05:00Z"},
                      ParseCase{"2025-06-07 7:32:06", "2025-06-07T05:32:06Z"},
                      ParseCase{"2025-06-07 7:32", "2025-06-07T05:32:00Z"},
                      ParseCase{"2025-06-07 17:32:06  +0200", "2025-06-07T15:32:06Z"}));

// 2026-03-29: clocks go from 02:00 CET to 03:00 CEST (01:00Z); 02:00..02:59 do not exist and are
// shifted forward by the hour.
INSTANTIATE_TEST_SUITE_P(SpringForward2026, ParseTimestampValid,
                         ::testing::Values(ParseCase{"2026-03-29 01:59:59", "2026-03-29T00:59:59Z"},
                                           ParseCase{"2026-03-29 02:00:00", "2026-03-29T01:00:00Z"},
                                           ParseCase{"2026-03-29 02:30", "2026-03-29T01:30:00Z"},
                                           ParseCase{"2026-03-29 02:59:59", "2026-03-29T01:59:59Z"},
                                           ParseCase{"2026-03-29 03:00", "2026-03-29T01:00:00Z"},
                                           ParseCase{"2026-03-29 03:30", "2026-03-29T01:30:00Z"},
                                           ParseCase{"2026-03-29", "2026-03-28T23:00:00Z"},
                                           ParseCase{"2040-03-25 02:30", "2040-03-25T01:30:00Z"}));

// 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET (01:00Z); 02:00..02:59 happen twice and
// resolve to the earlier (CEST) instant unless an offset says otherwise.
INSTANTIATE_TEST_SUITE_P(
    FallBack2026, ParseTimestampValid,
    ::testing::Values(ParseCase{"2026-10-25 01:59:59", "2026-10-24T23:59:59Z"},
                      ParseCase{"2026-10-25 02:00", "2026-10-25T00:00:00Z"},
                      ParseCase{"2026-10-25 02:30", "2026-10-25T00:30:00Z"},
                      ParseCase{"2026-10-25 02:59:59", "2026-10-25T00:59:59Z"},
                      ParseCase{"2026-10-25 02:30+02:00", "2026-10-25T00:30:00Z"},
                      ParseCase{"2026-10-25 02:30+01:00", "2026-10-25T01:30:00Z"},
                      ParseCase{"2026-10-25 03:00", "2026-10-25T02:00:00Z"},
                      ParseCase{"2040-10-28 02:30", "2040-10-28T00:30:00Z"}));

struct BadCase {
  std::string_view text;
  std::string_view reason_part;  // must occur in the Swedish reason
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.text; }

class ParseTimestampInvalid : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParseTimestampInvalid, RejectsWithReason) {
  const BadCase& c = GetParam();
  auto t = ParseTimestamp(c.text);
  ASSERT_FALSE(t.has_value()) << c.text << " parsed as " << FormatTimestampUtc(*t);
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(t.error().fields.size(), 1u);
  EXPECT_EQ(t.error().fields[0].field, "tid");
  EXPECT_NE(t.error().fields[0].reason.find(c.reason_part), std::string::npos)
      << c.text << " -> " << t.error().fields[0].reason;
}

INSTANTIATE_TEST_SUITE_P(
    Impossible, ParseTimestampInvalid,
    ::testing::Values(BadCase{"2026-02-30", "dag 30 finns inte i februari 2026"},
                      BadCase{"2026-02-29T12:00:00Z", "dag 29 finns inte i februari 2026 (1–28)"},
                      BadCase{"1900-02-29", "dag 29"}, BadCase{"2026-04-31", "dag 31"},
                      BadCase{"2026-11-00", "dag 0"}, BadCase{"2026-13-01", "månad 13"},
                      BadCase{"2026-00-10", "månad 0"},
                      BadCase{"2026-11-20T24:00", "timme 24 finns inte (0–23)"},
                      BadCase{"2026-11-20T24:00:00Z", "timme 24"},
                      BadCase{"2026-11-20T14:60", "minut 60 finns inte (0–59)"},
                      BadCase{"2026-11-20T14:30:60Z", "sekund 60"},
                      BadCase{"2026-11-20T14:30:00+24:00", "tidszonen +24:00"},
                      BadCase{"2026-11-20T14:30:00-01:60", "tidszonen -01:60"}));

INSTANTIATE_TEST_SUITE_P(
    Garbage, ParseTimestampInvalid,
    ::testing::Values(
        BadCase{"", "tid saknas"}, BadCase{"   ", "tid saknas"},
        BadCase{"garbage", "oväntat tecken 'g' på position 1"},
        BadCase{"26-11-20", "år med fyra siffror"}, BadCase{"2026/11/20", "'-' efter året"},
        BadCase{"2026-1-20", "månad med två siffror"}, BadCase{"2026-11-2", "dag med två siffror"},
        BadCase{"2026-11-20X14:30", "'T' eller mellanslag"},
        BadCase{"2026-11-20Z", "'T' eller mellanslag"}, BadCase{"2026-11-20T", "texten tar slut"},
        BadCase{"2026-11-20T14", "':' efter timmen"},
        BadCase{"2026-11-20T123:00", "':' efter timmen"},
        BadCase{"2026-11-20T14:3", "två siffror för minuter"},
        BadCase{"2026-11-20T14:30:5", "två siffror för sekunder"},
        BadCase{"2026-11-20T14:30:00.", "decimaler"}, BadCase{"2026-11-20T14:30:00 CET", "tidszon"},
        BadCase{"2026-11-20T14:30:00+1", "tidszonens timmar"},
        BadCase{"2026-11-20T14:30:00+01:0", "tidszonens minuter"},
        BadCase{"2026-11-20T14:30:00+01:00 x", "oväntat mellanslag"},
        BadCase{"2026-11-20T14:30:00Zx", "slut på texten"},
        BadCase{"2026-11-20T14:30:00\xc3\xa5", "oväntat tecken på position 20"},
        BadCase{std::string_view("2026-11-20\0", 11), "oväntat tecken"}));

struct FormatCase {
  std::string_view utc;
  std::string_view local;
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.utc; }

class FormatTimestampLocal : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatTimestampLocal, FormatsStockholmWithOffset) {
  const FormatCase& c = GetParam();
  EXPECT_EQ(FormatTimestamp(Utc(c.utc)), c.local);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FormatTimestampLocal,
    ::testing::Values(FormatCase{"2026-11-20T13:30:00Z", "2026-11-20T14:30:00+01:00"},
                      FormatCase{"2026-07-01T10:00:00Z", "2026-07-01T12:00:00+02:00"},
                      FormatCase{"2026-03-29T00:59:59Z", "2026-03-29T01:59:59+01:00"},
                      FormatCase{"2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00"},
                      FormatCase{"2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00"},
                      FormatCase{"2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00"},
                      FormatCase{"1969-12-31T23:00:00Z", "1970-01-01T00:00:00+01:00"},
                      FormatCase{"2026-12-31T23:30:00Z", "2027-01-01T00:30:00+01:00"},
                      FormatCase{"2040-07-01T10:00:00Z", "2040-07-01T12:00:00+02:00"}));

TEST(FormatTimestamp, RoundTripsThroughParse) {
  // Every 15 minutes and 7 seconds through 2026 and 2040, both DST changes included.
  for (std::string_view year_start : {"2026-01-01T00:00:00Z", "2040-01-01T00:00:00Z"}) {
    const UnixSeconds begin = Utc(year_start);
    for (UnixSeconds t = begin; t < begin + 366 * 86400; t += 907) {
      auto local = ParseTimestamp(FormatTimestamp(t));
      ASSERT_TRUE(local.has_value()) << FormatTimestamp(t);
      ASSERT_EQ(*local, t) << FormatTimestamp(t);
      auto utc = ParseTimestamp(FormatTimestampUtc(t));
      ASSERT_TRUE(utc.has_value()) << FormatTimestampUtc(t);
      ASSERT_EQ(*utc, t) << FormatTimestampUtc(t);
    }
  }
}

// Found by fuzz/fuzz_time: "0000-01-01" is 0000-01-01T00:00:00+01:12:12 (local mean time), i.e.
// the year -1 in UTC, which FormatTimestampUtc wrote as "-001-12-31T22:47:48Z" and nothing parsed
// back. Instants whose UTC or Stockholm year is outside 0000–9999 are refused; the ends round-trip.
TEST(ParseTimestamp, YearsOutsideFourDigitsAreRefusedAndTheEndsRoundTrip) {
  for (std::string_view text : {"0000-01-01", "0000-01-01T00:30:00+01:00", "9999-12-31T23:30:00Z",
                                "9999-12-31T23:59:59-05:00"}) {
    auto t = ParseTimestamp(text);
    ASSERT_FALSE(t.has_value()) << text << " parsed as " << *t;
    ASSERT_EQ(t.error().fields.size(), 1u);
    EXPECT_EQ(t.error().fields[0].field, "tid");
    EXPECT_NE(t.error().fields[0].reason.find("0000–9999"), std::string::npos);
  }
  for (std::string_view text : {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59", "0001-01-01"}) {
    auto t = ParseTimestamp(text);
    ASSERT_TRUE(t.has_value()) << text;
    auto local = ParseTimestamp(FormatTimestamp(*t));
    ASSERT_TRUE(local.has_value()) << FormatTimestamp(*t);
    EXPECT_EQ(*local, *t);
    auto utc = ParseTimestamp(FormatTimestampUtc(*t));
    ASSERT_TRUE(utc.has_value()) << FormatTimestampUtc(*t);
    EXPECT_EQ(*utc, *t);
  }
}

struct OffsetCase {
  std::string_view utc;
  int offset;
};

void PrintTo(const OffsetCase& c, std::ostream* os) { *os << c.utc; }

class UtcOffset : public ::testing::TestWithParam<OffsetCase> {};

TEST_P(UtcOffset, MatchesStockholmRules) {
  EXPECT_EQ(UtcOffsetSeconds(Utc(GetParam().utc)), GetParam().offset) << GetParam().utc;
}

INSTANTIATE_TEST_SUITE_P(
    Transitions, UtcOffset,
    ::testing::Values(
        OffsetCase{"2026-01-15T12:00:00Z", 3600}, OffsetCase{"2026-03-29T00:59:59Z", 3600},
        OffsetCase{"2026-03-29T01:00:00Z", 7200}, OffsetCase{"2026-10-25T00:59:59Z", 7200},
        OffsetCase{"2026-10-25T01:00:00Z", 3600},
        // 1995 and earlier: summer time ended on the last Sunday of September.
        OffsetCase{"1995-09-24T00:59:59Z", 7200}, OffsetCase{"1995-09-24T01:00:00Z", 3600},
        OffsetCase{"2037-07-01T00:00:00Z", 7200}, OffsetCase{"2038-07-01T00:00:00Z", 7200},
        OffsetCase{"2040-03-25T00:59:59Z", 3600}, OffsetCase{"2040-03-25T01:00:00Z", 7200},
        OffsetCase{"2040-10-28T00:59:59Z", 7200}, OffsetCase{"2040-10-28T01:00:00Z", 3600},
        OffsetCase{"2100-01-01T12:00:00Z", 3600}, OffsetCase{"2100-07-01T12:00:00Z", 7200}));

struct LocalDayCase {
  std::string_view utc;
  std::string_view day;
  int hour;
};

void PrintTo(const LocalDayCase& c, std::ostream* os) { *os << c.utc; }

class LocalDayAndHour : public ::testing::TestWithParam<LocalDayCase> {};

TEST_P(LocalDayAndHour, UsesStockholmCalendar) {
  const LocalDayCase& c = GetParam();
  const UnixSeconds t = Utc(c.utc);
  EXPECT_EQ(FormatDay(ToLocalDay(t)), c.day) << c.utc;
  EXPECT_EQ(LocalHour(t), c.hour) << c.utc;
}

INSTANTIATE_TEST_SUITE_P(
    Boundaries, LocalDayAndHour,
    ::testing::Values(
        // CEST: local midnight is 22:00Z, so 23:30Z belongs to the next local day.
        LocalDayCase{"2026-07-01T21:59:59Z", "2026-07-01", 23},
        LocalDayCase{"2026-07-01T22:00:00Z", "2026-07-02", 0},
        LocalDayCase{"2026-07-01T23:30:00Z", "2026-07-02", 1},
        // CET: local midnight is 23:00Z.
        LocalDayCase{"2026-01-15T22:59:59Z", "2026-01-15", 23},
        LocalDayCase{"2026-01-15T23:00:00Z", "2026-01-16", 0},
        LocalDayCase{"2026-01-15T23:30:00Z", "2026-01-16", 0},
        LocalDayCase{"2026-12-31T23:00:00Z", "2027-01-01", 0},
        LocalDayCase{"1969-12-31T22:59:59Z", "1969-12-31", 23},
        LocalDayCase{"1969-12-31T23:00:00Z", "1970-01-01", 0},
        // DST days: 02:xx never happens in spring, happens twice in autumn.
        LocalDayCase{"2026-03-29T00:59:59Z", "2026-03-29", 1},
        LocalDayCase{"2026-03-29T01:00:00Z", "2026-03-29", 3},
        LocalDayCase{"2026-10-25T00:30:00Z", "2026-10-25", 2},
        LocalDayCase{"2026-10-25T01:30:00Z", "2026-10-25", 2},
        LocalDayCase{"2026-10-25T02:30:00Z", "2026-10-25", 3}));

struct DayStartCase {
  std::string_view day;
  std::string_view utc;
  int hours;  // length of the local day
};

void PrintTo(const DayStartCase& c, std::ostream* os) { *os << c.day; }

class LocalDayStart : public ::testing::TestWithParam<DayStartCase> {};

TEST_P(LocalDayStart, IsStockholmMidnight) {
  const DayStartCase& c = GetParam();
  const LocalDay d = Day(c.day);
  EXPECT_EQ(FormatTimestampUtc(LocalDayStartUtc(d)), c.utc);
  EXPECT_EQ(LocalDayStartUtc(d + 1) - LocalDayStartUtc(d), c.hours * 3600) << c.day;
}

INSTANTIATE_TEST_SUITE_P(Cases, LocalDayStart,
                         ::testing::Values(DayStartCase{"2026-01-15", "2026-01-14T23:00:00Z", 24},
                                           DayStartCase{"2026-07-01", "2026-06-30T22:00:00Z", 24},
                                           DayStartCase{"2026-03-29", "2026-03-28T23:00:00Z", 23},
                                           DayStartCase{"2026-03-30", "2026-03-29T22:00:00Z", 24},
                                           DayStartCase{"2026-10-25", "2026-10-24T22:00:00Z", 25},
                                           DayStartCase{"2026-10-26", "2026-10-25T23:00:00Z", 24},
                                           DayStartCase{"1970-01-01", "1969-12-31T23:00:00Z", 24},
                                           DayStartCase{"2040-10-28", "2040-10-27T22:00:00Z", 25}));

TEST(LocalDayStart, AgreesWithToLocalDayEveryDay) {
  for (LocalDay d = Day("2019-01-01"); d <= Day("2041-12-31"); ++d) {
    const UnixSeconds start = LocalDayStartUtc(d);
    ASSERT_EQ(ToLocalDay(start), d) << FormatDay(d);
    ASSERT_EQ(ToLocalDay(start - 1), d - 1) << FormatDay(d);
    ASSERT_EQ(LocalHour(start), 0) << FormatDay(d);
    ASSERT_EQ(LocalHour(start - 1), 23) << FormatDay(d);
  }
}

// Wall-clock time to instant: ordinary days, the spring gap (shifted forward) and the autumn
// overlap (the earlier instant, CEST), as ParseTimestamp reads a time without offset.
TEST(LocalTimeToUtc, GapAndOverlap) {
  struct Case {
    std::string_view day;
    int second_of_day;
    std::string_view utc;
  };
  const Case cases[] = {
      {"2026-11-16", 14 * 3600 + 30 * 60, "2026-11-16T13:30:00Z"},
      {"2026-07-01", 0, "2026-06-30T22:00:00Z"},
      {"2026-03-29", 1 * 3600 + 59 * 60, "2026-03-29T00:59:00Z"},
      {"2026-03-29", 2 * 3600 + 30 * 60, "2026-03-29T01:30:00Z"},  // in the gap: 03:30 CEST
      {"2026-03-29", 3 * 3600, "2026-03-29T01:00:00Z"},
      {"2026-10-25", 2 * 3600 + 30 * 60, "2026-10-25T00:30:00Z"},  // the first 02:30 (CEST)
      {"2026-10-25", 3 * 3600, "2026-10-25T02:00:00Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatTimestampUtc(LocalTimeToUtc(Day(c.day), c.second_of_day)), c.utc)
        << c.day << " " << c.second_of_day;
  }
}

TEST(CivilDate, KnownDayNumbers) {
  struct Case {
    int y, m, d;
    LocalDay day;
  };
  const Case cases[] = {{1970, 1, 1, 0},        {1969, 12, 31, -1},    {2000, 3, 1, 11017},
                        {2024, 2, 29, 19782},   {2026, 11, 20, 20777}, {1600, 1, 1, -135140},
                        {9999, 12, 31, 2932896}};
  for (const Case& c : cases) {
    EXPECT_EQ(DayFromCivil(c.y, c.m, c.d), c.day) << c.y << "-" << c.m << "-" << c.d;
    EXPECT_EQ(CivilFromDay(c.day), (CivilDate{c.y, c.m, c.d})) << c.day;
  }
}

TEST(CivilDate, ConsecutiveDaysWalkTheCalendar) {
  // From 1600-01-01 to 2400-12-31 every day number maps to the next calendar date.
  CivilDate expected{1600, 1, 1};
  for (LocalDay d = DayFromCivil(1600, 1, 1); d <= DayFromCivil(2400, 12, 31); ++d) {
    ASSERT_EQ(CivilFromDay(d), expected) << d;
    ASSERT_EQ(DayFromCivil(expected.year, expected.month, expected.day), d);
    if (++expected.day > DaysInMonth(expected.year, expected.month)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
}

TEST(CivilDate, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2026));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 4), 30);
  EXPECT_EQ(DaysInMonth(2026, 12), 31);
  EXPECT_TRUE(IsValidDate(2024, 2, 29));
  EXPECT_FALSE(IsValidDate(2026, 2, 29));
  EXPECT_FALSE(IsValidDate(2026, 13, 1));
  EXPECT_FALSE(IsValidDate(2026, 0, 1));
  EXPECT_FALSE(IsValidDate(2026, 1, 0));
}

TEST(ParseDay, AcceptsValidDates) {
  EXPECT_EQ(ParseDay("2026-11-20"), LocalDay{20777});
  EXPECT_EQ(ParseDay(" 2024-02-29 "), LocalDay{19782});
  EXPECT_EQ(ParseDay("1970-01-01"), LocalDay{0});
  EXPECT_EQ(FormatDay(20777), "2026-11-20");
  EXPECT_EQ(FormatDay(-1), "1969-12-31");
  EXPECT_EQ(FormatDay(DayFromCivil(812, 3, 4)), "0812-03-04");
}

TEST(ParseDay, RejectsBadDates) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2026-02-30", "dag 30 finns inte i februari 2026"},
      {"2025-02-29", "dag 29"},
      {"2026-13-01", "månad 13"},
      {"2026-11-20T10:00", "oväntat tecken 'T'"},
      {"20261120", "'-' efter året"},
      {"2026-1-5", "månad med två siffror"},
      {"", "datum saknas"},
  };
  for (const auto& [text, reason] : cases) {
    auto d = ParseDay(text);
    ASSERT_FALSE(d.has_value()) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(d.error().fields.size(), 1u);
    EXPECT_EQ(d.error().fields[0].field, "datum");
    EXPECT_NE(d.error().fields[0].reason.find(reason), std::string::npos)
        << text << " -> " << d.error().fields[0].reason;
  }
}

TEST(IsoWeekday, KnownWeekdays) {
  EXPECT_EQ(IsoWeekday(Day("1970-01-01")), 4);  // Thursday
  EXPECT_EQ(IsoWeekday(Day("1969-12-29")), 1);  // Monday, negative day number
  EXPECT_EQ(IsoWeekday(Day("1969-12-28")), 7);
  EXPECT_EQ(IsoWeekday(Day("2026-11-20")), 5);  // Friday
  EXPECT_EQ(IsoWeekday(Day("2026-03-29")), 7);  // Sunday
  EXPECT_EQ(IsoWeekday(Day("2026-12-28")), 1);
  EXPECT_EQ(IsoWeekday(Day("2027-01-01")), 5);
}

struct IsoWeekCase {
  std::string_view day;
  int year;
  int week;
};

void PrintTo(const IsoWeekCase& c, std::ostream* os) { *os << c.day; }

class ToIsoWeekTest : public ::testing::TestWithParam<IsoWeekCase> {};

TEST_P(ToIsoWeekTest, MatchesIso8601) {
  const IsoWeekCase& c = GetParam();
  EXPECT_EQ(ToIsoWeek(Day(c.day)), (IsoWeek{c.year, c.week})) << c.day;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ToIsoWeekTest,
    ::testing::Values(IsoWeekCase{"2027-01-01", 2026, 53}, IsoWeekCase{"2027-01-03", 2026, 53},
                      IsoWeekCase{"2027-01-04", 2027, 1}, IsoWeekCase{"2026-12-28", 2026, 53},
                      IsoWeekCase{"2026-12-27", 2026, 52}, IsoWeekCase{"2026-01-01", 2026, 1},
                      IsoWeekCase{"2025-12-29", 2026, 1}, IsoWeekCase{"2025-12-28", 2025, 52},
                      IsoWeekCase{"2020-12-31", 2020, 53}, IsoWeekCase{"2021-01-03", 2020, 53},
                      IsoWeekCase{"2021-01-04", 2021, 1}, IsoWeekCase{"2024-12-30", 2025, 1},
                      IsoWeekCase{"2026-11-20", 2026, 47}, IsoWeekCase{"2008-12-29", 2009, 1},
                      IsoWeekCase{"2010-01-03", 2009, 53}, IsoWeekCase{"1970-01-01", 1970, 1}));

TEST(IsoWeeks, WeeksInYear) {
  for (int y : {2004, 2009, 2015, 2020, 2026, 2032, 2037}) EXPECT_EQ(IsoWeeksInYear(y), 53) << y;
  for (int y : {2019, 2021, 2024, 2025, 2027, 2100}) EXPECT_EQ(IsoWeeksInYear(y), 52) << y;
  for (int y = 1900; y <= 2100; ++y) {
    ASSERT_EQ(IsoWeeksInYear(y), (IsoWeekStart(y + 1, 1) - IsoWeekStart(y, 1)) / 7) << y;
  }
}

TEST(IsoWeeks, WeekStartIsMonday) {
  EXPECT_EQ(FormatDay(IsoWeekStart(2026, 53)), "2026-12-28");
  EXPECT_EQ(FormatDay(IsoWeekStart(2026, 1)), "2025-12-29");
  EXPECT_EQ(FormatDay(IsoWeekStart(2020, 53)), "2020-12-28");
  EXPECT_EQ(FormatDay(IsoWeekStart(2027, 1)), "2027-01-04");
  EXPECT_EQ(FormatDay(IsoWeekStart(2026, 47)), "2026-11-16");
  // Every day of 2000..2040 lies in the week that IsoWeekStart names.
  for (LocalDay d = Day("2000-01-01"); d <= Day("2040-12-31"); ++d) {
    const IsoWeek w = ToIsoWeek(d);
    const LocalDay monday = IsoWeekStart(w.year, w.week);
    ASSERT_EQ(IsoWeekday(monday), 1);
    ASSERT_TRUE(monday <= d && d < monday + 7) << FormatDay(d);
  }
}

TEST(IsoWeeks, Format) {
  EXPECT_EQ(FormatIsoWeek({2026, 5}), "2026-W05");
  EXPECT_EQ(FormatIsoWeek({2026, 53}), "2026-W53");
}

TEST(ParseIsoWeek, AcceptsExistingWeeks) {
  const std::pair<std::string_view, IsoWeek> cases[] = {
      {"2026-W47", {2026, 47}},  {"2026W47", {2026, 47}},  {"2026-w05", {2026, 5}},
      {"2026-W05", {2026, 5}},   {"2026-W53", {2026, 53}}, {"2020-W53", {2020, 53}},
      {" 2025-W52 ", {2025, 52}}};
  for (const auto& [text, week] : cases) {
    auto w = ParseIsoWeek(text);
    ASSERT_TRUE(w.has_value()) << text << ": " << w.error().detail;
    EXPECT_EQ(*w, week) << text;
  }
}

TEST(ParseIsoWeek, RejectsMissingWeeksAndGarbage) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2025-W53", "vecka 53 finns inte år 2025 (året har 52 veckor)"},
      {"2026-W54", "vecka 54"},
      {"2026-W00", "vecka 0"},
      {"2026-47", "'W'"},
      {"W47", "år med fyra siffror"},
      {"2026-W", "veckonummer"},
      {"2026-W4", "veckonummer med två siffror"},
      {"2026W5", "veckonummer med två siffror"},
      {"2026-W477", "slut efter veckonumret"},
      {"", "vecka saknas"},
  };
  for (const auto& [text, reason] : cases) {
    auto w = ParseIsoWeek(text);
    ASSERT_FALSE(w.has_value()) << text;
    EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(w.error().fields.size(), 1u);
    EXPECT_EQ(w.error().fields[0].field, "vecka");
    EXPECT_NE(w.error().fields[0].reason.find(reason), std::string::npos)
        << text << " -> " << w.error().fields[0].reason;
  }
}

TEST(NowUnix, IsTheSystemClock) {
  const UnixSeconds now = NowUnix();
  EXPECT_GT(now, 1735689600);  // 2025-01-01
  EXPECT_LE(std::abs(now - static_cast<UnixSeconds>(std::time(nullptr))), 2);
}

TEST(TimeZoneData, IsAvailable) { EXPECT_TRUE(CheckTimeZoneData().has_value()); }

}  // namespace
}  // namespace est
