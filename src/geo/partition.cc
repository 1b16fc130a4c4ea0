// Voronoi partition through GEOS (GEOSVoronoiDiagram_r + GEOSIntersection_r).
#include "geo/partition.h"

#include <geos_c.h>

#include <memory>

namespace est::geo {
namespace {

struct Ctx {
  GEOSContextHandle_t h = GEOS_init_r();
  ~Ctx() { GEOS_finish_r(h); }
};

struct GeomDeleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(h, g);
  }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* MakeRing(GEOSContextHandle_t h, const Ring& ring) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(ring.pts.size()), 2);
  for (size_t i = 0; i < ring.pts.size(); ++i) {
    GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(i), ring.pts[i].e, ring.pts[i].n);
  }
  return GEOSGeom_createLinearRing_r(h, seq);
}

Geom ToGeos(GEOSContextHandle_t h, const MultiPolygon& m) {
  std::vector<GEOSGeometry*> polys;
  for (const Polygon& p : m.parts) {
    std::vector<GEOSGeometry*> holes;
    for (const Ring& r : p.holes) holes.push_back(MakeRing(h, r));
    polys.push_back(GEOSGeom_createPolygon_r(h, MakeRing(h, p.outer), holes.data(),
                                             static_cast<unsigned>(holes.size())));
  }
  return Geom(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(),
                                          static_cast<unsigned>(polys.size())),
              GeomDeleter{h});
}

Ring FromRing(GEOSContextHandle_t h, const GEOSGeometry* ring) {
  Ring out;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  for (unsigned i = 0; i < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
    out.pts.push_back({x, y});
  }
  return out;
}

void AppendPolygons(GEOSContextHandle_t h, const GEOSGeometry* g, MultiPolygon& out) {
  int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g)) return;
    Polygon p;
    p.outer = FromRing(h, GEOSGetExteriorRing_r(h, g));
    int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) p.holes.push_back(FromRing(h, GEOSGetInteriorRingN_r(h, g, i)));
    out.parts.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) AppendPolygons(h, GEOSGetGeometryN_r(h, g, i), out);
  }
}

}  // namespace

Result<std::vector<MultiPolygon>> VoronoiPartition(const std::vector<Sweref99Point>& seeds,
                                                   const MultiPolygon& region) {
  Ctx ctx;
  GEOSContextHandle_t h = ctx.h;
  Geom area = ToGeos(h, region);
  std::vector<GEOSGeometry*> pts;
  for (const auto& s : seeds) pts.push_back(GEOSGeom_createPointFromXY_r(h, s.e, s.n));
  Geom points(GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts.data(),
                                          static_cast<unsigned>(pts.size())),
              GeomDeleter{h});
  Geom cells(GEOSVoronoiDiagram_r(h, points.get(), area.get(), 0.0, 0), GeomDeleter{h});
  if (!cells) return MakeError(ErrorCode::kInternal, "Voronoi-indelningen misslyckades");
  std::vector<MultiPolygon> out(seeds.size());
  int n = GEOSGetNumGeometries_r(h, cells.get());
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* cell = GEOSGetGeometryN_r(h, cells.get(), i);
    Geom clipped(GEOSIntersection_r(h, cell, area.get()), GeomDeleter{h});
    if (!clipped) continue;
    // Match the cell to its seed: the seed lies inside its own cell.
    for (size_t s = 0; s < seeds.size(); ++s) {
      Geom pt(GEOSGeom_createPointFromXY_r(h, seeds[s].e, seeds[s].n), GeomDeleter{h});
      if (GEOSContains_r(h, cell, pt.get()) == 1) {
        AppendPolygons(h, clipped.get(), out[s]);
        break;
      }
    }
  }
  return out;
}

Result<MultiPolygon> Difference(const MultiPolygon& a, const MultiPolygon& b) {
  Ctx ctx;
  Geom ga = ToGeos(ctx.h, a);
  Geom gb = ToGeos(ctx.h, b);
  Geom diff(GEOSDifference_r(ctx.h, ga.get(), gb.get()), GeomDeleter{ctx.h});
  if (!diff) return MakeError(ErrorCode::kInternal, "Geometrisk differens misslyckades");
  MultiPolygon out;
  AppendPolygons(ctx.h, diff.get(), out);
  return out;
}

}  // namespace est::geo
