// Personal-data scrubber for free text. EST is about places, not persons: before a description is
// stored, the scrubber replaces by a marker ("[namn borttaget]", ...) what identifies a person:
//   - personnummer and samordningsnummer, 10 or 12 digits with "-", "–", "+", a space or nothing
//     before the last four, when the date is possible and the Luhn check digit is right;
//   - e-mail addresses;
//   - phone numbers: 070-123 45 67, 0701234567, 070/123 45 67, 08-12 34 56, +46 70 123 45 67,
//     +46 (0)70-123 45 67, 0046 70 123 45 67 (8–10 digits counted with the leading 0);
//   - vehicle registration plates: ABC 123, ABC123, ABC-12A, abc 12a (not car models: BMW 320);
//   - IPv4 and IPv6 addresses;
//   - passport numbers: 8 digits with a word such as "pass" or "passnummer" shortly before;
//   - street addresses: a street name (Tingvallavägen, Anderssons väg, ...) with a house number,
//     and a following "lgh 1102";
//   - names of persons: common Swedish first names and surnames, and capitalised words right after
//     a first name ("Anna Kolmodin") or after "heter", "herr", "fru" and the like.
// The caller tells the reporter what was removed. Words of the municipality's own place and
// organisation names (ScrubExclusions) are never taken for names. Dates, times, counts, bus lines,
// car models and serial numbers are kept. docs/anvandarguide.md lists the same rules for users.
//
// The cost is linear in the length of the text (no std::regex).
//
// Thread-safe (no shared mutable state).
#ifndef EST_INGEST_SCRUB_H_
#define EST_INGEST_SCRUB_H_

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace est::ingest {

// One removed piece: bytes [begin, end) of the input text, and its kind (one of the names in
// ScrubResult::removed).
struct ScrubSpan {
  size_t begin = 0;
  size_t end = 0;
  std::string_view kind;
};

struct ScrubResult {
  std::string text;
  // Swedish names of what was removed, one per kind, in this order: "e-postadress",
  // "personnummer", "telefonnummer", "registreringsnummer", "IP-adress", "passnummer", "adress",
  // "namn". Empty when nothing was found.
  std::vector<std::string> removed;
  // Every removed piece, in text order, not overlapping.
  std::vector<ScrubSpan> spans;
};

// Words that are never names here: the words of the municipality's area, place and organisation
// names ("Sjöberg", "Tureberg", "Sollentunahem"), compared case- and å/ä/ö-insensitively.
// Thread-safe once built (read-only).
class ScrubExclusions {
 public:
  ScrubExclusions() = default;
  // Each word (letters and hyphens) of each of `names`.
  explicit ScrubExclusions(const std::vector<std::string>& names);

  // `word` as written in the text.
  bool Contains(std::string_view word) const;
  size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;  // folded with FoldKey (ingest/reference.h)
};

ScrubResult ScrubPersonalData(std::string_view text);
ScrubResult ScrubPersonalData(std::string_view text, const ScrubExclusions& keep);

// True when the 10 digits (YYMMDDNNNC) have a valid Luhn check digit.
bool LuhnValid(std::string_view ten_digits);

}  // namespace est::ingest

#endif  // EST_INGEST_SCRUB_H_
