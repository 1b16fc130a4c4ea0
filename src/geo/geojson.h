// GeoJSON import and export of area geometry (områden).
#ifndef EST_GEO_GEOJSON_H_
#define EST_GEO_GEOJSON_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "geo/polygon.h"

namespace est::geo {

// One polygon feature of an imported FeatureCollection.
struct AreaFeature {
  int index = 0;   // position in "features"
  std::string id;  // feature "id" as text; when absent, the property "id"; else ""
  // Every property as text: strings as is, numbers in shortest form without trailing zeros
  // (40, 2.5, 107053.89017359806), booleans "true"/"false", null "", arrays/objects as compact
  // JSON.
  std::map<std::string, std::string> properties;
  MultiPolygon geometry;  // EPSG:3006
  int source_epsg = 0;    // CRS the file was read in
};

struct AreaParseOptions {
  // Wins over the file's "crs" member. Without either, EPSG:4326 (RFC 7946).
  std::optional<int> crs_override;
};

// Parses a FeatureCollection of Polygon/MultiPolygon features, reprojects them to EPSG:3006 and
// validates every feature (ring structure, GEOS validity, inside Sweden's envelope).
//
// On success, one AreaFeature per feature in file order (an empty collection gives an empty
// vector). On failure, one Error kInvalidArgument that lists every bad feature, one FieldError each
// (field "features[3] (id: 40, namn: Tureberg)", reason in Swedish), up to 100 fields. File-level
// problems (invalid JSON with byte offset, line and column; not a FeatureCollection; unknown CRS)
// give a single FieldError with field "geojson" or "crs". Thread-safe.
Result<std::vector<AreaFeature>> ParseAreaCollection(std::string_view geojson_text,
                                                     const AreaParseOptions& options = {});

// GeoJSON geometry text: Polygon for one part, else MultiPolygon. wgs84 = true: lon/lat rounded to
// 6 decimals (RFC 7946, ~0.1 m); false: EPSG:3006 metres rounded to 0.01. Outer rings are written
// counter-clockwise and holes clockwise (RFC 7946 right-hand rule). Thread-safe.
std::string ToGeoJsonGeometry(const MultiPolygon& m, bool wgs84);

// Parses a GeoJSON geometry object (Polygon or MultiPolygon) whose coordinates are EPSG:3006
// metres, as written by ToGeoJsonGeometry(m, false). Checks structure (closed rings, >= 4 numeric
// positions) but not GEOS validity or the Sweden envelope. Error kInvalidArgument, field
// "geometry".
Result<MultiPolygon> ParseGeometrySweref(std::string_view geometry_json);

}  // namespace est::geo

#endif  // EST_GEO_GEOJSON_H_
