// Adresser: the municipality's address points for the report form's place search and Open311's
// address_string (docs/import-format.md "Addresses").
//
// Contract:
// - ImportAddresses replaces the whole register in one transaction (an address register is a
//   snapshot, so importing it again gives the same set); a refused file (ingest/address_file.h)
//   leaves the stored register as it was. Every server following the database picks the new
//   register up (app/sync.cc).
// - SearchAddresses answers from memory (app/address_index.h) with WGS 84 positions and the
//   deepest area of each hit.
#ifndef EST_APP_ADDRESSES_H_
#define EST_APP_ADDRESSES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/system.h"
#include "core/error.h"
#include "ingest/address_file.h"

namespace est::app {

struct AddressImportResult {
  int64_t rows = 0;
  int64_t imported = 0;
  int64_t duplicates = 0;
};

Result<AddressImportResult> ImportAddresses(System& sys, std::string_view csv,
                                            const ingest::AddressReadOptions& options,
                                            const store::Actor& actor);

struct AddressMatch {
  std::string label;  // "Malmvägen 3, Sollentuna"
  std::string street, number, postcode, locality;
  double lon = 0, lat = 0;
  std::string area_code;     // deepest area holding the point; "" outside every area
  bool street_only = false;  // a street (at its middle address), not one address
};

// At most `limit` (1–50) matches, best first.
std::vector<AddressMatch> SearchAddresses(const System& sys, std::string_view query, size_t limit);
// The one address `text` names exactly (address_index.h Resolve): kInvalidArgument on `field`
// when none does, or when several localities have it (asking for ", ort").
Result<AddressMatch> ResolveAddress(const System& sys, std::string_view text,
                                    const std::string& field);
size_t AddressCount(const System& sys);

}  // namespace est::app

#endif  // EST_APP_ADDRESSES_H_
