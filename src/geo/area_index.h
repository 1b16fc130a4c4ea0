// Point-in-area lookup (vilket område ligger punkten i) for a municipality's or the country's
// areas.
#ifndef EST_GEO_AREA_INDEX_H_
#define EST_GEO_AREA_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "geo/point.h"
#include "geo/polygon.h"

namespace est::geo {

// Point-in-polygon index over areas at nested levels (e.g. municipality = 1, district = 2).
//
// A uniform grid over the areas' bounding box, cells sized for a few edges each. For every cell and
// area the build stores either "wholly inside" (the cell touches no edge of the area, so the
// answer needs no edge test) or the area's edges near the cell together with a reference point
// east of it whose inside/outside status is known, so a query counts crossings only between the
// point and that reference.
//
// Locate agrees exactly with Contains (geo/polygon.h), including its boundary rule: a point on an
// edge or vertex belongs to the area lying east of it (north of it for horizontal edges), so areas
// that share an edge split its points, each point going to exactly one. Off the boundary both agree
// with GEOS. Immutable after Build; Locate and LocateBatch are thread-safe.
class AreaIndex {
 public:
  struct Entry {
    int64_t area_id = 0;
    int level = 0;
    MultiPolygon geometry;  // EPSG:3006, should be valid (ValidateGeometry)
  };

  // Builds the index; O(edges + cells). Entries with empty geometry are kept (size()) but never
  // found.
  static AreaIndex Build(std::vector<Entry> entries);

  // The deepest area containing p: highest level; among equal levels the smallest area (m²), then
  // the smallest id. nullopt when p is outside every area (or not finite).
  std::optional<int64_t> Locate(Sweref99Point p) const;

  // out[i] = Locate(pts[i]) or -1, using up to `threads` std::threads (<= 1: the calling thread).
  // REQUIRES: pts and out hold n elements.
  void LocateBatch(const Sweref99Point* pts, size_t n, int64_t* out, int threads) const;

  // Number of entries given to Build.
  size_t size() const { return ids_.size(); }

  // Grid shape and size, for benchmarks and logs.
  struct Stats {
    int columns = 0;
    int rows = 0;
    double cell_size = 0;  // metres
    size_t items = 0;      // (cell, area) pairs
    size_t edges = 0;      // stored edge copies
  };
  Stats stats() const;
  // The union of the areas' bounding boxes (empty when there are no areas).
  const Bbox& bounds() const { return bounds_; }

 private:
  struct Edge {
    Sweref99Point lo;  // lo.n <= hi.n; never horizontal
    Sweref99Point hi;
  };
  struct Item {
    int32_t area = 0;  // index into ids_
    bool wholly_inside = false;
    bool reference_inside = false;  // status of (reference_e, p.n)
    double reference_e = 0;
    uint32_t edge_begin = 0;
    uint32_t edge_end = 0;
  };

  bool ItemContains(const Item& item, Sweref99Point p) const;

  std::vector<int64_t> ids_;
  Bbox bounds_;  // union of the areas' boxes; empty when there is nothing to find
  double cell_ = 1;
  double inv_cell_ = 1;
  int columns_ = 0;
  int rows_ = 0;
  std::vector<uint32_t> cell_items_;  // items of cell c: [cell_items_[c], cell_items_[c + 1])
  std::vector<Item> items_;
  std::vector<Edge> edges_;
};

}  // namespace est::geo

#endif  // EST_GEO_AREA_INDEX_H_
