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
// A uniform grid over the areas' bounding box, fine enough that most cells meet no edge at all:
// such a cell stores its answer directly (one 4-byte read per point). For every other cell and
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
    double cell_size = 0;       // metres
    size_t items = 0;           // (cell, area) pairs that need edge tests
    size_t edges = 0;           // stored edge copies
    size_t boundary_cells = 0;  // cells answered by edge tests (the rest by one read)
  };
  Stats stats() const;
  // The union of the areas' bounding boxes (empty when there are no areas).
  const Bbox& bounds() const { return bounds_; }

 private:
  struct Edge {
    Sweref99Point lo;  // lo.n <= hi.n; never horizontal
    Sweref99Point hi;
  };
  // A boundary cell's items lie in recs_ one after another, each a header record followed by its
  // edges, so that a point in such a cell reads one contiguous run of memory. Header fields are
  // kept in the edge's doubles (integers below 2^31 are exact): lo = (reference_e, area index),
  // hi = (edge count, flags).
  static constexpr int kWhollyInside = 1, kReferenceInside = 2, kLastItem = 4;
  using Rec = Edge;

  // Whether the item starting at recs_[at] contains p; sets `next` to the following item's start.
  bool ItemContains(size_t at, Sweref99Point p, size_t& next) const;
  bool InBounds(Sweref99Point p) const;
  // The cell of a point inside bounds_.
  size_t CellOf(Sweref99Point p) const;
  // The answer for p (index into ids_, or -1) given its cell's entry.
  int64_t Answer(uint32_t fast, Sweref99Point p) const;

  std::vector<int64_t> ids_;
  Bbox bounds_;  // union of the areas' boxes; empty when there is nothing to find
  double cell_ = 1;
  double inv_cell_ = 1;
  int columns_ = 0;
  int rows_ = 0;
  // Per cell: kNoArea, an answer (the index into ids_ of the first item, which is wholly inside),
  // or kBoundary | r for a cell whose items need edge tests, starting at recs_[r]. One 4-byte
  // read answers most points.
  static constexpr uint32_t kNoArea = 0xffffffffu;
  static constexpr uint32_t kBoundary = 0x80000000u;
  std::vector<uint32_t> cell_fast_;
  std::vector<Rec> recs_;
  size_t boundary_cells_ = 0;
  size_t boundary_items_ = 0;
};

}  // namespace est::geo

#endif  // EST_GEO_AREA_INDEX_H_
