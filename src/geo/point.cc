#include "geo/point.h"

#include <algorithm>

namespace est::geo {

void Bbox::Extend(Sweref99Point p) {
  min_e = std::min(min_e, p.e);
  min_n = std::min(min_n, p.n);
  max_e = std::max(max_e, p.e);
  max_n = std::max(max_n, p.n);
}

void Bbox::Extend(const Bbox& o) {
  if (o.empty()) return;
  min_e = std::min(min_e, o.min_e);
  min_n = std::min(min_n, o.min_n);
  max_e = std::max(max_e, o.max_e);
  max_n = std::max(max_n, o.max_n);
}

bool InSwedenEnvelope(Sweref99Point p) {
  return p.e >= 180'000 && p.e <= 1'000'000 && p.n >= 6'050'000 && p.n <= 7'750'000;
}

}  // namespace est::geo
