// Other information over the CLI and HTTP: the police's list (real 2025 features: only Tureberg
// lies in Sollentuna; the attribute table fills missing properties), survey CSV import
// (all-or-nothing with row and column named, upsert), säkerhet vs trygghet, and the 2030 goal.
#include <gtest/gtest.h>
#include <httplib.h>

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
  EXPECT_NE(r.out.find("531330  Tureberg (Utsatt område, sedan 2018-10-01, 100 % inom kommunen)"),
            std::string::npos)
      << r.out;
  auto goal = Est({"goal", "--format", "json"});
  ASSERT_EQ(goal.exit_code, 0) << goal.err;
  json g = json::parse(goal.out);
  EXPECT_EQ(g["latest_year"], 2025);
  ASSERT_EQ(g["areas"].size(), 1u);
  EXPECT_EQ(g["areas"][0]["name"], "Tureberg");
  EXPECT_EQ(g["areas"][0]["area"]["code"], "531330");  // linked to the EST area with that code
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
