// Geometry validity and a reference point-in-polygon test, both through GEOS.
#ifndef EST_GEO_VALIDATE_H_
#define EST_GEO_VALIDATE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.h"
#include "geo/point.h"
#include "geo/polygon.h"

namespace est::geo {

// OGC validity as judged by GEOS (GEOSisValidDetail, strict: self-touching rings are invalid).
// Error kInvalidArgument with one FieldError{"geometry", reason}; the reason is Swedish, names the
// location in SWEREF 99 TM and WGS 84 and ends with GEOS's own text, e.g.
// "självkorsning vid E 667000.00, N 6591000.00 (lat 59.44, lon 17.95) [GEOS: Self-intersection]".
// Rings with fewer than 4 positions or unclosed rings are reported without calling GEOS. An empty
// geometry is invalid. Thread-safe.
Status ValidateGeometry(const MultiPolygon& m);

// GEOS "contains" (boundary points are NOT contained). The oracle for tests. Thread-safe; builds
// the GEOS geometry on each call, so use GeosPreparedArea for many points.
bool GeosContains(const MultiPolygon& m, Sweref99Point p);

// The smallest distance in metres between two areas (0 when they touch or overlap); negative when
// GEOS cannot compute it (an empty geometry). Thread-safe.
double GeosDistance(const MultiPolygon& a, const MultiPolygon& b);

// The area in m² of `a` ∩ `b` (0 when they do not overlap; negative when GEOS fails). Thread-safe.
double GeosIntersectionArea(const MultiPolygon& a, const MultiPolygon& b);

// A cell of the square grid of side cell_m anchored at the SWEREF 99 TM origin: cell (ix, iy)
// covers [ix·cell_m, (ix+1)·cell_m) × [iy·cell_m, (iy+1)·cell_m) (as analysis::CellKey).
struct GridCellIndex {
  int32_t ix = 0;
  int32_t iy = 0;
  friend bool operator==(const GridCellIndex&, const GridCellIndex&) = default;
};

// The cells whose square overlaps the interior of m: the open square and the interior of m meet
// (their intersection has positive area). A cell that only touches m along an edge or at a
// corner is not one; a cell crossed by a narrow part of m is one even when its centre and corners
// lie outside. Row-major (iy, then ix ascending). Exact GEOS predicates (prepared intersects and
// contains-properly, DE-9IM relate "T********" for boundary cells). Empty for an empty geometry
// or cell_m <= 0. Thread-safe.
std::vector<GridCellIndex> CellsOverlappingInterior(const MultiPolygon& m, double cell_m);

// A GEOS prepared geometry for many GEOS point-in-polygon tests against one MultiPolygon.
// Thread-compatible: use one object per thread.
class GeosPreparedArea {
 public:
  explicit GeosPreparedArea(const MultiPolygon& m);
  GeosPreparedArea(GeosPreparedArea&&) noexcept;
  GeosPreparedArea& operator=(GeosPreparedArea&&) noexcept;
  ~GeosPreparedArea();

  // Interior only (GEOS contains).
  bool Contains(Sweref99Point p) const;
  // Interior or boundary (GEOS covers).
  bool Covers(Sweref99Point p) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace est::geo

#endif  // EST_GEO_VALIDATE_H_
