// Fuzz target: the personal-data scrubber (ingest/scrub.h). Besides memory and UB errors it checks
// the scrubber's promises:
//   - the spans are in order, inside the text, and the text is the input with each span replaced
//     by a marker; nothing reported removed means the text is unchanged;
//   - scrubbing the scrubbed text again finds nothing far from a marker. Right next to a marker a
//     second pass may find more, because the context changed (a removed name no longer stands
//     between "pass" and a number); anywhere else it must find what the first pass found.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/scrub.h"

namespace {

constexpr size_t kNear = 64;  // bytes: how far a marker's influence on context may reach

bool NearMarker(const std::string& text, size_t begin, size_t end) {
  const size_t from = begin > kNear ? begin - kNear : 0;
  const size_t to = std::min(text.size(), end + kNear);
  std::string_view around(text.data() + from, to - from);
  return around.find(" borttag") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The callers refuse more than 20000 characters before scrubbing (http/fields.h).
  if (size > 20000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  est::ingest::ScrubResult first = est::ingest::ScrubPersonalData(text);
  if (first.removed.empty() != (first.text == text)) std::abort();
  if (first.removed.empty() != first.spans.empty()) std::abort();
  size_t last = 0;
  std::string rebuilt;
  for (const est::ingest::ScrubSpan& s : first.spans) {
    if (s.begin < last || s.end <= s.begin || s.end > text.size()) std::abort();
    rebuilt.append(text.substr(last, s.begin - last));
    rebuilt += "[" + std::string(s.kind);
    last = s.end;
    size_t marker_end = first.text.find(']', rebuilt.size());
    if (marker_end == std::string::npos) std::abort();
    rebuilt.append(first.text, rebuilt.size(), marker_end + 1 - rebuilt.size());
  }
  rebuilt.append(text.substr(last));
  if (rebuilt != first.text) std::abort();

  est::ingest::ScrubResult second = est::ingest::ScrubPersonalData(first.text);
  for (const est::ingest::ScrubSpan& s : second.spans) {
    if (!NearMarker(first.text, s.begin, s.end)) std::abort();
  }
  return 0;
}
