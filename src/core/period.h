// Reporting periods (Period: vecka, månad, tertial, kvartal, år or a custom date range).
//
// A Period is a run of whole Europe/Stockholm calendar days. Weeks are ISO weeks (Monday..Sunday,
// 2026 has 53 of them); tertials are the municipal four-month terms Jan–Apr, May–Aug, Sep–Dec.
// Every function here is pure and thread-safe.
#ifndef EST_CORE_PERIOD_H_
#define EST_CORE_PERIOD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"

namespace est {

enum class PeriodKind { kWeek, kMonth, kTertial, kQuarter, kYear, kCustom };

// "week", "month", "tertial", "quarter", "year", "custom" (for JSON and logs).
std::string_view PeriodKindName(PeriodKind kind);

// A period of whole Stockholm calendar days, first..last inclusive. For every kind but kCustom,
// first..last is exactly one calendar unit (build them with the Make*Period functions or
// ParsePeriod); the functions below rely on that.
struct Period {
  PeriodKind kind;
  LocalDay first;
  LocalDay last;

  // last - first + 1.
  int days() const;
  // Canonical text, accepted by ParsePeriod: "2026-W47", "2026-11", "2026-T3", "2026-Q4", "2026",
  // custom "2026-11-01..2026-11-20".
  std::string label() const;
  // Human Swedish: "vecka 47 2026", "november 2026", "tertial 3 2026", "kvartal 4 2026",
  // "år 2026", custom "1 nov 2026 – 20 nov 2026".
  std::string label_sv() const;
  bool Contains(LocalDay d) const;
  // The instant the period starts (Stockholm midnight of `first`).
  UnixSeconds StartUtc() const;
  // The instant just after the period (Stockholm midnight after `last`); a report at t is inside
  // iff StartUtc() <= t < EndUtc().
  UnixSeconds EndUtc() const;

  bool operator==(const Period&) const = default;
};

// Parses "2026-W47" (also "2026W47"), "2026-11", "2026-T1".."2026-T3" (Jan–Apr, May–Aug,
// Sep–Dec), "2026-Q1".."2026-Q4", "2026" and "FROM..TO" with two "YYYY-MM-DD" days (a kCustom
// period, see MakeCustomPeriod). Letters may be lower case; surrounding whitespace is ignored.
// Error: kInvalidArgument, field "period", a Swedish reason: which forms are accepted, or what is
// wrong with an otherwise well-formed period (week 53 in a 52-week year, tertial 4, ...).
Result<Period> ParsePeriod(std::string_view text);

// The longest custom period, in days (about ten years).
inline constexpr int kMaxCustomPeriodDays = 3660;

// A kCustom period from..to inclusive. Error: kInvalidArgument, field "period", if to < from or the
// period is longer than kMaxCustomPeriodDays days.
Result<Period> MakeCustomPeriod(LocalDay from, LocalDay to);

// Builders for calendar periods. REQUIRES: the arguments name an existing unit (week within
// IsoWeeksInYear, 1 <= month <= 12, 1 <= tertial <= 3, 1 <= quarter <= 4).
Period MakeWeekPeriod(IsoWeek week);
Period MakeMonthPeriod(int year, int month);
Period MakeTertialPeriod(int year, int tertial);
Period MakeQuarterPeriod(int year, int quarter);
Period MakeYearPeriod(int year);

// The period of the given kind that contains d. REQUIRES: kind != kCustom.
Period PeriodContaining(PeriodKind kind, LocalDay d);

// The period right before p: the previous week (2027-W01 -> 2026-W53), month, tertial, quarter or
// year; for kCustom the same number of days ending the day before p.first.
Period PreviousPeriod(const Period& p);

// The comparable period a year earlier: for a week the same ISO week number in the previous ISO
// year (W53 -> W52 when that year has only 52 weeks); month, tertial, quarter and year move back
// one year; kCustom moves back 364 days, which keeps the weekdays.
Period SamePeriodLastYear(const Period& p);

// A running period (pågående period) is cut at the instant "now": its counts hold the reports up
// to now, so every comparison period is cut at the same elapsed wall-clock time after its own
// first midnight (to the minute), never compared whole against a part.
//
// Minutes of wall-clock time from p's first midnight through the end of now's minute (day offset
// · 1440 + the minute of now's day (LocalMinuteOfDay) + 1, so that a report made this minute
// counts at once), when p has not ended at `now`; 0 when p has not begun; nullopt when p has
// ended (the whole period counts).
std::optional<int32_t> RunningCutMinutes(const Period& p, UnixSeconds now);

// The length in days that a period contributes when cut at `cut_minutes` (nullopt = whole):
// min(cut, days · 1440) / 1440, so a running week at Monday 08:00 counts 1/3 day, and a month
// cut beyond a shorter previous month's end counts that month whole.
double ExposureDays(const Period& p, std::optional<int32_t> cut_minutes);

// "mån 08:00": the weekday and wall-clock time of the last minute a cut includes (t.o.m.; Swedish),
// or in English ("Mon 08:00").
std::string CutLabel(const Period& p, int32_t cut_minutes, bool english = false);

// The ISO week (kWeek period) containing d.
Period WeekContaining(LocalDay d);

}  // namespace est

#endif  // EST_CORE_PERIOD_H_
