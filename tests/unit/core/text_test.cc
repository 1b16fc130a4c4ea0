// UTF-8 well-formedness and control characters, against hand-made byte sequences.
#include "core/text.h"

#include <gtest/gtest.h>

#include <string_view>

namespace est {
namespace {

constexpr size_t kNone = std::string_view::npos;

TEST(InvalidUtf8At, FindsTheFirstBadByte) {
  const std::pair<std::string_view, size_t> cases[] = {
      {"", kNone},
      {"plain ascii text, long enough for the word loop", kNone},
      {"Nämnd för trygghet – å ä ö €", kNone},
      {"\xF0\x9F\x98\x80 emoji", kNone},
      {"\xFF\xFE"
       "a",
       0},  // UTF-16 byte order mark
      {"ab\xE4"
       "cd",
       2},                      // Latin-1 ä
      {"abcdefghij\xC3", 10},   // truncated at the end
      {"\xC0\xAF", 0},          // overlong '/'
      {"\xE0\x80\xAF", 0},      // overlong, three bytes
      {"\xED\xA0\x80", 0},      // surrogate U+D800
      {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
      {"ok \xE2\x82", 3},       // truncated three-byte sequence
      {"ok \xE2\x28\xA1", 3},   // bad continuation
      {"12345678\x80", 8},      // lone continuation after a word
  };
  for (const auto& [text, at] : cases) {
    EXPECT_EQ(InvalidUtf8At(text), at) << text;
  }
}

TEST(ControlCharAt, AllowsTabAndLineBreaksOnly) {
  using namespace std::string_literals;
  EXPECT_EQ(ControlCharAt("rad ett\nrad\ttvå\r\n"), kNone);
  EXPECT_EQ(ControlCharAt("åäö"), kNone);
  EXPECT_EQ(ControlCharAt("ab\0cd"s), 2u);
  EXPECT_EQ(ControlCharAt("a\x1b[31m"), 1u);
  EXPECT_EQ(ControlCharAt("a\x7f"), 1u);
  EXPECT_EQ(ControlCharAt("a\xC2\x85"), 1u);     // U+0085 next line (C1)
  EXPECT_EQ(ControlCharAt("a\xC2\xA0"), kNone);  // U+00A0 no-break space is text
}

TEST(TextReasons, NameTheCharacterAndPosition) {
  using namespace std::string_literals;
  EXPECT_EQ(ControlCharReason("åb\0"s, 3),
            "innehåller styrtecknet U+0000 vid tecken 3 (bara tabb och radbrytning är tillåtna)");
  EXPECT_NE(InvalidUtf8Reason("\xFF\xFE", 0).find("byte 0xFF vid tecken 1"), std::string::npos);
  EXPECT_NE(InvalidUtf8Reason("\xFF\xFE", 0).find("UTF-16"), std::string::npos);
}

}  // namespace
}  // namespace est
