// GIS files in and out through GDAL: Sweden's 290 municipalities written by GDAL's own ogr2ogr
// as a GeoPackage and as a Shapefile in SWEREF 99 TM (EPSG:3006, CRS from its .prj) import as the
// same areas as the GeoJSON (every point of a lattice over Sweden lands in the same
// municipality); reports go out as a GeoPackage (read back by ogrinfo) and come back from it and
// from a Shapefile made of it, as the same rows; bad files are refused naming the file, layer or
// feature, and leave the database as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

CommandResult Ogr2ogr(const std::vector<std::string>& args) {
  std::vector<std::string> cmd = {"ogr2ogr"};
  cmd.insert(cmd.end(), args.begin(), args.end());
  return RunProgram(cmd);
}

// A lattice of points over Sweden (and the sea around it) as report CSV.
std::string LatticeCsv() {
  std::string csv = "id,occurred_at,lon,lat,category,org\n";
  int n = 0;
  for (double lat = 55.2; lat < 69.2; lat += 0.2) {
    for (double lon = 10.9; lon < 24.3; lon += 0.2) {
      char row[160];
      std::snprintf(row, sizeof row, "p%d,2026-11-16T12:00:00+01:00,%.4f,%.4f,klotter,hem\n", ++n,
                    lon, lat);
      csv += row;
    }
  }
  return csv;
}

class GisTest : public ::testing::Test {
 protected:
  // A fresh database with the municipalities from `file` and the lattice's reports; returns
  // `est areas list` (code, name, parent, level, report count).
  std::string AreasFrom(const std::string& name, const std::vector<std::string>& import_args) {
    std::string db = dir_.Database(name);
    std::vector<std::string> args = {"--db", db, "import", "areas"};
    args.insert(args.end(), import_args.begin(), import_args.end());
    args.insert(args.end(), {"--code-prop", "id", "--name-prop", "kom_namn"});
    auto r = RunEst(args);
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.out.find("Importerade 290 områden"), std::string::npos) << r.out;
    // Points at sea or abroad are refused as outside Sweden; the rest land in a municipality.
    auto rep = RunEst({"--db", db, "import", "reports", dir_.File("lattice.csv"), "--create-missing",
                       "--skip-invalid", dir_.File(name + "-rejects.csv")});
    EXPECT_EQ(rep.exit_code, 0) << rep.err;
    auto list = RunEst({"--db", db, "areas", "list"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    return list.out;
  }
  TempDir dir_;
};

TEST_F(GisTest, MunicipalitiesFromGeoPackageAndShapefileAreTheGeoJsonsAreas) {
  const std::string src = DataFile("sweden-municipalities-okfse.geojson");
  WriteText(dir_.File("lattice.csv"), LatticeCsv());
  auto gpkg = Ogr2ogr({"-f", "GPKG", dir_.File("kommuner.gpkg"), src, "-nln", "kommuner"});
  ASSERT_EQ(gpkg.exit_code, 0) << gpkg.err;
  // The Shapefile in SWEREF 99 TM; its list-valued column cannot go into a DBF and is left out.
  auto shp = Ogr2ogr({"-f", "ESRI Shapefile", "-t_srs", "EPSG:3006", "-select", "id,kom_namn,lan_code",
                      dir_.File("kommuner.shp"), src});
  ASSERT_EQ(shp.exit_code, 0) << shp.err;
  ASSERT_NE(ReadText(dir_.File("kommuner.prj")).find("SWEREF99"), std::string::npos);

  const std::string reference = AreasFrom("geojson", {src});
  auto lines = Lines(reference);
  ASSERT_EQ(lines.size(), 1u + 290);
  int with_reports = 0;
  for (size_t i = 1; i < lines.size(); ++i) with_reports += lines[i].back() != '0';
  EXPECT_GT(with_reports, 100) << "the lattice reaches most municipalities";
  EXPECT_EQ(AreasFrom("gpkg", {dir_.File("kommuner.gpkg")}), reference);
  EXPECT_EQ(AreasFrom("shp", {dir_.File("kommuner.shp")}), reference);

  // Without its .prj the Shapefile's coordinates mean nothing: refused, asking for --crs.
  std::remove(dir_.File("kommuner.prj").c_str());
  std::string db = dir_.Database("noprj");
  auto no_prj = RunEst({"--db", db, "import", "areas", dir_.File("kommuner.shp"), "--code-prop",
                        "id", "--name-prop", "kom_namn"});
  EXPECT_EQ(no_prj.exit_code, 2);
  EXPECT_NE(no_prj.err.find("--crs"), std::string::npos) << no_prj.err;
  auto list = RunEst({"--db", db, "areas", "list"});
  EXPECT_EQ(Lines(list.out).size(), 1u) << list.out;
  auto with_crs = RunEst({"--db", db, "import", "areas", dir_.File("kommuner.shp"), "--code-prop",
                          "id", "--name-prop", "kom_namn", "--crs", "EPSG:3006"});
  EXPECT_EQ(with_crs.exit_code, 0) << with_crs.err;
  EXPECT_NE(with_crs.out.find("Importerade 290 områden"), std::string::npos);
}

const char* kCsv =
    "id;occurred_at;lon;lat;category;org;severity;count;description\n"
    "a1;2026-11-16T21:30:00+01:00;17,945997;59,427118;Klotter;hem;1;1;\"Klotter på fasad\"\n"
    "a2;2026-11-17T22:00:00+01:00;17.900;59.445;narkotika;polis;3;2;Misstänkt försäljning\n"
    "a3;2026-11-18T08:00:00+01:00;17.930;59.430;skadegörelse;hem;2;1;Trasig belysning\n";

class GisReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
    WriteText(dir_.File("r.csv"), kCsv);
    ASSERT_EQ(Est({"import", "reports", dir_.File("r.csv")}).exit_code, 0);
    ASSERT_EQ(Est({"import", "polisen", DataFile("polisen-events-2026-08-22.json")}).exit_code, 0);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  // The export's rows without EST's own id, sorted.
  static std::vector<std::string> Rows(const std::string& csv) {
    std::vector<std::string> out;
    for (const auto& l : Lines(csv)) out.push_back(l.substr(l.find(',')));
    std::sort(out.begin(), out.end());
    return out;
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(GisReportsTest, GeoPackageOutAndBackAndThroughAShapefile) {
  auto out = Est({"reports", "list", "--area", "0163", "--format", "gpkg", "--output",
                  dir_.File("rapporter.gpkg")});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.err.find("4 rapporter"), std::string::npos) << out.err;
  auto info = RunProgram({"ogrinfo", "-so", dir_.File("rapporter.gpkg"), "reports"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("Feature Count: 4"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("occurred_from: DateTime"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("EPSG\",4326"), std::string::npos) << info.out;

  const auto expected = Rows(Est({"reports", "list", "--area", "0163"}).out);
  ASSERT_EQ(expected.size(), 1u + 4);  // three partner reports and the police event
  std::string other = dir_.Database("annan");
  SeedMunicipality(other);
  auto in = RunEst({"--db", other, "import", "reports", dir_.File("rapporter.gpkg")});
  ASSERT_EQ(in.exit_code, 0) << in.err;
  EXPECT_NE(in.out.find("Importerade 4 av 4 objekt"), std::string::npos) << in.out;
  EXPECT_EQ(Rows(RunEst({"--db", other, "reports", "list", "--area", "0163"}).out), expected);
  auto again = RunEst({"--db", other, "import", "reports", dir_.File("rapporter.gpkg")});
  EXPECT_NE(again.out.find("4 fanns redan"), std::string::npos) << again.out;

  // A Shapefile in SWEREF 99 TM made from the GeoJSON export (times kept as text: a DBF has no
  // time of day), its column names cut at 10 characters by the DBF.
  auto gj = Est({"reports", "list", "--area", "0163", "--format", "geojson", "--output",
                 dir_.File("rapporter.geojson")});
  ASSERT_EQ(gj.exit_code, 0) << gj.err;
  auto shp = Ogr2ogr({"-f", "ESRI Shapefile", "-t_srs", "EPSG:3006", "-oo", "DATE_AS_STRING=YES",
                      dir_.File("rapporter.shp"), dir_.File("rapporter.geojson")});
  ASSERT_EQ(shp.exit_code, 0) << shp.err;
  std::string third = dir_.Database("tredje");
  SeedMunicipality(third);
  auto from_shp = RunEst({"--db", third, "import", "reports", dir_.File("rapporter.shp")});
  ASSERT_EQ(from_shp.exit_code, 0) << from_shp.err;
  EXPECT_EQ(Rows(RunEst({"--db", third, "reports", "list", "--area", "0163"}).out), expected);

  auto no_output = Est({"reports", "list", "--format", "gpkg"});
  EXPECT_EQ(no_output.exit_code, 2);
  EXPECT_NE(no_output.err.find("--output"), std::string::npos) << no_output.err;
}

TEST_F(GisReportsTest, BadGisFilesAreRefusedByNameAndChangeNothing) {
  const std::string before = DatabaseDigest(db_);
  // Not a GIS file at all.
  WriteText(dir_.File("trasig.gpkg"), "SQLite format 3\nnot really");
  auto broken = Est({"import", "reports", dir_.File("trasig.gpkg")});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("trasig.gpkg"), std::string::npos) << broken.err;

  // Areas are no reports: the first polygon is named.
  auto polygons = Est({"import", "reports", DataFile("tureberg-polisen-2025.geojson")});
  EXPECT_EQ(polygons.exit_code, 2) << polygons.out;
  EXPECT_NE(polygons.err.find("objekt 1"), std::string::npos) << polygons.err;
  ASSERT_EQ(Ogr2ogr({"-f", "GPKG", dir_.File("ytor.gpkg"), DataFile("tureberg-polisen-2025.geojson"),
                     "-nln", "ytor"})
                .exit_code,
            0);
  auto poly = Est({"import", "reports", dir_.File("ytor.gpkg")});
  EXPECT_EQ(poly.exit_code, 2);
  EXPECT_NE(poly.err.find("objekt 1"), std::string::npos) << poly.err;
  EXPECT_NE(poly.err.find("punkter"), std::string::npos) << poly.err;

  // Two layers: which one is asked for, and both are listed.
  ASSERT_EQ(Est({"reports", "list", "--format", "geojson", "--output", dir_.File("r.geojson")})
                .exit_code,
            0);
  ASSERT_EQ(Ogr2ogr({"-f", "GPKG", "-update", dir_.File("ytor.gpkg"), dir_.File("r.geojson"),
                     "-nln", "rapporter"})
                .exit_code,
            0);
  auto two = Est({"import", "reports", dir_.File("ytor.gpkg")});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("--layer"), std::string::npos) << two.err;
  EXPECT_NE(two.err.find("rapporter"), std::string::npos) << two.err;
  auto missing = Est({"import", "reports", dir_.File("ytor.gpkg"), "--layer", "finns_inte"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("finns_inte"), std::string::npos) << missing.err;

  // A feature with an unknown category is named by its number.
  std::string text = ReadText(dir_.File("r.geojson"));
  auto fc = json::parse(text);
  fc["features"][1]["properties"]["category"] = "finns-inte";
  WriteText(dir_.File("fel.geojson"), fc.dump());
  ASSERT_EQ(Ogr2ogr({"-f", "GPKG", dir_.File("fel.gpkg"), dir_.File("fel.geojson"), "-nln", "r"})
                .exit_code,
            0);
  auto bad_cat = Est({"import", "reports", dir_.File("fel.gpkg")});
  EXPECT_EQ(bad_cat.exit_code, 2);
  EXPECT_NE(bad_cat.err.find("finns-inte\" på objekt 2"), std::string::npos) << bad_cat.err;

  EXPECT_EQ(DatabaseDigest(db_), before);
}

}  // namespace
}  // namespace est::testing

namespace est::testing {
namespace {

// The same files over HTTP: areas from a GeoPackage and from a zipped Shapefile (both written by
// GDAL, in EPSG:3006 with the CRS in the file), addresses from a GeoPackage, reports from a
// GeoPackage; a body that is not what it claims is refused by name and stores nothing.
TEST(GisUploadTest, GeoPackagesAndZippedShapefilesOverHttp) {
  TempDir dir;
  const std::string db = dir.Database();
  SeedMunicipality(db);
  const std::string jarva = dir.File("jarva.gpkg");
  auto made = Ogr2ogr({"-f", "GPKG", jarva, DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"),
                       "-where", "LOKALPOLISOMRADE = 'Järva'", "-nln", "jarva"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  // GDAL writes a zipped Shapefile (.shp, .shx, .dbf, .prj in one zip) for a name in .shp.zip.
  const std::string zip = dir.File("valsta.shp.zip");
  auto zipped = Ogr2ogr({"-f", "ESRI Shapefile", zip,
                         DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), "-where",
                         "NAMN = 'Sigtuna / Valsta'", "-nln", "valsta"});
  ASSERT_EQ(zipped.exit_code, 0) << zipped.err;
  const std::string addresses = dir.File("adresser.gpkg");
  ASSERT_EQ(Ogr2ogr({"-f", "GPKG", addresses, DataFile("sollentuna-adresser-test.csv"), "-oo",
                     "X_POSSIBLE_NAMES=e", "-oo", "Y_POSSIBLE_NAMES=n", "-a_srs", "EPSG:3006",
                     "-nln", "adresser"})
                .exit_code,
            0);

  Server server(db);
  Session s(server.port());
  ASSERT_EQ(s.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  const std::string before = DatabaseDigest(db);
  ExpectProblem(s.PostRaw("/api/v1/areas?code_prop=SPECIALOMRADES_ID&name_prop=NAMN",
                          "inte en geopackage", "application/geopackage+sqlite3"),
                400, "file");
  ExpectProblem(s.PostRaw("/api/v1/areas", ReadText(jarva), "application/zip"), 400, "file");
  ExpectProblem(s.PostRaw("/api/v1/addresses", ReadText(jarva), "application/geopackage+sqlite3"),
                400, "");
  EXPECT_EQ(s.PostRaw("/api/v1/areas", ReadText(jarva), "image/png")->status, 415);
  EXPECT_EQ(DatabaseDigest(db), before);

  auto gpkg = s.PostRaw("/api/v1/areas?code_prop=SPECIALOMRADES_ID&name_prop=NAMN", ReadText(jarva),
                        "application/geopackage+sqlite3");
  ASSERT_EQ(gpkg->status, 201) << gpkg->body;
  EXPECT_EQ(json::parse(gpkg->body)["items"].size(), 3u) << "Tensta, Rinkeby, Hjulsta";
  // A DBF keeps 10 characters of a field name: SPECIALOMRADES_ID is SPECIALOMR there.
  auto shp = s.PostRaw("/api/v1/areas?code_prop=SPECIALOMR&name_prop=NAMN", ReadText(zip),
                       "application/zip");
  ASSERT_EQ(shp->status, 201) << shp->body;
  EXPECT_EQ(json::parse(shp->body)["items"][0]["name"], "Sigtuna / Valsta");
  // The Shapefile's .prj (EPSG:3006) was applied: Valsta lies north of Sollentuna, in Sigtuna.
  auto geo = json::parse(s.Get("/api/v1/areas?format=geojson")->body);
  bool valsta_north = false;
  for (const auto& f : geo["features"]) {
    if (f["properties"]["name"] != "Sigtuna / Valsta") continue;
    const json& g = f["geometry"];
    const json& ring = g["type"] == "Polygon" ? g["coordinates"][0] : g["coordinates"][0][0];
    valsta_north = ring[0][1].get<double>() > 59.55 && ring[0][1].get<double>() < 59.7;
  }
  EXPECT_TRUE(valsta_north) << "the polygon is in WGS 84 at Märsta's latitude";

  auto addr = s.PostRaw("/api/v1/addresses", ReadText(addresses), "application/geopackage+sqlite3");
  ASSERT_EQ(addr->status, 201) << addr->body;
  EXPECT_EQ(json::parse(addr->body)["imported"], 18);
  auto hit = json::parse(s.Get("/api/v1/addresses?q=malmvagen%205")->body);
  ASSERT_EQ(hit["items"].size(), 1u) << hit.dump();
  EXPECT_EQ(hit["items"][0]["area_code"], "531330");

  // Reports from a GeoPackage point layer; a bad feature is named "objekt N".
  const std::string pts = dir.File("rapporter.csv");
  WriteText(pts, "id,occurred_at,category,org,lon,lat\nu1,2026-11-16T12:00:00+01:00,klotter,hem,"
                 "17.946,59.4271\nu2,2026-11-16T13:00:00+01:00,finns-inte,hem,17.946,59.4271\n");
  const std::string rep = dir.File("rapporter.gpkg");
  ASSERT_EQ(Ogr2ogr({"-f", "GPKG", rep, pts, "-oo", "X_POSSIBLE_NAMES=lon", "-oo",
                     "Y_POSSIBLE_NAMES=lat", "-a_srs", "EPSG:4326", "-nln", "rapporter"})
                .exit_code,
            0);
  const std::string mid = DatabaseDigest(db);
  ExpectProblem(s.PostRaw("/api/v1/reports/import", ReadText(rep), "application/geopackage+sqlite3"),
                400, "objekt 2: category");
  EXPECT_EQ(DatabaseDigest(db), mid);
}

}  // namespace
}  // namespace est::testing
