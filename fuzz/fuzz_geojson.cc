// Fuzz target: GeoJSON area import (geo/geojson.h). Every imported geometry must survive the
// SWEREF 99 export and re-import.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "geo/geojson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto features = est::geo::ParseAreaCollection(text);
  if (features) {
    for (const auto& f : *features) {
      std::string out = est::geo::ToGeoJsonGeometry(f.geometry, false);
      if (!est::geo::ParseGeometrySweref(out)) std::abort();
      (void)est::geo::ToGeoJsonGeometry(f.geometry, true);
    }
  }
  (void)est::geo::ParseGeometrySweref(text);
  return 0;
}
