// The `est` command line on real files: imports (all-or-nothing, --skip-invalid,
// --create-missing), area import with invalid geometry, listings and the lägesbild CSV contract.
// A rejected import must leave the database file byte-for-byte unchanged.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  // Hash of the database files after every connection closed (WAL checkpointed on close).
  std::string DbHash() { return DatabaseDigest(db_); }
  int64_t ReportCount() {
    auto r = Est({"areas", "list", "--format", "json"});
    json j = json::parse(r.out);
    int64_t n = j["outside_report_count"];
    for (const auto& a : j["items"]) {
      if (a["level"] == 0) n += a["report_count"].get<int64_t>();
    }
    return n;
  }
  TempDir dir_;
  std::string db_;
};

const char* kGoodCsv =
    "id;occurred_at;lon;lat;category;org;severity;count;description\n"
    "a1;2026-11-16T21:30:00+01:00;17,945997;59,427118;Klotter;hem;1;1;Klotter på fasad\n"
    "a2;2026-11-17T22:00:00+01:00;17.900;59.445;narkotika;polis;3;2;\"Misstänkt försäljning; två "
    "personer\"\n"
    "a3;2026-11-18T08:00:00+01:00;18.070;59.330;skadegörelse;hem;2;1;Utanför kommunen\n";

// EST_NOW fixes the clock; a value that is not a time is exit 2 naming EST_NOW, before any work.
TEST_F(CliTest, EstNowFixesTheClockOrIsRefused) {
  setenv("EST_NOW", "nonsense", 1);
  auto bad = RunEst({"lagesbild", "--format", "json"});
  setenv("EST_NOW", "2026-11-30T08:00", 1);
  auto fixed = RunEst({"lagesbild", "--format", "json"});
  unsetenv("EST_NOW");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("EST_NOW"), std::string::npos) << bad.err;
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  // The default period at Monday 2026-11-30 08:00 is the last complete week.
  EXPECT_NE(fixed.out.find("\"label\": \"2026-W48\""), std::string::npos)
      << fixed.out.substr(0, 400);
}

TEST_F(CliTest, ImportsCsvAssignsAreasAndIsIdempotent) {
  WriteText(dir_.File("r.csv"), kGoodCsv);
  auto r = Est({"import", "reports", dir_.File("r.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Importerade 3 av 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 ligger utanför"), std::string::npos) << r.out;
  auto again = Est({"import", "reports", dir_.File("r.csv")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Importerade 0 av 3 rader (3 fanns redan)"), std::string::npos)
      << again.out;
  auto areas = Est({"areas", "list", "--format", "csv"});
  EXPECT_EQ(areas.out.rfind("code,name,parent,level,report_count", 0), 0u) << areas.out;
  EXPECT_NE(areas.out.find("531330,Tureberg,0163,1,1"), std::string::npos) << areas.out;
  EXPECT_NE(areas.out.find("0163,Sollentuna,,0,2"), std::string::npos) << areas.out;
}

TEST_F(CliTest, RejectedCsvListsEveryBadRowAndLeavesDatabaseUnchanged) {
  std::string bad =
      "id,occurred_at,lon,lat,category,org,severity\n"
      "b1,2026-11-16T21:30:00+01:00,17.9,59.445,klotter,hem,2\n"
      "b2,2026-02-30T21:30:00+01:00,17.9,59.445,klotter,hem,2\n"
      "b3,2026-11-16T21:30:00+01:00,17.9,59.445,ufo,hem,2\n"
      "b4,2026-11-16T21:30:00+01:00,17.9,59.445,klotter,hem,7\n"
      "b5,2026-11-16T21:30:00+01:00,abc,59.445,klotter,okand-org,2\n";
  WriteText(dir_.File("bad.csv"), bad);
  (void)Est({"orgs", "list"});  // settle the WAL so the hash is stable
  std::string before = DbHash();
  auto r = Est({"import", "reports", dir_.File("bad.csv")});
  EXPECT_EQ(r.exit_code, 2);
  for (const char* expected :
       {"rad 3: occurred_from", "rad 4: category", "rad 5: severity", "rad 6, kolumn lon",
        "okänd organisation \"okand-org\"", "4 av 5 rader har fel"}) {
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
  }
  EXPECT_EQ(DbHash(), before);
}

TEST_F(CliTest, SkipInvalidImportsGoodRowsAndWritesRejects) {
  std::string mixed =
      "id,occurred_at,lon,lat,category,org\n"
      "c1,2026-11-16T21:30:00+01:00,17.9,59.445,klotter,hem\n"
      "c2,2026-11-16T21:30:00+01:00,17.9,59.445,ufo,hem\n"
      "c3,2026-11-17T10:00:00+01:00,17.9,59.445,nedskräpning,polis\n";
  WriteText(dir_.File("mixed.csv"), mixed);
  auto r =
      Est({"import", "reports", dir_.File("mixed.csv"), "--skip-invalid", dir_.File("rej.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Importerade 2 av 3"), std::string::npos) << r.out;
  std::string rejects = ReadText(dir_.File("rej.csv"));
  EXPECT_EQ(rejects.rfind("id,occurred_at,lon,lat,category,org,error\n", 0), 0u) << rejects;
  EXPECT_NE(rejects.find("c2,"), std::string::npos);
  EXPECT_NE(rejects.find("okänd kategori"), std::string::npos);
  EXPECT_EQ(rejects.find("c1,"), std::string::npos);
}

TEST_F(CliTest, CreateMissingCreatesFlaggedEntriesOnlyWhenAccepted) {
  std::string text =
      "id,occurred_at,lon,lat,category,org\n"
      "d1,2026-11-16T21:30:00+01:00,17.9,59.445,Eldningsförbud,Väktarna AB\n";
  WriteText(dir_.File("new.csv"), text);
  auto refused = Est({"import", "reports", dir_.File("new.csv")});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--create-missing"), std::string::npos);

  // A file that is rejected for another reason creates nothing even with --create-missing.
  WriteText(dir_.File("newbad.csv"),
            text + "d2,not-a-time,17.9,59.445,Eldningsförbud,Väktarna AB\n");
  std::string before = DbHash();
  EXPECT_EQ(Est({"import", "reports", dir_.File("newbad.csv"), "--create-missing"}).exit_code, 2);
  EXPECT_EQ(DbHash(), before);

  auto ok = Est({"import", "reports", dir_.File("new.csv"), "--create-missing"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("Ny kategori (granska): Eldningsförbud"), std::string::npos) << ok.out;
  auto orgs = Est({"orgs", "list", "--format", "csv"});
  EXPECT_NE(orgs.out.find("vaktarna-ab,Väktarna AB,annan,1"), std::string::npos) << orgs.out;

  // A name that is already a valid code keeps it, so the user's own code works afterwards.
  WriteText(dir_.File("code.csv"),
            "id,occurred_at,lon,lat,category,org\n"
            "d3,2026-11-16T22:30:00+01:00,17.9,59.445,otrygg_entre,vakt_ab\n");
  auto coded = Est({"import", "reports", dir_.File("code.csv"), "--create-missing"});
  ASSERT_EQ(coded.exit_code, 0) << coded.err;
  auto cats = Est({"categories", "list", "--format", "csv"});
  EXPECT_NE(cats.out.find("\notrygg_entre,otrygg_entre,"), std::string::npos) << cats.out;
  orgs = Est({"orgs", "list", "--format", "csv"});
  EXPECT_NE(orgs.out.find("\nvakt_ab,"), std::string::npos) << orgs.out;
  auto picture =
      Est({"lagesbild", "--period", "2026-W47", "--category", "otrygg_entre", "--format", "csv"});
  EXPECT_EQ(picture.exit_code, 0) << picture.err;
}

// Issue 15: a file that is not UTF-8 is refused with its line, and nothing is written.
TEST_F(CliTest, CsvThatIsNotUtf8IsRefusedWithTheLine) {
  WriteText(dir_.File("latin1.csv"),
            "id,occurred_at,lon,lat,category,org,description\n"
            "e1,2026-11-16T21:30:00+01:00,17.9,59.445,klotter,hem,Klotter\n"
            "e2,2026-11-16T21:30:00+01:00,17.9,59.445,klotter,hem,P\xE5 v\xE4ggen\n");
  std::string before = DbHash();
  auto r = Est({"import", "reports", dir_.File("latin1.csv")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 3"), std::string::npos) << r.err;
  EXPECT_EQ(DbHash(), before);
  WriteText(dir_.File("utf16.csv"), "\xFF\xFEid,occurred_at\n");
  auto utf16 = Est({"import", "reports", dir_.File("utf16.csv")});
  EXPECT_EQ(utf16.exit_code, 2) << utf16.err;
  EXPECT_NE(utf16.err.find("UTF-16"), std::string::npos) << utf16.err;
}

// The contract says every command takes --db PATH: after the subcommand as well as before it.
TEST_F(CliTest, DbWorksAfterTheSubcommand) {
  std::string other = dir_.Database("other");
  auto imported = RunEst({"import", "areas", DataFile("sollentuna-okfse.geojson"), "--code-prop",
                          "id", "--name-prop", "kom_namn", "--db", other});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto listed = RunEst({"areas", "list", "--format", "csv", "--db", other});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("\n0163,Sollentuna,"), std::string::npos) << listed.out;
  if (OnPostgres()) {
    EXPECT_EQ(QuerySql(other, "SELECT COUNT(*) FROM areas"), "1");
  } else {
    EXPECT_TRUE(std::filesystem::exists(other));
  }
}

TEST_F(CliTest, InvalidAreaFileIsRefusedWithFeatureAndReason) {
  std::string bowtie = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"ok1","name":"Bra"},"geometry":{"type":"Polygon",
     "coordinates":[[[17.90,59.44],[17.91,59.44],[17.91,59.45],[17.90,59.45],[17.90,59.44]]]}},
    {"type":"Feature","id":"fel","properties":{"code":"bow","name":"Fluga"},"geometry":{"type":"Polygon",
     "coordinates":[[[17.90,59.44],[17.91,59.45],[17.91,59.44],[17.90,59.45],[17.90,59.44]]]}}]})";
  WriteText(dir_.File("bow.geojson"), bowtie);
  std::string before = DbHash();
  auto r = Est({"import", "areas", dir_.File("bow.geojson")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("features[1]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Self-intersection"), std::string::npos) << r.err;
  EXPECT_EQ(DbHash(), before);

  // The police file read as WGS84 lands outside Sweden: the error suggests the CRS.
  auto wrong = Est({"import", "areas", DataFile("tureberg-polisen-2025.geojson"), "--crs",
                    "EPSG:4326", "--code-prop", "OMRADESKOD", "--name-prop", "NAMN"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("fel koordinatsystem"), std::string::npos) << wrong.err;
  EXPECT_EQ(DbHash(), before);
}

TEST_F(CliTest, LagesbildCsvContractAndFormats) {
  WriteText(dir_.File("r.csv"), kGoodCsv);
  ASSERT_EQ(Est({"import", "reports", dir_.File("r.csv")}).exit_code, 0);
  auto csv = Est({"lagesbild", "--period", "2026-W47", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("area_code,area_name,category,count,previous,last_year", 0), 0u);
  EXPECT_NE(csv.out.find("531330,Tureberg,klotter,1,0,0"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("0163,Sollentuna,narkotika,1,0,0"), std::string::npos) << csv.out;
  auto js = Est({"lagesbild", "--period", "2026-W47", "--format", "json"});
  json j = json::parse(js.out);
  EXPECT_EQ(j["totals"]["count"], 3);
  EXPECT_EQ(j["totals"]["outside"], 1);
  auto table = Est({"lagesbild", "--period", "2026-W47"});
  EXPECT_NE(table.out.find("Lägesbild vecka 47 2026"), std::string::npos) << table.out;
  auto bad = Est({"lagesbild", "--period", "2026-W54"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("period"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitTwoAndAuditChainVerifies) {
  EXPECT_EQ(RunEst({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunEst({"lagesbild", "--format", "pdf"}).exit_code, 2);
  auto help = RunEst({"import", "reports", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--skip-invalid"), std::string::npos);
  // The hotspot help states the study area of --extent areas and what p and p_normal are.
  auto hs = RunEst({"hotspots", "--help"});
  EXPECT_EQ(hs.exit_code, 0);
  EXPECT_NE(hs.out.find("överlappar ett områdes inre"), std::string::npos) << hs.out;
  EXPECT_NE(hs.out.find("p_normal"), std::string::npos) << hs.out;
  auto em = RunEst({"emerging", "--help"});
  EXPECT_NE(em.out.find("överlappar ett områdes inre"), std::string::npos) << em.out;
  // est bench --reuse names what is missing and creates no directory.
  const std::string missing = ::testing::TempDir() + "est_bench_reuse_missing";
  std::filesystem::remove_all(missing);
  auto no_dir = RunEst({"bench", "--reuse"});
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_NE(no_dir.err.find("--dir"), std::string::npos) << no_dir.err;
  auto no_db = RunEst({"bench", "--reuse", "--dir", missing});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_NE(no_db.err.find("--reuse"), std::string::npos) << no_db.err;
  EXPECT_FALSE(std::filesystem::exists(missing));
  auto v = Est({"audit", "verify"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("obruten"), std::string::npos);
}

// est bench on generated data, then on those files given back (x/y need --crs, as for import):
// the contract's figures are there and the given files import every report.
TEST_F(CliTest, BenchGeneratesAndTakesGivenFiles) {
  const std::string work = dir_.File("bench");
  auto gen = RunEst({"bench", "--scale", "2000", "--area-count", "40", "--dir", work, "--repeats",
                     "1", "--period", "2026-W47", "--format", "json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  json g = json::parse(gen.out);
  for (const char* key :
       {"import_rows_per_s", "engine_load_ms", "pip_points_per_s", "lagesbild_week_ms",
        "lagesbild_year_ms", "hotspots_week_ms", "bytes_per_report"}) {
    EXPECT_TRUE(g.contains(key)) << key;
  }
  EXPECT_EQ(g["reports"], 2000);
  const std::string areas = work + "/areas.geojson", reports = work + "/reports.csv";
  auto given = RunEst({"bench", "--areas", areas, "--reports", reports, "--crs", "EPSG:3006",
                       "--repeats", "1", "--period", "2026-W47"});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(json::parse(given.out)["reports"], 2000);
  auto no_crs = RunEst({"bench", "--areas", areas, "--reports", reports, "--repeats", "1"});
  EXPECT_EQ(no_crs.exit_code, 2);
  EXPECT_NE(no_crs.err.find("--crs"), std::string::npos) << no_crs.err;
  auto crs_alone = RunEst({"bench", "--crs", "EPSG:3006"});
  EXPECT_EQ(crs_alone.exit_code, 2);
  EXPECT_NE(crs_alone.err.find("--reports"), std::string::npos) << crs_alone.err;
}

TEST_F(CliTest, ConfigurationCommandsCreateAndRefuseClearly) {
  auto cat = Est({"categories", "add", "eldning", "--name", "Eldning i park", "--dimension",
                  "trygghet", "--parent", "otrygg_plats"});
  ASSERT_EQ(cat.exit_code, 0) << cat.err;
  auto list = Est({"categories", "list", "--format", "json"});
  bool found = false;
  json categories = json::parse(list.out);
  for (const auto& c : categories["items"]) {
    found |= c["code"] == "eldning" && c["dimension"] == "trygghet";
  }
  EXPECT_TRUE(found) << list.out;
  auto dup = Est({"categories", "add", "eldning", "--name", "X", "--dimension", "trygghet"});
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.err.find("code"), std::string::npos) << dup.err;
  auto bad = Est({"categories", "add", "x2", "--name", "X", "--dimension", "blå"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("dimension"), std::string::npos) << bad.err;
  auto org = Est({"orgs", "add", "fk", "--name", "Föreningen", "--kind", "okänd"});
  EXPECT_EQ(org.exit_code, 2);
  EXPECT_NE(org.err.find("kind"), std::string::npos) << org.err;
  auto place = Est({"places", "add", "Turebergs torg", "--kind", "torg", "--lon", "17.9440",
                    "--lat", "59.4318"});
  ASSERT_EQ(place.exit_code, 0) << place.err;
  auto far = Est({"places", "add", "Fel", "--kind", "torg", "--lon", "59.4", "--lat", "17.9"});
  EXPECT_EQ(far.exit_code, 2);
  auto user =
      Est({"user", "add", "ny", "--role", "reporter", "--password", "Trygghet-Sollentuna-49!"});
  EXPECT_EQ(user.exit_code, 2);  // a reporter needs an organisation
  EXPECT_NE(user.err.find("org"), std::string::npos) << user.err;
  auto ci = Est({"checkin", "--org", "hem", "--area", "0163", "--week", "2026-W40"});
  EXPECT_EQ(ci.exit_code, 0) << ci.err;
}

TEST_F(CliTest, PasswordRulesAndSecurityEventsOnTheCommandLine) {
  auto weak = Est({"user", "add", "svag", "--role", "viewer", "--password", "abbreviations"});
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_NE(weak.err.find("password"), std::string::npos) << weak.err;
  EXPECT_NE(weak.err.find("ordboksord"), std::string::npos) << weak.err;
  auto made =
      Est({"user", "add", "stark", "--role", "viewer", "--password", "Kvällssol-över-Edsviken-8"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto short_reset = Est({"user", "password", "stark", "--password", "Kort-lösen1"});
  EXPECT_EQ(short_reset.exit_code, 2);
  EXPECT_NE(short_reset.err.find("minst 12 tecken"), std::string::npos) << short_reset.err;
  EXPECT_NE(
      Est({"user", "password", "ingen-alls", "--password", "Vinterljus-vid-Norrviken-3"}).exit_code,
      0);
  auto reset = Est({"user", "password", "stark", "--password", "Vinterljus-vid-Norrviken-3"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;

  {
    Server server(db_);
    Session s(server.port());
    EXPECT_EQ(s.Login("stark", "Kvällssol-över-Edsviken-8")->status, 401);  // the old one
    EXPECT_EQ(s.Login("stark", "Vinterljus-vid-Norrviken-3")->status, 200);
  }
  auto events = Est({"security-events", "--format", "json"});
  ASSERT_EQ(events.exit_code, 0) << events.err;
  json items = json::parse(events.out)["items"];
  ASSERT_EQ(items.size(), 2u) << events.out;
  EXPECT_EQ(items[0]["kind"], "login_success");
  EXPECT_EQ(items[1]["kind"], "login_failure");
  EXPECT_EQ(items[1]["login"], "stark");
  EXPECT_EQ(items[1]["address"], "127.0.0.1");
  auto csv = Est({"security-events", "--kind", "login_failure"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("id,at,kind,login,address,detail\n", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find(",login_failure,stark,127.0.0.1,fel lösenord"), std::string::npos)
      << csv.out;
  EXPECT_EQ(csv.out.find("login_success"), std::string::npos) << csv.out;
}

TEST_F(CliTest, DemoBuildsTheSollentunaMunicipality) {
  std::string demo_db = dir_.Database("demo");
  auto r = RunEst({"demo", "--db", demo_db, "--seed", "7", "--years", "1"});  // --db after it
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto areas = RunEst({"--db", demo_db, "areas", "list", "--format", "json"});
  json j = json::parse(areas.out);
  EXPECT_GE(j["items"].size(), 15u);
  bool tureberg = false;
  for (const auto& a : j["items"]) tureberg |= a["code"] == "531330" && a["level"] == 2;
  EXPECT_TRUE(tureberg);
  auto orgs = RunEst({"--db", demo_db, "orgs", "list", "--format", "json"});
  EXPECT_GE(json::parse(orgs.out)["items"].size(), 20u);
  // A second demo into the same database is refused.
  EXPECT_NE(RunEst({"--db", demo_db, "demo"}).exit_code, 0);
}

}  // namespace
}  // namespace est::testing
