// Fuzz target: the personal-data scrubber (ingest/scrub.h). Besides memory and UB errors it checks
// the scrubber's promises: nothing reported removed means the text is unchanged, and a second
// pass over scrubbed text removes nothing more.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/scrub.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The callers refuse more than 20000 characters before scrubbing (http/fields.h).
  if (size > 20000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  est::ingest::ScrubResult first = est::ingest::ScrubPersonalData(text);
  if (first.removed.empty() != (first.text == text)) std::abort();
  est::ingest::ScrubResult second = est::ingest::ScrubPersonalData(first.text);
  if (second.text != first.text) std::abort();
  return 0;
}
