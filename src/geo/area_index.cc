#include "geo/area_index.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <tuple>
#include <utility>

#include "geo/orient.h"

namespace est::geo {

namespace {

// Cells per edge of the areas: 16 leaves ~88 % of the cells edge-free (answered by one read) for
// 6 000 Voronoi areas; 64 gains little more and quadruples the build (bench/area_index_bench).
// Bounded for memory (16 MB of cell entries at most).
constexpr double kCellsPerEdge = 16;
constexpr double kMaxCells = 4 * 1024 * 1024;

struct AreaEdges {
  int64_t id = 0;
  int level = 0;
  double area = 0;
  Bbox box;
  std::vector<std::pair<Sweref99Point, Sweref99Point>> edges;  // (lo, hi), lo.n <= hi.n
};

AreaEdges CollectEdges(const AreaIndex::Entry& entry) {
  AreaEdges a;
  a.id = entry.area_id;
  a.level = entry.level;
  a.area = entry.geometry.Area();
  auto add_ring = [&](const Ring& r) {
    const auto& pts = r.pts;
    if (pts.size() < 2) return;
    auto add = [&](Sweref99Point p, Sweref99Point q) {
      if (p == q) return;
      if (p.n > q.n) std::swap(p, q);
      a.edges.emplace_back(p, q);
      a.box.Extend(p);
      a.box.Extend(q);
    };
    for (size_t i = 0; i + 1 < pts.size(); ++i) add(pts[i], pts[i + 1]);
    if (!(pts.front() == pts.back())) add(pts.back(), pts.front());
  };
  for (const Polygon& p : entry.geometry.parts) {
    add_ring(p.outer);
    for (const Ring& h : p.holes) add_ring(h);
  }
  return a;
}

// Temporary item before sorting by cell.
struct BuildItem {
  uint32_t cell = 0;
  int level = 0;
  double area = 0;
  int64_t id = 0;
  int32_t area_index = 0;
  bool wholly_inside = false;
  bool reference_inside = false;
  double reference_e = 0;
  uint32_t edge_begin = 0;
  uint32_t edge_end = 0;
};

}  // namespace

AreaIndex AreaIndex::Build(std::vector<Entry> entries) {
  AreaIndex index;
  std::vector<AreaEdges> areas;
  areas.reserve(entries.size());
  size_t total_edges = 0;
  for (const Entry& e : entries) {
    index.ids_.push_back(e.area_id);
    areas.push_back(CollectEdges(e));
    total_edges += areas.back().edges.size();
    index.bounds_.Extend(areas.back().box);
  }
  entries.clear();
  if (index.bounds_.empty() || total_edges == 0) {
    index.bounds_ = Bbox{};
    return index;
  }

  // Grid geometry.
  const Bbox& b = index.bounds_;
  const double width = std::max(b.width(), 1e-3);
  const double height = std::max(b.height(), 1e-3);
  const double cells = std::clamp(kCellsPerEdge * static_cast<double>(total_edges), 1.0, kMaxCells);
  double cell = std::sqrt(width * height / cells);
  cell = std::max({cell, width / 4096.0, height / 4096.0});
  index.cell_ = cell;
  index.inv_cell_ = 1 / cell;
  index.columns_ = std::max(1, static_cast<int>(std::ceil(width / cell)));
  index.rows_ = std::max(1, static_cast<int>(std::ceil(height / cell)));
  const int columns = index.columns_;
  const int rows = index.rows_;
  const double x0 = b.min_e;
  const double y0 = b.min_n;
  // Margin around each cell, far above the rounding error of mapping a point to its cell, so that
  // a cell marked edge-free is edge-free for every point that can land in it.
  const double eps = 1e-4 * cell + 1e-6;
  auto col_of = [&](double x) {
    const double c = std::floor((x - x0) / cell);
    return static_cast<int>(std::clamp(c, 0.0, static_cast<double>(columns - 1)));
  };
  auto row_of = [&](double y) {
    const double r = std::floor((y - y0) / cell);
    return static_cast<int>(std::clamp(r, 0.0, static_cast<double>(rows - 1)));
  };

  std::vector<BuildItem> items;
  std::vector<Edge> edges;
  struct RowEntry {
    int c_lo;
    int c_hi;
    uint32_t edge;
  };
  std::vector<std::vector<RowEntry>> row_entries;
  std::vector<char> boundary;
  std::vector<char> inside;
  std::vector<int> next_free;
  std::vector<double> crossings;

  for (size_t ai = 0; ai < areas.size(); ++ai) {
    const AreaEdges& a = areas[ai];
    if (a.edges.empty()) continue;
    const int r0 = row_of(a.box.min_n - eps);
    const int r1 = row_of(a.box.max_n + eps);
    const int c0 = col_of(a.box.min_e - eps);
    const int c1 = col_of(a.box.max_e + eps);
    row_entries.assign(static_cast<size_t>(r1 - r0) + 1, {});

    // Bucket every edge into the rows it touches, with the columns it touches in each row.
    for (uint32_t ei = 0; ei < a.edges.size(); ++ei) {
      const auto& [lo, hi] = a.edges[ei];
      const int ra = row_of(lo.n - eps);
      const int rb = row_of(hi.n + eps);
      for (int r = ra; r <= rb; ++r) {
        const double band_lo = y0 + r * cell - eps;
        const double band_hi = y0 + (r + 1) * cell + eps;
        double xa = lo.e;
        double xb = hi.e;
        if (hi.n > lo.n) {
          const double dn = hi.n - lo.n;
          const double t0 = std::clamp((band_lo - lo.n) / dn, 0.0, 1.0);
          const double t1 = std::clamp((band_hi - lo.n) / dn, 0.0, 1.0);
          xa = lo.e + t0 * (hi.e - lo.e);
          xb = lo.e + t1 * (hi.e - lo.e);
        }
        if (xa > xb) std::swap(xa, xb);
        row_entries[static_cast<size_t>(r - r0)].push_back(
            {col_of(xa - eps), col_of(xb + eps), ei});
      }
    }

    const size_t ncols = static_cast<size_t>(c1 - c0) + 1;
    for (int r = r0; r <= r1; ++r) {
      const auto& entries_r = row_entries[static_cast<size_t>(r - r0)];
      boundary.assign(ncols, 0);
      for (const RowEntry& re : entries_r) {
        for (int c = std::max(re.c_lo, c0); c <= std::min(re.c_hi, c1); ++c) {
          boundary[static_cast<size_t>(c - c0)] = 1;
        }
      }
      // Status of edge-free cells from their centres: crossings of the row's centre line. The
      // centres are at least half a cell from every edge, so plain floating point suffices.
      const double yc = y0 + (r + 0.5) * cell;
      crossings.clear();
      for (const RowEntry& re : entries_r) {
        const auto& [lo, hi] = a.edges[re.edge];
        if (lo.n <= yc && yc < hi.n) {
          crossings.push_back(lo.e + (yc - lo.n) * (hi.e - lo.e) / (hi.n - lo.n));
        }
      }
      std::sort(crossings.begin(), crossings.end());
      inside.assign(ncols, 0);
      next_free.assign(ncols, c1 + 1);
      int next = c1 + 1;
      for (int c = c1; c >= c0; --c) {
        const size_t k = static_cast<size_t>(c - c0);
        next_free[k] = next;
        if (boundary[k]) continue;
        const double xc = x0 + (c + 0.5) * cell;
        const auto east =
            crossings.end() - std::upper_bound(crossings.begin(), crossings.end(), xc);
        inside[k] = (east % 2) == 1 ? 1 : 0;
        next = c;
      }
      for (int c = c0; c <= c1; ++c) {
        const size_t k = static_cast<size_t>(c - c0);
        BuildItem item;
        item.cell =
            static_cast<uint32_t>(r) * static_cast<uint32_t>(columns) + static_cast<uint32_t>(c);
        item.level = a.level;
        item.area = a.area;
        item.id = a.id;
        item.area_index = static_cast<int32_t>(ai);
        if (!boundary[k]) {
          if (!inside[k]) continue;
          item.wholly_inside = true;
          items.push_back(item);
          continue;
        }
        // Reference point: centre of the next edge-free cell to the east (its status is known), or
        // a point east of the area, which is outside.
        const int cq = next_free[k];
        item.reference_e = x0 + (cq + 0.5) * cell;
        item.reference_inside = cq <= c1 && inside[static_cast<size_t>(cq - c0)];
        item.edge_begin = static_cast<uint32_t>(edges.size());
        for (const RowEntry& re : entries_r) {
          if (re.c_hi < c || re.c_lo >= cq) continue;
          const auto& [lo, hi] = a.edges[re.edge];
          if (lo.n == hi.n) continue;  // horizontal edges never count
          edges.push_back({lo, hi});
        }
        item.edge_end = static_cast<uint32_t>(edges.size());
        items.push_back(item);
      }
    }
  }

  // Order each cell's items by the answer rule, then drop whatever follows a wholly-inside item:
  // a counting sort by cell (linear; a cell holds a handful of items), then each cell's few items
  // by level (deepest first), area and id.
  const size_t ncells = static_cast<size_t>(columns) * static_cast<size_t>(rows);
  {
    std::vector<uint32_t> start(ncells + 1, 0);
    for (const BuildItem& it : items) ++start[it.cell + 1];
    for (size_t c = 0; c < ncells; ++c) start[c + 1] += start[c];
    std::vector<BuildItem> sorted(items.size());
    for (const BuildItem& it : items) sorted[start[it.cell]++] = it;
    items.swap(sorted);
    auto before = [](const BuildItem& x, const BuildItem& y) {
      return std::tie(y.level, x.area, x.id) < std::tie(x.level, y.area, y.id);
    };
    for (size_t i = 0; i < items.size();) {
      size_t end = i + 1;
      while (end < items.size() && items[end].cell == items[i].cell) ++end;
      if (end - i > 1)
        std::sort(items.begin() + static_cast<std::ptrdiff_t>(i),
                  items.begin() + static_cast<std::ptrdiff_t>(end), before);
      i = end;
    }
  }
  index.cell_fast_.assign(ncells, kNoArea);
  index.recs_.clear();
  size_t i = 0;
  while (i < items.size()) {
    const size_t c = items[i].cell;
    size_t end = i;
    while (end < items.size() && items[end].cell == c) ++end;
    if (items[i].wholly_inside) {
      index.cell_fast_[c] = static_cast<uint32_t>(items[i].area_index);
      i = end;
      continue;
    }
    if (index.recs_.size() >= kBoundary) std::abort();  // 2^31 records: far beyond kMaxCells
    index.cell_fast_[c] = kBoundary | static_cast<uint32_t>(index.recs_.size());
    ++index.boundary_cells_;
    for (; i < end; ++i) {
      const BuildItem& bi = items[i];
      const bool last = bi.wholly_inside || i + 1 == end;
      const int flags = (bi.wholly_inside ? kWhollyInside : 0) |
                        (bi.reference_inside ? kReferenceInside : 0) | (last ? kLastItem : 0);
      const uint32_t n_edges = bi.edge_end - bi.edge_begin;
      index.recs_.push_back(Rec{{bi.reference_e, static_cast<double>(bi.area_index)},
                                {static_cast<double>(n_edges), static_cast<double>(flags)}});
      index.recs_.insert(index.recs_.end(), edges.begin() + bi.edge_begin,
                         edges.begin() + bi.edge_end);
      ++index.boundary_items_;
      if (last) {
        i = end;
        break;
      }
    }
  }
  return index;
}

bool AreaIndex::ItemContains(size_t at, Sweref99Point p, size_t& next) const {
  const Rec& head = recs_[at];
  const int flags = static_cast<int>(head.hi.n);
  const size_t n_edges = static_cast<size_t>(head.hi.e);
  next = at + 1 + n_edges;
  if (flags & kWhollyInside) return true;
  // Crossings of the ray east from p = crossings between p and the reference q (edges crossing
  // p's row line in (p.e, q.e]) + crossings east of q, whose parity is the reference's status.
  const Sweref99Point q{head.lo.e, p.n};
  bool inside = (flags & kReferenceInside) != 0;
  for (size_t k = at + 1; k < next; ++k) {
    const Edge& e = recs_[k];
    if (internal::EdgeCrossesEastRay(e.lo, e.hi, p) && internal::Orient(e.lo, e.hi, q) <= 0) {
      inside = !inside;
    }
  }
  return inside;
}

size_t AreaIndex::CellOf(Sweref99Point p) const {
  const int c = std::min(columns_ - 1, static_cast<int>((p.e - bounds_.min_e) * inv_cell_));
  const int r = std::min(rows_ - 1, static_cast<int>((p.n - bounds_.min_n) * inv_cell_));
  return static_cast<size_t>(r) * static_cast<size_t>(columns_) + static_cast<size_t>(c);
}

int64_t AreaIndex::Answer(uint32_t fast, Sweref99Point p) const {
  if (fast == kNoArea) return -1;
  if (!(fast & kBoundary)) return ids_[fast];
  size_t at = fast & ~kBoundary;
  for (;;) {
    size_t next = 0;
    const Rec& head = recs_[at];
    if (ItemContains(at, p, next)) return ids_[static_cast<size_t>(head.lo.n)];
    if (static_cast<int>(head.hi.n) & kLastItem) return -1;
    at = next;
  }
}

// Half-open box: nothing east of or on the easternmost/northernmost coordinates is contained under
// the boundary rule. Also rejects NaN.
bool AreaIndex::InBounds(Sweref99Point p) const {
  return p.e >= bounds_.min_e && p.e < bounds_.max_e && p.n >= bounds_.min_n && p.n < bounds_.max_n;
}

std::optional<int64_t> AreaIndex::Locate(Sweref99Point p) const {
  if (!InBounds(p)) return std::nullopt;
  const int64_t found = Answer(cell_fast_[CellOf(p)], p);
  if (found < 0) return std::nullopt;
  return found;
}

void AreaIndex::LocateBatch(const Sweref99Point* pts, size_t n, int64_t* out, int threads) const {
  auto run = [&](size_t begin, size_t end) {
    // The cell table is tens of MB and points come in any order: prefetch the entry of a point a
    // few places ahead so that the memory latency overlaps with the work on this one.
    constexpr size_t kAhead = 16;
    for (size_t i = begin; i < end; ++i) {
      if (i + kAhead < end && InBounds(pts[i + kAhead])) {
        __builtin_prefetch(&cell_fast_[CellOf(pts[i + kAhead])]);
      }
      // Half-way there the cell entry has arrived: prefetch a boundary cell's records too.
      if (i + kAhead / 2 < end && InBounds(pts[i + kAhead / 2])) {
        const uint32_t fast = cell_fast_[CellOf(pts[i + kAhead / 2])];
        if (fast != kNoArea && (fast & kBoundary)) __builtin_prefetch(&recs_[fast & ~kBoundary]);
      }
      const Sweref99Point p = pts[i];
      out[i] = InBounds(p) ? Answer(cell_fast_[CellOf(p)], p) : -1;
    }
  };
  constexpr size_t kMinPerThread = 4096;
  const size_t t =
      std::min(static_cast<size_t>(std::max(threads, 1)), std::max<size_t>(1, n / kMinPerThread));
  if (t <= 1) {
    run(0, n);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(t - 1);
  const size_t chunk = (n + t - 1) / t;
  for (size_t w = 1; w < t; ++w) {
    const size_t begin = std::min(n, w * chunk);
    const size_t end = std::min(n, begin + chunk);
    workers.emplace_back(run, begin, end);
  }
  run(0, std::min(n, chunk));
  for (std::thread& w : workers) w.join();
}

AreaIndex::Stats AreaIndex::stats() const {
  return {columns_, rows_, cell_, boundary_items_, recs_.size() - boundary_items_, boundary_cells_};
}

}  // namespace est::geo
