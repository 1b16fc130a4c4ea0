// Points and boxes in the two coordinate reference systems EST uses.
//
// Sweref99Point is SWEREF 99 TM (EPSG:3006, metres), the CRS all geometry is stored and computed
// in. Wgs84Point is WGS 84 (EPSG:4326, degrees, longitude first as in GeoJSON), used only for the
// browser. The two are distinct types so that a CRS mix-up does not compile.
#ifndef EST_GEO_POINT_H_
#define EST_GEO_POINT_H_

#include <limits>

namespace est::geo {

// A position in SWEREF 99 TM: easting `e` and northing `n` in metres.
struct Sweref99Point {
  double e = 0;
  double n = 0;
  friend bool operator==(const Sweref99Point&, const Sweref99Point&) = default;
};

// A position in WGS 84: longitude and latitude in degrees (longitude first, as in GeoJSON).
struct Wgs84Point {
  double lon = 0;
  double lat = 0;
  friend bool operator==(const Wgs84Point&, const Wgs84Point&) = default;
};

// An axis-aligned box in SWEREF 99 TM. A default-constructed box is empty (contains nothing) and
// grows with Extend.
struct Bbox {
  double min_e = std::numeric_limits<double>::infinity();
  double min_n = std::numeric_limits<double>::infinity();
  double max_e = -std::numeric_limits<double>::infinity();
  double max_n = -std::numeric_limits<double>::infinity();

  bool empty() const { return !(min_e <= max_e && min_n <= max_n); }
  // Closed box: points on the border are contained.
  bool Contains(Sweref99Point p) const {
    return p.e >= min_e && p.e <= max_e && p.n >= min_n && p.n <= max_n;
  }
  // True when the closed boxes share at least one point.
  bool Intersects(const Bbox& o) const {
    return !empty() && !o.empty() && o.min_e <= max_e && o.max_e >= min_e && o.min_n <= max_n &&
           o.max_n >= min_n;
  }
  void Extend(Sweref99Point p);
  void Extend(const Bbox& o);
  double width() const { return empty() ? 0 : max_e - min_e; }
  double height() const { return empty() ? 0 : max_n - min_n; }
};

// A generous SWEREF 99 TM envelope of Sweden (e 180 000..1 000 000, n 6 050 000..7 750 000, borders
// included). Used to catch files read in the wrong CRS; it is not a border test.
bool InSwedenEnvelope(Sweref99Point p);

}  // namespace est::geo

#endif  // EST_GEO_POINT_H_
