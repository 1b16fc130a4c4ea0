// Other information beside the reports (the law's "övrig information"): survey results
// (enkätresultat, e.g. the police's trygghetsmätning or a local survey) and the police's list of
// vulnerable areas (utsatta områden) per year — the 2030 goal is that none remain.
#ifndef EST_CORE_CONTEXT_H_
#define EST_CORE_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/model.h"

namespace est {

// Enkätresultat: one indicator for one area and period from one source.
struct SurveyResult {
  int64_t id = 0;
  AreaId area;
  std::string indicator;  // e.g. "andel_otrygga", "problemindex"
  std::string period;     // canonical period label ("2025", "2025-T1")
  std::string source;     // e.g. "Polisens trygghetsmätning", "NTU", "Lokal enkät"
  double value = 0;
  std::optional<int64_t> n;  // respondents, when known
};

// Polisens lista: 1 utsatt område, 2 särskilt utsatt område.
enum class VulnerableCategory { kUtsatt = 1, kSarskiltUtsatt = 2 };
std::string_view VulnerableCategoryText(VulnerableCategory c);  // "Utsatt område", ...
// Accepts the police's texts ("Utsatt område", "Särskilt utsatt område") and "utsatt",
// "sarskilt_utsatt"; error on field "KATEGORI".
Result<VulnerableCategory> ParseVulnerableCategory(std::string_view s);

// One area of the police's list for one year, as far as it lies in the municipality.
struct VulnerableArea {
  int64_t id = 0;
  int year = 0;
  std::string code;  // SPECIALOMRADES_ID (OBJECTID when the file has none), unique per year
  std::string name;  // NAMN
  VulnerableCategory category = VulnerableCategory::kUtsatt;
  std::string since;           // AKTUALITET_START (YYYY-MM-DD), "" when unknown
  double area_m2 = 0;          // the polygon's area
  double share_inside = 0;     // share of the polygon inside the municipality (0..1]
  std::optional<AreaId> area;  // the EST area with the same code, else the one holding its centre
};

}  // namespace est

#endif  // EST_CORE_CONTEXT_H_
