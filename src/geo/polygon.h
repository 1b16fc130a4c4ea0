// Polygon geometry in SWEREF 99 TM (EPSG:3006): the shape of an area (område).
#ifndef EST_GEO_POLYGON_H_
#define EST_GEO_POLYGON_H_

#include <vector>

#include "geo/point.h"

namespace est::geo {

// A closed ring: pts.front() == pts.back(), at least 4 positions when valid. Functions below treat
// an unclosed ring as if closed.
struct Ring {
  std::vector<Sweref99Point> pts;
  friend bool operator==(const Ring&, const Ring&) = default;
};

struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
  friend bool operator==(const Polygon&, const Polygon&) = default;
};

struct MultiPolygon {
  std::vector<Polygon> parts;

  // Area in m²: outer rings minus holes (shoelace; orientation does not matter).
  double Area() const;
  // Bounding box of all outer rings (empty box for an empty geometry).
  Bbox bounds() const;
  // Area-weighted centroid of the parts (may lie outside a concave shape). {0, 0} when empty.
  Sweref99Point Centroid() const;

  friend bool operator==(const MultiPolygon&, const MultiPolygon&) = default;
};

// Signed shoelace area of a ring in m²: positive when counter-clockwise.
double SignedArea(const Ring& r);

// Point in polygon by the crossing number (even-odd) over every ring of every part, so holes are
// excluded. Boundary rule (shared with AreaIndex): a point exactly on an edge or vertex belongs to
// the polygon when the polygon lies to its east, or for horizontal edges to its north; in short
// each polygon owns its south-west boundary but not its north-east one. Two areas that share an
// edge therefore split its points between them: each boundary point belongs to exactly one.
// Exact arithmetic; no tolerance.
bool Contains(const MultiPolygon& m, Sweref99Point p);

}  // namespace est::geo

#endif  // EST_GEO_POLYGON_H_
