#include "geo/orient.h"

#include <cmath>
#include <limits>

namespace est::geo::internal {

namespace {

// Error-free transformations (Knuth, Dekker). Require round-to-nearest and no FMA contraction of
// the plain expressions, which holds for our x86-64 builds without -ffast-math.
inline void TwoSum(double a, double b, double& s, double& err) {
  s = a + b;
  const double bv = s - a;
  const double av = s - bv;
  err = (a - av) + (b - bv);
}

inline void TwoProduct(double a, double b, double& p, double& err) {
  p = a * b;
  err = std::fma(a, b, -p);
}

// Adds `b` to the nonoverlapping expansion e[0..n) (increasing magnitude), dropping zeros.
int GrowExpansion(int n, double* e, double b) {
  double q = b;
  int m = 0;
  for (int i = 0; i < n; ++i) {
    double s = 0;
    double err = 0;
    TwoSum(q, e[i], s, err);
    q = s;
    if (err != 0) e[m++] = err;
  }
  if (q != 0 || m == 0) e[m++] = q;
  return m;
}

}  // namespace

int OrientExact(Sweref99Point a, Sweref99Point b, Sweref99Point c) {
  // det = a.e*b.n - a.n*b.e + b.e*c.n - b.n*c.e + c.e*a.n - c.n*a.e, each product split exactly
  // into two doubles and the twelve terms summed exactly.
  const double f[6][2] = {{a.e, b.n},  {-a.n, b.e}, {b.e, c.n},
                          {-b.n, c.e}, {c.e, a.n},  {-c.n, a.e}};
  double e[32];
  int n = 0;
  for (const auto& term : f) {
    double p = 0;
    double err = 0;
    TwoProduct(term[0], term[1], p, err);
    n = GrowExpansion(n, e, err);
    n = GrowExpansion(n, e, p);
  }
  // The most significant component carries the sign.
  const double top = e[n - 1];
  return top > 0 ? 1 : (top < 0 ? -1 : 0);
}

}  // namespace est::geo::internal
