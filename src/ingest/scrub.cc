// The scrubber: one hand-written left-to-right scanner per kind instead of std::regex, whose
// backtracking recurses once per character (a 30 kB description overflowed the stack) and took
// seconds on long digit runs. Each scanner looks at every byte a bounded number of times (context
// words are looked for in a window of fixed size), so the cost is linear in the text.
//
// Every scanner runs on the original text; where candidates of two kinds overlap, the kind with
// the stronger evidence wins (an e-mail address over the name in it, a personnummer with a valid
// check digit over a phone-number reading of the same digits), and the text is rebuilt once.
#include "ingest/scrub.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <iterator>

#include "ingest/reference.h"
#include "ingest/scrub_text.h"

namespace est::ingest {
namespace {

using namespace scrub_text;  // NOLINT(google-build-using-namespace): private helpers

struct KindInfo {
  std::string_view name;
  const char* marker;
};

// In reporting order (ScrubResult::removed).
enum Kind { kEmail, kPnr, kPhone, kPlate, kIp, kPassport, kAddress, kName, kKindCount };
constexpr std::array<KindInfo, kKindCount> kKinds = {{
    {"e-postadress", "[e-postadress borttagen]"},
    {"personnummer", "[personnummer borttaget]"},
    {"telefonnummer", "[telefonnummer borttaget]"},
    {"registreringsnummer", "[registreringsnummer borttaget]"},
    {"IP-adress", "[IP-adress borttagen]"},
    {"passnummer", "[passnummer borttaget]"},
    {"adress", "[adress borttagen]"},
    {"namn", "[namn borttaget]"},
}};
// Which kind wins an overlap: the first in this list.
constexpr std::array<Kind, kKindCount> kPriority = {kEmail, kPnr,   kIp,      kPassport,
                                                    kPhone, kPlate, kAddress, kName};

bool IsEmailLocal(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsEmailDomain(char c) { return IsAlnum(c) || c == '.' || c == '-'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view w) {
  return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

// True when one of the words just before `pos` starts with one of `prefixes`.
template <size_t N>
bool ContextBefore(std::string_view t, size_t pos, size_t window,
                   const std::string_view (&prefixes)[N], size_t max_words = 3) {
  std::vector<std::string> words = WordsBefore(t, pos, window);
  for (size_t i = 0; i < words.size() && i < max_words; ++i) {
    for (std::string_view p : prefixes) {
      if (StartsWith(words[i], p)) return true;
    }
  }
  return false;
}

// Marks a piece found by a scanner whose later candidates look back at context words: the piece
// counts as its marker will (WordsBefore), whatever its length.
void MaskRemoved(std::string& scan, const Found& f) {
  std::fill(scan.begin() + static_cast<std::ptrdiff_t>(f.begin),
            scan.begin() + static_cast<std::ptrdiff_t>(f.end), kRemoved);
}

// Words that make the number after them a serial, order or case number, never personal data:
// prefixes ("serienr", "serienummer", "ordernummer") and whole words ("sn", "ref").
constexpr std::string_view kSerialPrefixes[] = {"serie",  "order",   "artikel", "ärende",
                                                "diarie", "faktura", "objekt",  "inventarie",
                                                "kvitto", "modell",  "batch"};
constexpr std::string_view kSerialWords[] = {"sn", "artnr", "dnr", "ref", "lot"};

bool SerialContext(std::string_view t, size_t pos) {
  std::vector<std::string> words = WordsBefore(t, pos, 30);
  for (size_t i = 0; i < words.size() && i < 2; ++i) {
    if (In(kSerialWords, words[i])) return true;
    for (std::string_view p : kSerialPrefixes) {
      if (StartsWith(words[i], p)) return true;
    }
  }
  return false;
}

// [A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}, leftmost and resuming after each match.
std::vector<Found> FindEmails(std::string_view t) {
  std::vector<Found> spans;
  size_t resume = 0;  // end of the previous match
  for (size_t at = t.find('@'); at != std::string_view::npos; at = t.find('@', at + 1)) {
    if (at < resume) continue;
    size_t begin = at;
    while (begin > resume && IsEmailLocal(t[begin - 1])) --begin;
    if (begin == at) continue;
    size_t domain_end = at + 1;
    while (domain_end < t.size() && IsEmailDomain(t[domain_end])) ++domain_end;
    // The greedy domain gives back characters until "." and two letters follow: the rightmost
    // such dot with at least one domain character before it.
    size_t dot = std::string_view::npos;
    for (size_t j = domain_end; j-- > at + 2;) {
      if (t[j] == '.' && j + 2 < domain_end && IsAlpha(t[j + 1]) && IsAlpha(t[j + 2])) {
        dot = j;
        break;
      }
    }
    if (dot == std::string_view::npos) continue;
    size_t end = dot + 1;
    while (end < t.size() && IsAlpha(t[end])) ++end;
    spans.push_back({begin, end});
    resume = end;
  }
  return spans;
}

// The separator between birth date and number at t[i]: '-', '+', ' ', or the en dash (3 bytes).
size_t PnrSeparator(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  if (t[i] == '-' || t[i] == '+' || t[i] == ' ') return 1;
  if (t.substr(i, 3) == "\xE2\x80\x93") return 3;
  return 0;
}

bool IsHhmm(std::string_view four) {
  int h = (four[0] - '0') * 10 + (four[1] - '0');
  int m = (four[2] - '0') * 10 + (four[3] - '0');
  return h <= 23 && m <= 59;
}

constexpr std::string_view kPnrWords[] = {"pnr", "person", "samordning", "född", "snr"};

// Personnummer and samordningsnummer: (19|20)?YYMMDD, then '-', '+', '–', ' ' or nothing, then
// four digits, not inside a longer run of digits. Removed when the month is 01–12, the day 01–31
// or 61–91 (samordningsnummer) and YYMMDDNNNC passes the Luhn check. With a space the four digits
// must not read as a time ("20261130 0001" is a date and a time) unless a word such as "pnr" or
// "personnummer" comes just before; after a word such as "serienr" nothing is removed.
std::vector<Found> FindPersonnummer(std::string& scan) {
  const std::string_view t = scan;  // sees the masking below
  std::vector<Found> spans;
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    if (!IsDigit(t[i])) {
      ++i;
      continue;
    }
    const size_t run_begin = i;
    size_t run_end = i;
    while (run_end < n && IsDigit(t[run_end])) ++run_end;
    const size_t run = run_end - run_begin;
    i = run_end;
    std::string twelve;  // the digits, with or without century
    size_t end = 0;
    size_t sep = 0;
    if (run == 10 || run == 12) {
      twelve.assign(t.substr(run_begin, run));
      end = run_end;
    } else if (run == 6 || run == 8) {
      sep = PnrSeparator(t, run_end);
      if (sep == 0) continue;
      size_t tail = run_end + sep;
      size_t tail_end = tail;
      while (tail_end < n && IsDigit(t[tail_end])) ++tail_end;
      if (tail_end - tail != 4) continue;
      twelve.assign(t.substr(run_begin, run));
      twelve.append(t.substr(tail, 4));
      end = tail_end;
    } else {
      continue;
    }
    if (twelve.size() == 12 && !StartsWith(twelve, "19") && !StartsWith(twelve, "20")) continue;
    std::string_view ten = std::string_view(twelve).substr(twelve.size() - 10);
    const int month = (ten[2] - '0') * 10 + (ten[3] - '0');
    const int day = (ten[4] - '0') * 10 + (ten[5] - '0');
    const bool date_ok =
        month >= 1 && month <= 12 && ((day >= 1 && day <= 31) || (day >= 61 && day <= 91));
    if (!date_ok || !LuhnValid(ten)) continue;
    if (SerialContext(t, run_begin)) continue;
    if (sep == 1 && t[run_end] == ' ' && IsHhmm(ten.substr(6)) &&
        !ContextBefore(t, run_begin, 40, kPnrWords)) {
      continue;
    }
    spans.push_back({run_begin, end});
    MaskRemoved(scan, spans.back());
    i = end;
  }
  return spans;
}

// IPv4: four dotted numbers 0–255, not inside a longer dotted or digit run.
// IPv6: a run of hex digits and colons with eight groups, or fewer around one "::".
std::vector<Found> FindIps(std::string_view t) {
  std::vector<Found> spans;
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    const bool boundary =
        i == 0 || !(IsHex(t[i - 1]) || IsAlpha(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == ':');
    if (!boundary || !(IsHex(t[i]) || t[i] == ':')) {
      ++i;
      continue;
    }
    // The longest run of hex digits, dots and colons.
    size_t e = i;
    while (e < n && (IsHex(t[e]) || t[e] == ':' || t[e] == '.')) ++e;
    std::string_view run = t.substr(i, e - i);
    // A sentence may end right after the address.
    while (!run.empty() && (run.back() == '.' || run.back() == ':')) run.remove_suffix(1);
    const bool after_ok = !WordAt(t, i + run.size());
    const size_t colons = static_cast<size_t>(std::count(run.begin(), run.end(), ':'));
    const size_t dots = static_cast<size_t>(std::count(run.begin(), run.end(), '.'));
    bool ok = false;
    if (colons == 0 && dots == 3) {
      ok = true;
      size_t part = 0;
      int value = 0;
      for (size_t k = 0; k <= run.size() && ok; ++k) {
        if (k == run.size() || run[k] == '.') {
          ok = part >= 1 && part <= 3 && value <= 255;
          part = 0;
          value = 0;
        } else if (IsDigit(run[k]) && part < 3) {  // a fourth digit: no octet (and no overflow)
          value = value * 10 + (run[k] - '0');
          ++part;
        } else {
          ok = false;
        }
      }
    } else if (colons >= 2 && dots == 0) {
      const size_t dbl = run.find("::");
      const bool one_double =
          dbl == std::string_view::npos || run.find("::", dbl + 1) == std::string_view::npos;
      size_t groups = 0;
      size_t len = 0;
      ok = one_double && run.find(":::") == std::string_view::npos;
      for (size_t k = 0; k <= run.size() && ok; ++k) {
        if (k == run.size() || run[k] == ':') {
          if (len > 4) ok = false;
          if (len > 0) ++groups;
          len = 0;
        } else {
          ++len;
        }
      }
      ok = ok && (dbl == std::string_view::npos ? groups == 8 : groups >= 2 && groups <= 7);
    }
    if (ok && after_ok) spans.push_back({i, i + run.size()});
    i = e;
  }
  return spans;
}

constexpr std::string_view kPassportWords[] = {"passet", "passnr", "passnum", "passport"};

// Passport numbers: a run of exactly 8 digits with "pass", "passet", "passnr", "passnummer" or
// "passport" among the three words before it.
std::vector<Found> FindPassports(std::string& scan) {
  const std::string_view t = scan;  // sees the masking below
  std::vector<Found> spans;
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    if (!IsDigit(t[i])) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < n && IsDigit(t[e])) ++e;
    const bool alone =
        !LetterBefore(t, i) && !(i > 0 && (t[i - 1] == '.' || t[i - 1] == ',')) && !WordAt(t, e);
    if (e - i == 8 && alone) {
      std::vector<std::string> words = WordsBefore(t, i, 40);
      bool pass = false;
      for (size_t k = 0; k < words.size() && k < 3 && !pass; ++k) {
        pass = words[k] == "pass";
        for (std::string_view p : kPassportWords) pass = pass || StartsWith(words[k], p);
      }
      if (pass) {
        spans.push_back({i, e});
        MaskRemoved(scan, spans.back());
      }
    }
    i = e;
  }
  return spans;
}

// Phone numbers. A prefix: "0" and a digit 1–9, "+46" or "0046" (then an optional space, "(0)"
// or "0"), or an area code in brackets ("(08)"); then digits in groups split by single spaces,
// hyphens or one slash, 8–10 digits in all counting the leading 0. Not inside a word or a longer
// number; not a date "01-02-2026" or a time span "0830-1700"; not after "serienr" and the like.
//
// A digit of the previous phone number (masked) does not count as a number before the candidate:
// the decision must be the same when the text is scrubbed again and a marker stands there.
std::vector<Found> FindPhones(std::string& scan) {
  const std::string_view t = scan;  // sees the masking below
  std::vector<Found> spans;
  const size_t n = t.size();
  size_t s = 0;
  auto live_digit = [&](size_t i) { return IsDigit(t[i]); };  // removed digits are masked
  while (s < n) {
    const char c = t[s];
    if (!(c == '0' || c == '+' || c == '(') || WordBefore(t, s) || (s > 0 && t[s - 1] == '+') ||
        (s > 1 &&
         (t[s - 1] == '-' || t[s - 1] == '/' || t[s - 1] == '.' || t[s - 1] == ':' ||
          t[s - 1] == ',') &&
         live_digit(s - 2))) {
      ++s;
      continue;
    }
    size_t p = s;
    int digits = 0;  // national digits, counting the leading 0
    bool international = false;
    if (t.substr(p, 3) == "+46" || t.substr(p, 4) == "0046") {
      international = true;
      p += c == '+' ? 3 : 4;
      if (p < n && t[p] == ' ') ++p;
      if (t.substr(p, 3) == "(0)") {
        p += 3;
        if (p < n && t[p] == ' ') ++p;
      } else if (p < n && t[p] == '0') {
        ++p;  // "+46 070...": the 0 written anyway
      }
      digits = 1;
    } else if (t.substr(p, 2) == "(0") {
      size_t close = p + 2;
      while (close < n && close < p + 5 && IsDigit(t[close])) ++close;
      if (close >= n || t[close] != ')' || close == p + 2) {
        ++s;
        continue;
      }
      digits = static_cast<int>(close - p - 1);
      p = close + 1;
      if (p < n && t[p] == ' ') ++p;
    } else if (c == '0') {
      if (s + 1 >= n || t[s + 1] < '1' || t[s + 1] > '9') {
        ++s;
        continue;
      }
    } else {
      ++s;
      continue;
    }
    if (p >= n || (p != s && (t[p] < '1' || t[p] > '9'))) {
      ++s;
      continue;
    }
    std::vector<size_t> groups;
    bool slash_used = false;
    bool too_long = false;
    size_t end = p;
    while (true) {
      size_t g = 0;
      while (end < n && IsDigit(t[end])) {
        if (digits >= 10) {
          too_long = true;
          break;
        }
        ++digits;
        ++g;
        ++end;
      }
      if (too_long) break;
      groups.push_back(g);
      const bool sep = end + 1 < n && IsDigit(t[end + 1]) &&
                       (t[end] == ' ' || t[end] == '-' || (t[end] == '/' && !slash_used));
      if (!sep || digits >= 10) break;
      if (t[end] == '/') slash_used = true;
      ++end;
    }
    const size_t skip_to = std::max(end, s + 1);
    if (too_long || digits < 8 || WordAt(t, end)) {
      s = skip_to;
      continue;
    }
    bool date_or_time = false;
    if (!international && c == '0') {
      std::string_view all = t.substr(s, end - s);
      auto num = [&](size_t at, size_t len) {
        int v = 0;
        for (size_t k = 0; k < len; ++k) v = v * 10 + (all[at + k] - '0');
        return v;
      };
      if (groups.size() == 3 && groups[0] == 2 && groups[1] == 2 && groups[2] == 4) {
        const int d = num(0, 2), m = num(3, 2);
        date_or_time = d >= 1 && d <= 31 && m >= 1 && m <= 12;
      } else if (groups.size() == 2 && groups[0] == 4 && groups[1] == 4) {
        date_or_time = IsHhmm(all.substr(0, 4)) && IsHhmm(all.substr(5, 4));
      }
    }
    if (date_or_time || SerialContext(t, s)) {
      s = skip_to;
      continue;
    }
    spans.push_back({s, end});
    MaskRemoved(scan, spans.back());
    s = end;
  }
  return spans;
}

// The letters of Swedish plates: A–Z without I, Q and V (either case, not mixed).
bool IsPlateLetter(char c) {
  char u = IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c;
  return u >= 'A' && u <= 'Z' && u != 'I' && u != 'Q' && u != 'V';
}

// Three-letter words that are followed by a number in ordinary text: car makes and models
// ("BMW 320"), abbreviations, and Swedish words (only lower case is checked against these).
constexpr std::string_view kPlateUpperWords[] = {"BMW", "SOS", "SMS", "MAN", "DAF", "GMC", "GPS",
                                                 "PDF", "SEK", "EUR", "USD", "CET", "UTC", "DNR"};
constexpr std::string_view kPlateLowerWords[] = {
    "och", "den", "det", "som", "med", "att", "har", "kom", "tog", "ett",
    "tre", "fem", "sex", "man", "nya", "hos", "kan", "ska", "mot", "per",
    "far", "sen", "nej", "ser", "gav", "ort", "sms", "kap", "sek", "tkr",
    "mkr", "ggr", "min", "tim", "dag", "rum", "hus", "bar", "kaj", "ca"};

// Plates: three letters, then nothing, a space or a hyphen, then two digits and a digit or letter:
// ABC 123, ABC123, ABC-12A, abc 12a. Whole words only.
std::vector<Found> FindPlates(std::string_view t) {
  std::vector<Found> spans;
  const size_t n = t.size();
  for (size_t s = 0; s + 6 <= n; ++s) {
    if (WordBefore(t, s) || (s > 0 && (t[s - 1] == '-' || t[s - 1] == '_'))) continue;
    if (!IsPlateLetter(t[s]) || !IsPlateLetter(t[s + 1]) || !IsPlateLetter(t[s + 2])) continue;
    const bool upper = IsUpper(t[s]) && IsUpper(t[s + 1]) && IsUpper(t[s + 2]);
    const bool lower = IsLower(t[s]) && IsLower(t[s + 1]) && IsLower(t[s + 2]);
    if (!upper && !lower) continue;
    size_t p = s + 3;
    const bool spaced = t[p] == ' ';
    if (t[p] == ' ' || t[p] == '-') ++p;
    if (p + 3 > n || !IsDigit(t[p]) || !IsDigit(t[p + 1])) continue;
    const char last = t[p + 2];
    if (!IsDigit(last) && !IsPlateLetter(last)) continue;
    const size_t end = p + 3;
    if (WordAt(t, end) || (end < n && t[end] == '_')) continue;
    if (end + 1 < n && (t[end] == '.' || t[end] == ',' || t[end] == ':') && IsDigit(t[end + 1])) {
      continue;  // "ABC 12.5"
    }
    std::string_view word = t.substr(s, 3);
    if (upper && In(kPlateUpperWords, word)) continue;
    if (lower && spaced && In(kPlateLowerWords, word)) continue;
    spans.push_back({s, end});
    s = end - 1;
  }
  return spans;
}

}  // namespace

ScrubExclusions::ScrubExclusions(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    size_t i = 0;
    while (i < name.size()) {
      if (LetterAt(name, i) == 0) {
        ++i;
        continue;
      }
      size_t b = i;
      size_t len = 0;
      while (i < name.size() &&
             ((len = LetterAt(name, i)) > 0 || (name[i] == '-' && LetterAt(name, i + 1) > 0))) {
        i += len > 0 ? len : 1;
      }
      words_.insert(FoldKey(std::string_view(name).substr(b, i - b)));
    }
  }
}

bool ScrubExclusions::Contains(std::string_view word) const {
  return !words_.empty() && words_.count(FoldKey(word)) > 0;
}

bool LuhnValid(std::string_view ten) {
  if (ten.size() != 10) return false;
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(ten[i]))) return false;
    int d = ten[i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

ScrubResult ScrubPersonalData(std::string_view text) {
  static const ScrubExclusions kNone;
  return ScrubPersonalData(text, kNone);
}

ScrubResult ScrubPersonalData(std::string_view text, const ScrubExclusions& keep) {
  const bool has_digit = std::any_of(text.begin(), text.end(), IsDigit);
  const bool has_at = text.find('@') != std::string_view::npos;
  const bool has_ip_mark =
      text.find(':') != std::string_view::npos || text.find('.') != std::string_view::npos;

  // Kinds in priority order claim their bytes; a candidate overlapping a claimed byte is dropped.
  // Each kind's candidates do not overlap each other, so every byte is visited at most once per
  // kind. The later kinds scan a copy in which the claimed bytes are kRemoved, so that what stands
  // next to a removed piece is judged as it will be next to its marker (scrubbing the scrubbed
  // text again removes nothing more).
  std::vector<unsigned char> claimed(text.size(), 0);
  std::string scan(text);
  std::vector<ScrubSpan> spans;
  std::array<bool, kKindCount> used{};
  for (Kind k : kPriority) {
    std::vector<Found> found;
    switch (k) {
      case kEmail:
        if (has_at) found = FindEmails(scan);
        break;
      case kPnr:
        if (has_digit) found = FindPersonnummer(scan);
        break;
      case kIp:
        if (has_ip_mark) found = FindIps(scan);
        break;
      case kPassport:
        if (has_digit) found = FindPassports(scan);
        break;
      case kPhone:
        if (has_digit) found = FindPhones(scan);
        break;
      case kPlate:
        if (has_digit) found = FindPlates(scan);
        break;
      case kAddress:
        if (has_digit) found = FindAddresses(scan);
        break;
      case kName:
        found = FindNames(scan, keep);
        break;
      case kKindCount:
        break;
    }
    for (const Found& f : found) {
      if (std::any_of(claimed.begin() + f.begin, claimed.begin() + f.end,
                      [](unsigned char b) { return b != 0; })) {
        continue;
      }
      std::fill(claimed.begin() + f.begin, claimed.begin() + f.end, 1);
      std::fill(scan.begin() + static_cast<std::ptrdiff_t>(f.begin),
                scan.begin() + static_cast<std::ptrdiff_t>(f.end), kRemoved);
      spans.push_back({f.begin, f.end, kKinds[k].name});
      used[k] = true;
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const ScrubSpan& a, const ScrubSpan& b) { return a.begin < b.begin; });

  ScrubResult out;
  out.text.reserve(text.size());
  size_t last = 0;
  for (const ScrubSpan& s : spans) {
    out.text.append(text.substr(last, s.begin - last));
    for (const KindInfo& k : kKinds) {
      if (k.name == s.kind) out.text += k.marker;
    }
    last = s.end;
  }
  out.text.append(text.substr(last));
  for (size_t k = 0; k < kKindCount; ++k) {
    if (used[k]) out.removed.emplace_back(kKinds[k].name);
  }
  out.spans = std::move(spans);
  return out;
}

}  // namespace est::ingest
