// Other information over the CLI and HTTP: the police's list (real 2025 features: only Tureberg
// lies in Sollentuna; the attribute table fills missing properties), survey CSV import
// (all-or-nothing with row and column named, upsert), säkerhet vs trygghet, and the 2030 goal.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "api_client.h"
#include "core/time.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

class ContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  std::string DbHash() { return DatabaseDigest(db_); }
  TempDir dir_;
  std::string db_;
};

TEST_F(ContextTest, PoliceListKeepsOnlyAreasInTheMunicipality) {
  auto r = Est({"import", "vulnerable",
                DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), "--year", "2025",
                "--attributes", DataFile("polisen-utsatta-omraden-2025.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 områden i kommunen, 4 utanför"), std::string::npos) << r.out;
  // Keyed by SPECIALOMRADES_ID (61), not by the local police area's OMRADESKOD (531330).
  EXPECT_NE(r.out.find("61  Tureberg (Utsatt område, sedan 2018-10-01, 100 % inom kommunen)"),
            std::string::npos)
      << r.out;
  auto goal = Est({"goal", "--format", "json"});
  ASSERT_EQ(goal.exit_code, 0) << goal.err;
  json g = json::parse(goal.out);
  EXPECT_EQ(g["latest_year"], 2025);
  ASSERT_EQ(g["areas"].size(), 1u);
  EXPECT_EQ(g["areas"][0]["name"], "Tureberg");
  EXPECT_EQ(g["areas"][0]["area"]["code"], "531330");  // linked to the EST area holding its centre
  EXPECT_EQ(g["areas"][0]["counts"].size(), 4u);
  EXPECT_TRUE(g["areas"][0]["survey_area"].is_null());
  // A survey of the enclosing area is shown for the listed area, and says whose it is.
  WriteText(dir_.File("kommun.csv"),
            "area,indicator,period,source,value,n\n0163,andel_otrygga,2025,NTU,18,900\n");
  ASSERT_EQ(Est({"import", "surveys", dir_.File("kommun.csv")}).exit_code, 0);
  g = json::parse(Est({"goal", "--format", "json"}).out);
  ASSERT_EQ(g["areas"][0]["surveys"].size(), 1u);
  EXPECT_EQ(g["areas"][0]["survey_area"]["code"], "0163");
}

// The real list for Stockholm: Tensta, Rinkeby and Hjulsta share OMRADESKOD 531350 (the local
// police area Järva); with every municipality stored all five areas are kept, one per
// SPECIALOMRADES_ID, where the store used to refuse the second 531350 with a database error.
TEST_F(ContextTest, PoliceListOfStockholmKeysAreasBySpecialAreaId) {
  std::string db = dir_.Database("sverige");
  ASSERT_EQ(RunEst({"--db", db, "import", "areas", DataFile("sweden-municipalities-okfse.geojson"),
                    "--code-prop", "id", "--name-prop", "kom_namn"})
                .exit_code,
            0);
  auto r = RunEst({"--db", db, "import", "vulnerable",
                   DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), "--year",
                   "2025", "--attributes", DataFile("polisen-utsatta-omraden-2025.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5 områden i kommunen, 0 utanför"), std::string::npos) << r.out;
  for (const char* line : {"  9  Tensta (Särskilt utsatt område", "  74  Rinkeby (Särskilt",
                           "  75  Hjulsta (Utsatt område"}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
  auto goal = RunEst({"--db", db, "goal", "--format", "json"});
  ASSERT_EQ(goal.exit_code, 0) << goal.err;
  json g = json::parse(goal.out);
  ASSERT_EQ(g["areas"].size(), 5u);
  std::map<std::string, std::string> municipality;
  for (const auto& a : g["areas"]) municipality[a["name"]] = a["area"]["code"];
  EXPECT_EQ(municipality["Tureberg"], "0163");
  EXPECT_EQ(municipality["Sigtuna / Valsta"], "0191");
  EXPECT_EQ(municipality["Tensta"], "0180");
  EXPECT_EQ(municipality["Rinkeby"], "0180");
  // A second import of the year replaces the list; it does not add to it.
  ASSERT_EQ(RunEst({"--db", db, "import", "vulnerable",
                    DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), "--year",
                    "2025"})
                .exit_code,
            0);
  EXPECT_EQ(json::parse(RunEst({"--db", db, "goal", "--format", "json"}).out)["areas"].size(), 5u);
}

// A key twice in the file names both features and changes nothing.
TEST_F(ContextTest, PoliceListWithARepeatedIdNamesBothFeatures) {
  std::string text = ReadText(DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"));
  size_t pos = text.find("\"SPECIALOMRADES_ID\": 74");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, std::string("\"SPECIALOMRADES_ID\": 74").size(), "\"SPECIALOMRADES_ID\": 9");
  WriteText(dir_.File("twice.geojson"), text);
  std::string before = DbHash();
  auto r = Est({"import", "vulnerable", dir_.File("twice.geojson"), "--year", "2025"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("features[3] (Rinkeby).SPECIALOMRADES_ID: \"9\" har redan features[2] (Tensta)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("UNIQUE"), std::string::npos) << r.err;
  EXPECT_EQ(DbHash(), before);
}

// `est import areas` on the police's file: the code defaults to SPECIALOMRADES_ID; the old
// README's --code-prop OMRADESKOD is refused with both features named; --parent auto puts each
// area under the smallest stored area holding it and leaves out what lies outside them.
TEST_F(ContextTest, PoliceAreasImportUnderTheirMunicipalityWithParentAuto) {
  std::string db = dir_.Database("kommun");
  ASSERT_EQ(RunEst({"--db", db, "categories", "init"}).exit_code, 0);
  ASSERT_EQ(RunEst({"--db", db, "orgs", "add", "hem", "--name", "Hem", "--kind", "bolag"}).exit_code, 0);
  ASSERT_EQ(RunEst({"--db", db, "import", "areas", DataFile("sollentuna-okfse.geojson"),
                    "--code-prop", "id", "--name-prop", "kom_namn"})
                .exit_code,
            0);
  std::string before = DatabaseDigest(db);
  auto dup = RunEst({"--db", db, "import", "areas",
                     DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"),
                     "--code-prop", "OMRADESKOD", "--parent", "auto"});
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_NE(dup.err.find("features[3] (id: 36).code: koden \"531350\" har redan features[2] (id: "
                         "35) Tensta"),
            std::string::npos)
      << dup.err;
  EXPECT_EQ(DatabaseDigest(db), before);

  auto r = RunEst({"--db", db, "import", "areas",
                   DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"), "--parent",
                   "auto"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Importerade 1 områden"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  61  Tureberg  (under 0163 Sollentuna)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 områden ligger utanför"), std::string::npos) << r.out;
  auto areas = RunEst({"--db", db, "areas", "list", "--format", "csv"});
  EXPECT_NE(areas.out.find("\n61,Tureberg,0163,1,"), std::string::npos) << areas.out;
  EXPECT_EQ(areas.out.find("Tensta"), std::string::npos) << areas.out;

  // A report in Tureberg counts in the lägesbild of the municipality.
  WriteText(dir_.File("r.csv"),
            "id;occurred_at;lon;lat;category;org;severity;count\n"
            "t1;2026-11-17T21:30:00+01:00;17,945997;59,427118;klotter;hem;1;1\n");
  ASSERT_EQ(RunEst({"--db", db, "import", "reports", dir_.File("r.csv")}).exit_code, 0);
  auto lb = RunEst({"--db", db, "lagesbild", "--period", "2026-W47", "--area", "0163", "--format",
                    "csv"});
  ASSERT_EQ(lb.exit_code, 0) << lb.err;
  EXPECT_NE(lb.out.find("61,Tureberg,klotter,1,"), std::string::npos) << lb.out;
  EXPECT_NE(lb.out.find("0163,Sollentuna,klotter,1,"), std::string::npos) << lb.out;

  // Over HTTP on the seeded municipality, where Tureberg is stored already (code 531330): the
  // same ground again is refused with the stored area named; a small area inside Tureberg goes
  // under Tureberg, the smallest holder.
  {
    Server server(db_);
    Session c(server.port());
    ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
    std::string geo = ReadText(DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"));
    std::string unchanged = DbHash();
    auto res = c.PostRaw("/api/v1/areas?parent=auto", geo, "application/geo+json");
    ExpectProblem(res, 400, "features[0] (id: 40).geometry");
    EXPECT_NE(res->body.find("531330 Tureberg"), std::string::npos) << res->body;
    ExpectProblem(c.PostRaw("/api/v1/areas?parent=auto&code_prop=OMRADESKOD", geo,
                            "application/geo+json"),
                  400, "features[3] (id: 36).code");
    EXPECT_EQ(DbHash(), unchanged);
    std::string square = R"({"type":"FeatureCollection","features":[{"type":"Feature",
      "properties":{"code":"torget","name":"Torget"},"geometry":{"type":"Polygon","coordinates":
      [[[17.9455,59.4269],[17.9465,59.4269],[17.9465,59.4274],[17.9455,59.4274],[17.9455,59.4269]]]}}]})";
    res = c.PostRaw("/api/v1/areas?parent=auto", square, "application/geo+json");
    ASSERT_EQ(res->status, 201) << res->body;
    json j = json::parse(res->body);
    ASSERT_EQ(j["items"].size(), 1u);
    EXPECT_EQ(j["items"][0]["parent"], "531330");
    EXPECT_EQ(j["items"][0]["level"], 2);
    EXPECT_TRUE(j["outside"].empty());
  }

  // Nothing inside any stored area: refused, with the reason.
  auto none = RunEst({"--db", dir_.Database("tom"), "import", "areas",
                      DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"),
                      "--parent", "auto"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--parent"), std::string::npos) << none.err;
}

TEST_F(ContextTest, PoliceListWithoutCategoryNamesTheFeature) {
  std::string text = ReadText(DataFile("tureberg-polisen-2025.geojson"));
  size_t pos = text.find("\"KATEGORI\": \"Utsatt område\"");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, std::string("\"KATEGORI\": \"Utsatt område\"").size(),
               "\"KATEGORI\": \"Okänd\"");
  WriteText(dir_.File("bad.geojson"), text);
  std::string before = DbHash();
  auto r = Est({"import", "vulnerable", dir_.File("bad.geojson"), "--year", "2025"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("features[0] (Tureberg).KATEGORI"), std::string::npos) << r.err;
  EXPECT_EQ(DbHash(), before);
}

TEST_F(ContextTest, SurveysAllOrNothingThenSafetyOverHttp) {
  WriteText(dir_.File("bad.csv"),
            "area;indicator;period;source;value;n\n"
            "531330;andel_otrygga;2025;Polisens trygghetsmätning;31,5;420\n"
            "okand;andel_otrygga;2025;X;10;100\n"
            "0163;andel_otrygga;2025-99;X;abc;-1\n");
  std::string before = DbHash();
  auto r = Est({"import", "surveys", dir_.File("bad.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rad 3, kolumn area"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 4, kolumn period"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 4, kolumn value"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 4, kolumn n"), std::string::npos) << r.err;
  EXPECT_EQ(DbHash(), before) << "a rejected file leaves the database as it was";
  WriteText(dir_.File("missing.csv"), "area,indicator,value\n531330,x,1\n");
  r = Est({"import", "surveys", dir_.File("missing.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("kolumn period"), std::string::npos) << r.err;

  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  std::string csv =
      "area,indicator,period,source,value,n\n"
      "531330,andel_otrygga,2025,Polisens trygghetsmätning,31.5,420\n";
  auto res = c.PostRaw("/api/v1/surveys/import", csv, "text/csv");
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(json::parse(res->body)["inserted"], 1);
  // The same key again replaces the value instead of adding a row.
  res = c.PostRaw("/api/v1/surveys/import",
                  "area,indicator,period,source,value,n\n"
                  "531330,andel_otrygga,2025,Polisens trygghetsmätning,29,400\n",
                  "text/csv");
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(json::parse(res->body)["inserted"], 0);
  auto list = json::parse(c.Get("/api/v1/surveys")->body)["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["value"], 29.0);
  ExpectProblem(c.PostRaw("/api/v1/surveys/import", csv, "application/json"), 415, "Content-Type");
  auto safety = json::parse(c.Get("/api/v1/safety?year=2025&indicator=andel_otrygga")->body);
  EXPECT_EQ(safety["indicator"], "andel_otrygga");
  EXPECT_TRUE(safety["rows"].is_array());
  ExpectProblem(c.Get("/api/v1/safety?year=1800"), 400, "year");

  // The police list over HTTP; a reporter may not import it.
  std::string geo = ReadText(DataFile("polisen-utsatta-omraden-2025-sollentuna-jarva.geojson"));
  Session rep(server.port());
  ASSERT_EQ(rep.Login("rap.hem", "Trygghet-Sollentuna-49!")->status, 200);
  ExpectProblem(rep.PostRaw("/api/v1/vulnerable-areas?year=2025", geo, "application/geo+json"), 403,
                "");
  res = c.PostRaw("/api/v1/vulnerable-areas?year=2025", geo, "application/geo+json");
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(json::parse(res->body)["outside"].size(), 4u);
  ExpectProblem(c.PostRaw("/api/v1/vulnerable-areas", geo, "application/geo+json"), 400, "year");
  auto fc = json::parse(c.Get("/api/v1/vulnerable-areas?format=geojson")->body);
  ASSERT_EQ(fc["features"].size(), 1u);
  EXPECT_EQ(fc["features"][0]["properties"]["name"], "Tureberg");
  auto goal = json::parse(c.Get("/api/v1/goal")->body);
  EXPECT_EQ(goal["areas"][0]["surveys"].size(), 1u) << "the linked area's survey is shown";
}

}  // namespace
}  // namespace est::testing
