// UTF-8 and control character checks (RFC 3629, table 3-7 of the Unicode standard).
#include "core/text.h"

#include <fmt/format.h>

namespace est {
namespace {

// Characters (not bytes) before `at`, for positions a user can find in an editor.
size_t CharsBefore(std::string_view s, size_t at) {
  size_t n = 0;
  for (size_t i = 0; i < at && i < s.size(); ++i) {
    n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  }
  return n;
}

}  // namespace

size_t InvalidUtf8At(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII runs eight bytes at a time: most of an import file is ASCII.
    while (i + 8 <= n) {
      uint64_t word = 0;
      for (int k = 0; k < 8; ++k) word |= static_cast<uint64_t>(p[i + k]) << (8 * k);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

size_t ControlCharAt(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
    if (c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0x9F) return i;
    }
  }
  return std::string_view::npos;
}

std::string InvalidUtf8Reason(std::string_view s, size_t at) {
  std::string reason =
      fmt::format("ogiltig UTF-8 (byte 0x{:02X} vid tecken {})",
                  at < s.size() ? static_cast<unsigned char>(s[at]) : 0, CharsBefore(s, at) + 1);
  if (s.substr(0, 2) == "\xFF\xFE" || s.substr(0, 2) == "\xFE\xFF") {
    reason += "; filen verkar vara UTF-16, spara den som UTF-8";
  } else {
    reason += "; spara texten som UTF-8";
  }
  return reason;
}

std::string ControlCharReason(std::string_view s, size_t at) {
  unsigned code = at < s.size() ? static_cast<unsigned char>(s[at]) : 0;
  if (code == 0xC2 && at + 1 < s.size()) code = static_cast<unsigned char>(s[at + 1]);
  return fmt::format(
      "innehåller styrtecknet U+{:04X} vid tecken {} (bara tabb och radbrytning "
      "är tillåtna)",
      code, CharsBefore(s, at) + 1);
}

}  // namespace est
