#include "geo/area_index.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "geo/geojson.h"
#include "geo/validate.h"
#include "unit/geo/geo_test_util.h"

namespace est::geo {
namespace {

using testing::Loop;
using testing::ParseAsciiMap;
using testing::ReadTestFile;
using testing::Rect;

// Brute force over Contains with the same answer rule as AreaIndex::Locate.
std::optional<int64_t> BruteForce(const std::vector<AreaIndex::Entry>& entries, Sweref99Point p) {
  const AreaIndex::Entry* best = nullptr;
  for (const AreaIndex::Entry& e : entries) {
    if (!Contains(e.geometry, p)) continue;
    if (best == nullptr || e.level > best->level ||
        (e.level == best->level &&
         (e.geometry.Area() < best->geometry.Area() ||
          (e.geometry.Area() == best->geometry.Area() && e.area_id < best->area_id)))) {
      best = &e;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->area_id;
}

TEST(AreaIndex, EmptyFindsNothing) {
  const AreaIndex index = AreaIndex::Build({});
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.Locate({674000, 6580000}), std::nullopt);
  int64_t out = 7;
  const Sweref99Point p{674000, 6580000};
  index.LocateBatch(&p, 1, &out, 2);
  EXPECT_EQ(out, -1);
  // An entry without geometry counts but is never found.
  const AreaIndex one = AreaIndex::Build({{5, 1, MultiPolygon{}}});
  EXPECT_EQ(one.size(), 1u);
  EXPECT_EQ(one.Locate({674000, 6580000}), std::nullopt);
}

// Each character 10 m. Municipality 100 (level 1) is ABRQ. District 200 (level 2) is CDMN with
// the hole EFGH; district 300 (level 2) is IJKL. Lower-case letters are test points.
constexpr char kNested[] = R"(
A---------------------------B
|                           |
|  C-------------D   p      |
|  |  q          |          |
|  |     E----F  |  I----J  |
|  |     | r  |  |  | s  |  |
|  |     H----G  |  L----K  |
|  |             |          |
|  N-------------M   t      |
|                           |
Q---------------------------R   u
)";

std::vector<AreaIndex::Entry> NestedAreas() {
  auto nodes = ParseAsciiMap(kNested, 10);
  return {
      {100, 1, MultiPolygon{{Polygon{Loop(nodes, "ABRQ"), {}}}}},
      {200, 2, MultiPolygon{{Polygon{Loop(nodes, "CDMN"), {Loop(nodes, "EFGH")}}}}},
      {300, 2, MultiPolygon{{Polygon{Loop(nodes, "IJKL"), {}}}}},
  };
}

TEST(AreaIndex, NestedLevelsAndHoles) {
  auto nodes = ParseAsciiMap(kNested, 10);
  const AreaIndex index = AreaIndex::Build(NestedAreas());
  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(index.Locate(nodes['p']), 100);
  EXPECT_EQ(index.Locate(nodes['q']), 200);
  EXPECT_EQ(index.Locate(nodes['r']), 100);  // in 200's hole: the municipality
  EXPECT_EQ(index.Locate(nodes['s']), 300);
  EXPECT_EQ(index.Locate(nodes['t']), 100);
  EXPECT_EQ(index.Locate(nodes['u']), std::nullopt);
  EXPECT_EQ(index.Locate({std::nan(""), 6580000}), std::nullopt);
}

TEST(AreaIndex, EqualLevelsPreferTheSmallerArea) {
  const AreaIndex index = AreaIndex::Build({
      {1, 2, MultiPolygon{{Rect(0, 0, 100, 100)}}},
      {2, 2, MultiPolygon{{Rect(50, 50, 80, 80)}}},
      {3, 1, MultiPolygon{{Rect(60, 60, 70, 70)}}},  // smaller still, but a shallower level
  });
  EXPECT_EQ(index.Locate({10, 10}), 1);
  EXPECT_EQ(index.Locate({55, 55}), 2);
  EXPECT_EQ(index.Locate({65, 65}), 2);
}

// Points exactly on vertices and edges (and a hair off them) give the same answer as Contains,
// whose rule is: a boundary point belongs to the area east of it (north for horizontal edges).
TEST(AreaIndex, BoundaryPointsFollowTheContainsRule) {
  const std::vector<AreaIndex::Entry> entries = NestedAreas();
  const AreaIndex index = AreaIndex::Build(entries);
  int checked = 0;
  for (const AreaIndex::Entry& e : entries) {
    for (const Polygon& poly : e.geometry.parts) {
      std::vector<const Ring*> rings = {&poly.outer};
      for (const Ring& h : poly.holes) rings.push_back(&h);
      for (const Ring* r : rings) {
        for (size_t i = 0; i + 1 < r->pts.size(); ++i) {
          const Sweref99Point a = r->pts[i];
          const Sweref99Point b = r->pts[i + 1];
          for (int k = 0; k < 16; ++k) {
            const double t = k / 16.0;
            const Sweref99Point on{a.e + t * (b.e - a.e), a.n + t * (b.n - a.n)};
            for (double de : {-1e-7, 0.0, 1e-7}) {
              for (double dn : {-1e-7, 0.0, 1e-7}) {
                const Sweref99Point p{on.e + de, on.n + dn};
                SCOPED_TRACE(::testing::Message() << p.e << "," << p.n);
                EXPECT_EQ(index.Locate(p), BruteForce(entries, p));
                ++checked;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
  // Spot checks of the rule on 200 (CDMN, hole EFGH) inside 100.
  auto nodes = ParseAsciiMap(kNested, 10);
  EXPECT_EQ(index.Locate(nodes['C']), 100);  // north-west corner: north edge is not owned
  EXPECT_EQ(index.Locate(nodes['N']), 200);  // south-west corner is owned
  EXPECT_EQ(index.Locate(nodes['M']), 100);  // south-east corner is not
  EXPECT_EQ(index.Locate(nodes['H']), 100);  // the hole owns its south-west corner
  EXPECT_EQ(index.Locate(nodes['F']), 200);  // the hole's north-east corner stays in 200
  EXPECT_EQ(index.Locate(nodes['Q']), 100);
  EXPECT_EQ(index.Locate(nodes['R']), std::nullopt);
  EXPECT_EQ(index.Locate(nodes['B']), std::nullopt);
}

// A 5 x 4 tiling of 37 m squares (every one its own area at the same level): every lattice point
// on a shared edge or corner goes to exactly the square [e0, e1) x [n0, n1) that holds it.
TEST(AreaIndex, TilingAssignsSharedBoundariesHalfOpen) {
  constexpr double kSide = 37;
  constexpr Sweref99Point kOrigin{674000, 6580000};
  std::vector<AreaIndex::Entry> entries;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) {
      const double e0 = kOrigin.e + i * kSide;
      const double n0 = kOrigin.n + j * kSide;
      entries.push_back({i * 10 + j, 1, MultiPolygon{{Rect(e0, n0, e0 + kSide, n0 + kSide)}}});
    }
  }
  const AreaIndex index = AreaIndex::Build(entries);
  for (int x = 0; x <= 5 * 4; ++x) {
    for (int y = 0; y <= 4 * 4; ++y) {
      const Sweref99Point p{kOrigin.e + x * kSide / 4, kOrigin.n + y * kSide / 4};
      const int i = x / 4;
      const int j = y / 4;
      const std::optional<int64_t> expected =
          i < 5 && j < 4 ? std::optional<int64_t>(i * 10 + j) : std::nullopt;
      SCOPED_TRACE(::testing::Message() << x << "," << y);
      EXPECT_EQ(index.Locate(p), expected);
      EXPECT_EQ(BruteForce(entries, p), expected);
    }
  }
}

// GEOS oracle: the deepest area GEOS says contains p (same tie rule), or nullopt; `on_boundary`
// is set when p lies on some area's boundary, where GEOS "contains" and our rule may differ.
struct Oracle {
  std::vector<AreaIndex::Entry> entries;
  std::vector<GeosPreparedArea> prepared;
  std::vector<Bbox> boxes;
  std::vector<double> areas;

  explicit Oracle(std::vector<AreaIndex::Entry> e) : entries(std::move(e)) {
    for (const auto& x : entries) {
      prepared.emplace_back(x.geometry);
      boxes.push_back(x.geometry.bounds());
      areas.push_back(x.geometry.Area());
    }
  }

  std::optional<int64_t> Locate(Sweref99Point p, bool& on_boundary) const {
    on_boundary = false;
    int best = -1;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!boxes[i].Contains(p)) continue;
      if (!prepared[i].Contains(p)) {
        if (prepared[i].Covers(p)) on_boundary = true;
        continue;
      }
      const auto& e = entries[i];
      if (best < 0 || e.level > entries[best].level ||
          (e.level == entries[best].level && areas[i] < areas[best])) {
        best = static_cast<int>(i);
      }
    }
    if (best < 0) return std::nullopt;
    return entries[best].area_id;
  }
};

// The municipalities of Stockholm county (okfse, level 1) and five police areas (level 2).
std::vector<AreaIndex::Entry> StockholmCounty() {
  std::vector<AreaIndex::Entry> entries;
  auto kommuner = ParseAreaCollection(ReadTestFile("sweden-municipalities-okfse.geojson"), {});
  EXPECT_TRUE(kommuner);
  if (!kommuner) return entries;
  for (AreaFeature& f : *kommuner) {
    if (f.properties["lan_code"] != "01") continue;
    entries.push_back({std::stoll(f.id), 1, std::move(f.geometry)});
  }
  auto polis = ParseAreaCollection(
      ReadTestFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), {});
  EXPECT_TRUE(polis);
  if (!polis) return entries;
  for (AreaFeature& f : *polis) {
    entries.push_back({10000 + std::stoll(f.id), 2, std::move(f.geometry)});
  }
  return entries;
}

TEST(AreaIndex, MatchesGeosOnStockholmCounty) {
  std::vector<AreaIndex::Entry> entries = StockholmCounty();
  ASSERT_EQ(entries.size(), 26u + 5u);
  const AreaIndex index = AreaIndex::Build(entries);
  const Oracle oracle(entries);

  std::mt19937_64 rng(20250601);
  std::vector<Sweref99Point> pts;
  Bbox county;
  for (const auto& e : entries) county.Extend(e.geometry.bounds());
  std::uniform_real_distribution<double> ue(county.min_e, county.max_e);
  std::uniform_real_distribution<double> un(county.min_n, county.max_n);
  for (int i = 0; i < 1000000; ++i) pts.push_back({ue(rng), un(rng)});
  // Dense sampling around the (small) police areas.
  for (size_t k = 26; k < entries.size(); ++k) {
    const Bbox b = entries[k].geometry.bounds();
    std::uniform_real_distribution<double> e(b.min_e - 200, b.max_e + 200);
    std::uniform_real_distribution<double> n(b.min_n - 200, b.max_n + 200);
    for (int i = 0; i < 40000; ++i) pts.push_back({e(rng), n(rng)});
  }
  // Near every vertex: within a millimetre, and within a few ulps.
  std::uniform_real_distribution<double> mm(-1e-3, 1e-3);
  std::uniform_int_distribution<int> ulps(-4, 4);
  for (const auto& e : entries) {
    for (const Polygon& poly : e.geometry.parts) {
      for (const Sweref99Point& v : poly.outer.pts) {
        pts.push_back({v.e + mm(rng), v.n + mm(rng)});
        double pe = v.e;
        double pn = v.n;
        for (int s = ulps(rng); s != 0; s += s > 0 ? -1 : 1) pe = std::nextafter(pe, s * 1e300);
        for (int s = ulps(rng); s != 0; s += s > 0 ? -1 : 1) pn = std::nextafter(pn, s * 1e300);
        pts.push_back({pe, pn});
      }
    }
  }
  ASSERT_GE(pts.size(), 1000000u);  // millions of points against the GEOS oracle

  size_t mismatches = 0;
  size_t boundary = 0;
  size_t level2 = 0;
  size_t outside = 0;
  for (const Sweref99Point& p : pts) {
    bool on_boundary = false;
    const std::optional<int64_t> want = oracle.Locate(p, on_boundary);
    const std::optional<int64_t> got = index.Locate(p);
    if (on_boundary) {
      ++boundary;
      // GEOS has no opinion here that matches ours; Contains does.
      if (got != BruteForce(entries, p)) ++mismatches;
      continue;
    }
    if (got != want) {
      ++mismatches;
      ADD_FAILURE() << "at E " << p.e << ", N " << p.n << ": index "
                    << (got ? std::to_string(*got) : "none") << ", GEOS "
                    << (want ? std::to_string(*want) : "none");
      if (mismatches > 10) break;
    }
    if (got && *got >= 10000) ++level2;
    if (!got) ++outside;
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(level2, 20000u);   // the police areas are really exercised
  EXPECT_GT(outside, 20000u);  // and so is the sea
  EXPECT_LT(boundary, 100u);
  RecordProperty("points", static_cast<int>(pts.size()));
}

TEST(AreaIndex, BatchWithThreadsEqualsLocate) {
  std::vector<AreaIndex::Entry> entries = StockholmCounty();
  const AreaIndex index = AreaIndex::Build(entries);
  Bbox county;
  for (const auto& e : entries) county.Extend(e.geometry.bounds());
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> ue(county.min_e - 1000, county.max_e + 1000);
  std::uniform_real_distribution<double> un(county.min_n - 1000, county.max_n + 1000);
  std::vector<Sweref99Point> pts(1'000'000);
  for (auto& p : pts) p = {ue(rng), un(rng)};
  std::vector<int64_t> out(pts.size(), -2);
  const auto start = std::chrono::steady_clock::now();
  index.LocateBatch(pts.data(), pts.size(), out.data(), 2);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t differ = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    const auto one = index.Locate(pts[i]);
    if (out[i] != (one ? *one : -1)) ++differ;
  }
  EXPECT_EQ(differ, 0u);
  const AreaIndex::Stats s = index.stats();
  std::printf(
      "AreaIndex: %d x %d cells of %.0f m, %zu items, %zu edges; %.1f M points/s on 2 "
      "threads\n",
      s.columns, s.rows, s.cell_size, s.items, s.edges, pts.size() / secs / 1e6);
}

}  // namespace
}  // namespace est::geo
