// Säkerhet vs trygghet on a hand-computed example: two areas of 1 000 inhabitants with 30 and 10
// reports (expected 20 each: z = ±10/√20 = ±2.236) and 30 % / 10 % feeling unsafe with n = 100
// (p̄ = 0.2: z = ±0.1/√(0.2·0.8/100) = ±2.5).
#include "app/context.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/time.h"
#include "fixtures.h"

namespace est::app {
namespace {

using testing::Square;
using testing::Sweref99Collection;
using testing::TempDbPath;

namespace fs = std::filesystem;
const store::Actor kCli{std::nullopt, "cli"};

TEST(Safety, HandComputedZAndClasses) {
  setenv("EST_FAST_PASSWORD_HASH", "1", 1);
  std::string path =
      (fs::temp_directory_path() / ("est_context_test_" + std::to_string(getpid()) + ".db"))
          .string();
  {
    auto sys = System::Open(path);
    ASSERT_TRUE(sys);
    System& s = **sys;
    ASSERT_TRUE(s.EnsureDefaultCategories(kCli));
    Organisation o;
    o.code = "hem";
    o.name = "Hem";
    o.kind = OrgKind::kBolag;
    ASSERT_TRUE(s.CreateOrganisation(o, kCli));
    std::string file = Sweref99Collection({Square("0163", 660000, 6585000, 10000, "", 0),
                                           Square("A", 661000, 6586000, 2000, "0163", 1000),
                                           Square("B", 666000, 6590000, 2000, "0163", 1000)});
    ASSERT_TRUE(s.ImportAreas(file, {}, kCli));
    int year = CivilFromDay(ToLocalDay(NowUnix())).year - 1;
    LocalDay mid = DayFromCivil(year, 6, 1);
    auto add = [&](double e, double n, int count) {
      for (int i = 0; i < count; ++i) {
        ingest::ReportInput in;
        in.occurred_from = FormatTimestamp(LocalDayStartUtc(mid + i) + 12 * 3600);
        in.x = e + i;
        in.y = n;
        in.epsg = 3006;
        in.category = "klotter";
        in.org = "hem";
        ASSERT_TRUE(s.CreateReport(in, kCli));
      }
    };
    add(661500, 6587000, 30);
    add(667000, 6591000, 10);
    std::string y = std::to_string(year);
    auto imported = ImportSurveysCsv(s,
                                     "area,indicator,period,source,value,n\n"
                                     "A,andel_otrygga," +
                                         y +
                                         ",Enkät,30,100\n"
                                         "B,andel_otrygga," +
                                         y + ",Enkät,10,100\n",
                                     kCli);
    ASSERT_TRUE(imported) << ToString(imported.error());
    auto c = CompareSafety(s, year, "");
    ASSERT_TRUE(c) << ToString(c.error());
    EXPECT_EQ(c->indicator, "andel_otrygga");
    ASSERT_EQ(c->rows.size(), 2u);
    const SafetyRow& a = c->rows[0];  // sorted by incident z
    const SafetyRow& b = c->rows[1];
    EXPECT_EQ(a.incidents, 30);
    EXPECT_NEAR(a.z_incident, 10 / std::sqrt(20.0), 1e-9);
    EXPECT_NEAR(b.z_incident, -10 / std::sqrt(20.0), 1e-9);
    EXPECT_NEAR(*a.rate, 30.0, 1e-9);
    EXPECT_NEAR(*a.z_survey, 2.5, 1e-9);
    EXPECT_NEAR(*b.z_survey, -2.5, 1e-9);
    EXPECT_EQ(a.klass, "båda höga");
    EXPECT_EQ(b.klass, "inom normalvariation");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

}  // namespace
}  // namespace est::app
