#include "geo/validate.h"

#include <fmt/format.h>
#include <geos_c.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "geo/crs.h"

namespace est::geo {

namespace {

// One GEOS context handle. GEOS reports errors through a callback; the last message is kept so
// that failures can be explained.
class GeosContext {
 public:
  GeosContext() : h_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(h_, &GeosContext::Handler, this);
  }
  ~GeosContext() { GEOS_finish_r(h_); }
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;

  GEOSContextHandle_t handle() const { return h_; }
  const std::string& last_error() const { return last_error_; }

 private:
  static void Handler(const char* message, void* userdata) {
    static_cast<GeosContext*>(userdata)->last_error_ = message != nullptr ? message : "";
  }
  GEOSContextHandle_t h_;
  std::string last_error_;
};

GeosContext& ThreadContext() {
  thread_local GeosContext ctx;
  return ctx;
}

// Owns one GEOS geometry.
class GeomPtr {
 public:
  GeomPtr(GEOSContextHandle_t h, GEOSGeometry* g) : h_(h), g_(g) {}
  GeomPtr(GeomPtr&& o) noexcept : h_(o.h_), g_(o.Release()) {}
  GeomPtr& operator=(GeomPtr&& o) noexcept {
    if (this != &o) {
      Reset();
      h_ = o.h_;
      g_ = o.Release();
    }
    return *this;
  }
  GeomPtr(const GeomPtr&) = delete;
  GeomPtr& operator=(const GeomPtr&) = delete;
  ~GeomPtr() { Reset(); }

  GEOSGeometry* Get() const { return g_; }
  GEOSGeometry* Release() {
    GEOSGeometry* g = g_;
    g_ = nullptr;
    return g;
  }
  void Reset() {
    if (g_ != nullptr) GEOSGeom_destroy_r(h_, g_);
    g_ = nullptr;
  }
  explicit operator bool() const { return g_ != nullptr; }

 private:
  GEOSContextHandle_t h_;
  GEOSGeometry* g_;
};

GeomPtr MakeRing(GEOSContextHandle_t h, const Ring& r) {
  std::vector<double> xy;
  xy.reserve(r.pts.size() * 2);
  for (const Sweref99Point& p : r.pts) {
    xy.push_back(p.e);
    xy.push_back(p.n);
  }
  GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(
      h, xy.data(), static_cast<unsigned>(r.pts.size()), /*hasZ=*/0, /*hasM=*/0);
  if (seq == nullptr) return {h, nullptr};
  // Takes ownership of seq, also on failure.
  return {h, GEOSGeom_createLinearRing_r(h, seq)};
}

// nullptr (with the context's last_error set) when GEOS refuses a ring.
GeomPtr MakeGeometry(GEOSContextHandle_t h, const MultiPolygon& m) {
  std::vector<GEOSGeometry*> polys;
  auto destroy_all = [&] {
    for (GEOSGeometry* g : polys) GEOSGeom_destroy_r(h, g);
  };
  for (const Polygon& poly : m.parts) {
    GeomPtr shell = MakeRing(h, poly.outer);
    if (!shell) {
      destroy_all();
      return {h, nullptr};
    }
    std::vector<GeomPtr> holes;
    for (const Ring& r : poly.holes) {
      holes.push_back(MakeRing(h, r));
      if (!holes.back()) {
        destroy_all();
        return {h, nullptr};
      }
    }
    std::vector<GEOSGeometry*> raw_holes;
    raw_holes.reserve(holes.size());
    for (GeomPtr& g : holes) raw_holes.push_back(g.Release());
    GEOSGeometry* p = GEOSGeom_createPolygon_r(h, shell.Release(), raw_holes.data(),
                                               static_cast<unsigned>(raw_holes.size()));
    if (p == nullptr) {
      destroy_all();
      return {h, nullptr};
    }
    polys.push_back(p);
  }
  GEOSGeometry* mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(),
                                                 static_cast<unsigned>(polys.size()));
  if (mp == nullptr) destroy_all();
  return {h, mp};
}

std::string SwedishReason(std::string_view geos) {
  struct Entry {
    std::string_view geos;
    std::string_view sv;
  };
  // GEOS 3.11 TopologyValidationError messages.
  static constexpr Entry kTable[] = {
      {"Ring Self-intersection", "en ring korsar eller tangerar sig själv"},
      {"Self-intersection", "självkorsning (kanter korsar varandra)"},
      {"Hole lies outside shell", "ett hål ligger utanför ytterringen"},
      {"Holes are nested", "ett hål ligger inuti ett annat hål"},
      {"Interior is disconnected", "ytans inre är uppdelat i flera delar"},
      {"Nested shells", "en del ligger inuti en annan del"},
      {"Duplicate Rings", "dubblerade ringar"},
      {"Too few distinct points in geometry component", "för få olika punkter i en ring"},
      {"Invalid Coordinate", "ogiltig koordinat"},
      {"Ring is not closed", "en ring är inte sluten"},
      {"Repeated Point", "upprepad punkt"},
  };
  for (const Entry& e : kTable) {
    if (geos.find(e.geos) != std::string_view::npos) return std::string(e.sv);
  }
  return "ogiltig geometri";
}

Status InvalidGeometry(std::string reason) { return InvalidField("geometry", std::move(reason)); }

}  // namespace

Status ValidateGeometry(const MultiPolygon& m) {
  if (m.parts.empty()) return InvalidGeometry("geometrin är tom");
  for (size_t i = 0; i < m.parts.size(); ++i) {
    const Polygon& poly = m.parts[i];
    std::vector<const Ring*> rings = {&poly.outer};
    for (const Ring& h : poly.holes) rings.push_back(&h);
    for (size_t j = 0; j < rings.size(); ++j) {
      const Ring& r = *rings[j];
      const std::string where = j == 0 ? fmt::format("del {}, ytterring", i + 1)
                                       : fmt::format("del {}, hål {}", i + 1, j);
      if (r.pts.size() < 4) {
        return InvalidGeometry(
            fmt::format("{} har {} positioner; minst 4 krävs", where, r.pts.size()));
      }
      if (!(r.pts.front() == r.pts.back())) {
        return InvalidGeometry(fmt::format("{} är inte sluten", where));
      }
      for (const Sweref99Point& p : r.pts) {
        if (!std::isfinite(p.e) || !std::isfinite(p.n)) {
          return InvalidGeometry(fmt::format("{} har en koordinat som inte är ett tal", where));
        }
      }
    }
  }
  GeosContext& ctx = ThreadContext();
  GEOSContextHandle_t h = ctx.handle();
  GeomPtr g = MakeGeometry(h, m);
  if (!g) {
    return InvalidGeometry(fmt::format("geometrin kunde inte byggas [GEOS: {}]", ctx.last_error()));
  }
  char* reason = nullptr;
  GEOSGeometry* location = nullptr;
  const char valid = GEOSisValidDetail_r(h, g.Get(), /*flags=*/0, &reason, &location);
  if (valid == 1) return {};
  if (valid == 2) {
    return InvalidGeometry(
        fmt::format("geometrin kunde inte kontrolleras [GEOS: {}]", ctx.last_error()));
  }
  const std::string geos_reason = reason != nullptr ? reason : "";
  if (reason != nullptr) GEOSFree_r(h, reason);
  std::string at;
  if (location != nullptr) {
    double x = 0;
    double y = 0;
    if (GEOSGeomGetX_r(h, location, &x) == 1 && GEOSGeomGetY_r(h, location, &y) == 1) {
      const Wgs84Point w = ToWgs84({x, y});
      at = fmt::format(" vid E {:.2f}, N {:.2f} (lat {:.6f}, lon {:.6f})", x, y, w.lat, w.lon);
    }
    GEOSGeom_destroy_r(h, location);
  }
  return InvalidGeometry(
      fmt::format("{}{} [GEOS: {}]", SwedishReason(geos_reason), at, geos_reason));
}

bool GeosContains(const MultiPolygon& m, Sweref99Point p) {
  GEOSContextHandle_t h = ThreadContext().handle();
  GeomPtr g = MakeGeometry(h, m);
  if (!g) return false;
  GeomPtr pt(h, GEOSGeom_createPointFromXY_r(h, p.e, p.n));
  return GEOSContains_r(h, g.Get(), pt.Get()) == 1;
}

double GeosDistance(const MultiPolygon& a, const MultiPolygon& b) {
  GEOSContextHandle_t h = ThreadContext().handle();
  GeomPtr ga = MakeGeometry(h, a);
  GeomPtr gb = MakeGeometry(h, b);
  if (!ga || !gb) return -1;
  double d = -1;
  if (GEOSDistance_r(h, ga.Get(), gb.Get(), &d) != 1) return -1;
  return d;
}

double GeosIntersectionArea(const MultiPolygon& a, const MultiPolygon& b) {
  GEOSContextHandle_t h = ThreadContext().handle();
  GeomPtr ga = MakeGeometry(h, a);
  GeomPtr gb = MakeGeometry(h, b);
  if (!ga || !gb) return -1;
  GeomPtr inter(h, GEOSIntersection_r(h, ga.Get(), gb.Get()));
  if (!inter) return -1;
  double area = -1;
  if (GEOSArea_r(h, inter.Get(), &area) != 1) return -1;
  return area;
}

std::vector<GridCellIndex> CellsOverlappingInterior(const MultiPolygon& m, double cell_m) {
  std::vector<GridCellIndex> out;
  if (!(cell_m > 0) || m.parts.empty()) return out;
  GEOSContextHandle_t h = ThreadContext().handle();
  GeomPtr geom = MakeGeometry(h, m);
  if (!geom) return out;
  const GEOSPreparedGeometry* prepared = GEOSPrepare_r(h, geom.Get());
  if (prepared == nullptr) return out;
  const Bbox box = m.bounds();
  const auto ix0 = static_cast<int32_t>(std::floor(box.min_e / cell_m));
  const auto ix1 = static_cast<int32_t>(std::floor(box.max_e / cell_m));
  const auto iy0 = static_cast<int32_t>(std::floor(box.min_n / cell_m));
  const auto iy1 = static_cast<int32_t>(std::floor(box.max_n / cell_m));
  auto rect = [&](double x0, double y0, double x1, double y1) {
    Ring r{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}};
    return MakeGeometry(h, MultiPolygon{{Polygon{r, {}}}});
  };
  for (int32_t iy = iy0; iy <= iy1; ++iy) {
    for (int32_t ix = ix0; ix <= ix1; ++ix) {
      const double x0 = ix * cell_m, y0 = iy * cell_m, x1 = x0 + cell_m, y1 = y0 + cell_m;
      GeomPtr cell = rect(x0, y0, x1, y1);
      if (!cell || GEOSPreparedIntersects_r(h, prepared, cell.Get()) != 1) continue;
      bool in = GEOSPreparedContainsProperly_r(h, prepared, cell.Get()) == 1;
      if (!in) {
        // A boundary cell: do the interiors meet (DE-9IM "T********"), not just the boundaries?
        // Decided on the part of the area near the cell (clipped one cell wider, so the clip's
        // new vertices lie outside the cell) to keep the relate small on long boundaries.
        GeomPtr near(
            h, GEOSClipByRect_r(h, geom.Get(), x0 - cell_m, y0 - cell_m, x1 + cell_m, y1 + cell_m));
        in = near && GEOSRelatePattern_r(h, near.Get(), cell.Get(), "T********") == 1;
      }
      if (in) out.push_back({ix, iy});
    }
  }
  GEOSPreparedGeom_destroy_r(h, prepared);
  return out;
}

struct GeosPreparedArea::Impl {
  GeosContext ctx;
  GeomPtr geom{ctx.handle(), nullptr};
  const GEOSPreparedGeometry* prepared = nullptr;

  ~Impl() {
    if (prepared != nullptr) GEOSPreparedGeom_destroy_r(ctx.handle(), prepared);
    geom.Reset();
  }

  char Test(Sweref99Point p, bool covers) const {
    if (prepared == nullptr) return 0;
    GeomPtr pt(ctx.handle(), GEOSGeom_createPointFromXY_r(ctx.handle(), p.e, p.n));
    return covers ? GEOSPreparedCovers_r(ctx.handle(), prepared, pt.Get())
                  : GEOSPreparedContains_r(ctx.handle(), prepared, pt.Get());
  }
};

GeosPreparedArea::GeosPreparedArea(const MultiPolygon& m) : impl_(std::make_unique<Impl>()) {
  impl_->geom = MakeGeometry(impl_->ctx.handle(), m);
  if (impl_->geom) impl_->prepared = GEOSPrepare_r(impl_->ctx.handle(), impl_->geom.Get());
}
GeosPreparedArea::GeosPreparedArea(GeosPreparedArea&&) noexcept = default;
GeosPreparedArea& GeosPreparedArea::operator=(GeosPreparedArea&&) noexcept = default;
GeosPreparedArea::~GeosPreparedArea() = default;

bool GeosPreparedArea::Contains(Sweref99Point p) const { return impl_->Test(p, false) == 1; }
bool GeosPreparedArea::Covers(Sweref99Point p) const { return impl_->Test(p, true) == 1; }

}  // namespace est::geo
