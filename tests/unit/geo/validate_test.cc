// CellsOverlappingInterior: the study cells of `--extent areas`, on an ASCII map.
#include "geo/validate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace est::geo {
namespace {

MultiPolygon Box(double e0, double n0, double e1, double n1) {
  return MultiPolygon{{Polygon{Ring{{{e0, n0}, {e1, n0}, {e1, n1}, {e0, n1}, {e0, n0}}}, {}}}};
}

bool Has(const std::vector<GridCellIndex>& cells, int32_t ix, int32_t iy) {
  return std::find(cells.begin(), cells.end(), GridCellIndex{ix, iy}) != cells.end();
}

// Each character is 50 m; 5 characters make one 250 m cell (cell borders marked | and -).
// Area 1 is an L: cells (0,0), (1,0), (0,1) — its bounding box also holds cell (1,1), which lies
// wholly outside it. Area 2 is a strip 40 m wide (drawn as one row of 2s, N 6 590 560–600)
// crossing cell (3,2) from west to east: neither the centre (N 6 590 625) nor a corner of that
// cell is in it. Area 3 lies in cell (4,0); its west edge is the border E 661 000 with cell (3,0),
// which it only touches.
//
//   N 6590750 +-----+-----+-----+-----+-----+
//             |     |     |     |     |     |
//             |     |     |     |22222|     |   row iy = 2 (N 6590500–750)
//             +-----+-----+-----+-----+-----+
//             |11111|     |     |     |     |   row iy = 1
//             +-----+-----+-----+-----+-----+
//             |11111|11111|     |     |333  |   row iy = 0
//   N 6590000 +-----+-----+-----+-----+-----+
//           E 660000                         E 661250
TEST(GeoCellsOverlappingInterior, AsciiMapNarrowAreaTouchingAreaAndHoleInTheBox) {
  constexpr double kE = 660000, kN = 6590000, kCell = 250;
  constexpr int32_t kIx = 2640, kIy = 26360;  // the map's south-west cell
  MultiPolygon l{{Polygon{Ring{{{kE, kN},
                                {kE + 500, kN},
                                {kE + 500, kN + 250},
                                {kE + 250, kN + 250},
                                {kE + 250, kN + 500},
                                {kE, kN + 500},
                                {kE, kN}}},
                          {}}}};
  const auto cells_l = CellsOverlappingInterior(l, kCell);
  EXPECT_EQ(cells_l.size(), 3u);
  EXPECT_TRUE(Has(cells_l, kIx, kIy));
  EXPECT_TRUE(Has(cells_l, kIx + 1, kIy));
  EXPECT_TRUE(Has(cells_l, kIx, kIy + 1));
  EXPECT_FALSE(Has(cells_l, kIx + 1, kIy + 1)) << "in the box, outside the area";
  // The cells beyond the north and east edges only touch the area: not in.
  EXPECT_FALSE(Has(cells_l, kIx + 2, kIy));
  EXPECT_FALSE(Has(cells_l, kIx, kIy + 2));

  const auto strip = CellsOverlappingInterior(Box(kE + 750, kN + 560, kE + 1000, kN + 600), kCell);
  ASSERT_EQ(strip.size(), 1u);
  EXPECT_EQ(strip[0], (GridCellIndex{kIx + 3, kIy + 2}));

  const auto touching =
      CellsOverlappingInterior(Box(kE + 1000, kN + 50, kE + 1150, kN + 200), kCell);
  ASSERT_EQ(touching.size(), 1u);
  EXPECT_EQ(touching[0], (GridCellIndex{kIx + 4, kIy})) << "cell (3,0) only shares the edge";

  EXPECT_TRUE(CellsOverlappingInterior(MultiPolygon{}, kCell).empty());
}

}  // namespace
}  // namespace est::geo
