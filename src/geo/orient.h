// Exact orientation predicate and the crossing-number rule shared by Contains and AreaIndex.
//
// Both must agree on every point, including points exactly on an edge or a vertex, so both use the
// same edge test (EdgeCrossesEastRay) built on an exact predicate.
#ifndef EST_GEO_ORIENT_H_
#define EST_GEO_ORIENT_H_

#include <cmath>
#include <limits>

#include "geo/point.h"

namespace est::geo::internal {

// Sign of the signed area of triangle (a, b, c): +1 when c lies to the left of a->b, -1 to the
// right, 0 when collinear. Exact for all finite inputs without overflow/underflow (a float filter
// with an exact expansion-arithmetic fallback, after Shewchuk).
inline int Orient(Sweref99Point a, Sweref99Point b, Sweref99Point c);

// The exact fallback of Orient; out of line because it is rarely needed.
int OrientExact(Sweref99Point a, Sweref99Point b, Sweref99Point c);

inline int Orient(Sweref99Point a, Sweref99Point b, Sweref99Point c) {
  const double detleft = (b.e - a.e) * (c.n - a.n);
  const double detright = (b.n - a.n) * (c.e - a.e);
  const double det = detleft - detright;
  // Shewchuk's ccwerrboundA: (3 + 16 eps) eps with eps = 2^-53.
  constexpr double kEps = std::numeric_limits<double>::epsilon() / 2;
  constexpr double kBound = (3.0 + 16.0 * kEps) * kEps;
  const double detsum = std::fabs(detleft) + std::fabs(detright);
  if (std::fabs(det) > kBound * detsum) return det > 0 ? 1 : -1;
  return OrientExact(a, b, c);
}

// The half-open crossing rule: an edge (lo, hi) with lo.n <= hi.n counts for p when
// lo.n <= p.n < hi.n and p lies strictly west of the edge (strictly left of lo->hi). A ring
// contains p when an odd number of its edges count. Horizontal edges never count.
inline bool EdgeCrossesEastRay(Sweref99Point lo, Sweref99Point hi, Sweref99Point p) {
  return lo.n <= p.n && p.n < hi.n && Orient(lo, hi, p) > 0;
}

}  // namespace est::geo::internal

#endif  // EST_GEO_ORIENT_H_
