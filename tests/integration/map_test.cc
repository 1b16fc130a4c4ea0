// The map's data over the real binary: the address register (est import addresses from CSV and
// from a GeoPackage written by GDAL, the search over HTTP, Open311's address_string, the upload
// over HTTP, refused files leaving the data as it was) and the basemap (est basemap, est serve
// --basemap, the administrator's POST, the Content-Security-Policy following the tile host).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;
constexpr const char* kPassword = "Trygghet-Sollentuna-49!";

class MapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(MapTest, AddressesFromCsvAreFoundOverHttp) {
  auto imp = Est({"import", "addresses", DataFile("sollentuna-adresser-test.csv")});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_NE(imp.out.find("18 adresser av 18 rader"), std::string::npos) << imp.out;
  // Again: the register is replaced, not doubled.
  ASSERT_EQ(Est({"import", "addresses", DataFile("sollentuna-adresser-test.csv")}).exit_code, 0);
  EXPECT_EQ(QuerySql(db_, "SELECT COUNT(*) FROM addresses"), "18");

  Server server(db_);
  Session s(server.port());
  EXPECT_EQ(s.Get("/api/v1/addresses?q=malm")->status, 401) << "only for signed-in users";
  ASSERT_EQ(s.Login("rap.hem", kPassword)->status, 200);
  auto r = s.Get("/api/v1/addresses?q=malmvagen%203");
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["total"], 18);
  ASSERT_EQ(j["items"].size(), 2u) << r->body;  // 3 and 3B
  EXPECT_EQ(j["items"][0]["label"], "Malmvägen 3, Sollentuna");
  EXPECT_EQ(j["items"][0]["area_code"], "531330") << "the point lies in Tureberg";
  EXPECT_NEAR(j["items"][0]["lat"].get<double>(), 59.4267, 0.001);
  EXPECT_EQ(j["items"][1]["label"], "Malmvägen 3B, Sollentuna");

  auto street = json::parse(s.Get("/api/v1/addresses?q=MALMV&limit=3")->body);
  ASSERT_EQ(street["items"].size(), 3u);
  EXPECT_EQ(street["items"][0]["label"], "Malmvägen, Sollentuna");
  EXPECT_TRUE(street["items"][0]["street_only"].get<bool>());
  EXPECT_EQ(street["items"][1]["label"], "Malmvägen 1, Sollentuna");
  EXPECT_EQ(street["items"][2]["label"], "Malmvägen 2, Sollentuna");

  ExpectProblem(s.Get("/api/v1/addresses?q=malm&limit=500"), 400, "limit");
  ExpectProblem(s.Get("/api/v1/addresses?q=" + std::string(201, 'a')), 400, "q");
  // A reporter may search but not replace the register.
  EXPECT_EQ(s.PostRaw("/api/v1/addresses", "street,lon,lat\nA,17.9,59.4\n", "text/csv")->status,
            403);
}

TEST_F(MapTest, AddressesFromAGeoPackageAndBadFilesLeaveTheRegister) {
  ASSERT_EQ(Est({"import", "addresses", DataFile("sollentuna-adresser-test.csv")}).exit_code, 0);
  const std::string before = DatabaseDigest(db_);
  // A GeoPackage point layer written by GDAL from the CSV (its e/n as the geometry, EPSG:3006).
  const std::string gpkg = dir_.File("adresser.gpkg");
  auto made = RunProgram({"ogr2ogr", "-f", "GPKG", gpkg, DataFile("sollentuna-adresser-test.csv"),
                          "-oo", "X_POSSIBLE_NAMES=e", "-oo", "Y_POSSIBLE_NAMES=n", "-a_srs",
                          "EPSG:3006", "-nln", "adresser", "-sql",
                          "SELECT gatunamn, husnummer, bokstav, postort FROM "
                          "\"sollentuna-adresser-test\" WHERE husnummer <> '3'"});
  ASSERT_EQ(made.exit_code, 0) << made.err;

  // Bad files first: each is refused naming where, and nothing changes.
  WriteText(dir_.File("bad.csv"), "gatunamn,lon,lat\nMalmvägen,17.94,59.43\n,17.94,59.43\n");
  auto bad = Est({"import", "addresses", dir_.File("bad.csv")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("rad 3, kolumn gatunamn"), std::string::npos) << bad.err;
  WriteText(dir_.File("nopos.csv"), "gatunamn\nMalmvägen\n");
  auto nopos = Est({"import", "addresses", dir_.File("nopos.csv")});
  EXPECT_EQ(nopos.exit_code, 2);
  EXPECT_NE(nopos.err.find("lon"), std::string::npos) << nopos.err;
  auto missing = Est({"import", "addresses", dir_.File("finns-inte.csv")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(DatabaseDigest(db_), before);

  auto imp = Est({"import", "addresses", gpkg});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_NE(imp.out.find("16 adresser av 16 objekt"), std::string::npos) << imp.out;
  Server server(db_);
  Session s(server.port());
  ASSERT_EQ(s.Login("samordnare", kPassword)->status, 200);
  auto j = json::parse(s.Get("/api/v1/addresses?q=malmv%C3%A4gen%203")->body);
  EXPECT_TRUE(j["items"].empty()) << "number 3 was left out of the layer: " << j.dump();
  auto four = json::parse(s.Get("/api/v1/addresses?q=Malmv%C3%A4gen%204")->body);
  ASSERT_EQ(four["items"].size(), 1u) << four.dump();
  EXPECT_EQ(four["items"][0]["area_code"], "531330") << "the GeoPackage's CRS was applied";

  // Over HTTP (coordinators): a refused upload names the row and leaves the register.
  const std::string mid = DatabaseDigest(db_);
  auto refused = s.PostRaw("/api/v1/addresses", "street,lon,lat\nA,x,59.4\n", "text/csv");
  ExpectProblem(refused, 400, "rad 2, kolumn lon");
  EXPECT_EQ(s.PostRaw("/api/v1/addresses", "{}", "application/json")->status, 415);
  EXPECT_EQ(DatabaseDigest(db_), mid);
  auto up = s.PostRaw("/api/v1/addresses", "street,number,lon,lat\nÅsvägen,8,17.95,59.45\n",
                      "text/csv");
  ASSERT_EQ(up->status, 201) << up->body;
  EXPECT_EQ(json::parse(up->body)["imported"], 1);
  EXPECT_EQ(json::parse(s.Get("/api/v1/addresses?q=asv")->body)["total"], 1);
  // Every change is in the audit trail.
  EXPECT_EQ(QuerySql(db_, "SELECT COUNT(*) FROM audit WHERE entity = 'addresses'"), "3");
}

TEST_F(MapTest, Open311FindsTheReportByItsAddress) {
  auto token = Est({"token", "add", "rap.hem", "--name", "Felanmälan"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string key = token.out.substr(0, token.out.find('\n'));
  ASSERT_EQ(Est({"import", "addresses", DataFile("sollentuna-adresser-test.csv")}).exit_code, 0);
  Server server(db_);
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(30, 0);
  auto post = [&](const std::string& form) {
    return c.Post("/open311/v2/requests.json", "api_key=" + key + "&service_code=klotter&" + form,
                  "application/x-www-form-urlencoded");
  };
  // The token's first use stamps its last_used; after that a refused request changes nothing.
  ASSERT_EQ(c.Get(("/open311/v2/services.json?api_key=" + key).c_str())->status, 200);
  const std::string before = DatabaseDigest(db_);
  ExpectProblem(post("address_string=Malmv%C3%A4gen+99"), 400, "address_string");
  ExpectProblem(post("address_string=Malmv%C3%A4gen"), 400, "address_string");
  EXPECT_EQ(DatabaseDigest(db_), before);
  auto ok = post("address_string=malmvagen+3b%2C+Sollentuna&description=Klotter+p%C3%A5+port");
  ASSERT_EQ(ok->status, 201) << ok->body;
  const std::string id = json::parse(ok->body)[0]["service_request_id"].get<std::string>();
  auto got = c.Get(("/open311/v2/requests/" + id + ".json?api_key=" + key).c_str());
  ASSERT_EQ(got->status, 200) << got->body;
  auto req = json::parse(got->body)[0];
  EXPECT_NEAR(req["lat"].get<double>(), 59.4267, 0.001) << got->body;
  EXPECT_EQ(QuerySql(db_, "SELECT a.code FROM reports r JOIN areas a ON a.id = r.area_id WHERE "
                          "r.id = " + id),
            "531330");
}

TEST_F(MapTest, BasemapFromTheCommandLineTheAdminAndServe) {
  Server plain(db_);
  {
    httplib::Client c("127.0.0.1", plain.port());
    auto none = c.Get("/api/v1/basemap");
    ASSERT_EQ(none->status, 200);
    EXPECT_TRUE(json::parse(none->body)["url"].is_null());
    EXPECT_NE(c.Get("/")->get_header_value("Content-Security-Policy").find("img-src 'self' data:;"),
              std::string::npos);

    Session admin(plain.port());
    ASSERT_EQ(admin.Login("admin", kPassword)->status, 200);
    const std::string before = DatabaseDigest(db_);
    ExpectProblem(admin.Post("/api/v1/basemap", {{"url", "ftp://x.se/{z}/{x}/{y}"},
                                                 {"attribution", "x"}}),
                  400, "url");
    ExpectProblem(admin.Post("/api/v1/basemap",
                             {{"url", "https://x.se/tiles/{z}/{x}.png"}, {"attribution", "x"}}),
                  400, "url");
    ExpectProblem(admin.Post("/api/v1/basemap",
                             {{"url", "https://evil.se;script-src *'/{z}/{x}/{y}"},
                              {"attribution", "x"}}),
                  400, "url");
    ExpectProblem(admin.Post("/api/v1/basemap", {{"url", "https://x.se/{z}/{x}/{y}.png"}}), 400,
                  "attribution");
    ExpectProblem(admin.Post("/api/v1/basemap", {{"url", "https://x.se/{z}/{x}/{y}.png"},
                                                 {"attribution", "x"},
                                                 {"max_zoom", 40}}),
                  400, "max_zoom");
    EXPECT_EQ(DatabaseDigest(db_), before);

    Session coordinator(plain.port());
    ASSERT_EQ(coordinator.Login("samordnare", kPassword)->status, 200);
    EXPECT_EQ(coordinator
                  .Post("/api/v1/basemap", {{"url", "https://x.se/{z}/{x}/{y}.png"},
                                            {"attribution", "x"}})
                  ->status,
              403);

    // A WMTS REST template in Web Mercator becomes {z}/{y}/{x}.
    auto set = admin.Post(
        "/api/v1/basemap",
        {{"url", "https://maps.example.se:8443/wmts/1.0.0/topowebb/default/3857/{TileMatrix}/"
                 "{TileRow}/{TileCol}.png"},
         {"attribution", "© Lantmäteriet"},
         {"max_zoom", 17}});
    ASSERT_EQ(set->status, 200) << set->body;
    auto b = json::parse(c.Get("/api/v1/basemap")->body);
    EXPECT_EQ(b["url"], "https://maps.example.se:8443/wmts/1.0.0/topowebb/default/3857/{z}/{y}/{x}.png");
    EXPECT_EQ(b["attribution"], "© Lantmäteriet");
    EXPECT_EQ(b["max_zoom"], 17);
    EXPECT_EQ(b["source"], "settings");
    EXPECT_NE(c.Get("/")->get_header_value("Content-Security-Policy")
                  .find("img-src 'self' data: https://maps.example.se:8443;"),
              std::string::npos);
    EXPECT_EQ(QuerySql(db_, "SELECT COUNT(*) FROM audit WHERE entity = 'setting'"), "1");
  }
  plain.Terminate();
  plain.Wait();

  auto shown = Est({"basemap", "show"});
  EXPECT_NE(shown.out.find("© Lantmäteriet"), std::string::npos) << shown.out;
  auto refused = Est({"basemap", "set", "https://x.se/{z}/{x}/{y}.png", "--attribution", ""});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("attribution"), std::string::npos) << refused.err;
  ASSERT_EQ(Est({"basemap", "clear"}).exit_code, 0);
  EXPECT_NE(Est({"basemap", "show"}).out.find("Ingen bakgrundskarta"), std::string::npos);

  // est serve --basemap wins, and the administrator cannot change it there.
  auto bad = Est({"serve", "--port", "0", "--basemap", "https://{s}.x.se/{z}/{x}/{y}.png"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--basemap-attribution"), std::string::npos) << bad.err;
  Server served(db_, {"--basemap", "https://{s}.tile.example.org/{z}/{x}/{y}.png",
                      "--basemap-attribution", "© OpenStreetMap-bidragsgivare"});
  httplib::Client c("127.0.0.1", served.port());
  auto b = json::parse(c.Get("/api/v1/basemap")->body);
  EXPECT_EQ(b["source"], "server");
  EXPECT_NE(c.Get("/api/v1/health")->get_header_value("Content-Security-Policy")
                .find("img-src 'self' data: https://*.tile.example.org;"),
            std::string::npos);
  Session admin(served.port());
  ASSERT_EQ(admin.Login("admin", kPassword)->status, 200);
  EXPECT_EQ(admin.Post("/api/v1/basemap", {{"url", ""}, {"attribution", ""}})->status, 409);
}

}  // namespace
}  // namespace est::testing
