// Upgrading a database made by an earlier EST (schema 9, tests/data/upgrade/) keeps every row and
// the same lägesbild, and so does moving that upgraded database to PostgreSQL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "est_harness.h"
#include "support/test_database.h"

namespace est::testing {
namespace {

// Rows per table in the fixture, counted with sqlite3 when it was made.
const std::map<std::string, int64_t> kRows = {
    {"organisations", 20}, {"users", 7},       {"categories", 15},      {"areas", 16},
    {"places", 12},        {"reports", 10672}, {"checkins", 52},        {"sessions", 0},
    {"audit", 135},        {"meetings", 7},    {"problems", 4},         {"actions", 4},
    {"documents", 0},      {"surveys", 56},    {"vulnerable_areas", 2}, {"messages", 0},
    {"security_events", 0}};

std::string Unpacked(const TempDir& dir) {
  const std::string db = dir.File("demo-v9.db");
  const std::string cmd = "gzip -dc '" + DataFile("upgrade/demo-v9.db.gz") + "' > '" + db + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return db;
}

TEST(Upgrade, SchemaNineKeepsEveryRowAndTheSameLagesbild) {
  if (OnPostgres()) GTEST_SKIP() << "the fixture is a SQLite file; the SQLite run covers it";
  // The fixture's lägesbild was computed with this "now".
  setenv("EST_NOW", "2026-11-30T08:00", 1);
  TempDir dir;
  const std::string db = Unpacked(dir);
  EXPECT_EQ(QuerySql(db, "SELECT MAX(version) FROM schema_version"), "9");
  auto lb = RunEst({"--db", db, "lagesbild", "--period", "2026-W47", "--format", "json"});
  ASSERT_EQ(lb.exit_code, 0) << lb.err;
  EXPECT_NE(QuerySql(db, "SELECT MAX(version) FROM schema_version"), "9") << "migrated forward";
  for (const auto& [table, rows] : kRows) {
    EXPECT_EQ(QuerySql(db, "SELECT COUNT(*) FROM " + table), std::to_string(rows)) << table;
  }
  EXPECT_EQ(nlohmann::json::parse(lb.out),
            nlohmann::json::parse(ReadText(DataFile("upgrade/demo-v9-lagesbild-2026-W47.json"))));
  auto v = RunEst({"--db", db, "audit", "verify"});
  EXPECT_EQ(v.exit_code, 0) << v.err;

  // The upgraded database moves to PostgreSQL with the same picture.
  TestDatabase pg("postgresql");
  EST_REQUIRE_DATABASE(pg);
  auto m = RunEst({"--db", db, "migrate", "--to", pg.url()});
  ASSERT_EQ(m.exit_code, 0) << m.err << m.out;
  auto lb_pg = RunEst({"--db", pg.url(), "lagesbild", "--period", "2026-W47", "--format", "json"});
  ASSERT_EQ(lb_pg.exit_code, 0) << lb_pg.err;
  EXPECT_EQ(lb_pg.out, lb.out);
}

}  // namespace
}  // namespace est::testing
