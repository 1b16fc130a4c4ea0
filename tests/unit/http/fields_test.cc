// Text limits of the JSON field reader: counted in characters, refused with the field and limit.
#include "http/fields.h"

#include <gtest/gtest.h>

#include <string>

namespace est::http {
namespace {

std::string Repeat(const std::string& unit, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += unit;
  return s;
}

struct LimitCase {
  std::string text;
  size_t max;
  bool accepted;
};

TEST(FieldsLimit, TextsAreCountedInCharacters) {
  const LimitCase cases[] = {
      {Repeat("a", 4000), 4000, true},   {Repeat("a", 4001), 4000, false},
      {Repeat("ä", 4000), 4000, true},  // 8000 bytes, 4000 characters
      {Repeat("ä", 4001), 4000, false},  {"", 0, true},
      {Repeat("7", 30000), 4000, false},
  };
  for (const LimitCase& c : cases) {
    SCOPED_TRACE(c.text.size());
    json obj = {{"description", c.text}};
    Fields f(obj, "", {"description"});
    auto v = f.Str("description", c.max);
    EXPECT_EQ(v.has_value(), c.accepted);
    if (c.accepted) {
      EXPECT_TRUE(f.errors().empty());
    } else {
      ASSERT_EQ(f.errors().size(), 1u);
      EXPECT_EQ(f.errors()[0].field, "description");
      EXPECT_EQ(f.errors()[0].reason, "får vara högst " + std::to_string(c.max) + " tecken");
    }
  }
}

TEST(FieldsLimit, DefaultLimitAppliesToEveryTextAndListElement) {
  json obj = {{"name", Repeat("x", kMaxTextChars + 1)},
              {"attendees", {"Anna", Repeat("y", kMaxTextChars + 1)}}};
  Fields f(obj, "m.", {"name", "attendees"});
  EXPECT_FALSE(f.Str("name").has_value());
  auto list = f.StrList("attendees");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(*list, std::vector<std::string>{"Anna"});
  ASSERT_EQ(f.errors().size(), 2u);
  EXPECT_EQ(f.errors()[0].field, "m.name");
  EXPECT_EQ(f.errors()[1].field, "m.attendees[1]");
}

}  // namespace
}  // namespace est::http
