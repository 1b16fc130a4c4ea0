#include "core/period.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace est {
namespace {

constexpr std::string_view kField = "period";

constexpr std::string_view kAcceptedForms =
    "använd ÅÅÅÅ-Wvv (vecka, t.ex. 2026-W47), ÅÅÅÅ-MM (månad, 2026-11), ÅÅÅÅ-T1..T3 (tertial, "
    "2026-T3), ÅÅÅÅ-Q1..Q4 (kvartal, 2026-Q4), ÅÅÅÅ (år, 2026) eller ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD "
    "(egen period)";

tl::unexpected<Error> PeriodError(std::string reason) {
  return InvalidField(std::string(kField), std::move(reason));
}

// "okänd period "x"; använd ...". The text is echoed only when it is short printable ASCII: the
// reason ends up in JSON and logs.
tl::unexpected<Error> UnknownForm(std::string_view text) {
  const bool echo =
      !text.empty() && text.size() <= 40 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (!echo) return PeriodError(fmt::format("okänd period; {}", kAcceptedForms));
  return PeriodError(fmt::format("okänd period \"{}\"; {}", text, kAcceptedForms));
}

std::string_view TrimSpaces(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

std::string_view MonthName(int month) {
  static constexpr std::string_view kNames[] = {"januari",   "februari", "mars",     "april",
                                                "maj",       "juni",     "juli",     "augusti",
                                                "september", "oktober",  "november", "december"};
  return kNames[month - 1];
}

std::string_view MonthAbbrev(int month) {
  static constexpr std::string_view kNames[] = {"jan", "feb", "mar", "apr", "maj", "jun",
                                                "jul", "aug", "sep", "okt", "nov", "dec"};
  return kNames[month - 1];
}

// "1 nov 2026".
std::string ShortDateSv(LocalDay d) {
  const CivilDate c = CivilFromDay(d);
  return fmt::format("{} {} {}", c.day, MonthAbbrev(c.month), c.year);
}

// Months first..last of a year as a period of the given kind.
Period MonthSpan(PeriodKind kind, int year, int first_month, int last_month) {
  return Period{kind, DayFromCivil(year, first_month, 1),
                DayFromCivil(year, last_month, DaysInMonth(year, last_month))};
}

// Parses "FROM..TO"; `dots` is the position of "..".
Result<Period> ParseCustom(std::string_view text, size_t dots) {
  auto from = ParseDay(text.substr(0, dots));
  if (!from) return PeriodError("startdatum: " + from.error().fields.front().reason);
  auto to = ParseDay(text.substr(dots + 2));
  if (!to) return PeriodError("slutdatum: " + to.error().fields.front().reason);
  return MakeCustomPeriod(*from, *to);
}

}  // namespace

std::string_view PeriodKindName(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kWeek:
      return "week";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kTertial:
      return "tertial";
    case PeriodKind::kQuarter:
      return "quarter";
    case PeriodKind::kYear:
      return "year";
    case PeriodKind::kCustom:
      return "custom";
  }
  return "custom";
}

int Period::days() const { return last - first + 1; }

std::string Period::label() const {
  const CivilDate c = CivilFromDay(first);
  switch (kind) {
    case PeriodKind::kWeek:
      return FormatIsoWeek(ToIsoWeek(first));
    case PeriodKind::kMonth:
      return fmt::format("{:04}-{:02}", c.year, c.month);
    case PeriodKind::kTertial:
      return fmt::format("{:04}-T{}", c.year, (c.month - 1) / 4 + 1);
    case PeriodKind::kQuarter:
      return fmt::format("{:04}-Q{}", c.year, (c.month - 1) / 3 + 1);
    case PeriodKind::kYear:
      return fmt::format("{:04}", c.year);
    case PeriodKind::kCustom:
      break;
  }
  return FormatDay(first) + ".." + FormatDay(last);
}

std::string Period::label_sv() const {
  const CivilDate c = CivilFromDay(first);
  switch (kind) {
    case PeriodKind::kWeek: {
      const IsoWeek w = ToIsoWeek(first);
      return fmt::format("vecka {} {}", w.week, w.year);
    }
    case PeriodKind::kMonth:
      return fmt::format("{} {}", MonthName(c.month), c.year);
    case PeriodKind::kTertial:
      return fmt::format("tertial {} {}", (c.month - 1) / 4 + 1, c.year);
    case PeriodKind::kQuarter:
      return fmt::format("kvartal {} {}", (c.month - 1) / 3 + 1, c.year);
    case PeriodKind::kYear:
      return fmt::format("år {}", c.year);
    case PeriodKind::kCustom:
      break;
  }
  return ShortDateSv(first) + " – " + ShortDateSv(last);
}

bool Period::Contains(LocalDay d) const { return first <= d && d <= last; }

UnixSeconds Period::StartUtc() const { return LocalDayStartUtc(first); }

UnixSeconds Period::EndUtc() const { return LocalDayStartUtc(last + 1); }

Result<Period> ParsePeriod(std::string_view text) {
  text = TrimSpaces(text);
  if (text.empty()) return PeriodError(fmt::format("period saknas; {}", kAcceptedForms));
  if (const size_t dots = text.find(".."); dots != std::string_view::npos) {
    return ParseCustom(text, dots);
  }
  if (text.size() < 4 || !AllDigits(text.substr(0, 4))) return UnknownForm(text);
  const int year = ToInt(text.substr(0, 4));
  std::string_view rest = text.substr(4);
  if (rest.empty()) return MakeYearPeriod(year);

  // "2026W47" has no dash; every other form has one.
  if (rest.front() == 'W' || rest.front() == 'w' ||
      (rest.size() > 1 && rest.front() == '-' && (rest[1] == 'W' || rest[1] == 'w'))) {
    auto week = ParseIsoWeek(text);
    if (!week) return PeriodError(week.error().fields.front().reason);
    return MakeWeekPeriod(*week);
  }
  if (rest.front() != '-') return UnknownForm(text);
  rest.remove_prefix(1);

  if (rest.size() == 2 && (rest[0] == 'T' || rest[0] == 't') && AllDigits(rest.substr(1))) {
    const int tertial = ToInt(rest.substr(1));
    if (tertial < 1 || tertial > 3) {
      return PeriodError(fmt::format("tertial {} finns inte (1–3)", tertial));
    }
    return MakeTertialPeriod(year, tertial);
  }
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q') && AllDigits(rest.substr(1))) {
    const int quarter = ToInt(rest.substr(1));
    if (quarter < 1 || quarter > 4) {
      return PeriodError(fmt::format("kvartal {} finns inte (1–4)", quarter));
    }
    return MakeQuarterPeriod(year, quarter);
  }
  if (rest.size() == 2 && AllDigits(rest)) {
    const int month = ToInt(rest);
    if (month < 1 || month > 12) {
      return PeriodError(fmt::format("månad {} finns inte (1–12)", month));
    }
    return MakeMonthPeriod(year, month);
  }
  return UnknownForm(text);
}

Result<Period> MakeCustomPeriod(LocalDay from, LocalDay to) {
  if (to < from) {
    return PeriodError(
        fmt::format("slutdatum {} ligger före startdatum {}", FormatDay(to), FormatDay(from)));
  }
  const int64_t days = int64_t{to} - from + 1;
  if (days > kMaxCustomPeriodDays) {
    return PeriodError(fmt::format("perioden är {} dagar lång, högst {} dagar tillåts", days,
                                   kMaxCustomPeriodDays));
  }
  return Period{PeriodKind::kCustom, from, to};
}

Period MakeWeekPeriod(IsoWeek week) {
  const LocalDay monday = IsoWeekStart(week.year, week.week);
  return Period{PeriodKind::kWeek, monday, monday + 6};
}

Period MakeMonthPeriod(int year, int month) {
  return MonthSpan(PeriodKind::kMonth, year, month, month);
}

Period MakeTertialPeriod(int year, int tertial) {
  const int first_month = (tertial - 1) * 4 + 1;
  return MonthSpan(PeriodKind::kTertial, year, first_month, first_month + 3);
}

Period MakeQuarterPeriod(int year, int quarter) {
  const int first_month = (quarter - 1) * 3 + 1;
  return MonthSpan(PeriodKind::kQuarter, year, first_month, first_month + 2);
}

Period MakeYearPeriod(int year) { return MonthSpan(PeriodKind::kYear, year, 1, 12); }

Period PeriodContaining(PeriodKind kind, LocalDay d) {
  const CivilDate c = CivilFromDay(d);
  switch (kind) {
    case PeriodKind::kWeek:
      return WeekContaining(d);
    case PeriodKind::kMonth:
      return MakeMonthPeriod(c.year, c.month);
    case PeriodKind::kTertial:
      return MakeTertialPeriod(c.year, (c.month - 1) / 4 + 1);
    case PeriodKind::kQuarter:
      return MakeQuarterPeriod(c.year, (c.month - 1) / 3 + 1);
    case PeriodKind::kYear:
      return MakeYearPeriod(c.year);
    case PeriodKind::kCustom:
      break;
  }
  return Period{PeriodKind::kCustom, d, d};
}

Period PreviousPeriod(const Period& p) {
  if (p.kind == PeriodKind::kCustom) {
    const int n = p.days();
    return Period{PeriodKind::kCustom, p.first - n, p.first - 1};
  }
  // Every calendar unit ends the day before the next one starts.
  return PeriodContaining(p.kind, p.first - 1);
}

Period SamePeriodLastYear(const Period& p) {
  const CivilDate c = CivilFromDay(p.first);
  switch (p.kind) {
    case PeriodKind::kWeek: {
      const IsoWeek w = ToIsoWeek(p.first);
      const int year = w.year - 1;
      return MakeWeekPeriod(IsoWeek{year, std::min(w.week, IsoWeeksInYear(year))});
    }
    case PeriodKind::kMonth:
    case PeriodKind::kTertial:
    case PeriodKind::kQuarter:
    case PeriodKind::kYear:
      // The first day of these units is always the 1st, which exists in every year.
      return PeriodContaining(p.kind, DayFromCivil(c.year - 1, c.month, 1));
    case PeriodKind::kCustom:
      break;
  }
  return Period{PeriodKind::kCustom, p.first - 364, p.last - 364};
}

Period WeekContaining(LocalDay d) { return MakeWeekPeriod(ToIsoWeek(d)); }

std::optional<int32_t> RunningCutMinutes(const Period& p, UnixSeconds now) {
  if (now >= p.EndUtc()) return std::nullopt;
  if (now < p.StartUtc()) return 0;
  // Through the end of now's minute: a report made this minute is in the picture at once.
  const LocalDay today = ToLocalDay(now);
  return static_cast<int32_t>((today - p.first) * 1440 + LocalMinuteOfDay(now) + 1);
}

double ExposureDays(const Period& p, std::optional<int32_t> cut_minutes) {
  if (!cut_minutes) return p.days();
  const int64_t whole = static_cast<int64_t>(p.days()) * 1440;
  return static_cast<double>(std::clamp<int64_t>(*cut_minutes, 0, whole)) / 1440.0;
}

std::string CutLabel(const Period& p, int32_t cut_minutes, bool english) {
  static constexpr const char* kSv[] = {"mån", "tis", "ons", "tors", "fre", "lör", "sön"};
  static constexpr const char* kEn[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  // The last minute the cut includes ("t.o.m."): the cut counts minutes [0, cut).
  const int32_t m = std::max<int32_t>(cut_minutes - 1, 0);
  const LocalDay day = p.first + m / 1440;
  const int wd = IsoWeekday(day) - 1;
  const std::string hm = fmt::format("{:02d}:{:02d}", (m % 1440) / 60, m % 60);
  std::string out = english ? kEn[wd] : kSv[wd];
  // Beyond a week the weekday alone does not say which day: add the date.
  if (p.days() > 7) out += " " + FormatDay(day);
  return out + " " + hm;
}

}  // namespace est
