// Coordinate reference system transforms (koordinatsystem) between an import CRS and SWEREF 99 TM.
//
// Every transform goes through PROJ; nothing here hand-rolls a projection. Coordinates are always
// given and returned in "visualisation" order: x/y = longitude/latitude or easting/northing,
// whatever axis order the EPSG definition declares (EPSG:4326 and EPSG:3006 are both lat/lon resp.
// northing/easting in the registry; we never use that order).
#ifndef EST_GEO_CRS_H_
#define EST_GEO_CRS_H_

#include <memory>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "geo/point.h"

namespace est::geo {

inline constexpr int kEpsgWgs84 = 4326;
inline constexpr int kEpsgSweref99Tm = 3006;

// Converts between one source CRS and SWEREF 99 TM (EPSG:3006).
//
// Thread-safe: calls are serialised by an internal mutex (PROJ objects are not thread-safe), so a
// shared transformer is correct but contended; for parallel bulk work give each thread its own or
// use the free functions below, which keep one per thread.
class CrsTransformer {
 public:
  // Any EPSG code PROJ knows as a 2D geographic or projected CRS (4326, 3006, 3011, 3857, ...).
  // Error kInvalidArgument (field "crs", reason in Swedish) for unknown codes or other object
  // kinds.
  static Result<CrsTransformer> Create(int source_epsg);

  CrsTransformer(CrsTransformer&&) noexcept;
  CrsTransformer& operator=(CrsTransformer&&) noexcept;
  CrsTransformer(const CrsTransformer&) = delete;
  CrsTransformer& operator=(const CrsTransformer&) = delete;
  ~CrsTransformer();

  int source_epsg() const { return source_epsg_; }

  // Source x/y (lon/lat or easting/northing) to SWEREF 99 TM. Error kInvalidArgument when PROJ
  // cannot transform the position (non-finite input, latitude beyond ±90, ...).
  Result<Sweref99Point> ToSweref(double x, double y) const;
  // The inverse: SWEREF 99 TM to source x/y. Same errors.
  Result<std::pair<double, double>> FromSweref(Sweref99Point p) const;

 private:
  struct Impl;
  CrsTransformer(int source_epsg, std::unique_ptr<Impl> impl);

  int source_epsg_ = 0;
  std::unique_ptr<Impl> impl_;
};

// As CrsTransformer::Create(source_epsg)->ToSweref(x, y), with a thread-local cache of transformers
// keyed by EPSG code. Thread-safe.
Result<Sweref99Point> ToSweref(int source_epsg, double x, double y);

// Ok when `epsg` can be transformed to SWEREF 99 TM, else the error CrsTransformer::Create gives.
// Uses the same thread-local cache. Thread-safe.
Status CheckEpsg(int epsg);

// SWEREF 99 TM to WGS 84 lon/lat. Thread-safe. Returns NaN coordinates only for non-finite input.
Wgs84Point ToWgs84(Sweref99Point p);

// Parses a CRS name as found in GeoJSON "crs" members and on the command line: "EPSG:3006",
// "3006", "urn:ogc:def:crs:EPSG::3006", "urn:ogc:def:crs:EPSG:9.8.1:3006",
// "http://www.opengis.net/def/crs/EPSG/0/3006", "urn:ogc:def:crs:OGC:1.3:CRS84" and "CRS84"
// (both 4326, since axis order is normalised anyway). Case-insensitive, surrounding blanks ignored.
// Does not check that PROJ knows the code. Error kInvalidArgument (field "crs") otherwise.
Result<int> ParseCrsName(std::string_view s);

}  // namespace est::geo

#endif  // EST_GEO_CRS_H_
