// Fuzz target: time parsing (core/time.h): timestamps, days and ISO weeks. What parses formats to
// text that parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto t = est::ParseTimestamp(text)) {
    auto back = est::ParseTimestamp(est::FormatTimestamp(*t));
    if (!back || *back != *t) std::abort();
    auto utc = est::ParseTimestamp(est::FormatTimestampUtc(*t));
    if (!utc || *utc != *t) std::abort();
    (void)est::ToLocalDay(*t);
    (void)est::LocalHour(*t);
  }
  if (auto d = est::ParseDay(text)) {
    auto back = est::ParseDay(est::FormatDay(*d));
    if (!back || *back != *d) std::abort();
    est::IsoWeek w = est::ToIsoWeek(*d);
    if (est::IsoWeekStart(w.year, w.week) > *d) std::abort();
  }
  if (auto w = est::ParseIsoWeek(text)) {
    auto back = est::ParseIsoWeek(est::FormatIsoWeek(*w));
    if (!back || !(*back == *w)) std::abort();
  }
  return 0;
}
