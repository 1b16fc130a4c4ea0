// The scrubber's word scanners: street addresses and names of persons. Both work on the words of
// the text (letters, joined by single hyphens: "Anna-Karin", "Lind-Svensson") and look at most a
// few words ahead or back, so the cost stays linear in the text.
#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/scrub_names.h"
#include "ingest/scrub_text.h"

namespace est::ingest::scrub_text {
namespace {

using scrub_names::NameKind;

struct Word {
  size_t begin = 0;
  size_t end = 0;
  bool capital = false;  // starts with an upper-case letter
  std::string lower;
};

std::vector<Word> Words(std::string_view t) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < t.size()) {
    size_t len = LetterAt(t, i);
    if (len == 0) {
      ++i;
      continue;
    }
    const size_t b = i;
    while (i < t.size()) {
      if ((len = LetterAt(t, i)) > 0) {
        i += len;
      } else if (t[i] == '-' && LetterAt(t, i + 1) > 0) {
        ++i;
      } else {
        break;
      }
    }
    // A word glued to digits ("12A", "E4an") is no name and no street.
    if ((b > 0 && IsDigit(t[b - 1])) || (i < t.size() && IsDigit(t[i]))) continue;
    words.push_back({b, i, UpperAt(t, b), Lower(t.substr(b, i - b))});
  }
  return words;
}

// True when only one space separates words a and b.
bool Adjacent(std::string_view t, const Word& a, const Word& b) {
  return b.begin == a.end + 1 && t[a.end] == ' ';
}

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view w) {
  return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

// ---- Street addresses ----

// Endings of Swedish street names, written as one word: "Tingvallavägen", "Malmgatan".
constexpr std::string_view kStreetEndings[] = {
    "vägen",   "väg",     "gatan",   "gata",   "gränden", "gränd", "backen", "backe",
    "stigen",  "stig",    "torget",  "torg",   "allén",   "allé",  "gången", "leden",
    "slingan", "platsen", "stråket", "kroken", "ringen",  "liden"};
// The same as a word of its own after a capitalised word: "Anderssons väg", "Sollentuna torg".
constexpr std::string_view kStreetWords[] = {"väg",   "vägen", "gata",   "gatan",
                                             "gränd", "torg",  "torget", "allé",
                                             "backe", "stig",  "plan",   "gången"};
// Roads by number, not addresses: "riksväg 267".
constexpr std::string_view kRoadPrefixes[] = {"riksväg", "länsväg", "motorväg", "europaväg"};
// Words before a street name that belong to it: "Gamla Tingvallavägen".
constexpr std::string_view kStreetPrefixWords[] = {"norra", "södra", "östra", "västra", "gamla",
                                                   "nya",   "stora", "lilla", "övre",   "nedre"};
// A number followed by these is a distance or a count: "Tingvallavägen 200 meter bort".
constexpr std::string_view kUnitWords[] = {"m",     "meter", "km",      "st",       "personer",
                                           "bilar", "min",   "minuter", "ungdomar", "procent"};

bool IsStreetName(const Word& w) {
  if (!w.capital) return false;
  for (std::string_view road : kRoadPrefixes) {
    if (StartsWith(w.lower, road)) return false;
  }
  for (std::string_view ending : kStreetEndings) {
    if (EndsWith(w.lower, ending) && w.lower.size() >= ending.size() + 3) return true;
  }
  return false;
}

// The end of a house number at t[pos] (" 12", " 12B", " 12 B", " 12-14", ", lgh 1102"), or 0.
size_t HouseNumberEnd(std::string_view t, size_t pos, const std::vector<Word>& words,
                      size_t next_word) {
  const size_t n = t.size();
  if (pos >= n || t[pos] != ' ') return 0;
  size_t p = pos + 1;
  size_t d = p;
  while (d < n && IsDigit(t[d])) ++d;
  if (d == p || d - p > 3 || t[p] == '0') return 0;
  p = d;
  if (p + 1 < n && (t[p] == '.' || t[p] == ':' || t[p] == ',') && IsDigit(t[p + 1])) return 0;
  // Hours written with an en dash are a time, not a house number: "Rotebro torg 21–24" (the
  // EST method's own way to title a problem: behaviour + place + time).
  if (t.substr(p, 3) == "\u2013" && p + 3 < n && IsDigit(t[p + 3])) {
    size_t q = p + 3;
    int to = 0;
    while (q < n && IsDigit(t[q]) && q - p <= 5) to = to * 10 + (t[q++] - '0');
    int from = 0;
    for (size_t k = pos + 1; k < d; ++k) from = from * 10 + (t[k] - '0');
    if (from <= 24 && to <= 24 && !(q < n && IsDigit(t[q]))) return 0;
  }
  if (p < n && t[p] == '-' && p + 1 < n && IsDigit(t[p + 1])) {
    size_t q = p + 1;
    while (q < n && IsDigit(t[q]) && q - p <= 3) ++q;
    if (!(q < n && IsDigit(t[q]))) p = q;
  }
  auto house_letter = [&](size_t at) {
    const char c = at < n ? t[at] : '\0';
    return ((c >= 'A' && c <= 'H') || (c >= 'a' && c <= 'h')) && !WordAt(t, at + 1);
  };
  if (house_letter(p)) {
    ++p;
  } else if (p + 1 < n && t[p] == ' ' && t[p + 1] >= 'A' && t[p + 1] <= 'H' && !WordAt(t, p + 2)) {
    p += 2;
  }
  if (WordAt(t, p)) return 0;
  // A unit after the number: a distance or a count, not an address.
  for (size_t k = next_word; k < words.size() && words[k].begin <= p + 2; ++k) {
    if (words[k].begin > pos && words[k].begin == p + 1 && In(kUnitWords, words[k].lower)) return 0;
  }
  // An apartment number: ", lgh 1102", " lgh. 1102".
  size_t q = p;
  if (q < n && t[q] == ',') ++q;
  if (q < n && t[q] == ' ') ++q;
  if (Lower(t.substr(q, 3)) == "lgh") {
    q += 3;
    if (q < n && t[q] == '.') ++q;
    if (q < n && t[q] == ' ') ++q;
    size_t e = q;
    while (e < n && IsDigit(t[e])) ++e;
    if (e > q && e - q <= 4 && !WordAt(t, e)) p = e;
  }
  return p;
}

// ---- Names ----

// Everyday capitalised words that end a name: "Anna Polisen" is no surname.
constexpr std::string_view kNotNames[] = {"ab",      "polisen",   "kommun", "kommunen", "centrum",
                                          "station", "stationen", "skola",  "skolan",   "kl",
                                          "tel",     "mobil",     "ring",   "c"};
// Words after which a capitalised word is a name: "heter Kolmodin", "fru Ek".
constexpr std::string_view kNameTriggers[] = {
    "heter",   "hette",  "herr", "fru",           "fröken",          "kallad",    "kallas",
    "kallade", "namnet", "namn", "kontaktperson", "kontaktpersonen", "anmälaren", "anmälare"};

// True when the word at t[begin] starts a sentence (or the text, a line or a quotation), where
// every word is capitalised: "Klara besked", "Max 30 km/h".
bool SentenceStart(std::string_view t, size_t begin) {
  size_t i = begin;
  while (i > 0 && t[i - 1] == ' ') --i;
  if (i == 0) return true;
  const char c = t[i - 1];
  return c == '.' || c == '!' || c == '?' || c == ':' || c == '\n' || c == '"' || c == '-' ||
         c == '(' || c == '\t';
}

struct NameInfo {
  NameKind kind = NameKind::kNone;
  bool possessive = false;  // "Annas": ends a name
};

NameInfo Classify(const Word& w, const ScrubExclusions& keep, std::string_view t) {
  const std::string_view as_written = t.substr(w.begin, w.end - w.begin);
  if (keep.Contains(as_written)) return {};
  auto classify = [](std::string_view lower) {
    // Hyphenated: every part must be a name of the same family ("Anna-Karin", "Lind-Svensson").
    NameKind all = NameKind::kNone;
    size_t b = 0;
    bool first_part = true;
    while (b <= lower.size()) {
      size_t e = lower.find('-', b);
      if (e == std::string_view::npos) e = lower.size();
      NameKind k = scrub_names::Lookup(lower.substr(b, e - b));
      if (k == NameKind::kNone) return NameKind::kNone;
      const bool first_name = k == NameKind::kFirst || k == NameKind::kFirstAmbiguous;
      if (first_part) {
        all = k;
      } else {
        const bool all_first = all == NameKind::kFirst || all == NameKind::kFirstAmbiguous;
        if (all_first != first_name) return NameKind::kNone;
        all = first_name ? NameKind::kFirst : NameKind::kSurname;  // two parts are unambiguous
      }
      first_part = false;
      b = e + 1;
    }
    return all;
  };
  NameInfo info{classify(w.lower), false};
  if (info.kind == NameKind::kNone && w.lower.size() >= 4 && w.lower.back() == 's' &&
      !EndsWith(w.lower, "ss")) {
    std::string_view stem = std::string_view(w.lower).substr(0, w.lower.size() - 1);
    if (!keep.Contains(as_written.substr(0, as_written.size() - 1))) {
      info = {classify(stem), true};
      if (info.kind == NameKind::kNone) info.possessive = false;
    }
  }
  return info;
}

bool IsSurname(NameKind k) { return k == NameKind::kSurname || k == NameKind::kSurnameAmbiguous; }

// A capitalised word that may continue a name begun before it. A place name that is also a
// surname continues one ("Anna Sjöberg"); alone it stays a place.
bool CanContinue(const Word& w, const ScrubExclusions& keep, std::string_view t) {
  if (!w.capital || In(kNotNames, w.lower) || IsStreetName(w)) return false;
  if (keep.Contains(t.substr(w.begin, w.end - w.begin))) {
    return IsSurname(scrub_names::Lookup(w.lower));
  }
  return true;
}

}  // namespace

std::vector<Found> FindAddresses(std::string_view t) {
  std::vector<Found> spans;
  const std::vector<Word> words = Words(t);
  for (size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    size_t first = i;
    if (IsStreetName(w)) {
      // street name written as one word
    } else if (In(kStreetWords, w.lower) && i > 0 && words[i - 1].capital &&
               Adjacent(t, words[i - 1], w)) {
      first = i - 1;
    } else {
      continue;
    }
    const size_t end = HouseNumberEnd(t, w.end, words, i + 1);
    if (end == 0) continue;
    while (first > 0 && words[first - 1].capital &&
           In(kStreetPrefixWords, words[first - 1].lower) &&
           Adjacent(t, words[first - 1], words[first])) {
      --first;
    }
    if (!spans.empty() && spans.back().end > words[first].begin) continue;
    spans.push_back({words[first].begin, end});
  }
  return spans;
}

std::vector<Found> FindNames(std::string_view t, const ScrubExclusions& keep) {
  std::vector<Found> spans;
  const std::vector<Word> words = Words(t);
  std::vector<NameInfo> info(words.size());
  for (size_t i = 0; i < words.size(); ++i) info[i] = Classify(words[i], keep, t);
  auto next_adjacent = [&](size_t i) {
    return i + 1 < words.size() && Adjacent(t, words[i], words[i + 1]);
  };

  size_t i = 0;
  while (i < words.size()) {
    const Word& w = words[i];
    const NameKind k = info[i].kind;
    const bool triggered =
        i > 0 && In(kNameTriggers, words[i - 1].lower) && Adjacent(t, words[i - 1], w);
    bool start = false;   // begins a name that may go on with capitalised words
    bool single = false;  // a name of one word
    if (w.capital) {
      if (k == NameKind::kFirst) {
        start = true;
      } else if (k == NameKind::kFirstAmbiguous) {
        // Capitalised inside a sentence, "Björn" is a name; at its start it may be a bear.
        start = triggered || !SentenceStart(t, w.begin) ||
                (next_adjacent(i) && !info[i].possessive && words[i + 1].capital &&
                 IsSurname(info[i + 1].kind));
      } else if (k == NameKind::kSurname) {
        single = true;
      } else if (triggered && CanContinue(w, keep, t)) {
        start = true;
      }
    } else if (k == NameKind::kFirst && !info[i].possessive && next_adjacent(i) &&
               !words[i + 1].capital && info[i + 1].kind == NameKind::kSurname) {
      spans.push_back({w.begin, words[i + 1].end});
      i += 2;
      continue;
    } else if (k == NameKind::kSurname && EndsWith(w.lower, "son")) {
      single = true;
    }
    if (!start && !single) {
      ++i;
      continue;
    }
    size_t last = i;
    if (start) {
      // "Anna Svensson", "Anna Maria Kolmodin", "Per Andersson": up to three more words.
      while (last + 1 < words.size() && last - i < 3 && !info[last].possessive &&
             Adjacent(t, words[last], words[last + 1]) && CanContinue(words[last + 1], keep, t)) {
        ++last;
      }
    }
    spans.push_back({w.begin, words[last].end});
    i = last + 1;
  }
  return spans;
}

}  // namespace est::ingest::scrub_text
