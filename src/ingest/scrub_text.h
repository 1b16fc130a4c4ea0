// Byte-level helpers shared by the scrubber's scanners (private to ingest/scrub*.cc).
//
// Letters are ASCII letters and the two-byte UTF-8 letters of Latin-1 Supplement and Latin
// Extended-A (å, ä, ö, é, ü, š, ...); every other non-ASCII byte (–, €, emoji) is punctuation.
// Thread-safe (pure functions).
#ifndef EST_INGEST_SCRUB_TEXT_H_
#define EST_INGEST_SCRUB_TEXT_H_

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

// The lower-cased words (letters only) among the `max_bytes` bytes before t[pos], nearest first.
// Words in square brackets are skipped: a marker such as "[passnummer borttaget]" left by an
// earlier scrub must not become context for the number after it.
inline std::vector<std::string> WordsBefore(std::string_view t, size_t pos, size_t max_bytes) {
  const size_t from = pos > max_bytes ? pos - max_bytes : 0;
  std::vector<std::string> words;
  size_t i = from;
  // Do not start inside a word (or a UTF-8 sequence) cut by the window.
  while (i < pos && i > 0 && (LetterBefore(t, i) ||
                              (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80)) {
    ++i;
  }
  size_t bracket_from = std::string_view::npos;  // words.size() at the last '['
  while (i < pos) {
    size_t n = LetterAt(t, i);
    if (n == 0) {
      if (t[i] == '[') bracket_from = words.size();
      if (t[i] == ']') {
        words.resize(bracket_from == std::string_view::npos ? 0 : bracket_from);
        bracket_from = std::string_view::npos;
      }
      ++i;
      continue;
    }
    size_t b = i;
    while (i < pos && (n = LetterAt(t, i)) > 0) i += n;
    words.push_back(Lower(t.substr(b, i - b)));
  }
  if (bracket_from != std::string_view::npos) words.resize(bracket_from);
  return {words.rbegin(), words.rend()};
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace est::ingest::scrub_text

#endif  // EST_INGEST_SCRUB_TEXT_H_
