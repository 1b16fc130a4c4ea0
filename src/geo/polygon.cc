#include "geo/polygon.h"

#include <cmath>
#include <utility>

#include "geo/orient.h"

namespace est::geo {

namespace {

// Calls f(a, b) for every edge of the ring, including the closing edge when the ring is open.
template <class F>
void ForEachEdge(const Ring& r, F&& f) {
  const auto& pts = r.pts;
  if (pts.size() < 2) return;
  for (size_t i = 0; i + 1 < pts.size(); ++i) f(pts[i], pts[i + 1]);
  if (!(pts.front() == pts.back())) f(pts.back(), pts.front());
}

bool RingCrossingParity(const Ring& r, Sweref99Point p) {
  bool inside = false;
  ForEachEdge(r, [&](Sweref99Point a, Sweref99Point b) {
    if (a.n > b.n) std::swap(a, b);
    if (internal::EdgeCrossesEastRay(a, b, p)) inside = !inside;
  });
  return inside;
}

}  // namespace

double SignedArea(const Ring& r) {
  if (r.pts.empty()) return 0;
  // Relative to the first point to keep the products small (SWEREF coordinates are ~1e6).
  const Sweref99Point o = r.pts.front();
  double twice = 0;
  ForEachEdge(r, [&](Sweref99Point a, Sweref99Point b) {
    twice += (a.e - o.e) * (b.n - o.n) - (b.e - o.e) * (a.n - o.n);
  });
  return twice / 2;
}

double MultiPolygon::Area() const {
  double total = 0;
  for (const Polygon& p : parts) {
    total += std::fabs(SignedArea(p.outer));
    for (const Ring& h : p.holes) total -= std::fabs(SignedArea(h));
  }
  return total;
}

Bbox MultiPolygon::bounds() const {
  Bbox b;
  for (const Polygon& p : parts) {
    for (const Sweref99Point& q : p.outer.pts) b.Extend(q);
  }
  return b;
}

Sweref99Point MultiPolygon::Centroid() const {
  // Sum of triangle-fan moments relative to a fixed origin, with hole moments subtracted.
  if (parts.empty() || parts.front().outer.pts.empty()) return {};
  const Sweref99Point o = parts.front().outer.pts.front();
  double area = 0;
  double me = 0;
  double mn = 0;
  auto add_ring = [&](const Ring& r, double sign) {
    double ring_area = 0;
    double ring_me = 0;
    double ring_mn = 0;
    ForEachEdge(r, [&](Sweref99Point a, Sweref99Point b) {
      const double ae = a.e - o.e;
      const double an = a.n - o.n;
      const double be = b.e - o.e;
      const double bn = b.n - o.n;
      const double cross = ae * bn - be * an;
      ring_area += cross;
      ring_me += (ae + be) * cross;
      ring_mn += (an + bn) * cross;
    });
    // Normalise orientation so that outer rings add and holes subtract.
    const double s = ring_area < 0 ? -sign : sign;
    area += s * ring_area / 2;
    me += s * ring_me / 6;
    mn += s * ring_mn / 6;
  };
  for (const Polygon& p : parts) {
    add_ring(p.outer, 1);
    for (const Ring& h : p.holes) add_ring(h, -1);
  }
  if (area == 0) return o;
  return {o.e + me / area, o.n + mn / area};
}

bool Contains(const MultiPolygon& m, Sweref99Point p) {
  bool inside = false;
  for (const Polygon& poly : m.parts) {
    if (RingCrossingParity(poly.outer, p)) inside = !inside;
    for (const Ring& h : poly.holes) {
      if (RingCrossingParity(h, p)) inside = !inside;
    }
  }
  return inside;
}

}  // namespace est::geo
