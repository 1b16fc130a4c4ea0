// Partition of a region into cells around seed points (Voronoi cells clipped to the region),
// through GEOS. Used by the demo municipality to draw plausible districts inside a real boundary.
#ifndef EST_GEO_PARTITION_H_
#define EST_GEO_PARTITION_H_

#include <vector>

#include "core/error.h"
#include "geo/point.h"
#include "geo/polygon.h"

namespace est::geo {

// One MultiPolygon per seed (same order): the part of `region` closer to that seed than to any
// other. Seeds outside the region get an empty result. Thread-safe.
Result<std::vector<MultiPolygon>> VoronoiPartition(const std::vector<Sweref99Point>& seeds,
                                                   const MultiPolygon& region);

// The part of `a` outside `b` (GEOS difference), e.g. a district minus a sub-area.
Result<MultiPolygon> Difference(const MultiPolygon& a, const MultiPolygon& b);

}  // namespace est::geo

#endif  // EST_GEO_PARTITION_H_
