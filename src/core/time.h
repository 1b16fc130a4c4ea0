// Instants, Stockholm calendar days and ISO weeks.
//
// EST stores every instant as UnixSeconds (UTC) and does all calendar work on Stockholm local days
// (Europe/Stockholm, CET/CEST), because municipal safety work is reported per local day, week,
// month and so on. The time zone rules come from the system tz database (/usr/share/zoneinfo);
// instants after the last transition listed there (zic writes them up to 2037) follow the EU
// summer-time rule that Sweden has applied since 1996.
//
// Thread safety: every function here is thread-safe. The time zone is loaded once, on first use.
// If the tz database is missing the first use throws std::runtime_error; call CheckTimeZoneData()
// at startup to get that as an Error instead.
#ifndef EST_CORE_TIME_H_
#define EST_CORE_TIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace est {

// UTC seconds since 1970-01-01T00:00:00Z.
using UnixSeconds = int64_t;

// Days since 1970-01-01 of a Europe/Stockholm calendar date (1970-01-01 is 0, 1969-12-31 is -1).
using LocalDay = int32_t;

// Parses an ISO-8601-like timestamp. Accepted:
//   "2026-11-20T14:30:00+01:00", "2026-11-20T14:30:00Z", "2026-11-20T14:30+0100", "...+01",
//   fractional seconds ("14:30:00.250", truncated to whole seconds),
//   a space or 'T' between date and time, a one-digit hour and spaces before the offset
//   ("2025-06-07 7:32:06 +02:00", as in police data),
//   without offset ("2026-11-20 14:30:00", "2026-11-20T14:30") = Europe/Stockholm local time,
//   date only ("2026-11-20") = Stockholm local midnight.
// Local times in the autumn DST overlap resolve to the earlier instant (CEST); local times in the
// spring gap are shifted forward by the gap ("2026-03-29 02:30" = 03:30 CEST = 01:30Z).
// Leading and trailing whitespace is ignored.
// Error: kInvalidArgument with field "tid" and a Swedish reason naming the problem (impossible
// date such as 2026-02-30, month 13, hour 24, minute 60, bad offset, unexpected characters).
Result<UnixSeconds> ParseTimestamp(std::string_view text);

// "2026-11-20T14:30:00+01:00": Stockholm local time with its UTC offset. (Before 1900 Stockholm
// used local mean time and the offset gets seconds: "+01:12:12"; ParseTimestamp accepts that.)
std::string FormatTimestamp(UnixSeconds t);

// "2026-11-20T13:30:00Z".
std::string FormatTimestampUtc(UnixSeconds t);

// Seconds to add to UTC to get Stockholm local time at instant t (3600 in winter, 7200 in summer).
int UtcOffsetSeconds(UnixSeconds t);

// The Stockholm calendar day containing instant t.
LocalDay ToLocalDay(UnixSeconds t);

// floor(a / b) for any signs. REQUIRES: b != 0.
int64_t FloorDiv(int64_t a, int64_t b);

// The Stockholm local hour (0..23) at instant t.
int LocalHour(UnixSeconds t);

// The instant of the Stockholm local midnight that starts day d.
UnixSeconds LocalDayStartUtc(LocalDay d);

// The instant of Stockholm wall-clock time `second_of_day` (0..86399) on day d. As in
// ParseTimestamp, a wall time in the autumn overlap (02:00–03:00 on the last Sunday of October)
// takes the earlier instant (CEST) and one in the spring gap is shifted forward by the gap.
UnixSeconds LocalTimeToUtc(LocalDay d, int second_of_day);

// Day number of a proleptic Gregorian date. No validation: out-of-range months and days are not
// normalised meaningfully; validate with IsValidDate() first when the input is untrusted.
LocalDay DayFromCivil(int y, int m, int d);

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
  bool operator==(const CivilDate&) const = default;
};
CivilDate CivilFromDay(LocalDay d);

bool IsLeapYear(int year);
// 28..31. REQUIRES: 1 <= month <= 12.
int DaysInMonth(int year, int month);
bool IsValidDate(int year, int month, int day);

// Parses exactly "YYYY-MM-DD" (surrounding whitespace ignored) and validates the date.
// Error: kInvalidArgument, field "datum", Swedish reason.
Result<LocalDay> ParseDay(std::string_view text);

// "2026-11-20".
std::string FormatDay(LocalDay d);

// 1 = Monday .. 7 = Sunday.
int IsoWeekday(LocalDay d);

// An ISO-8601 week: weeks start on Monday; week 1 is the week containing the year's first
// Thursday, so 2027-01-01 (a Friday) lies in 2026-W53.
struct IsoWeek {
  int year;
  int week;  // 1..52 or 53
  bool operator==(const IsoWeek&) const = default;
};
IsoWeek ToIsoWeek(LocalDay d);

// The Monday of the given week. REQUIRES: 1 <= week <= IsoWeeksInYear(iso_year).
LocalDay IsoWeekStart(int iso_year, int week);

// 52 or 53.
int IsoWeeksInYear(int iso_year);

// "2026-W05".
std::string FormatIsoWeek(IsoWeek w);

// Parses "2026-W47" or "2026W47" ('w' also accepted). The week has exactly two digits ("2026-W04";
// "2026-W4" is refused) and must exist in that year (2025-W53 does not). Error: kInvalidArgument,
// field "vecka", Swedish reason.
Result<IsoWeek> ParseIsoWeek(std::string_view text);

// The current time: the system clock, or the instant set by SetFixedNow.
UnixSeconds NowUnix();

// Fixes what NowUnix returns (tests with a fixed clock; `EST_NOW` for the server under test), or
// returns it to the system clock with nullopt. Thread-safe (an atomic).
void SetFixedNow(std::optional<UnixSeconds> now);

// The Stockholm wall-clock minute of the day (0..1439) at instant t, as the engine stores a
// report's start: 03:30 on the spring-forward day is minute 210.
int LocalMinuteOfDay(UnixSeconds t);

// Loads the Europe/Stockholm zone if not loaded yet. Error (kInternal) if the tz database cannot be
// read; every other function in this file would then throw. Call once at startup.
Status CheckTimeZoneData();

}  // namespace est

#endif  // EST_CORE_TIME_H_
