#include "geo/crs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace est::geo {
namespace {

// Expected values are computed independently of PROJ with Lantmäteriet's published Gauss–Krüger
// formulas (GRS 80; SWEREF 99 TM: lon_0 15°, k 0.9996, E_0 500 000; SWEREF 99 18 00: lon_0 18°,
// k 1, E_0 150 000) and the spherical Web Mercator formulas (R = 6 378 137 m), and agree with
// `cs2cs EPSG:4326 EPSG:3006` (proj-bin 9.1.1) to 0.1 mm. Note: lon 18, lat 59 is
// E 672 319.96, N 6 543 920.33 in SWEREF 99 TM (a figure of E 674 032 / N 6 546 915 is wrong).
struct KnownPoint {
  const char* name;
  double lon, lat;
  double e3006, n3006;
  double e3011, n3011;
  double x3857, y3857;
};

constexpr KnownPoint kKnown[] = {
    {"lon18_lat59", 18.0, 59.0, 672319.9641, 6543920.3341, 150000.0000, 6542669.0850, 2003750.8343,
     8180386.8859},
    {"stockholm", 18.0686, 59.3293, 674571.8664, 6580743.0083, 153905.0928, 6579354.4483,
     2011387.3513, 8251904.2342},
    {"malmo", 13.0038, 55.6050, 374243.7585, 6163926.5534, -164754.1016, 6175920.1681, 1447576.3944,
     7480180.8457},
    {"kiruna", 20.2253, 67.8558, 719583.1230, 7536069.9699, 243627.4737, 7531483.6913, 2251470.0971,
     10404279.1730},
};

constexpr double kMm = 1e-3;

TEST(CrsTransformer, Wgs84ToSwerefMatchesKnownValues) {
  auto t = CrsTransformer::Create(4326);
  ASSERT_TRUE(t) << ToString(t.error());
  for (const KnownPoint& k : kKnown) {
    SCOPED_TRACE(k.name);
    auto p = t->ToSweref(k.lon, k.lat);  // lon first although EPSG:4326 says lat first
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->e, k.e3006, kMm);
    EXPECT_NEAR(p->n, k.n3006, kMm);
  }
}

TEST(CrsTransformer, Sweref1800ToSweref) {
  auto t = CrsTransformer::Create(3011);
  ASSERT_TRUE(t);
  for (const KnownPoint& k : kKnown) {
    SCOPED_TRACE(k.name);
    auto p = t->ToSweref(k.e3011, k.n3011);
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->e, k.e3006, kMm);
    EXPECT_NEAR(p->n, k.n3006, kMm);
  }
}

TEST(CrsTransformer, WebMercatorToSweref) {
  auto t = CrsTransformer::Create(3857);
  ASSERT_TRUE(t);
  for (const KnownPoint& k : kKnown) {
    SCOPED_TRACE(k.name);
    auto p = t->ToSweref(k.x3857, k.y3857);
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->e, k.e3006, kMm);
    EXPECT_NEAR(p->n, k.n3006, kMm);
  }
}

TEST(CrsTransformer, SwerefIsIdentityInEastingNorthingOrder) {
  auto p = ToSweref(3006, 674571.8664, 6580743.0083);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->e, 674571.8664, 1e-6);
  EXPECT_NEAR(p->n, 6580743.0083, 1e-6);
}

TEST(CrsTransformer, FromSwerefInvertsToSweref) {
  auto t = CrsTransformer::Create(3011);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->source_epsg(), 3011);
  auto back = t->FromSweref({kKnown[1].e3006, kKnown[1].n3006});
  ASSERT_TRUE(back);
  EXPECT_NEAR(back->first, kKnown[1].e3011, kMm);
  EXPECT_NEAR(back->second, kKnown[1].n3011, kMm);
}

TEST(CrsTransformer, MoveKeepsTheTransform) {
  auto t = CrsTransformer::Create(4326);
  ASSERT_TRUE(t);
  CrsTransformer moved = std::move(*t);
  auto p = moved.ToSweref(18.0, 59.0);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->e, kKnown[0].e3006, kMm);
}

TEST(CrsTransformer, RejectsUnknownAndNonCrsCodes) {
  for (int code : {0, -3006, 999999, 6326 /* a datum */, 4978 /* geocentric */}) {
    SCOPED_TRACE(code);
    auto t = CrsTransformer::Create(code);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(t.error().fields.size(), 1u);
    EXPECT_EQ(t.error().fields[0].field, "crs");
    EXPECT_NE(t.error().fields[0].reason.find("koordinatsystem"), std::string::npos);
  }
  EXPECT_FALSE(ToSweref(999999, 1, 2));
}

TEST(CrsTransformer, RejectsPositionsProjCannotTransform) {
  EXPECT_FALSE(ToSweref(4326, 18.0, 95.0));  // latitude beyond the pole
  EXPECT_FALSE(ToSweref(4326, std::nan(""), 59.0));
  EXPECT_FALSE(ToSweref(3006, 674000, std::numeric_limits<double>::infinity()));
}

TEST(ToWgs84, KnownValuesAndRoundTrip) {
  for (const KnownPoint& k : kKnown) {
    SCOPED_TRACE(k.name);
    const Wgs84Point w = ToWgs84({k.e3006, k.n3006});
    EXPECT_NEAR(w.lon, k.lon, 1e-8);  // ~1 mm
    EXPECT_NEAR(w.lat, k.lat, 1e-8);
    auto p = ToSweref(4326, w.lon, w.lat);
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->e, k.e3006, 1e-6);
    EXPECT_NEAR(p->n, k.n3006, 1e-6);
  }
}

TEST(ToWgs84, NonFiniteGivesNaN) {
  const Wgs84Point w = ToWgs84({std::nan(""), 6580000});
  EXPECT_TRUE(std::isnan(w.lon));
  EXPECT_TRUE(std::isnan(w.lat));
}

TEST(ToSweref, ThreadsGetIdenticalResults) {
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &bad] {
      for (int i = 0; i < 2000; ++i) {
        const KnownPoint& k = kKnown[(i + t) % 4];
        auto p = ToSweref(4326, k.lon, k.lat);
        const Wgs84Point w = ToWgs84({k.e3006, k.n3006});
        if (!p || std::abs(p->e - k.e3006) > kMm || std::abs(p->n - k.n3006) > kMm ||
            std::abs(w.lat - k.lat) > 1e-8) {
          ++bad[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad, std::vector<int>(4, 0));
}

TEST(ParseCrsName, AcceptedForms) {
  const struct {
    const char* text;
    int epsg;
  } kCases[] = {
      {"EPSG:3006", 3006},
      {"epsg:3011", 3011},
      {"3006", 3006},
      {" EPSG:3857 ", 3857},
      {"urn:ogc:def:crs:EPSG::3006", 3006},
      {"urn:ogc:def:crs:EPSG:9.8.1:3006", 3006},
      {"urn:ogc:def:crs:OGC:1.3:CRS84", 4326},
      {"urn:ogc:def:crs:OGC::CRS84", 4326},
      {"CRS84", 4326},
      {"EPSG:4326", 4326},
      {"urn:ogc:def:crs:EPSG::4326", 4326},
      {"http://www.opengis.net/def/crs/EPSG/0/3006", 3006},
      {"http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.text);
    auto r = ParseCrsName(c.text);
    ASSERT_TRUE(r) << ToString(r.error());
    EXPECT_EQ(*r, c.epsg);
  }
}

TEST(ParseCrsName, RejectedForms) {
  for (const char* text : {"", "EPSG:", "EPSG:abc", "SWEREF99", "EPSG:-3006", "3006x",
                           "urn:ogc:def:crs:EPSG::", "urn:ogc:def:crs:OGC:1.3:CRS83"}) {
    SCOPED_TRACE(text);
    auto r = ParseCrsName(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "crs");
    EXPECT_NE(r.error().fields[0].reason.find("okänt koordinatsystem"), std::string::npos);
  }
}

}  // namespace
}  // namespace est::geo
