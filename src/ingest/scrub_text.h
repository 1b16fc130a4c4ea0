// Byte-level helpers shared by the scrubber's scanners (private to ingest/scrub*.cc).
//
// Letters are ASCII letters and the two-byte UTF-8 letters of Latin-1 Supplement and Latin
// Extended-A (å, ä, ö, é, ü, š, ...); every other non-ASCII byte (–, €, emoji) is punctuation.
// Thread-safe (pure functions).
#ifndef EST_INGEST_SCRUB_TEXT_H_
#define EST_INGEST_SCRUB_TEXT_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/scrub.h"

namespace est::ingest::scrub_text {

// A candidate piece of personal data: bytes [begin, end) of the text.
struct Found {
  size_t begin = 0;
  size_t end = 0;
};

// The word scanners (scrub_words.cc): street addresses, and names of persons.
std::vector<Found> FindAddresses(std::string_view t);
std::vector<Found> FindNames(std::string_view t, const ScrubExclusions& keep);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Length in bytes of the letter starting at t[i] (1 or 2), or 0.
inline size_t LetterAt(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  if (IsAlpha(t[i])) return 1;
  const auto b = static_cast<unsigned char>(t[i]);
  if ((b == 0xC3 || b == 0xC4 || b == 0xC5) && i + 1 < t.size() &&
      (static_cast<unsigned char>(t[i + 1]) & 0xC0) == 0x80) {
    return 2;
  }
  return 0;
}

// True when the character ending just before t[i] is a letter.
inline bool LetterBefore(std::string_view t, size_t i) {
  if (i == 0) return false;
  if (IsAlpha(t[i - 1])) return true;
  return i >= 2 && LetterAt(t, i - 2) == 2;
}

// True when the character ending just before t[i] is a letter or digit.
inline bool WordBefore(std::string_view t, size_t i) {
  return i > 0 && (IsDigit(t[i - 1]) || LetterBefore(t, i));
}

// True when the character at t[i] is a letter or digit.
inline bool WordAt(std::string_view t, size_t i) {
  return i < t.size() && (IsDigit(t[i]) || LetterAt(t, i) > 0);
}

// Upper case: A–Z, and À–Þ (UTF-8 C3 80–C3 9E, without ×).
inline bool UpperAt(std::string_view t, size_t i) {
  if (i >= t.size()) return false;
  if (IsUpper(t[i])) return true;
  if (static_cast<unsigned char>(t[i]) != 0xC3 || i + 1 >= t.size()) return false;
  const auto b = static_cast<unsigned char>(t[i + 1]);
  return b >= 0x80 && b <= 0x9E && b != 0x97;
}

// Lower-cases ASCII and À–Þ; other bytes as they are.
inline std::string Lower(std::string_view w) {
  std::string out(w);
  for (size_t i = 0; i < out.size(); ++i) {
    if (IsUpper(out[i])) {
      out[i] = static_cast<char>(out[i] - 'A' + 'a');
    } else if (UpperAt(out, i)) {
      out[i + 1] = static_cast<char>(out[i + 1] + 0x20);
      ++i;
    }
  }
  return out;
}

// Stands in the scanners' copy of the text for bytes an earlier kind removed: punctuation, as the
// marker that will replace them.
inline constexpr char kRemoved = '\x1F';

// The lower-cased words (letters only) that end within `budget` bytes before t[pos], nearest
// first. A run of removed bytes and a marker-sized bracket ("[passnummer borttaget]", up to 48
// bytes) each count as one byte and give no words, so that context is the same in the text and in
// the text scrubbed again. The scan reaches past at most `budget` bytes plus one word and the
// skipped runs, and a run is only reached from the candidates within `budget` bytes after it, so
// the callers stay linear.
inline std::vector<std::string> WordsBefore(std::string_view t, size_t pos, size_t budget) {
  std::vector<std::string> words;
  size_t i = pos;
  while (i > 0 && budget > 0) {
    const char c = t[i - 1];
    if (c == kRemoved) {
      while (i > 0 && t[i - 1] == kRemoved) --i;
      --budget;
      continue;
    }
    if (c == ']') {
      size_t open = i - 1;
      while (open > 0 && i - open < 48 && t[open - 1] != '[' && t[open - 1] != ']') --open;
      if (open > 0 && t[open - 1] == '[') {
        i = open - 1;
        --budget;
        continue;
      }
    }
    if (LetterBefore(t, i)) {
      const size_t e = i;
      while (i > 0 && LetterBefore(t, i)) i -= IsAlpha(t[i - 1]) ? 1 : 2;
      budget -= std::min(budget, e - i);
      words.push_back(Lower(t.substr(i, e - i)));
      continue;
    }
    --i;
    --budget;
  }
  return words;
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace est::ingest::scrub_text

#endif  // EST_INGEST_SCRUB_TEXT_H_
