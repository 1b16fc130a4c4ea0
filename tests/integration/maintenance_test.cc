// `est backup`, `est restore` and `est migrate --to` end to end through the real binary, on the
// suite's backend (and migrate across to the other one).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "est_harness.h"
#include "support/test_database.h"

namespace est::testing {
namespace {

using nlohmann::json;

const char* kCsv =
    "id;occurred_at;lon;lat;category;org;severity;count;description\n"
    "m1;2026-11-16T21:30:00+01:00;17,945997;59,427118;Klotter;hem;1;1;Klotter på fasad\n"
    "m2;2026-11-17T10:00:00+01:00;17,946;59,4272;Skadegörelse;hem;2;1;Krossad ruta\n";

class MaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
    WriteText(dir_.File("r.csv"), kCsv);
    auto r = RunEst({"--db", db_, "import", "reports", dir_.File("r.csv")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Lagesbild(const std::string& db) {
    auto r = RunEst({"--db", db, "lagesbild", "--period", "2026-W47", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(MaintenanceTest, BackupThenRestoreGivesTheSamePictureAndAnUnbrokenTrail) {
  const std::string file = dir_.File("backup.est");
  auto b = RunEst({"--db", db_, "backup", file});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(b.out.find("Säkerhetskopian är skriven"), std::string::npos) << b.out;
  auto again = RunEst({"--db", db_, "backup", file});
  EXPECT_EQ(again.exit_code, 2) << "an existing file is never overwritten";
  EXPECT_NE(again.err.find("finns redan"), std::string::npos) << again.err;

  const std::string restored = dir_.Database("restored");
  auto r = RunEst({"--db", restored, "restore", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lagesbild(restored), Lagesbild(db_));
  auto v = RunEst({"--db", restored, "audit", "verify"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  // Restoring onto a database with data is refused and leaves it as it was.
  const std::string digest = DatabaseDigest(restored);
  auto onto = RunEst({"--db", restored, "restore", file});
  EXPECT_EQ(onto.exit_code, 2) << onto.err;
  EXPECT_EQ(DatabaseDigest(restored), digest);
}

TEST_F(MaintenanceTest, RestoreOfSomethingElseIsRefusedNamingTheFile) {
  WriteText(dir_.File("junk.est"), "hej");
  auto r = RunEst({"--db", dir_.Database("x"), "restore", dir_.File("junk.est")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ingen säkerhetskopia"), std::string::npos) << r.err;
}

// Migrates to the other backend (SQLite → PostgreSQL on the SQLite run, and back on the
// PostgreSQL run) and verifies counts, trail and lägesbild.
TEST_F(MaintenanceTest, MigrateToTheOtherBackendVerifiesTheCopy) {
  TestDatabase other(OnPostgres() ? "sqlite" : "postgresql");
  EST_REQUIRE_DATABASE(other);
  if (other.backend() == "sqlite") std::filesystem::remove(other.url());
  auto m = RunEst({"--db", db_, "migrate", "--to", other.url()});
  ASSERT_EQ(m.exit_code, 0) << m.err << m.out;
  EXPECT_NE(m.out.find("reports"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("densamma i källan och målet"), std::string::npos) << m.out;
  EXPECT_EQ(Lagesbild(other.url()), Lagesbild(db_));
  // A second migrate into the now full target is refused.
  auto again = RunEst({"--db", db_, "migrate", "--to", other.url()});
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("inte tom"), std::string::npos) << again.err;
}

TEST_F(MaintenanceTest, UnreachablePostgresIsAnErrorNamingTheHostNeverAFile) {
  const std::string url = "postgresql://est@127.0.0.1:1/ingen";
  auto r = RunEst({"--db", url, "orgs", "list"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists("postgresql:"));
  EXPECT_FALSE(std::filesystem::exists(url));
}

}  // namespace
}  // namespace est::testing
