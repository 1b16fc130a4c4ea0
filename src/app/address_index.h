// Adressökning: the in-memory search over the address points (core/model.h Address) behind the
// report form's place search and Open311's address_string.
//
// Contract:
// - Matching is on folded text (FoldText: case- and diacritic-insensitive, so "malmvagen" finds
//   "Malmvägen"), with punctuation and repeated spaces ignored. A query is "street [number]"
//   optionally followed by ", locality" ("Malmvägen 3, Sollentuna"); the street and number part
//   is a prefix of "street number", and a street is also found by the start of any of its later
//   words ("malm" finds "Gamla Malmvägen").
// - Hits come best first: an exact "street number" before longer ones, then by street, then by
//   house number in numeric order (2 before 10), then letter. Each street of two or more
//   addresses also appears once as a street hit (no number) when the query has no number, placed
//   at the middle address of the street, so "Malmvägen" offers the street before its 40 numbers.
// - Search is O(log n + hits) on sorted keys: well under a millisecond at 100 000 addresses
//   (bench/address_bench.cc). Build is O(n log n).
//
// Thread-safe once built (read-only).
#ifndef EST_APP_ADDRESS_INDEX_H_
#define EST_APP_ADDRESS_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace est::app {

struct AddressHit {
  std::string label;   // "Malmvägen 3, Sollentuna" (street hits: "Malmvägen, Sollentuna")
  const Address* address = nullptr;  // the address (street hits: the street's middle address)
  bool street_only = false;
};

class AddressIndex {
 public:
  AddressIndex() = default;
  explicit AddressIndex(std::vector<Address> addresses);

  size_t size() const { return addresses_.size(); }
  const std::vector<Address>& addresses() const { return addresses_; }

  // At most `limit` hits for `query` (fewer than 2 characters after folding: none).
  std::vector<AddressHit> Search(std::string_view query, size_t limit) const;
  // The addresses a free-text address names exactly: "street number" equal (and the locality's
  // start when one is given after a comma). Empty: unknown; more than one: ambiguous (the same
  // address in two localities). For Open311's address_string, where a guess would misplace the
  // report.
  std::vector<AddressHit> Resolve(std::string_view query) const;

  // "Malmvägen 3, Sollentuna": the display text of an address.
  static std::string Label(const Address& a, bool with_number = true);
  // The folded search form of a text: lower case, no diacritics, punctuation as spaces, single
  // spaces, trimmed.
  static std::string Normalize(std::string_view text);

 private:
  struct Key {
    std::string text;   // normalized "street number" (or a later word of the street onwards)
    uint32_t address;   // index into addresses_
    bool secondary;     // keyed from a later word of the street
  };
  std::vector<Address> addresses_;
  std::vector<std::string> folded_locality_;
  std::vector<Key> keys_;  // sorted by text
};

}  // namespace est::app

#endif  // EST_APP_ADDRESS_INDEX_H_
