// Adressfiler in: the address points of `est import addresses` (docs/import-format.md
// "Addresses"), from CSV or — read through ingest/gis_file.h — a GeoPackage, Shapefile or GeoJSON
// point layer (the municipality's address register, an OpenStreetMap extract).
//
// Contract:
// - Columns by name, case- and å/ä/ö-insensitive, with the usual aliases: street (gata,
//   gatunamn, adressomrade, addr:street), number (nummer, husnummer, adressplatsnummer,
//   addr:housenumber) with an optional letter column (bokstav, bokstavstillagg), postcode
//   (postnummer, addr:postcode), locality (ort, postort, addr:city); or one column address/adress
//   holding "Malmvägen 3". Position: lon/lat (WGS 84), e/n (SWEREF 99 TM) or x/y in `epsg`.
// - All or nothing: any bad row refuses the file, and every error names its row ("rad 12" for
//   CSV, "objekt 12" for a GIS layer) and column. At most 30 errors are listed.
// - The same street, number and locality twice is kept once (counted in `duplicates`); a file
//   with no addresses, or more than kMaxAddresses, is refused.
#ifndef EST_INGEST_ADDRESS_FILE_H_
#define EST_INGEST_ADDRESS_FILE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace est::ingest {

inline constexpr size_t kMaxAddresses = 3'000'000;

struct AddressReadOptions {
  std::optional<int> epsg;       // CRS of x/y columns (default SWEREF 99 TM)
  std::string row_word = "rad";  // "objekt" for GIS layers
  int row_offset = 0;            // subtracted from the CSV line for the number shown
};

struct AddressFile {
  std::vector<Address> addresses;
  int64_t rows = 0;
  int64_t duplicates = 0;
};

Result<AddressFile> ReadAddressCsv(std::string_view text, const AddressReadOptions& options);

}  // namespace est::ingest

#endif  // EST_INGEST_ADDRESS_FILE_H_
