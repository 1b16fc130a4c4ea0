#include "core/time.h"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace est {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

constexpr std::string_view kTimestampExample = "2026-11-20T14:30:00+01:00";

// zic writes explicit transitions up to 2037 and leaves later years to a POSIX-TZ footer, which
// date's OS-tzdb reader ignores: it reports the last CET period as lasting forever. Periods that
// start at or after this instant are therefore recomputed with the EU rule below.
constexpr int64_t kTzifHorizon = 2114380800;  // 2037-01-01T00:00:00Z

const date::time_zone* Stockholm() {
  // Initialised once, thread-safely (C++11 magic statics); throws if the tz database is missing,
  // in which case the next call tries again.
  static const date::time_zone* const zone = date::locate_zone("Europe/Stockholm");
  return zone;
}

// The day number of the last Sunday of a month.
int64_t LastSunday(int year, int month) {
  LocalDay last = DayFromCivil(year, month, DaysInMonth(year, month));
  return last - (IsoWeekday(last) % 7);
}

// Sweden has followed the EU rule since 1996: CEST from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October.
int EuRuleOffset(UnixSeconds t) {
  int year = CivilFromDay(static_cast<LocalDay>(FloorDiv(t, kSecondsPerDay))).year;
  int64_t start = LastSunday(year, 3) * kSecondsPerDay + 3600;
  int64_t end = LastSunday(year, 10) * kSecondsPerDay + 3600;
  return (t >= start && t < end) ? 7200 : 3600;
}

// Converts Stockholm wall-clock seconds (since 1970-01-01T00:00 local) to an instant. An
// ambiguous wall time takes the earlier instant; a wall time in a gap is read with the offset
// valid before the gap, which shifts it forward by the gap's length.
UnixSeconds LocalToUtc(int64_t local) {
  // Transitions are months apart, so the offsets a day either side are the only candidates.
  const int before = UtcOffsetSeconds(local - kSecondsPerDay);
  const int after = UtcOffsetSeconds(local + kSecondsPerDay);
  const bool before_fits = UtcOffsetSeconds(local - before) == before;
  const bool after_fits = after != before && UtcOffsetSeconds(local - after) == after;
  if (before_fits && after_fits) return std::min(local - before, local - after);
  if (after_fits) return local - after;
  return local - before;  // Fits, or the wall time is in a gap.
}

std::string FormatOffset(int offset) {
  const char sign = offset < 0 ? '-' : '+';
  const int abs = offset < 0 ? -offset : offset;
  std::string out = fmt::format("{}{:02}:{:02}", sign, abs / 3600, abs / 60 % 60);
  if (abs % 60 != 0) out += fmt::format(":{:02}", abs % 60);
  return out;
}

// Formats local wall-clock seconds as "YYYY-MM-DDTHH:MM:SS".
std::string FormatWallClock(int64_t local) {
  const int64_t day = FloorDiv(local, kSecondsPerDay);
  const int64_t sod = local - day * kSecondsPerDay;
  const CivilDate c = CivilFromDay(static_cast<LocalDay>(day));
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, sod / 3600,
                     sod / 60 % 60, sod % 60);
}

template <class T>
using Parsed = tl::expected<T, std::string>;

std::string_view TrimSpaces(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

// A cursor over the text being parsed; errors name the position (1-based) and what was expected.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  bool PeekDigit() const { return !AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool ConsumeAnyOf(std::string_view chars) {
    if (AtEnd() || chars.find(text_[pos_]) == std::string_view::npos) return false;
    ++pos_;
    return true;
  }
  // Reads between min_count and max_count decimal digits into *value. On failure nothing is
  // consumed.
  bool Digits(int min_count, int max_count, int* value) {
    size_t p = pos_;
    int v = 0;
    int n = 0;
    while (n < max_count && p < text_.size() && text_[p] >= '0' && text_[p] <= '9') {
      v = v * 10 + (text_[p] - '0');
      ++p;
      ++n;
    }
    if (n < min_count) return false;
    pos_ = p;
    *value = v;
    return true;
  }
  void SkipSpaces() {
    while (!AtEnd() && text_[pos_] == ' ') ++pos_;
  }
  tl::unexpected<std::string> Unexpected(std::string_view expected) const {
    if (AtEnd()) return tl::unexpected(fmt::format("texten tar slut, väntade {}", expected));
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    // Only printable ASCII is echoed: the reason ends up in JSON and logs.
    if (c > 0x20 && c < 0x7f) {
      return tl::unexpected(fmt::format("oväntat tecken '{}' på position {}, väntade {}",
                                        static_cast<char>(c), pos_ + 1, expected));
    }
    if (c == ' ') {
      return tl::unexpected(
          fmt::format("oväntat mellanslag på position {}, väntade {}", pos_ + 1, expected));
    }
    return tl::unexpected(
        fmt::format("oväntat tecken på position {}, väntade {}", pos_ + 1, expected));
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::string_view MonthNameSv(int month) {
  static constexpr std::string_view kNames[] = {"januari",   "februari", "mars",     "april",
                                                "maj",       "juni",     "juli",     "augusti",
                                                "september", "oktober",  "november", "december"};
  return (month >= 1 && month <= 12) ? kNames[month - 1] : std::string_view("?");
}

// Parses "YYYY-MM-DD" at the scanner and validates it.
Parsed<CivilDate> ParseCivilDate(Scanner& s) {
  CivilDate c{};
  if (!s.Digits(4, 4, &c.year)) return s.Unexpected("år med fyra siffror (ÅÅÅÅ-MM-DD)");
  if (!s.Consume('-')) return s.Unexpected("'-' efter året (ÅÅÅÅ-MM-DD)");
  if (!s.Digits(2, 2, &c.month)) return s.Unexpected("månad med två siffror (ÅÅÅÅ-MM-DD)");
  if (!s.Consume('-')) return s.Unexpected("'-' efter månaden (ÅÅÅÅ-MM-DD)");
  if (!s.Digits(2, 2, &c.day)) return s.Unexpected("dag med två siffror (ÅÅÅÅ-MM-DD)");
  if (c.month < 1 || c.month > 12) {
    return tl::unexpected(fmt::format("månad {} finns inte (1–12)", c.month));
  }
  const int days = DaysInMonth(c.year, c.month);
  if (c.day < 1 || c.day > days) {
    return tl::unexpected(
        fmt::format("dag {} finns inte i {} {} (1–{})", c.day, MonthNameSv(c.month), c.year, days));
  }
  return c;
}

// Parses "[ ]*(Z|±HH[[:]MM[[:]SS]])" at the scanner. Returns the offset in seconds.
Parsed<int> ParseOffset(Scanner& s) {
  if (s.ConsumeAnyOf("Zz")) return 0;
  int sign = 0;
  if (s.Consume('+')) {
    sign = 1;
  } else if (s.Consume('-')) {
    sign = -1;
  } else {
    return s.Unexpected("tidszon (Z eller +HH:MM)");
  }
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!s.Digits(2, 2, &hh)) return s.Unexpected("två siffror för tidszonens timmar");
  const bool colon = s.Consume(':');
  if (colon || s.PeekDigit()) {
    if (!s.Digits(2, 2, &mm)) return s.Unexpected("två siffror för tidszonens minuter");
    if ((colon ? s.Consume(':') : s.PeekDigit()) && !s.Digits(2, 2, &ss)) {
      return s.Unexpected("två siffror för tidszonens sekunder");
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) {
    return tl::unexpected(fmt::format("tidszonen {}{:02}:{:02} finns inte (högst ±23:59)",
                                      sign < 0 ? '-' : '+', hh, mm));
  }
  return sign * (hh * 3600 + mm * 60 + ss);
}

// The whole timestamp grammar; see ParseTimestamp in the header.
Parsed<UnixSeconds> ParseTimestampImpl(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) {
    return tl::unexpected(fmt::format("tid saknas (exempel: {})", kTimestampExample));
  }
  Scanner s(text);
  auto date = ParseCivilDate(s);
  if (!date) return tl::unexpected(date.error());
  const int64_t day = DayFromCivil(date->year, date->month, date->day);
  if (s.AtEnd()) return LocalToUtc(day * kSecondsPerDay);

  if (!s.ConsumeAnyOf("Tt ")) return s.Unexpected("'T' eller mellanslag före klockslaget");
  s.SkipSpaces();
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!s.Digits(1, 2, &hour)) return s.Unexpected("timme (0–23)");
  if (!s.Consume(':')) return s.Unexpected("':' efter timmen");
  if (!s.Digits(2, 2, &minute)) return s.Unexpected("två siffror för minuter");
  if (s.Consume(':')) {
    if (!s.Digits(2, 2, &second)) return s.Unexpected("två siffror för sekunder");
    if (s.ConsumeAnyOf(".,")) {
      // Fractions are truncated: EST works in whole seconds.
      int ignored = 0;
      if (!s.Digits(1, 1, &ignored)) return s.Unexpected("decimaler efter sekunderna");
      while (s.PeekDigit()) s.Digits(1, 1, &ignored);
    }
  }
  if (hour > 23) return tl::unexpected(fmt::format("timme {} finns inte (0–23)", hour));
  if (minute > 59) return tl::unexpected(fmt::format("minut {} finns inte (0–59)", minute));
  if (second > 59) return tl::unexpected(fmt::format("sekund {} finns inte (0–59)", second));
  const int64_t wall = day * kSecondsPerDay + int64_t{hour} * 3600 + int64_t{minute} * 60 + second;

  s.SkipSpaces();
  if (s.AtEnd()) return LocalToUtc(wall);
  auto offset = ParseOffset(s);
  if (!offset) return tl::unexpected(offset.error());
  if (!s.AtEnd()) return s.Unexpected("slut på texten efter tidszonen");
  return wall - *offset;
}

}  // namespace

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The instants whose UTC and Stockholm texts both have a four-digit year: outside them
// FormatTimestamp or FormatTimestampUtc would write "-001-12-31T22:47:48Z" or a five-digit year,
// which nothing parses back (found by fuzz/fuzz_time with "0000-01-01").
constexpr UnixSeconds kFirstTimestamp = -62167219200;  // 0000-01-01T00:00:00Z
constexpr UnixSeconds kLastTimestamp = 253402297199;   // 9999-12-31T22:59:59Z = 23:59:59 local

Result<UnixSeconds> ParseTimestamp(std::string_view text) {
  auto parsed = ParseTimestampImpl(text);
  if (!parsed) return InvalidField("tid", std::move(parsed.error()));
  if (*parsed < kFirstTimestamp || *parsed > kLastTimestamp) {
    return InvalidField("tid", "tidpunkten ligger utanför åren 0000–9999 (i UTC och svensk tid)");
  }
  return *parsed;
}

std::string FormatTimestamp(UnixSeconds t) {
  const int offset = UtcOffsetSeconds(t);
  return FormatWallClock(t + offset) + FormatOffset(offset);
}

std::string FormatTimestampUtc(UnixSeconds t) { return FormatWallClock(t) + "Z"; }

namespace {

// The Stockholm offsets from 1900 to the end of the zoneinfo data, as (begin, offset) intervals,
// so that the hot path (engine load, imports) is a binary search instead of a tz lookup that
// allocates. Built once, thread-safe (function-local static).
struct OffsetTable {
  std::vector<int64_t> begin;
  std::vector<int> offset;
  int64_t end = 0;  // first instant not covered
};

const OffsetTable& Offsets() {
  static const OffsetTable table = [] {
    OffsetTable t;
    int64_t at = -2208988800;  // 1900-01-01
    for (int guard = 0; guard < 10000; ++guard) {
      const date::sys_info info =
          Stockholm()->get_info(date::sys_seconds{std::chrono::seconds{at}});
      int64_t b = info.begin.time_since_epoch().count();
      if (b >= kTzifHorizon) break;
      t.begin.push_back(std::max(b, at));
      t.offset.push_back(static_cast<int>(info.offset.count()));
      int64_t e = info.end.time_since_epoch().count();
      t.end = std::min<int64_t>(e, kTzifHorizon);
      if (e >= kTzifHorizon) break;
      at = e;
    }
    return t;
  }();
  return table;
}

}  // namespace

int UtcOffsetSeconds(UnixSeconds t) {
  const OffsetTable& table = Offsets();
  if (!table.begin.empty() && t >= table.begin.front() && t < table.end) {
    auto it = std::upper_bound(table.begin.begin(), table.begin.end(), t);
    return table.offset[static_cast<size_t>(it - table.begin.begin()) - 1];
  }
  const date::sys_info info = Stockholm()->get_info(date::sys_seconds{std::chrono::seconds{t}});
  if (info.begin.time_since_epoch().count() >= kTzifHorizon) return EuRuleOffset(t);
  return static_cast<int>(info.offset.count());
}

LocalDay ToLocalDay(UnixSeconds t) {
  return static_cast<LocalDay>(FloorDiv(t + UtcOffsetSeconds(t), kSecondsPerDay));
}

int LocalHour(UnixSeconds t) {
  const int64_t local = t + UtcOffsetSeconds(t);
  return static_cast<int>((local - FloorDiv(local, kSecondsPerDay) * kSecondsPerDay) / 3600);
}

UnixSeconds LocalDayStartUtc(LocalDay d) { return LocalToUtc(int64_t{d} * kSecondsPerDay); }

UnixSeconds LocalTimeToUtc(LocalDay d, int second_of_day) {
  return LocalToUtc(int64_t{d} * kSecondsPerDay + second_of_day);
}

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
LocalDay DayFromCivil(int y, int m, int d) {
  const int64_t yy = static_cast<int64_t>(y) - (m <= 2 ? 1 : 0);
  const int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  const int64_t yoe = yy - era * 400;                                   // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return static_cast<LocalDay>(era * 146097 + doe - 719468);
}

// Howard Hinnant's civil_from_days.
CivilDate CivilFromDay(LocalDay d) {
  const int64_t z = static_cast<int64_t>(d) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return CivilDate{year, month, day};
}

bool IsLeapYear(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidDate(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

Result<LocalDay> ParseDay(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return InvalidField("datum", "datum saknas (exempel: 2026-11-20)");
  Scanner s(text);
  auto date = ParseCivilDate(s);
  if (!date) return InvalidField("datum", std::move(date.error()));
  if (!s.AtEnd()) return InvalidField("datum", s.Unexpected("slut efter datumet").value());
  return DayFromCivil(date->year, date->month, date->day);
}

std::string FormatDay(LocalDay d) {
  const CivilDate c = CivilFromDay(d);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

int IsoWeekday(LocalDay d) {
  // 1970-01-01 was a Thursday (4).
  const int64_t mod = (static_cast<int64_t>(d) + 3) % 7;
  return static_cast<int>(mod < 0 ? mod + 7 : mod) + 1;
}

IsoWeek ToIsoWeek(LocalDay d) {
  // The ISO year is the calendar year of the week's Thursday.
  const LocalDay thursday = d + (4 - IsoWeekday(d));
  const int year = CivilFromDay(thursday).year;
  return IsoWeek{year, (thursday - DayFromCivil(year, 1, 1)) / 7 + 1};
}

LocalDay IsoWeekStart(int iso_year, int week) {
  // Week 1 is the week containing 4 January.
  const LocalDay jan4 = DayFromCivil(iso_year, 1, 4);
  return jan4 - (IsoWeekday(jan4) - 1) + 7 * (week - 1);
}

int IsoWeeksInYear(int iso_year) {
  // 28 December always lies in the year's last ISO week.
  return ToIsoWeek(DayFromCivil(iso_year, 12, 28)).week;
}

std::string FormatIsoWeek(IsoWeek w) { return fmt::format("{:04}-W{:02}", w.year, w.week); }

Result<IsoWeek> ParseIsoWeek(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return InvalidField("vecka", "vecka saknas (exempel: 2026-W47)");
  Scanner s(text);
  IsoWeek w{};
  if (!s.Digits(4, 4, &w.year)) {
    return InvalidField("vecka", s.Unexpected("år med fyra siffror (ÅÅÅÅ-Wvv)").value());
  }
  s.Consume('-');
  if (!s.ConsumeAnyOf("Ww")) {
    return InvalidField("vecka", s.Unexpected("'W' före veckonumret (ÅÅÅÅ-Wvv)").value());
  }
  // Two digits, as ISO 8601 writes them: "2026-W4" is more likely a typo of W40–W49 than W04.
  if (!s.Digits(2, 2, &w.week)) {
    return InvalidField("vecka", s.Unexpected("veckonummer med två siffror (ÅÅÅÅ-Wvv, t.ex. "
                                              "2026-W04)")
                                     .value());
  }
  if (!s.AtEnd()) {
    return InvalidField("vecka", s.Unexpected("slut efter veckonumret (ÅÅÅÅ-Wvv)").value());
  }
  const int weeks = IsoWeeksInYear(w.year);
  if (w.week < 1 || w.week > weeks) {
    return InvalidField("vecka", fmt::format("vecka {} finns inte år {} (året har {} veckor)",
                                             w.week, w.year, weeks));
  }
  return w;
}

namespace {
// INT64_MIN = no fixed instant.
std::atomic<int64_t> fixed_now{std::numeric_limits<int64_t>::min()};
}  // namespace

UnixSeconds NowUnix() {
  const int64_t fixed = fixed_now.load(std::memory_order_relaxed);
  if (fixed != std::numeric_limits<int64_t>::min()) return fixed;
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
      .time_since_epoch()
      .count();
}

void SetFixedNow(std::optional<UnixSeconds> now) {
  fixed_now.store(now.value_or(std::numeric_limits<int64_t>::min()), std::memory_order_relaxed);
}

int LocalMinuteOfDay(UnixSeconds t) {
  const int64_t local = t + UtcOffsetSeconds(t);
  return static_cast<int>((local - FloorDiv(local, 86400) * 86400) / 60);
}

Status CheckTimeZoneData() {
  try {
    Stockholm();
    UtcOffsetSeconds(0);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal,
                     std::string("Tidszonsdata för Europe/Stockholm saknas: ") + e.what());
  }
  return {};
}

}  // namespace est
