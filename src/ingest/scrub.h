// Personal-data scrubber for free text. EST is about places, not persons: before a description is
// stored, personal identity numbers (personnummer/samordningsnummer with a valid Luhn check digit),
// e-mail addresses, phone numbers and vehicle registration plates are replaced by a marker, and
// the caller tells the reporter what was removed.
//
// Thread-safe (no shared mutable state).
#ifndef EST_INGEST_SCRUB_H_
#define EST_INGEST_SCRUB_H_

#include <string>
#include <string_view>
#include <vector>

namespace est::ingest {

struct ScrubResult {
  std::string text;
  // Swedish names of what was removed, one per kind: "personnummer", "e-postadress",
  // "telefonnummer", "registreringsnummer". Empty when nothing was found.
  std::vector<std::string> removed;
};

ScrubResult ScrubPersonalData(std::string_view text);

// True when the 10 digits (YYMMDDNNNC) have a valid Luhn check digit.
bool LuhnValid(std::string_view ten_digits);

}  // namespace est::ingest

#endif  // EST_INGEST_SCRUB_H_
