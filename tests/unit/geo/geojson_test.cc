#include "geo/geojson.h"

#include <gtest/gtest.h>

#include <string>

#include "geo/crs.h"
#include "geo/validate.h"
#include "unit/geo/geo_test_util.h"

namespace est::geo {
namespace {

using testing::ReadTestFile;

const AreaFeature* FindByProperty(const std::vector<AreaFeature>& v, const std::string& key,
                                  const std::string& value) {
  for (const AreaFeature& f : v) {
    auto it = f.properties.find(key);
    if (it != f.properties.end() && it->second == value) return &f;
  }
  return nullptr;
}

TEST(ParseAreaCollection, PoliceAreasInSweref) {
  auto r = ParseAreaCollection(
      ReadTestFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), {});
  ASSERT_TRUE(r) << ToString(r.error());
  ASSERT_EQ(r->size(), 5u);
  const AreaFeature& t = r->front();
  EXPECT_EQ(t.index, 0);
  EXPECT_EQ(t.id, "40");
  EXPECT_EQ(t.source_epsg, 3006);  // from the file's crs member
  EXPECT_EQ(t.properties.at("NAMN"), "Tureberg");
  EXPECT_EQ(t.properties.at("OBJECTID"), "40");
  EXPECT_EQ(t.properties.at("AKTUALITET_SLUT"), " ");
  EXPECT_EQ(t.properties.at("Shape_Area"), "107053.89017359806");
  ASSERT_EQ(t.geometry.parts.size(), 1u);
  EXPECT_EQ(t.geometry.parts[0].outer.pts.size(), 40u);
  // The police's own Shape_Area.
  EXPECT_NEAR(t.geometry.Area(), 107053.89017359806, 0.01);
  for (const AreaFeature& f : *r) {
    SCOPED_TRACE(f.properties.at("NAMN"));
    EXPECT_NEAR(f.geometry.Area(), std::stod(f.properties.at("Shape_Area")), 0.01);
    EXPECT_EQ(f.source_epsg, 3006);
  }
  EXPECT_EQ(r->back().properties.at("NAMN"), "Hjulsta");
  EXPECT_EQ(r->back().index, 4);
}

TEST(ParseAreaCollection, MunicipalitiesInWgs84ContainTureberg) {
  auto kommuner = ParseAreaCollection(ReadTestFile("sweden-municipalities-okfse.geojson"), {});
  ASSERT_TRUE(kommuner) << ToString(kommuner.error());
  ASSERT_EQ(kommuner->size(), 290u);
  const AreaFeature* sollentuna = FindByProperty(*kommuner, "kom_namn", "Sollentuna");
  ASSERT_NE(sollentuna, nullptr);
  EXPECT_EQ(sollentuna->id, "0163");  // no feature id: the "id" property
  EXPECT_EQ(sollentuna->properties.at("lan_code"), "01");
  EXPECT_EQ(sollentuna->source_epsg, 4326);
  EXPECT_EQ(sollentuna->properties.at("geo_point_2d"), "[59.4511405154,17.9308014617]");

  auto polis = ParseAreaCollection(
      ReadTestFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), {});
  ASSERT_TRUE(polis);
  const Sweref99Point tureberg = polis->front().geometry.Centroid();
  EXPECT_TRUE(Contains(polis->front().geometry, tureberg));
  EXPECT_TRUE(Contains(sollentuna->geometry, tureberg));
  EXPECT_TRUE(GeosContains(sollentuna->geometry, tureberg));
  // Exactly one municipality holds it.
  int holders = 0;
  for (const AreaFeature& k : *kommuner) holders += Contains(k.geometry, tureberg) ? 1 : 0;
  EXPECT_EQ(holders, 1);
  // Tensta, Rinkeby and Hjulsta lie in Stockholm, Sigtuna / Valsta in Sigtuna.
  const AreaFeature* stockholm = FindByProperty(*kommuner, "kom_namn", "Stockholm");
  const AreaFeature* sigtuna = FindByProperty(*kommuner, "kom_namn", "Sigtuna");
  ASSERT_NE(stockholm, nullptr);
  ASSERT_NE(sigtuna, nullptr);
  EXPECT_TRUE(Contains(stockholm->geometry, (*polis)[2].geometry.Centroid()));
  EXPECT_TRUE(Contains(sigtuna->geometry, (*polis)[1].geometry.Centroid()));
}

TEST(ParseAreaCollection, CrsOverrideWinsOverFileCrs) {
  const std::string police = ReadTestFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson");
  auto same = ParseAreaCollection(police, {.crs_override = 3006});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->front().source_epsg, 3006);
  // Read as degrees, SWEREF metres are nowhere near Sweden: every feature is reported.
  auto wrong = ParseAreaCollection(police, {.crs_override = 4326});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(wrong.error().fields.size(), 5u);
  EXPECT_NE(wrong.error().detail.find("5 av 5"), std::string::npos) << wrong.error().detail;
}

// A FeatureCollection with the given features (text) and optional crs member.
std::string Collection(const std::string& features, const std::string& crs = "") {
  std::string s = R"({"type":"FeatureCollection",)";
  if (!crs.empty()) s += R"("crs":{"type":"name","properties":{"name":")" + crs + R"("}},)";
  return s + R"("features":[)" + features + "]}";
}

std::string Feature(const std::string& geometry, const std::string& props = R"({"name":"X"})") {
  return R"({"type":"Feature","properties":)" + props + R"(,"geometry":)" + geometry + "}";
}

// A valid square of about 110 m x 55 m near Sollentuna in WGS84, lon/lat.
const std::string kGoodPolygon =
    R"({"type":"Polygon","coordinates":[[[17.95,59.43],[17.952,59.43],[17.952,59.4305],)"
    R"([17.95,59.4305],[17.95,59.43]]]})";

TEST(ParseAreaCollection, AcceptsPolygonAndMultiPolygonWithHole) {
  const std::string multi =
      R"({"type":"MultiPolygon","coordinates":[[[[674000,6580000],[674100,6580000],[674100,6580100],)"
      R"([674000,6580100],[674000,6580000]],[[674040,6580040],[674040,6580060],[674060,6580060],)"
      R"([674060,6580040],[674040,6580040]]],[[[675000,6580000],[675010,6580000],[675010,6580010],)"
      R"([675000,6580000]]]]})";
  auto r = ParseAreaCollection(Collection(Feature(multi), "urn:ogc:def:crs:EPSG::3006"), {});
  ASSERT_TRUE(r) << ToString(r.error());
  ASSERT_EQ(r->size(), 1u);
  ASSERT_EQ((*r)[0].geometry.parts.size(), 2u);
  EXPECT_EQ((*r)[0].geometry.parts[0].holes.size(), 1u);
  EXPECT_DOUBLE_EQ((*r)[0].geometry.Area(), 10000 - 400 + 50);
  EXPECT_EQ((*r)[0].id, "");

  auto w = ParseAreaCollection(Collection(Feature(kGoodPolygon)), {});
  ASSERT_TRUE(w) << ToString(w.error());
  EXPECT_EQ((*w)[0].source_epsg, 4326);
  EXPECT_NEAR((*w)[0].geometry.Area(), 114.0 * 55.6, 150);  // ~0.002° lon x 0.0005° lat
}

TEST(ParseAreaCollection, PropertiesAsText) {
  auto r = ParseAreaCollection(
      Collection(Feature(kGoodPolygon,
                         R"({"a":2.50,"b":3.0,"c":-7,"d":null,"e":true,"f":"Tureberg",)"
                         R"("g":[1,"x"],"h":{"k":1},"i":18446744073709551615,"j":1e-7})")),
      {});
  ASSERT_TRUE(r) << ToString(r.error());
  const auto& p = (*r)[0].properties;
  EXPECT_EQ(p.at("a"), "2.5");
  EXPECT_EQ(p.at("b"), "3");
  EXPECT_EQ(p.at("c"), "-7");
  EXPECT_EQ(p.at("d"), "");
  EXPECT_EQ(p.at("e"), "true");
  EXPECT_EQ(p.at("f"), "Tureberg");
  EXPECT_EQ(p.at("g"), R"([1,"x"])");
  EXPECT_EQ(p.at("h"), R"({"k":1})");
  EXPECT_EQ(p.at("i"), "18446744073709551615");
  EXPECT_EQ(p.at("j"), "1e-07");
}

TEST(ParseAreaCollection, FeatureIdNumberOrString) {
  const std::string text = Collection(
      R"({"type":"Feature","id":"Tureberg","properties":{"id":"p"},"geometry":)" + kGoodPolygon +
      "}," + R"({"type":"Feature","id":12,"properties":null,"geometry":)" + kGoodPolygon + "}");
  auto r = ParseAreaCollection(text, {});
  ASSERT_TRUE(r) << ToString(r.error());
  EXPECT_EQ((*r)[0].id, "Tureberg");
  EXPECT_EQ((*r)[1].id, "12");
  EXPECT_TRUE((*r)[1].properties.empty());
}

struct RejectCase {
  const char* name;
  std::string text;
  AreaParseOptions options;
  std::string field;   // expected FieldError field (exact)
  std::string reason;  // expected substring of the reason
};

TEST(ParseAreaCollection, RejectsBadInputWithSwedishReasons) {
  const std::string bow_tie =
      R"({"type":"Polygon","coordinates":[[[674000,6580000],[674100,6580100],[674100,6580000],)"
      R"([674000,6580100],[674000,6580000]]]})";
  const std::string unclosed =
      R"({"type":"Polygon","coordinates":[[[17.95,59.43],[17.952,59.43],[17.952,59.4305],)"
      R"([17.95,59.4305]]]})";
  const std::string three =
      R"({"type":"Polygon","coordinates":[[[17.95,59.43],[17.952,59.43],[17.95,59.43]]]})";
  const std::string swapped =
      R"({"type":"Polygon","coordinates":[[[59.43,17.95],[59.43,17.952],[59.4305,17.952],)"
      R"([59.4305,17.95],[59.43,17.95]]]})";
  const std::string text_coord =
      R"({"type":"Polygon","coordinates":[[[17.95,59.43],["17.952",59.43],[17.952,59.4305],)"
      R"([17.95,59.43]]]})";
  const std::string point = R"({"type":"Point","coordinates":[17.95,59.43]})";

  const RejectCase kCases[] = {
      {"invalid json",
       "{\"type\":\"FeatureCollection\",\n\"features\": [}",
       {},
       "geojson",
       "ogiltig JSON vid byte 42 (rad 2, kolumn 14)"},
      {"not a collection",
       R"({"type":"Feature","geometry":null})",
       {},
       "geojson",
       "inte en FeatureCollection (type: Feature)"},
      {"array root", "[]", {}, "geojson", "inte ett GeoJSON-objekt"},
      {"no features", R"({"type":"FeatureCollection"})", {}, "geojson", "saknar listan"},
      {"point",
       Collection(Feature(point, R"({"name":"Tureberg"})")),
       {},
       "features[0] (namn: Tureberg)",
       "geometritypen \"Point\" stöds inte; endast Polygon och MultiPolygon"},
      {"null geometry",
       Collection(Feature("null")),
       {},
       "features[0] (namn: X)",
       "saknar geometri"},
      {"unclosed",
       Collection(Feature(unclosed)),
       {},
       "features[0] (namn: X)",
       "ytterringen är inte sluten"},
      {"three positions",
       Collection(Feature(three)),
       {},
       "features[0] (namn: X)",
       "ytterringen har bara 3 positioner; minst 4 krävs"},
      {"bow-tie",
       Collection(Feature(bow_tie), "EPSG:3006"),
       {},
       "features[0] (namn: X)",
       "självkorsning (kanter korsar varandra) vid E 674050.00, N 6580050.00"},
      {"lat/lon swapped",
       Collection(Feature(swapped)),
       {},
       "features[0] (namn: X)",
       "ligger utanför Sverige — fel koordinatsystem? filen tolkades som EPSG:4326 (longitud "
       "och latitud verkar vara omkastade)"},
      {"wrong --crs",
       Collection(Feature(kGoodPolygon)),
       {.crs_override = 3006},
       "features[0] (namn: X)",
       "ligger utanför Sverige — fel koordinatsystem? filen tolkades som EPSG:3006"},
      {"text coordinate",
       Collection(Feature(text_coord)),
       {},
       "features[0] (namn: X)",
       "ytterringen, position 2: koordinaten är inte ett tal ([\"17.952\",59.43])"},
      {"unknown crs name",
       Collection(Feature(kGoodPolygon), "SWEREF99"),
       {},
       "crs",
       "okänt koordinatsystem \"SWEREF99\""},
      {"unknown epsg", Collection(Feature(kGoodPolygon), "EPSG:999999"), {}, "crs", "EPSG:999999"},
      {"unknown --crs",
       Collection(Feature(kGoodPolygon)),
       {.crs_override = 123456},
       "crs",
       "EPSG:123456"},
  };
  for (const RejectCase& c : kCases) {
    SCOPED_TRACE(c.name);
    auto r = ParseAreaCollection(c.text, c.options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(r.error().fields.size(), 1u) << ToString(r.error());
    EXPECT_EQ(r.error().fields[0].field, c.field);
    EXPECT_NE(r.error().fields[0].reason.find(c.reason), std::string::npos)
        << r.error().fields[0].reason;
  }
}

TEST(ParseAreaCollection, ReportsEveryBadFeatureInOneError) {
  const std::string point = R"({"type":"Point","coordinates":[17.95,59.43]})";
  const std::string text =
      Collection(Feature(kGoodPolygon) + "," +
                 R"({"type":"Feature","id":"Tureberg","properties":{},"geometry":)" + point + "}," +
                 Feature(kGoodPolygon) + "," +
                 R"({"type":"Feature","id":7,"properties":{"kom_namn":"Sollentuna"},"geometry":)" +
                 point + "}," + R"({"type":"Feature","properties":{},"geometry":)" + point + "}");
  auto r = ParseAreaCollection(text, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "3 av 5 områden i GeoJSON-filen är ogiltiga (tolkad som EPSG:4326)");
  ASSERT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(r.error().fields[0].field, "features[1] (id: Tureberg)");
  EXPECT_EQ(r.error().fields[1].field, "features[3] (id: 7, namn: Sollentuna)");
  EXPECT_EQ(r.error().fields[2].field, "features[4]");
}

TEST(ParseAreaCollection, EmptyCollectionIsEmpty) {
  auto r = ParseAreaCollection(R"({"type":"FeatureCollection","features":[]})", {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(ToGeoJsonGeometry, SwerefTextRoundsToCentimetresAndOrientsRings) {
  // Clockwise outer ring with a counter-clockwise hole: written the other way round.
  MultiPolygon m{{Polygon{Ring{{{674000.004, 6580000},
                                {674000.004, 6580100.125},
                                {674100, 6580100.125},
                                {674100, 6580000},
                                {674000.004, 6580000}}},
                          {Ring{{{674040, 6580040},
                                 {674060, 6580040},
                                 {674060, 6580060},
                                 {674040, 6580060},
                                 {674040, 6580040}}}}}}};
  EXPECT_EQ(ToGeoJsonGeometry(m, false),
            R"({"type":"Polygon","coordinates":[[[674000,6580000],[674100,6580000],)"
            R"([674100,6580100.13],[674000,6580100.13],[674000,6580000]],[[674040,6580040],)"
            R"([674040,6580060],[674060,6580060],[674060,6580040],[674040,6580040]]]})");
}

TEST(ToGeoJsonGeometry, RoundTripsPoliceAreas) {
  auto r = ParseAreaCollection(
      ReadTestFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), {});
  ASSERT_TRUE(r);
  for (const AreaFeature& f : *r) {
    const std::string text = ToGeoJsonGeometry(f.geometry, false);
    EXPECT_EQ(text.rfind(R"({"type":"Polygon",)", 0), 0u);
    auto back = ParseGeometrySweref(text);
    ASSERT_TRUE(back) << ToString(back.error());
    ASSERT_EQ(back->parts.size(), 1u);
    const auto& a = f.geometry.parts[0].outer.pts;
    const auto& b = back->parts[0].outer.pts;
    ASSERT_EQ(a.size(), b.size());
    // Same ring, possibly reversed to counter-clockwise.
    const bool reversed = SignedArea(f.geometry.parts[0].outer) < 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const Sweref99Point& q = reversed ? b[b.size() - 1 - i] : b[i];
      EXPECT_NEAR(a[i].e, q.e, 0.0051);
      EXPECT_NEAR(a[i].n, q.n, 0.0051);
    }
    EXPECT_TRUE(ValidateGeometry(*back));
  }
  // Several parts make a MultiPolygon (the Järva areas share edges, so take Tureberg, Sigtuna and
  // Tensta, which are apart); WGS84 output re-imports to the same shape (6 decimals of a degree
  // is about 0.1 m).
  MultiPolygon all;
  for (size_t i : {0, 1, 2}) all.parts.push_back((*r)[i].geometry.parts[0]);
  const std::string wgs = ToGeoJsonGeometry(all, true);
  EXPECT_EQ(wgs.rfind(R"({"type":"MultiPolygon",)", 0), 0u);
  auto again = ParseAreaCollection(Collection(Feature(wgs)), {});
  ASSERT_TRUE(again) << ToString(again.error());
  const MultiPolygon& m = (*again)[0].geometry;
  ASSERT_EQ(m.parts.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(m.parts[i].outer.pts.front().e, all.parts[i].outer.pts.front().e, 0.15);
    EXPECT_NEAR(m.parts[i].outer.pts.front().n, all.parts[i].outer.pts.front().n, 0.15);
    MultiPolygon one{{all.parts[i]}};
    MultiPolygon one_back{{m.parts[i]}};
    EXPECT_NEAR(one_back.Area(), one.Area(), one.Area() * 1e-4);
  }
}

TEST(ToGeoJsonGeometry, EmptyGeometryRoundTrips) {
  EXPECT_EQ(ToGeoJsonGeometry(MultiPolygon{}, false),
            R"({"type":"MultiPolygon","coordinates":[]})");
  auto back = ParseGeometrySweref(ToGeoJsonGeometry(MultiPolygon{}, false));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->parts.empty());
}

TEST(ParseGeometrySweref, RejectsBadGeometry) {
  for (const char* text :
       {"{", "null", R"({"type":"Point","coordinates":[1,2]})",
        R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})",
        R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})",
        R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,"x"],[0,0]]]})"}) {
    SCOPED_TRACE(text);
    auto r = ParseGeometrySweref(text);
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "geometry");
  }
}

}  // namespace
}  // namespace est::geo
