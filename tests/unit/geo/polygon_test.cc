#include "geo/polygon.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "geo/orient.h"
#include "geo/point.h"
#include "geo/validate.h"
#include "unit/geo/geo_test_util.h"

namespace est::geo {
namespace {

using testing::Loop;
using testing::ParseAsciiMap;
using testing::Rect;

__extension__ typedef __int128 Int128;  // exact reference arithmetic

TEST(Bbox, ExtendContainsIntersects) {
  Bbox b;
  EXPECT_TRUE(b.empty());
  EXPECT_FALSE(b.Contains({0, 0}));
  b.Extend(Sweref99Point{10, 20});
  b.Extend(Sweref99Point{30, 5});
  EXPECT_FALSE(b.empty());
  EXPECT_EQ(b.min_e, 10);
  EXPECT_EQ(b.min_n, 5);
  EXPECT_EQ(b.max_e, 30);
  EXPECT_EQ(b.max_n, 20);
  EXPECT_TRUE(b.Contains({10, 5}));  // closed
  EXPECT_TRUE(b.Contains({30, 20}));
  EXPECT_FALSE(b.Contains({30.001, 20}));
  EXPECT_TRUE(b.Intersects(Bbox{30, 20, 40, 40}));
  EXPECT_FALSE(b.Intersects(Bbox{31, 20, 40, 40}));
  Bbox c;
  c.Extend(b);
  c.Extend(Bbox{});  // empty: no effect
  EXPECT_EQ(c.width(), 20);
  EXPECT_EQ(c.height(), 15);
}

TEST(InSwedenEnvelope, Borders) {
  EXPECT_TRUE(InSwedenEnvelope({674571, 6580743}));  // Stockholm
  EXPECT_TRUE(InSwedenEnvelope({180000, 6050000}));  // corner, inclusive
  EXPECT_TRUE(InSwedenEnvelope({1000000, 7750000}));
  EXPECT_FALSE(InSwedenEnvelope({179999.99, 6580000}));
  EXPECT_FALSE(InSwedenEnvelope({674571, 7750000.01}));
  EXPECT_FALSE(InSwedenEnvelope({6580743, 674571}));  // swapped
  EXPECT_FALSE(InSwedenEnvelope({18.07, 59.33}));     // degrees read as metres
}

// Each character 10 m. The outer ring ABCD has the hole EFGH; p lies in the ring, q in the hole,
// r outside.
constexpr char kSquareWithHole[] = R"(
A-------------B
|  p          |
|    E-----F  |
|    |  q  |  |
|    |     |  |  r
|    H-----G  |
|             |
D-------------C
)";

TEST(MultiPolygon, AreaBoundsCentroidWithHole) {
  auto nodes = ParseAsciiMap(kSquareWithHole, 10);
  MultiPolygon m{{Polygon{Loop(nodes, "ABCD"), {Loop(nodes, "EFGH")}}}};
  // 140 m x 70 m minus 60 m x 30 m.
  EXPECT_DOUBLE_EQ(m.Area(), 140.0 * 70 - 60.0 * 30);
  const Bbox b = m.bounds();
  EXPECT_EQ(b.min_e, nodes['D'].e);
  EXPECT_EQ(b.min_n, nodes['D'].n);
  EXPECT_EQ(b.max_e, nodes['B'].e);
  EXPECT_EQ(b.max_n, nodes['B'].n);
  // Ring orientation does not change the area.
  MultiPolygon reversed{{Polygon{Loop(nodes, "ADCB"), {Loop(nodes, "EHGF")}}}};
  EXPECT_DOUBLE_EQ(reversed.Area(), m.Area());
  EXPECT_GT(SignedArea(Loop(nodes, "DCBA")), 0);  // counter-clockwise
  EXPECT_LT(SignedArea(Loop(nodes, "ABCD")), 0);

  // Centroid of the square alone is its centre; the hole pulls it away from the hole's side.
  MultiPolygon square{{Polygon{Loop(nodes, "ABCD"), {}}}};
  const Sweref99Point c = square.Centroid();
  EXPECT_NEAR(c.e, (nodes['A'].e + nodes['B'].e) / 2, 1e-6);
  EXPECT_NEAR(c.n, (nodes['A'].n + nodes['D'].n) / 2, 1e-6);
  const Sweref99Point ch = m.Centroid();
  // Hole centre: e = A.e + 75, n = D.n + 35; square centre e = A.e + 70. Hand-computed:
  // (9800 * 70 - 1800 * 80) / 8000 = 67.75 m east of A; (9800 * 35 - 1800 * 35) / 8000 = 35.
  EXPECT_NEAR(ch.e, nodes['A'].e + 67.75, 1e-6);
  EXPECT_NEAR(ch.n, nodes['D'].n + 35, 1e-6);
  EXPECT_EQ(MultiPolygon{}.Area(), 0);
  EXPECT_TRUE(MultiPolygon{}.bounds().empty());
}

TEST(Contains, HoleIsExcluded) {
  auto nodes = ParseAsciiMap(kSquareWithHole, 10);
  MultiPolygon m{{Polygon{Loop(nodes, "ABCD"), {Loop(nodes, "EFGH")}}}};
  EXPECT_TRUE(Contains(m, nodes['p']));
  EXPECT_FALSE(Contains(m, nodes['q']));
  EXPECT_FALSE(Contains(m, nodes['r']));
  EXPECT_TRUE(GeosContains(m, nodes['p']));
  EXPECT_FALSE(GeosContains(m, nodes['q']));
  EXPECT_FALSE(GeosContains(m, nodes['r']));
  EXPECT_FALSE(Contains(MultiPolygon{}, nodes['p']));
}

// The boundary rule: a polygon owns the boundary points that have the polygon to their east (for
// horizontal edges: to their north), i.e. its south-west boundary.
TEST(Contains, BoundaryRuleSouthWestInNorthEastOut) {
  const MultiPolygon sq{{Rect(0, 0, 10, 10)}};
  const struct {
    Sweref99Point p;
    bool inside;
  } kCases[] = {
      {{0, 5}, true},     // west edge
      {{10, 5}, false},   // east edge
      {{5, 0}, true},     // south edge
      {{5, 10}, false},   // north edge
      {{0, 0}, true},     // south-west corner
      {{10, 0}, false},   // south-east corner
      {{0, 10}, false},   // north-west corner
      {{10, 10}, false},  // north-east corner
      {{5, 5}, true},    {{-1e-9, 5}, false}, {{1e-9, 5}, true},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(::testing::Message() << c.p.e << "," << c.p.n);
    EXPECT_EQ(Contains(sq, c.p), c.inside);
  }
  // A hole owns its own south-west boundary, so the polygon does not: the hole's west edge is
  // outside the polygon and its east edge inside.
  const MultiPolygon holed{{Polygon{Rect(0, 0, 10, 10).outer, {Rect(4, 4, 6, 6).outer}}}};
  EXPECT_FALSE(Contains(holed, {4, 5}));
  EXPECT_TRUE(Contains(holed, {6, 5}));
  EXPECT_FALSE(Contains(holed, {5, 4}));
  EXPECT_TRUE(Contains(holed, {5, 6}));
}

// Two areas sharing edges (and a slanted edge) split every shared boundary point between them.
TEST(Contains, SharedEdgesBelongToExactlyOneArea) {
  auto nodes = ParseAsciiMap(R"(
A----B----C
|   /     |
|  /      |
| /       |
D/        E
)",
                             7);
  const MultiPolygon left{{Polygon{Loop(nodes, "ABD"), {}}}};
  const MultiPolygon right{{Polygon{Loop(nodes, "BCED"), {}}}};
  // Points along the slanted shared edge D-B, including both ends, exactly and nearly on it.
  const Sweref99Point d = nodes['D'];
  const Sweref99Point b = nodes['B'];
  for (int i = 0; i <= 64; ++i) {
    const double t = i / 64.0;  // exact binary fractions: points exactly on the edge
    const Sweref99Point p{d.e + t * (b.e - d.e), d.n + t * (b.n - d.n)};
    SCOPED_TRACE(i);
    if (p.n == b.n) {
      // On the north boundary of both: owned by neither.
      EXPECT_FALSE(Contains(left, p) || Contains(right, p));
    } else {
      EXPECT_NE(Contains(left, p), Contains(right, p));
      EXPECT_TRUE(Contains(right, p));  // the right area lies east of the edge
    }
  }
}

// Shewchuk's classic example: naive floating-point orientation gets collinear and near-collinear
// points wrong. Expected signs come from exact integer arithmetic (coordinates scaled by 2^53).
TEST(Orient, ExactNearDegenerate) {
  const double ulp = std::ldexp(1.0, -53);
  const Int128 scale = static_cast<Int128>(1) << 53;
  int mismatches = 0;
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 64; ++j) {
      const Sweref99Point a{0.5 + i * ulp, 0.5 + j * ulp};
      const Sweref99Point b{12, 12};
      const Sweref99Point c{24, 24};
      const Int128 ax = scale / 2 + i;
      const Int128 ay = scale / 2 + j;
      const Int128 bx = 12 * scale;
      const Int128 by = 12 * scale;
      const Int128 cx = 24 * scale;
      const Int128 cy = 24 * scale;
      const Int128 det = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
      const int expected = det > 0 ? 1 : (det < 0 ? -1 : 0);
      if (internal::Orient(a, b, c) != expected) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0);
  // Large SWEREF-like coordinates: exactly collinear points.
  EXPECT_EQ(
      internal::Orient({674000.25, 6580000.5}, {674100.25, 6580200.5}, {674050.25, 6580100.5}), 0);
  EXPECT_EQ(internal::Orient({0, 0}, {1, 0}, {0, 1}), 1);
  EXPECT_EQ(internal::Orient({0, 0}, {0, 1}, {1, 0}), -1);
}

TEST(ValidateGeometry, AcceptsValidPolygonWithHole) {
  auto nodes = ParseAsciiMap(kSquareWithHole, 10);
  MultiPolygon m{{Polygon{Loop(nodes, "ABCD"), {Loop(nodes, "EFGH")}}}};
  EXPECT_TRUE(ValidateGeometry(m));
}

TEST(ValidateGeometry, RejectsInvalidShapes) {
  // Bow-tie: A-B-C-D crosses itself in the middle X.
  auto nodes = ParseAsciiMap(R"(
A-----C
 \   /
  \ /
   X
  / \
 /   \
D-----B
)",
                             10);
  const struct {
    const char* name;
    MultiPolygon m;
    const char* reason;
  } kCases[] = {
      {"bow-tie", MultiPolygon{{Polygon{Loop(nodes, "ABCD"), {}}}}, "självkorsning"},
      {"hole outside",
       MultiPolygon{{Polygon{Rect(0, 0, 10, 10).outer, {Rect(20, 0, 30, 10).outer}}}},
       "hål ligger utanför"},
      {"overlapping parts", MultiPolygon{{Rect(0, 0, 10, 10), Rect(5, 5, 15, 15)}}, "GEOS"},
      {"too few", MultiPolygon{{Polygon{Ring{{{0, 0}, {1, 0}, {0, 0}}}, {}}}}, "minst 4"},
      {"unclosed", MultiPolygon{{Polygon{Ring{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, {}}}},
       "inte sluten"},
      {"empty", MultiPolygon{}, "tom"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    auto s = ValidateGeometry(c.m);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(s.error().fields.size(), 1u);
    EXPECT_EQ(s.error().fields[0].field, "geometry");
    EXPECT_NE(s.error().fields[0].reason.find(c.reason), std::string::npos)
        << s.error().fields[0].reason;
  }
  // The bow-tie's reason names the crossing point X and GEOS's own words.
  auto s = ValidateGeometry(MultiPolygon{{Polygon{Loop(nodes, "ABCD"), {}}}});
  ASSERT_FALSE(s);
  const std::string& reason = s.error().fields[0].reason;
  EXPECT_NE(reason.find(fmt::format("E {:.2f}, N {:.2f}", nodes['X'].e, nodes['X'].n)),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("[GEOS: Self-intersection]"), std::string::npos) << reason;
}

TEST(GeosPreparedArea, ContainsAndCovers) {
  const MultiPolygon sq{{Rect(0, 0, 10, 10)}};
  GeosPreparedArea prepared(sq);
  EXPECT_TRUE(prepared.Contains({5, 5}));
  EXPECT_FALSE(prepared.Contains({0, 5}));  // boundary: not contained
  EXPECT_TRUE(prepared.Covers({0, 5}));
  EXPECT_FALSE(prepared.Covers({11, 5}));
  GeosPreparedArea moved = std::move(prepared);
  EXPECT_TRUE(moved.Contains({5, 5}));
}

}  // namespace
}  // namespace est::geo
