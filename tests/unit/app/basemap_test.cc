// The basemap's URL rules and the CSP origin it yields (app/basemap.h).
#include "app/basemap.h"

#include <gtest/gtest.h>

namespace est::app {
namespace {

std::string FieldOf(const Result<Basemap>& b) {
  return b ? "" : b.error().fields.at(0).field + ": " + b.error().fields.at(0).reason;
}

TEST(Basemap, XyzWmtsAndTheirOrigins) {
  auto osm = ParseBasemap(" https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png ", "© OSM", {});
  ASSERT_TRUE(osm) << FieldOf(osm);
  EXPECT_EQ(osm->url, "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png");
  EXPECT_EQ(osm->max_zoom, 19);
  EXPECT_EQ(BasemapOrigin(*osm), "https://*.tile.openstreetmap.org");

  auto wmts = ParseBasemap(
      "https://karta.kommun.se:8443/wmts/1.0.0/topowebb/default/3857/{TileMatrix}/{TileRow}/"
      "{TileCol}.png?key=abc",
      "© Lantmäteriet", 17);
  ASSERT_TRUE(wmts) << FieldOf(wmts);
  EXPECT_EQ(wmts->url,
            "https://karta.kommun.se:8443/wmts/1.0.0/topowebb/default/3857/{z}/{y}/{x}.png?key=abc");
  EXPECT_EQ(wmts->max_zoom, 17);
  EXPECT_EQ(BasemapOrigin(*wmts), "https://karta.kommun.se:8443");

  auto tms = ParseBasemap("http://127.0.0.1:8081/t/{z}/{x}/{-y}.png", "test", {});
  ASSERT_TRUE(tms) << FieldOf(tms);
  EXPECT_EQ(BasemapOrigin(*tms), "http://127.0.0.1:8081");

  auto none = ParseBasemap("", "", {});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->url.empty());
  EXPECT_EQ(BasemapOrigin(*none), "");
}

TEST(Basemap, RefusesWhatCouldBreakTheCspOrMisplaceTiles) {
  const char* attribution = "© x";
  EXPECT_EQ(FieldOf(ParseBasemap("ftp://x.se/{z}/{x}/{y}", attribution, {})).substr(0, 4), "url:");
  EXPECT_NE(FieldOf(ParseBasemap("https://x.se/{z}/{x}.png", attribution, {})), "");
  EXPECT_NE(FieldOf(ParseBasemap("https://x.se/{Style}/{z}/{x}/{y}.png", attribution, {}))
                .find("{Style}"),
            std::string::npos);
  EXPECT_NE(FieldOf(ParseBasemap("https://x.se;img-src *'/{z}/{x}/{y}", attribution, {})), "");
  EXPECT_NE(FieldOf(ParseBasemap("https://x.se/{z}/{x}/{y} .png", attribution, {})), "");
  EXPECT_NE(FieldOf(ParseBasemap("https://ev\"il.se/{z}/{x}/{y}", attribution, {})), "");
  EXPECT_NE(FieldOf(ParseBasemap("https://x.se:99999/{z}/{x}/{y}", attribution, {})), "");
  EXPECT_NE(FieldOf(ParseBasemap("https://x.se/{s}/{z}/{x}/{y}", attribution, {})), "")
      << "{s} only as the host's first label";
  EXPECT_EQ(FieldOf(ParseBasemap("https://x.se/{z}/{x}/{y}", "", {})).substr(0, 12), "attribution:");
  EXPECT_EQ(FieldOf(ParseBasemap("https://x.se/{z}/{x}/{y}", "<b>x</b>", {})).substr(0, 12),
            "attribution:");
  EXPECT_EQ(FieldOf(ParseBasemap("https://x.se/{z}/{x}/{y}", "x", 23)).substr(0, 9), "max_zoom:");
}

}  // namespace
}  // namespace est::app
