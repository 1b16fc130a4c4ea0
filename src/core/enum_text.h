// Parsing of enumerations from their canonical text forms (shared by model.cc and work.cc).
#ifndef EST_CORE_ENUM_TEXT_H_
#define EST_CORE_ENUM_TEXT_H_

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace est {

std::string FoldText(std::string_view s);

// The value whose text folds (FoldText) to the same as `s`; otherwise an invalid-argument error
// on `field` listing the accepted texts.
template <class E, size_t N>
Result<E> ParseEnum(std::string_view field, std::string_view s,
                    const std::array<std::pair<std::string_view, E>, N>& table) {
  std::string folded = FoldText(s);
  std::string accepted;
  for (const auto& [text, value] : table) {
    if (FoldText(text) == folded) return value;
    if (!accepted.empty()) accepted += ", ";
    accepted += text;
  }
  return InvalidField(std::string(field),
                      "okänt värde \"" + std::string(s) + "\"; tillåtna värden: " + accepted);
}

// The text of `value` in `table` (the first entry holding it).
template <class E, size_t N>
std::string_view EnumText(E value, const std::array<std::pair<std::string_view, E>, N>& table) {
  for (const auto& [text, v] : table) {
    if (v == value) return text;
  }
  return table[0].first;
}

}  // namespace est

#endif  // EST_CORE_ENUM_TEXT_H_
