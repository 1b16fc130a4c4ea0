// Text forms of the police list's categories.
#include "core/context.h"

#include "core/enum_text.h"

namespace est {
namespace {

constexpr std::array<std::pair<std::string_view, VulnerableCategory>, 4> kCategories{{
    {"Utsatt område", VulnerableCategory::kUtsatt},
    {"Särskilt utsatt område", VulnerableCategory::kSarskiltUtsatt},
    {"utsatt", VulnerableCategory::kUtsatt},
    {"sarskilt_utsatt", VulnerableCategory::kSarskiltUtsatt},
}};

}  // namespace

std::string_view VulnerableCategoryText(VulnerableCategory c) { return EnumText(c, kCategories); }
Result<VulnerableCategory> ParseVulnerableCategory(std::string_view s) {
  return ParseEnum("KATEGORI", s, kCategories);
}

}  // namespace est
