// Moving whole databases: CopyTo between and within backends (counts, ids, audit chain kept; a
// non-empty target refused), Backup while another thread keeps writing (every report acknowledged
// before the backup began is in it), and RestoreBackup's refusals.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "support/test_database.h"

namespace est::store {
namespace {

namespace fs = std::filesystem;
using testing::TestDatabase;

const Actor kCli{std::nullopt, "cli"};

struct Seeded {
  OrgId org;
  CategoryId cat;
};

Seeded Seed(Store& s) {
  Organisation o;
  o.code = "polis";
  o.name = "Polisen";
  Seeded out;
  out.org = s.CreateOrganisation(o, kCli)->id;
  Category c;
  c.code = "klotter";
  c.name_sv = "Klotter";
  out.cat = s.CreateCategory(c, kCli)->id;
  return out;
}

Report MakeReport(const Seeded& seed, int i) {
  Report r;
  r.org = seed.org;
  r.category = seed.cat;
  r.occurred_from = 1'763'600'000 + i * 60;
  r.reported_at = r.occurred_from + 60;
  r.e = 666000 + i;
  r.n = 6591000;
  r.lon = 17.95;
  r.lat = 59.43;
  r.description = "Klotter\tpå\nväggen \\ nr " + std::to_string(i);  // COPY's escapes
  r.source_id = "k" + std::to_string(i);
  return r;
}

std::string PairName(const ::testing::TestParamInfo<std::pair<std::string, std::string>>& i) {
  return i.param.first + "_to_" + i.param.second;
}

class CopyTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

INSTANTIATE_TEST_SUITE_P(Backends, CopyTest,
                         ::testing::Values(std::make_pair("sqlite", "postgresql"),
                                           std::make_pair("postgresql", "sqlite"),
                                           std::make_pair("sqlite", "sqlite"),
                                           std::make_pair("postgresql", "postgresql")),
                         PairName);

TEST_P(CopyTest, EveryRowArrivesWithItsIdAndTheChainStillVerifies) {
  TestDatabase from_db(GetParam().first);
  TestDatabase to_db(GetParam().second);
  EST_REQUIRE_DATABASE(from_db);
  EST_REQUIRE_DATABASE(to_db);
  auto from = Store::Open(from_db.url());
  ASSERT_TRUE(from) << ToString(from.error());
  Seeded seed = Seed(**from);
  std::vector<Report> batch;
  for (int i = 0; i < 300; ++i) batch.push_back(MakeReport(seed, i));
  ASSERT_TRUE((*from)->InsertReports(batch, kCli));
  Report dup = MakeReport(seed, 999);
  auto one = (*from)->InsertReports({dup}, kCli);
  ASSERT_TRUE(one);
  Report edited = one->reports[0];
  edited.duplicate_of = ReportId{1};
  edited.status = ReportStatus::kDuplicate;
  ASSERT_TRUE((*from)->UpdateReport(edited, 1, kCli));
  Session session{"hash-1", UserId{0}, "csrf", 2'000'000'000, 1'700'000'000, 1'700'000'000};
  User u;
  u.login = "anna";
  u.display_name = "Anna";
  u.role = Role::kCoordinator;
  auto user = (*from)->CreateUser(u, "argon-hash", kCli);
  ASSERT_TRUE(user);
  session.user = user->id;
  ASSERT_TRUE((*from)->CreateSession(session));

  auto to = Store::Open(to_db.url());
  ASSERT_TRUE(to) << ToString(to.error());
  int64_t progress_calls = 0;
  auto copied = (*from)->CopyTo(**to, [&](const std::string&, int64_t) { ++progress_calls; });
  ASSERT_TRUE(copied) << ToString(copied.error());
  EXPECT_GT(progress_calls, 0);

  auto a = (*from)->CountRows();
  auto b = (*to)->CountRows();
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].table, (*b)[i].table);
    EXPECT_EQ((*a)[i].rows, (*b)[i].rows) << (*a)[i].table;
  }
  EXPECT_TRUE((*to)->VerifyAudit());
  auto got = (*to)->GetReport(one->reports[0].id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->description, dup.description);
  EXPECT_EQ((*got)->duplicate_of, ReportId{1});
  EXPECT_EQ((*got)->e, dup.e);
  auto found = (*to)->FindSession("hash-1", 1'700'000'030);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->user, user->id);
  // New rows go after the copied ids.
  auto later = (*to)->InsertReports({MakeReport(seed, 5000)}, kCli);
  ASSERT_TRUE(later) << ToString(later.error());
  EXPECT_GT(later->reports[0].id.value, one->reports[0].id.value);
  EXPECT_TRUE((*to)->VerifyAudit());
}

TEST_P(CopyTest, TargetWithRowsIsRefusedAndKeptAsItWas) {
  TestDatabase from_db(GetParam().first);
  TestDatabase to_db(GetParam().second);
  EST_REQUIRE_DATABASE(from_db);
  EST_REQUIRE_DATABASE(to_db);
  auto from = Store::Open(from_db.url());
  auto to = Store::Open(to_db.url());
  ASSERT_TRUE(from && to);
  Seed(**from);
  Organisation o;
  o.code = "annan";
  o.name = "Annan";
  ASSERT_TRUE((*to)->CreateOrganisation(o, kCli));
  auto copied = (*from)->CopyTo(**to, nullptr);
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(copied.error().detail.find("inte tom"), std::string::npos) << copied.error().detail;
  auto orgs = (*to)->ListOrganisations();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 1u);
  EXPECT_EQ((*orgs)[0].code, "annan");
}

class BackupTest : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest, ::testing::ValuesIn(testing::Backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

// A writer thread keeps inserting (each report acknowledged by its commit) while the backup runs:
// every report acknowledged before the backup began is in the restored copy, which verifies.
TEST_P(BackupTest, WhileWritersWriteEveryEarlierAcknowledgedReportIsInTheCopy) {
  TestDatabase db(GetParam());
  TestDatabase restored(GetParam());
  EST_REQUIRE_DATABASE(db);
  EST_REQUIRE_DATABASE(restored);
  const std::string file =
      (fs::temp_directory_path() / ("est_backup_" + std::to_string(getpid()) + "_" + GetParam()))
          .string();
  fs::remove(file);
  auto store = Store::Open(db.url());
  ASSERT_TRUE(store) << ToString(store.error());
  Seeded seed = Seed(**store);
  std::mutex mu;
  std::set<int64_t> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      auto r = (*store)->InsertReports({MakeReport(seed, i)}, kCli);
      if (!r) {
        ++errors;
        continue;
      }
      std::lock_guard lock(mu);
      acknowledged.insert(r->reports[0].id.value);
    }
  });
  // Let some writes land first.
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(mu);
    if (acknowledged.size() >= 50) break;
  }
  std::set<int64_t> before;
  {
    std::lock_guard lock(mu);
    before = acknowledged;
  }
  auto backed = (*store)->Backup(file);
  // Writes continue after it too.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  writer.join();
  ASSERT_TRUE(backed) << ToString(backed.error());
  EXPECT_EQ(errors.load(), 0);
  ASSERT_TRUE(fs::exists(file));

  if (GetParam() == "sqlite") fs::remove(restored.url());
  auto r = RestoreBackup(file, restored.url());
  ASSERT_TRUE(r) << ToString(r.error());
  auto copy = Store::Open(restored.url());
  ASSERT_TRUE(copy) << ToString(copy.error());
  EXPECT_TRUE((*copy)->VerifyAudit());
  for (int64_t id : before) {
    auto got = (*copy)->GetReport(ReportId{id});
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->has_value()) << "report " << id << " was acknowledged before the backup";
  }
  // The copy is a fixed moment: the writer's later reports are not all in it.
  auto n = (*copy)->CountReports({});
  ASSERT_TRUE(n);
  EXPECT_GE(*n, static_cast<int64_t>(before.size()));
  // A second backup to the same file is refused: a backup is never overwritten.
  auto again = (*store)->Backup(file);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
  fs::remove(file);
}

TEST(RestoreBackup, RefusesWhatIsNotABackupAnotherKindOrATargetWithData) {
  TestDatabase src("sqlite");
  const std::string junk = src.url() + ".junk";
  { std::ofstream(junk) << "inte en databas"; }
  auto r = RestoreBackup(junk, src.url() + ".new");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().detail.find("ingen säkerhetskopia"), std::string::npos);
  fs::remove(junk);
  auto missing = RestoreBackup("/nonexistent/backup", src.url() + ".new");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto store = Store::Open(src.url());
  ASSERT_TRUE(store);
  Seed(**store);
  const std::string file = src.url() + ".bak";
  fs::remove(file);
  ASSERT_TRUE((*store)->Backup(file));
  // SQLite backup into PostgreSQL: use migrate instead.
  auto cross = RestoreBackup(file, "postgresql://est@127.0.0.1:1/x");
  ASSERT_FALSE(cross);
  EXPECT_NE(cross.error().detail.find("est migrate"), std::string::npos) << cross.error().detail;
  // Onto an existing database file.
  auto onto = RestoreBackup(file, src.url());
  ASSERT_FALSE(onto);
  EXPECT_NE(onto.error().detail.find("finns redan"), std::string::npos) << onto.error().detail;
  fs::remove(file);
}

}  // namespace
}  // namespace est::store

namespace est::store {
namespace {

class ChangeFeedTest : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Backends, ChangeFeedTest, ::testing::ValuesIn(testing::Backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

// What another server sees: the change sequence grows with every commit, inserts are found by the
// ids their audit entries name, updates by the sequence they were stamped with.
TEST_P(ChangeFeedTest, UpdatesAfterASeqAndInsertsByRangeAreFound) {
  TestDatabase db(GetParam());
  EST_REQUIRE_DATABASE(db);
  auto store = Store::Open(db.url());
  ASSERT_TRUE(store) << ToString(store.error());
  Seeded seed = Seed(**store);
  std::vector<Report> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(MakeReport(seed, i));
  auto ins = (*store)->InsertReports(batch, kCli);
  ASSERT_TRUE(ins);
  auto after_insert = (*store)->LastChange();
  ASSERT_TRUE(after_insert);
  EXPECT_GT(*after_insert, 0);
  auto audit = (*store)->ListAudit(*after_insert - 1, 1);
  ASSERT_TRUE(audit && audit->size() == 1);
  EXPECT_EQ((*audit)[0].action, "import");

  std::vector<int64_t> in_range;
  ASSERT_TRUE((*store)->ForEachReportInRange(ins->reports[2].id.value, ins->reports[4].id.value,
                                             [&](std::span<const Report> b) {
                                               for (const Report& r : b)
                                                 in_range.push_back(r.id.value);
                                             }));
  EXPECT_EQ(in_range.size(), 3u);

  std::vector<Report> updated;
  auto collect = [&](std::span<const Report> b) { updated.assign(b.begin(), b.end()); };
  ASSERT_TRUE((*store)->ForEachReportUpdatedAfter(*after_insert, collect));
  EXPECT_TRUE(updated.empty()) << "inserts are not updates";

  Report r = ins->reports[5];
  r.status = ReportStatus::kReviewed;
  ASSERT_TRUE((*store)->UpdateReport(r, 1, kCli));
  ASSERT_TRUE((*store)->SetReportAreas({{ins->reports[7].id, std::nullopt}}, kCli));
  auto now = (*store)->LastChange();
  ASSERT_TRUE(now);
  EXPECT_EQ(*now, *after_insert + 2);
  ASSERT_TRUE((*store)->ForEachReportUpdatedAfter(*after_insert, collect));
  ASSERT_EQ(updated.size(), 2u);
  EXPECT_EQ(updated[0].id, ins->reports[5].id);
  EXPECT_EQ(updated[0].status, ReportStatus::kReviewed);
  EXPECT_EQ(updated[1].id, ins->reports[7].id);
  ASSERT_TRUE((*store)->ForEachReportUpdatedAfter(*after_insert + 1, collect));
  ASSERT_EQ(updated.size(), 1u) << "only the move came after the review";
  EXPECT_EQ(updated[0].id, ins->reports[7].id);
}

// PostgreSQL tells a listener of a commit made on another connection at once; SQLite's listener
// only waits (its servers poll).
TEST_P(ChangeFeedTest, AListenerHearsOfACommitByAnotherConnection) {
  TestDatabase db(GetParam());
  EST_REQUIRE_DATABASE(db);
  auto a = Store::Open(db.url());
  auto b = Store::Open(db.url());
  ASSERT_TRUE(a && b);
  Seeded seed = Seed(**a);
  auto listener = (*a)->ListenForChanges();
  ASSERT_TRUE(listener) << ToString(listener.error());
  auto quiet = (*listener)->Wait(50);
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(*quiet);
  ASSERT_TRUE((*b)->InsertReports({MakeReport(seed, 1)}, kCli));
  auto heard = (*listener)->Wait(GetParam() == "postgresql" ? 10000 : 100);
  ASSERT_TRUE(heard) << ToString(heard.error());
  EXPECT_EQ(*heard, GetParam() == "postgresql");
  auto last_a = (*a)->LastChange();
  auto last_b = (*b)->LastChange();
  ASSERT_TRUE(last_a && last_b);
  EXPECT_EQ(*last_a, *last_b) << "the other connection's commit is visible";
}

}  // namespace
}  // namespace est::store
