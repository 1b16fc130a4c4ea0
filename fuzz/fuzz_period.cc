// Fuzz target: period parsing (core/period.h). A parsed period's canonical label parses back to
// the same period, and its neighbours are periods of the same kind.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/period.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = est::ParsePeriod(text);
  if (!p) return 0;
  if (p->last < p->first) std::abort();
  auto again = est::ParsePeriod(p->label());
  if (!again || !(*again == *p)) std::abort();
  (void)p->label_sv();
  if (p->StartUtc() >= p->EndUtc()) std::abort();
  est::Period prev = est::PreviousPeriod(*p);
  if (prev.kind != p->kind || prev.last >= p->first) std::abort();
  (void)est::SamePeriodLastYear(*p);
  return 0;
}
