// Checks on untrusted text: UTF-8 well-formedness and control characters.
#ifndef EST_CORE_TEXT_H_
#define EST_CORE_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace est {

// The byte offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or std::string_view::npos when all
// of `s` is UTF-8. Thread-safe (pure).
size_t InvalidUtf8At(std::string_view s);

// The byte offset of the first control character other than tab, line feed and carriage return
// (U+0000–U+001F, U+007F, U+0080–U+009F) in UTF-8 text `s`, or npos. Thread-safe (pure).
size_t ControlCharAt(std::string_view s);

// The number of characters (UTF-8 code points) of `s`: continuation bytes are not counted, so
// å/ä/ö, two bytes each, are one character. The one count behind every "högst N tecken".
// Thread-safe (pure).
inline size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A Swedish reason for a problem at byte `at` of `s` found by the functions above, e.g.
// "ogiltig UTF-8 (byte 0xFF vid tecken 1)" or "innehåller styrtecknet U+0000 vid tecken 4".
// Positions count characters from 1.
std::string InvalidUtf8Reason(std::string_view s, size_t at);
std::string ControlCharReason(std::string_view s, size_t at);

}  // namespace est

#endif  // EST_CORE_TEXT_H_
