// The scrubber: one hand-written left-to-right scanner per kind instead of std::regex, whose
// backtracking recurses once per character (a 30 kB description overflowed the stack) and took
// seconds on long digit runs. Each scanner looks at every byte a bounded number of times, so the
// cost is linear in the text. The scanners keep the matching rules of the regular expressions they
// replace (leftmost match, resume after the previous match, candidates that fail the date or
// check-digit test still consume their text); the rules are quoted above each scanner.
#include "ingest/scrub.h"

#include <algorithm>
#include <cctype>
#include <cstddef>

namespace est::ingest {
namespace {

// ASCII classes only: bytes of UTF-8 sequences (å, ä, ö) are never digits, letters or word
// characters, as for std::regex in the "C" locale.
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsWord(char c) { return IsAlnum(c) || c == '_'; }
bool IsEmailLocal(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsEmailDomain(char c) { return IsAlnum(c) || c == '.' || c == '-'; }
// The letters of Swedish plates: A–Z without I, Q and V.
bool IsPlateLetter(char c) { return c >= 'A' && c <= 'Z' && c != 'I' && c != 'Q' && c != 'V'; }

void Note(std::vector<std::string>& removed, const char* kind) {
  if (std::find(removed.begin(), removed.end(), kind) == removed.end()) removed.emplace_back(kind);
}

struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// Replaces the spans (ascending, not overlapping) of `text` by `marker`.
std::string ReplaceSpans(const std::string& text, const std::vector<Span>& spans,
                         const char* marker) {
  std::string out;
  out.reserve(text.size());
  size_t last = 0;
  for (const Span& s : spans) {
    out.append(text, last, s.begin - last);
    out += marker;
    last = s.end;
  }
  out.append(text, last, std::string::npos);
  return out;
}

// [A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}
std::vector<Span> FindEmails(const std::string& t) {
  std::vector<Span> spans;
  size_t resume = 0;  // end of the previous match
  for (size_t at = t.find('@'); at != std::string::npos; at = t.find('@', at + 1)) {
    if (at < resume) continue;
    size_t begin = at;
    while (begin > resume && IsEmailLocal(t[begin - 1])) --begin;
    if (begin == at) continue;
    size_t domain_end = at + 1;
    while (domain_end < t.size() && IsEmailDomain(t[domain_end])) ++domain_end;
    // The greedy domain gives back characters until "." and two letters follow: the rightmost
    // such dot with at least one domain character before it.
    size_t dot = std::string::npos;
    for (size_t j = domain_end; j-- > at + 2;) {
      if (t[j] == '.' && j + 2 < domain_end && IsAlpha(t[j + 1]) && IsAlpha(t[j + 2])) {
        dot = j;
        break;
      }
    }
    if (dot == std::string::npos) continue;
    size_t end = dot + 1;
    while (end < t.size() && IsAlpha(t[end])) ++end;
    spans.push_back({begin, end});
    resume = end;
  }
  return spans;
}

// (^|[^0-9])((19|20)?([0-9]{2})(0[1-9]|1[0-2])([0-9]{2})[-+ ]?([0-9]{4}))(?![0-9])
// A candidate starts a run of digits. It is removed when the day is 01–31 or 61–91
// (samordningsnummer) and the 10-digit form YYMMDDNNNN passes the Luhn check.
std::vector<Span> FindPersonnummer(const std::string& t) {
  std::vector<Span> spans;
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    if (!IsDigit(t[i])) {
      ++i;
      continue;
    }
    size_t run_begin = i;
    size_t run_end = i;
    while (run_end < n && IsDigit(t[run_end])) ++run_end;
    size_t run = run_end - run_begin;
    // The century is tried first, then the form without it (the regex alternation's order).
    bool matched = false;
    for (size_t century : {size_t{2}, size_t{0}}) {
      if (century == 2 &&
          !(run >= 2 && ((t[i] == '1' && t[i + 1] == '9') || (t[i] == '2' && t[i + 1] == '0')))) {
        continue;
      }
      size_t d = run_begin + century;  // first digit of YYMMDD
      if (run < century + 6) continue;
      char m1 = t[d + 2];
      char m2 = t[d + 3];
      bool month_ok =
          (m1 == '0' && m2 >= '1' && m2 <= '9') || (m1 == '1' && m2 >= '0' && m2 <= '2');
      if (!month_ok) continue;
      std::string ten = t.substr(d, 6);
      size_t end = 0;
      if (run == century + 10) {
        ten.append(t, d + 6, 4);
        end = run_end;
      } else if (run == century + 6 && run_end < n &&
                 (t[run_end] == '-' || t[run_end] == '+' || t[run_end] == ' ')) {
        size_t tail = run_end + 1;
        size_t tail_end = tail;
        while (tail_end < n && IsDigit(t[tail_end])) ++tail_end;
        if (tail_end - tail != 4) continue;
        ten.append(t, tail, 4);
        end = tail_end;
      } else {
        continue;
      }
      matched = true;
      int day = (ten[4] - '0') * 10 + (ten[5] - '0');
      bool day_ok = (day >= 1 && day <= 31) || (day >= 61 && day <= 91);
      if (day_ok && LuhnValid(ten)) spans.push_back({run_begin, end});
      i = end;
      break;
    }
    if (!matched) i = run_end;
  }
  return spans;
}

// (^|[^0-9A-Za-z])((\+46|0)[ \-]?[1-9]([ \-]?[0-9]){5,10})(?![0-9]), removed when it holds at
// least 8 digits.
std::vector<Span> FindPhones(const std::string& t) {
  std::vector<Span> spans;
  const size_t n = t.size();
  size_t resume = 0;  // the prefix character must lie after the previous match
  auto sep = [](char c) { return c == ' ' || c == '-'; };
  for (size_t s = 0; s < n; ++s) {
    if (s > 0 && (s - 1 < resume || IsAlnum(t[s - 1]))) continue;
    size_t p = s;
    size_t digits = 0;
    if (t[p] == '0') {
      p += 1;
      digits = 1;
    } else if (t[p] == '+' && p + 2 < n && t[p + 1] == '4' && t[p + 2] == '6') {
      p += 3;
      digits = 2;
    } else {
      continue;
    }
    if (p + 1 < n && sep(t[p]) && t[p + 1] >= '1' && t[p + 1] <= '9') ++p;
    if (p >= n || t[p] < '1' || t[p] > '9') continue;
    ++p;
    ++digits;
    // Repetitions of [ \-]?[0-9]: where each ends, and whether the next one starts with a
    // separator (then ending before it satisfies the lookahead).
    size_t rep_end[12];
    bool next_is_sep[12] = {};
    size_t reps = 0;
    size_t q = p;
    while (reps < 11) {
      if (q < n && IsDigit(t[q])) {
        rep_end[++reps] = ++q;
      } else if (q + 1 < n && sep(t[q]) && IsDigit(t[q + 1])) {
        next_is_sep[reps] = true;
        q += 2;
        rep_end[++reps] = q;
      } else {
        break;
      }
    }
    if (reps < 5) continue;
    size_t k = 0;
    if (reps <= 10) {
      k = reps;
    } else {
      for (size_t c = 10; c >= 5; --c) {
        if (next_is_sep[c]) {
          k = c;
          break;
        }
      }
      if (k == 0) continue;
    }
    size_t end = rep_end[k];
    digits += k;
    if (digits >= 8) spans.push_back({s, end});
    resume = end;
    s = end - 1;  // the loop's ++s makes the next candidate start after `end`
  }
  return spans;
}

// \b[A-HJ-PR-UW-Z]{3} ?[0-9]{2}[0-9A-HJ-PR-UW-Z]\b
std::vector<Span> FindPlates(const std::string& t) {
  std::vector<Span> spans;
  const size_t n = t.size();
  for (size_t s = 0; s + 6 <= n; ++s) {
    if (s > 0 && IsWord(t[s - 1])) continue;
    if (!IsPlateLetter(t[s]) || !IsPlateLetter(t[s + 1]) || !IsPlateLetter(t[s + 2])) continue;
    size_t p = s + 3;
    if (t[p] == ' ') ++p;
    if (p + 3 > n || !IsDigit(t[p]) || !IsDigit(t[p + 1])) continue;
    char last = t[p + 2];
    if (!IsDigit(last) && !IsPlateLetter(last)) continue;
    size_t end = p + 3;
    if (end < n && IsWord(t[end])) continue;
    spans.push_back({s, end});
    s = end - 1;
  }
  return spans;
}

// Replaces what `find` finds in `text` and notes `kind` when anything was found.
template <typename Finder>
void Apply(ScrubResult& out, Finder find, const char* marker, const char* kind) {
  std::vector<Span> spans = find(out.text);
  if (spans.empty()) return;
  out.text = ReplaceSpans(out.text, spans, marker);
  Note(out.removed, kind);
}

}  // namespace

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
  ScrubResult out;
  out.text = std::string(text);
  bool has_digit = std::any_of(text.begin(), text.end(), IsDigit);
  bool has_at = text.find('@') != std::string_view::npos;
  if (has_at) Apply(out, FindEmails, "[e-postadress borttagen]", "e-postadress");
  if (!has_digit) return out;
  Apply(out, FindPersonnummer, "[personnummer borttaget]", "personnummer");
  Apply(out, FindPhones, "[telefonnummer borttaget]", "telefonnummer");
  Apply(out, FindPlates, "[registreringsnummer borttaget]", "registreringsnummer");
  return out;
}

}  // namespace est::ingest
