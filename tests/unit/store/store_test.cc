// Store: schema, reference data, reports (idempotency, all-or-nothing, optimistic concurrency),
// check-ins, sessions, the audit hash chain and the durability settings of a file database.
#include "store/store.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_conn.h"
#include "support/test_database.h"

namespace est::store {
namespace {

namespace fs = std::filesystem;

const Actor kCli{std::nullopt, "cli"};

// A fresh database file path in the temp dir, removed (with its WAL files) at scope exit.
class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() / ("est_store_test_" + std::to_string(getpid()) + "_" +
                                          std::to_string(counter++) + ".db"))
                .string();
    Remove();
  }
  ~TempDb() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  std::string path_;
};

// Runs one SQL statement on the file directly, bypassing the store.
void ExecRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* msg = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
  EXPECT_EQ(rc, SQLITE_OK) << (msg ? msg : "");
  sqlite3_free(msg);
  sqlite3_close(db);
}

geo::MultiPolygon Square(double e, double n, double size) {
  geo::Ring r;
  r.pts = {{e, n}, {e + size, n}, {e + size, n + size}, {e, n + size}, {e, n}};
  return geo::MultiPolygon{{geo::Polygon{r, {}}}};
}

// The conformance suite: every StoreTest runs on SQLite and on PostgreSQL.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    EST_REQUIRE_DATABASE(*db_);
    auto s = Store::Open(db_->url());
    ASSERT_TRUE(s) << ToString(s.error());
    store_ = std::move(*s);
    Organisation o;
    o.code = "skola";
    o.name = "Utbildningsnämnden";
    o.kind = OrgKind::kNamnd;
    auto org = store_->CreateOrganisation(o, kCli);
    ASSERT_TRUE(org) << ToString(org.error());
    org_ = org->id;
    o.code = "bostad";
    o.name = "Sollentunahem";
    o.kind = OrgKind::kBolag;
    auto org2 = store_->CreateOrganisation(o, kCli);
    ASSERT_TRUE(org2);
    org2_ = org2->id;
    Category c;
    c.code = "klotter";
    c.name_sv = "Klotter";
    c.name_en = "Graffiti";
    c.group = "egendom";
    auto cat = store_->CreateCategory(c, kCli);
    ASSERT_TRUE(cat) << ToString(cat.error());
    cat_ = cat->id;
    c.code = "skadegorelse";
    c.name_sv = "Skadegörelse";
    auto cat2 = store_->CreateCategory(c, kCli);
    ASSERT_TRUE(cat2);
    cat2_ = cat2->id;
  }

  Report MakeReport(std::optional<std::string> source_id, UnixSeconds at = 1'763'600'000) {
    Report r;
    r.org = org_;
    r.category = cat_;
    r.occurred_from = at;
    r.reported_at = at + 60;
    r.e = 666000;
    r.n = 6591000;
    r.lon = 17.95;
    r.lat = 59.43;
    r.description = "Klotter på väggen";
    r.source_id = std::move(source_id);
    return r;
  }

  int64_t AuditCount() {
    auto a = store_->ListAudit(0, 1'000'000);
    EXPECT_TRUE(a);
    return a ? static_cast<int64_t>(a->size()) : -1;
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<Store> store_;
  OrgId org_, org2_;
  CategoryId cat_, cat2_;
};

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::Backends()),
                         BackendName);

TEST(StoreOpen, MemoryDatabaseIsMigrated) {
  auto s = Store::Open(":memory:");
  ASSERT_TRUE(s) << ToString(s.error());
  EXPECT_GE((*s)->schema_version(), 1);
  auto orgs = (*s)->ListOrganisations();
  ASSERT_TRUE(orgs);
  EXPECT_TRUE(orgs->empty());
}

TEST(StoreOpen, ReopenKeepsDataAndVersion) {
  TempDb tmp;
  int version = 0;
  {
    auto s = Store::Open(tmp.path());
    ASSERT_TRUE(s) << ToString(s.error());
    version = (*s)->schema_version();
    Organisation o;
    o.code = "polis";
    o.name = "Polisen";
    ASSERT_TRUE((*s)->CreateOrganisation(o, kCli));
  }
  auto s = Store::Open(tmp.path());
  ASSERT_TRUE(s) << ToString(s.error());
  EXPECT_EQ((*s)->schema_version(), version);
  auto orgs = (*s)->ListOrganisations();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 1u);
  EXPECT_EQ((*orgs)[0].code, "polis");
}

TEST(StoreOpen, NewerSchemaVersionIsRefusedWithClearMessage) {
  TempDb tmp;
  ASSERT_TRUE(Store::Open(tmp.path()));
  ExecRaw(tmp.path(), "INSERT INTO schema_version(version) VALUES (99)");
  auto s = Store::Open(tmp.path());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("99"), std::string::npos) << s.error().detail;
  EXPECT_NE(s.error().detail.find("uppgradera"), std::string::npos) << s.error().detail;
}

// A PostgreSQL URL is never a file: an unreachable server is an error naming host and port, and
// no file of that name appears.
TEST(StoreOpen, UnreachablePostgresNamesTheHostNeverAFile) {
  const std::string url = "postgresql://est@127.0.0.1:1/est_none";
  auto s = Store::Open(url);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().detail.find("127.0.0.1:1"), std::string::npos) << s.error().detail;
  EXPECT_FALSE(fs::exists(url));
  EXPECT_FALSE(fs::exists("postgresql:"));
  auto other = Store::Open("mysql://x@y/z");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument);
}

TEST(StoreOpen, PostgresNewerSchemaVersionIsRefused) {
  testing::TestDatabase db("postgresql");
  EST_REQUIRE_DATABASE(db);
  {
    auto s = Store::Open(db.url());
    ASSERT_TRUE(s) << ToString(s.error());
    EXPECT_EQ((*s)->backend(), "postgresql");
    EXPECT_EQ((*s)->schema_version(), (*Store::Open(":memory:"))->schema_version());
  }
  ASSERT_TRUE(db.Exec("INSERT INTO schema_version(version) VALUES (99)"));
  auto s = Store::Open(db.url());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("99"), std::string::npos) << s.error().detail;
}

// Two stores opened on one database at the same moment (two servers starting) migrate it once.
TEST(StoreOpen, PostgresTwoStoresMigrateOnce) {
  testing::TestDatabase db("postgresql");
  EST_REQUIRE_DATABASE(db);
  Result<std::unique_ptr<Store>> a = MakeError(ErrorCode::kInternal, "");
  Result<std::unique_ptr<Store>> b = MakeError(ErrorCode::kInternal, "");
  std::thread t([&] { a = Store::Open(db.url()); });
  b = Store::Open(db.url());
  t.join();
  ASSERT_TRUE(a) << ToString(a.error());
  ASSERT_TRUE(b) << ToString(b.error());
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM schema_version"), "1");
}

TEST(StoreOpen, FileDatabaseStaysInWalMode) {
  TempDb tmp;
  auto s = Store::Open(tmp.path());
  ASSERT_TRUE(s);
  // journal_mode is persistent in the file; check it from a second connection.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(tmp.path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(StoreOpen, ConnectionUsesWalAndSynchronousFull) {
  // synchronous is a per-connection setting, so read it on a connection opened the way the store
  // opens its own (SqliteConnection::Open).
  TempDb tmp;
  auto opened = SqliteConnection::Open(tmp.path());
  ASSERT_TRUE(opened) << ToString(opened.error());
  Db db(std::move(*opened));
  auto sync = db.Prepare("PRAGMA synchronous");
  ASSERT_TRUE(sync);
  ASSERT_TRUE(*sync->Step());
  EXPECT_EQ(sync->Int(0), 2) << "2 = FULL";
  auto journal = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(journal);
  ASSERT_TRUE(*journal->Step());
  EXPECT_EQ(journal->Text(0), "wal");
  auto fk = db.Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk);
  ASSERT_TRUE(*fk->Step());
  EXPECT_EQ(fk->Int(0), 1);
}

// The write-ahead log reaches the database file through the background checkpointer, not inside
// the commit: the connection's own automatic checkpoint is off, a small commit wakes nothing, and
// a commit past 1 000 log pages gets copied into the file while the connection stays open.
TEST(StoreOpen, CheckpointerCopiesTheLogInTheBackground) {
  TempDb tmp;
  auto opened = SqliteConnection::Open(tmp.path());
  ASSERT_TRUE(opened) << ToString(opened.error());
  SqliteConnection& conn = **opened;
  Db db(std::move(*opened));
  {
    Checkpointer checkpointer(tmp.path());
    ASSERT_TRUE(checkpointer.Attach(conn));
    auto automatic = db.Prepare("PRAGMA wal_autocheckpoint");
    ASSERT_TRUE(automatic);
    ASSERT_TRUE(*automatic->Step());
    EXPECT_EQ(automatic->Int(0), 0);

    ASSERT_TRUE(db.Exec("CREATE TABLE t(x BLOB)"));
    EXPECT_EQ(checkpointer.done(), 0) << "a small commit wakes no checkpoint";
    const auto file_before = fs::file_size(tmp.path());
    {
      Transaction tx(db);
      auto ins = db.Prepare("INSERT INTO t VALUES (zeroblob(3000))");
      ASSERT_TRUE(ins);
      for (int i = 0; i < 1500; ++i) ASSERT_TRUE(ins->Run());  // ~1 500 pages of log
      ASSERT_TRUE(tx.Commit());
    }
    // Waits for the background thread (an event, not a speed limit).
    for (int i = 0; i < 600 && checkpointer.done() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_GE(checkpointer.done(), 1);
    EXPECT_GT(fs::file_size(tmp.path()), file_before + 1500u * 3000u);
  }
  // Detached: the connection goes on committing.
  EXPECT_TRUE(db.Exec("INSERT INTO t VALUES (x'00')"));
}

TEST_P(StoreTest, OrganisationsListedByCodeAndDuplicateCodeConflicts) {
  auto orgs = store_->ListOrganisations();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].code, "bostad");
  EXPECT_EQ((*orgs)[0].kind, OrgKind::kBolag);
  EXPECT_EQ((*orgs)[1].code, "skola");
  EXPECT_EQ((*orgs)[1].name, "Utbildningsnämnden");
  EXPECT_EQ((*orgs)[1].kind, OrgKind::kNamnd);

  int64_t audit = AuditCount();
  Organisation dup;
  dup.code = "skola";
  dup.name = "Annan";
  auto r = store_->CreateOrganisation(dup, kCli);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "code");
  EXPECT_EQ(AuditCount(), audit) << "a failed write must not leave an audit entry";
  EXPECT_EQ(store_->ListOrganisations()->size(), 2u);
}

TEST_P(StoreTest, CategoriesRoundTripAndDuplicateCodeConflicts) {
  auto cats = store_->ListCategories();
  ASSERT_TRUE(cats);
  ASSERT_EQ(cats->size(), 2u);
  EXPECT_EQ((*cats)[1].code, "skadegorelse");
  EXPECT_EQ((*cats)[1].name_sv, "Skadegörelse");
  EXPECT_EQ((*cats)[1].group, "egendom");
  Category dup;
  dup.code = "klotter";
  dup.name_sv = "Klotter igen";
  dup.name_en = "x";
  auto r = store_->CreateCategory(dup, kCli);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  ASSERT_FALSE(r.error().fields.empty());
  EXPECT_EQ(r.error().fields[0].field, "code");
}

TEST_P(StoreTest, UsersAndFindLoginReturnsHash) {
  User u;
  u.login = "anna";
  u.display_name = "Anna A";
  u.role = Role::kReporter;
  u.org = org_;
  auto created = store_->CreateUser(u, "$argon2id$fake-hash", kCli);
  ASSERT_TRUE(created) << ToString(created.error());
  EXPECT_GT(created->id.value, 0);
  EXPECT_EQ(*store_->CountUsers(), 1);

  auto found = store_->FindLogin("anna");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->first.id, created->id);
  EXPECT_EQ((*found)->first.role, Role::kReporter);
  EXPECT_EQ((*found)->first.org, org_);
  EXPECT_EQ((*found)->second, "$argon2id$fake-hash");

  auto missing = store_->FindLogin("bertil");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  auto got = store_->GetUser(created->id);
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->display_name, "Anna A");

  auto dup = store_->CreateUser(u, "h", kCli);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST_P(StoreTest, AreasAndPlaces) {
  NewArea kommun;
  kommun.area.code = "0163";
  kommun.area.name = "Sollentuna";
  kommun.geometry = Square(665000, 6590000, 2000);
  NewArea del;
  del.area.code = "tureberg";
  del.area.name = "Tureberg";
  del.area.level = 1;
  del.area.population = 12000;
  del.parent_code = "0163";
  del.geometry = Square(665500, 6590500, 500);
  auto areas = store_->CreateAreas({kommun, del}, kCli);
  ASSERT_TRUE(areas) << ToString(areas.error());
  ASSERT_EQ(areas->size(), 2u);
  EXPECT_EQ((*areas)[1].parent, (*areas)[0].id);

  auto listed = store_->ListAreas();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].code, "tureberg");
  EXPECT_EQ((*listed)[1].population, 12000);
  auto g = store_->AreaGeometry((*areas)[1].id);
  ASSERT_TRUE(g && g->has_value());
  EXPECT_DOUBLE_EQ((*g)->Area(), 500.0 * 500.0);

  // Duplicate code in a later batch: nothing of that batch is stored.
  NewArea other = del;
  other.area.code = "ny";
  other.parent_code.clear();
  other.area.parent = (*areas)[0].id;
  NewArea dup = del;
  dup.parent_code.clear();
  dup.area.parent = (*areas)[0].id;
  auto again = store_->CreateAreas({other, dup}, kCli);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->ListAreas()->size(), 2u);

  Place p;
  p.name = "Sollentuna centrum";
  p.kind = "centrum";
  p.e = 665700;
  p.n = 6590700;
  p.area = (*areas)[1].id;
  auto place = store_->CreatePlace(p, kCli);
  ASSERT_TRUE(place);
  auto places = store_->ListPlaces();
  ASSERT_TRUE(places);
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ((*places)[0].name, "Sollentuna centrum");
  EXPECT_EQ((*places)[0].area, (*areas)[1].id);
}

TEST_P(StoreTest, InsertReportsIsIdempotentBySourceId) {
  auto first = store_->InsertReports({MakeReport("a1"), MakeReport("a2")}, kCli);
  ASSERT_TRUE(first) << ToString(first.error());
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->already_present, 0);
  ASSERT_EQ(first->reports.size(), 2u);
  EXPECT_GT(first->reports[0].id.value, 0);

  // Second import of the same file plus one new row and a duplicate within the batch.
  auto second = store_->InsertReports(
      {MakeReport("a1"), MakeReport("a2"), MakeReport("a3"), MakeReport("a3")}, kCli);
  ASSERT_TRUE(second) << ToString(second.error());
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->already_present, 3);
  EXPECT_EQ(*store_->CountReports({}), 3);

  // The same source id in another organisation is a different report.
  Report other = MakeReport("a1");
  other.org = org2_;
  auto third = store_->InsertReports({other}, kCli);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->inserted, 1);

  // Reports without source id are never deduplicated.
  auto plain = store_->InsertReports({MakeReport(std::nullopt), MakeReport(std::nullopt)}, kCli);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->inserted, 2);
  EXPECT_EQ(*store_->CountReports({}), 6);

  auto found = store_->FindReportBySource(org_, "a2");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, first->reports[1].id);
  auto none = store_->FindReportBySource(org2_, "a2");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, InsertReportsIsAllOrNothing) {
  int64_t audit = AuditCount();
  Report bad = MakeReport("b2");
  bad.category = CategoryId{9999};  // no such category: foreign key
  auto r = store_->InsertReports({MakeReport("b1"), bad, MakeReport("b3")}, kCli);
  ASSERT_FALSE(r) << "a batch with a bad report must fail, not skip it";
  EXPECT_EQ(*store_->CountReports({}), 0);
  EXPECT_EQ(AuditCount(), audit);

  Report bad_severity = MakeReport("b4");
  bad_severity.severity = 4;  // CHECK constraint
  auto r2 = store_->InsertReports({MakeReport("b1"), bad_severity}, kCli);
  ASSERT_FALSE(r2);
  EXPECT_EQ(*store_->CountReports({}), 0);
}

// The bulk import checks references once per distinct id at commit (its per-row foreign-key
// checks are off): a report naming a missing parent fails the commit, names the field and id, and
// leaves nothing behind; afterwards the connection checks foreign keys per row again.
TEST_P(StoreTest, BulkImportChecksEveryReferenceAtCommit) {
  struct Case {
    const char* field;
    std::function<void(Report&)> spoil;
  };
  const std::vector<Case> cases = {
      {"org", [](Report& r) { r.org = OrgId{777}; }},
      {"reporter", [](Report& r) { r.reporter = UserId{778}; }},
      {"area", [](Report& r) { r.area = AreaId{779}; }},
      {"place", [](Report& r) { r.place = PlaceId{780}; }},
      {"category", [](Report& r) { r.category = CategoryId{5'000'000}; }},  // beyond the bitmap
  };
  const int64_t audit = AuditCount();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    std::vector<Report> batch = {MakeReport("f1"), MakeReport("f2"), MakeReport("f3")};
    c.spoil(batch[1]);
    {
      auto import = store_->BeginReportImport();
      ASSERT_TRUE(import) << ToString(import.error());
      auto n = (*import)->Insert(batch);
      ASSERT_TRUE(n) << ToString(n.error());
      EXPECT_EQ(*n, 3);
      auto done = (*import)->Commit(kCli);
      ASSERT_FALSE(done) << "a missing parent must fail the commit";
      EXPECT_EQ(done.error().code, ErrorCode::kConflict);
      ASSERT_EQ(done.error().fields.size(), 1u);
      EXPECT_EQ(done.error().fields[0].field, c.field);
      EXPECT_NE(done.error().fields[0].reason.find("har id"), std::string::npos)
          << done.error().fields[0].reason;
    }
    EXPECT_EQ(*store_->CountReports({}), 0);
    EXPECT_EQ(AuditCount(), audit);
  }
  // Per-row checks are back for everything else on this connection.
  Report bad = MakeReport("after");
  bad.category = CategoryId{9999};
  EXPECT_FALSE(store_->InsertReports({bad}, kCli));

  // A clean import with references that exist commits, once per row.
  NewArea a;
  a.area.code = "centrum";
  a.area.name = "Centrum";
  a.geometry = Square(665000, 6590000, 2000);
  auto areas = store_->CreateAreas({a}, kCli);
  ASSERT_TRUE(areas) << ToString(areas.error());
  std::vector<Report> good = {MakeReport("g1"), MakeReport("g2"), MakeReport("g1")};
  for (Report& r : good) r.area = (*areas)[0].id;
  good[1].org = org2_;
  good[1].category = cat2_;
  auto import = store_->BeginReportImport();
  ASSERT_TRUE(import);
  auto n = (*import)->Insert(good);
  ASSERT_TRUE(n);
  auto done = (*import)->Commit(kCli);
  ASSERT_TRUE(done) << ToString(done.error());
  EXPECT_EQ(done->inserted, 2);
  EXPECT_EQ(done->already_present, 1);
  // The repeated source id is skipped: at Insert (id 0) or, into an empty table, at Commit.
  if (good[2].id.value == 0) {
    EXPECT_EQ(*n, 2);
    EXPECT_TRUE(done->later_duplicates.empty());
  } else {
    EXPECT_EQ(done->later_duplicates, std::vector<int64_t>{good[2].id.value});
  }
  import->reset();
  EXPECT_EQ(*store_->CountReports({}), 2);
  EXPECT_EQ(AuditCount(), audit + 2);  // the area and the import summary
}

// A bulk import into an empty table may build the (org, source id) index at commit: repeats within
// the import are then found there, the earliest row of each key is kept, and the index is back for
// what follows (a second import of the same rows skips them all).
TEST_P(StoreTest, BulkImportIntoAnEmptyTableKeepsTheEarliestOfEachSourceId) {
  std::vector<Report> rows;
  for (int i = 0; i < 50; ++i) {
    rows.push_back(MakeReport("k" + std::to_string(i % 20)));  // 20 keys, 30 repeats
    rows.back().description = "rad " + std::to_string(i);
  }
  rows.push_back(MakeReport(std::nullopt));  // no source id: never a repeat
  rows.push_back(MakeReport(std::nullopt));
  {
    auto import = store_->BeginReportImport();
    ASSERT_TRUE(import) << ToString(import.error());
    ASSERT_TRUE((*import)->Insert(rows));
    auto done = (*import)->Commit(kCli);
    ASSERT_TRUE(done) << ToString(done.error());
    EXPECT_EQ(done->inserted, 22);
    EXPECT_EQ(done->already_present, 30);
    // Every row has an id or was reported as a repeat, never both.
    std::set<int64_t> repeated(done->later_duplicates.begin(), done->later_duplicates.end());
    int64_t kept = 0;
    for (const Report& r : rows) kept += r.id.value != 0 && repeated.count(r.id.value) == 0;
    EXPECT_EQ(kept, 22);
    if (GetParam() == "sqlite") {
      EXPECT_EQ(done->later_duplicates.size(), 30u) << "SQLite builds the index at commit";
    }
  }
  EXPECT_EQ(*store_->CountReports({}), 22);
  for (int i = 0; i < 20; ++i) {
    auto found = store_->FindReportBySource(org_, "k" + std::to_string(i));
    ASSERT_TRUE(found && found->has_value()) << i;
    EXPECT_EQ((*found)->description, "rad " + std::to_string(i)) << "the earliest row is kept";
  }
  // The index is back: the same rows again are all present, one by one or in bulk.
  auto again = store_->InsertReports({MakeReport("k3")}, kCli);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->inserted, 0);
  std::vector<Report> second;
  for (int i = 0; i < 20; ++i) second.push_back(MakeReport("k" + std::to_string(i)));
  auto import = store_->BeginReportImport();
  ASSERT_TRUE(import);
  ASSERT_TRUE((*import)->Insert(second));
  auto done = (*import)->Commit(kCli);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->inserted, 0);
  EXPECT_EQ(done->already_present, 20);
  import->reset();  // the import holds the store's lock
  EXPECT_TRUE(store_->VerifyAudit());
}

// A bulk import into a table with reports skips what is stored and what repeats an earlier row of
// the file; the rows it keeps get ids that later writes never reuse, its audit entry names the
// first and last of them, and the table's keys still hold afterwards.
TEST_P(StoreTest, BulkImportIntoAFilledTableSkipsStoredAndRepeatedRows) {
  auto before = store_->InsertReports({MakeReport("s0"), MakeReport("s1"), MakeReport("s2")}, kCli);
  ASSERT_TRUE(before);
  const int64_t largest_before = before->reports.back().id.value;
  std::vector<Report> rows;
  for (const char* key : {"s1", "s3", "s4", "s3", "s2", "s5"}) {
    rows.push_back(MakeReport(std::string(key)));
    rows.back().description = std::string("ny ") + key;
  }
  rows.push_back(MakeReport(std::nullopt));
  auto import = store_->BeginReportImport();
  ASSERT_TRUE(import) << ToString(import.error());
  ASSERT_TRUE((*import)->Insert(rows));
  auto done = (*import)->Commit(kCli);
  ASSERT_TRUE(done) << ToString(done.error());
  import->reset();
  EXPECT_EQ(done->inserted, 4);         // s3, s4, s5 and the row without a source id
  EXPECT_EQ(done->already_present, 3);  // s1 and s2 stored, s3 repeated
  std::set<int64_t> skipped(done->later_duplicates.begin(), done->later_duplicates.end());
  std::vector<int64_t> kept;
  for (const Report& r : rows) {
    if (r.id.value != 0 && skipped.count(r.id.value) == 0) kept.push_back(r.id.value);
  }
  ASSERT_EQ(kept.size(), 4u);
  for (int64_t id : kept) EXPECT_GT(id, largest_before);
  EXPECT_EQ(*store_->CountReports({}), 7);
  auto s1 = store_->FindReportBySource(org_, "s1");
  ASSERT_TRUE(s1 && s1->has_value());
  EXPECT_EQ((*s1)->description, "Klotter på väggen") << "the stored row stands";
  auto s3 = store_->FindReportBySource(org_, "s3");
  ASSERT_TRUE(s3 && s3->has_value());
  EXPECT_EQ((*s3)->description, "ny s3") << "the earliest row of the file is kept";
  EXPECT_EQ((*s3)->id.value, kept[0]);
  // The import's audit entry names the rows it stored.
  auto audit = store_->ListAudit(0, 1'000'000);
  ASSERT_TRUE(audit);
  const AuditEntry& entry = audit->back();
  EXPECT_EQ(entry.action, "import");
  auto after = nlohmann::json::parse(entry.after);
  EXPECT_EQ(after["inserted"], 4);
  EXPECT_EQ(after["first_id"], kept.front());
  EXPECT_EQ(after["last_id"], kept.back());
  // A report written after the import gets an id of its own.
  auto later = store_->InsertReports({MakeReport("s9")}, kCli);
  ASSERT_TRUE(later) << ToString(later.error());
  EXPECT_GT(later->reports[0].id.value, kept.back());
  EXPECT_TRUE(store_->VerifyAudit());
}

// A bulk import into an empty table may take the table's keys and index down while it runs
// (PostgreSQL): afterwards, whether it committed or was rolled back, they hold as before.
TEST_P(StoreTest, BulkImportLeavesTheKeysOfTheTableInForce) {
  auto bad_org = [&] {
    Report r = MakeReport("utan-org");
    r.org = OrgId{987654};
    return store_->InsertReports({r}, kCli);
  };
  for (bool commit : {false, true}) {
    auto import = store_->BeginReportImport();
    ASSERT_TRUE(import) << ToString(import.error());
    std::vector<Report> rows{MakeReport("n1"), MakeReport("n2")};
    if (!commit) rows.back().category = CategoryId{987654};  // a missing parent: rolled back
    ASSERT_TRUE((*import)->Insert(rows));
    auto done = (*import)->Commit(kCli);
    EXPECT_EQ(done.has_value(), commit) << (done ? "" : ToString(done.error()));
    import->reset();
    EXPECT_EQ(*store_->CountReports({}), commit ? 2 : 0);
    auto refused = bad_org();
    ASSERT_FALSE(refused) << "the organisation key holds, commit=" << commit;
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(*store_->CountReports({}), commit ? 2 : 0);
  }
  auto repeat = store_->InsertReports({MakeReport("n1"), MakeReport("n3"), MakeReport("n3")}, kCli);
  ASSERT_TRUE(repeat);
  EXPECT_EQ(repeat->inserted, 1) << "the (org, source id) index holds";
  EXPECT_TRUE(store_->VerifyAudit());
}

TEST_P(StoreTest, InsertedReportRoundTrips) {
  Report in = MakeReport("rt");
  in.occurred_to = in.occurred_from + 3600;
  in.severity = 3;
  in.count = 4;
  in.certainty = Certainty::kSuspected;
  in.police_notified = true;
  in.source = ReportSource::kImport;
  in.status = ReportStatus::kReviewed;
  auto out = store_->InsertReports({in}, kCli);
  ASSERT_TRUE(out);
  auto got = store_->GetReport(out->reports[0].id);
  ASSERT_TRUE(got && got->has_value());
  const Report& r = **got;
  EXPECT_EQ(r.org, org_);
  EXPECT_EQ(r.occurred_from, in.occurred_from);
  EXPECT_EQ(r.occurred_to, in.occurred_to);
  EXPECT_EQ(r.severity, 3);
  EXPECT_EQ(r.count, 4);
  EXPECT_EQ(r.certainty, Certainty::kSuspected);
  EXPECT_TRUE(r.police_notified);
  EXPECT_EQ(r.source, ReportSource::kImport);
  EXPECT_EQ(r.status, ReportStatus::kReviewed);
  EXPECT_EQ(r.description, "Klotter på väggen");
  EXPECT_EQ(r.source_id, "rt");
  EXPECT_FALSE(r.area.has_value());
  EXPECT_EQ(r.version, 1);
}

TEST_P(StoreTest, UpdateReportUsesOptimisticConcurrency) {
  auto ins = store_->InsertReports({MakeReport("u1")}, kCli);
  ASSERT_TRUE(ins);
  Report r = ins->reports[0];
  r.category = cat2_;
  r.status = ReportStatus::kReviewed;
  auto updated = store_->UpdateReport(r, 1, kCli);
  ASSERT_TRUE(updated) << ToString(updated.error());
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->category, cat2_);

  // A stale writer still holding version 1.
  Report stale = ins->reports[0];
  stale.severity = 1;
  stale.status = ReportStatus::kRejected;
  auto conflict = store_->UpdateReport(stale, 1, kCli);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  auto stored = store_->GetReport(r.id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->version, 2);
  EXPECT_EQ((*stored)->status, ReportStatus::kReviewed);
  EXPECT_EQ((*stored)->category, cat2_);
  EXPECT_EQ((*stored)->severity, 2);

  Report ghost = r;
  ghost.id = ReportId{12345};
  auto missing = store_->UpdateReport(ghost, 1, kCli);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, ListReportsFiltersAndPaginates) {
  NewArea a;
  a.area.code = "omr";
  a.area.name = "Område";
  a.geometry = Square(665000, 6590000, 2000);
  auto areas = store_->CreateAreas({a}, kCli);
  ASSERT_TRUE(areas);
  AreaId area = (*areas)[0].id;

  std::vector<Report> batch;
  const UnixSeconds t0 = 1'763'600'000;
  for (int i = 0; i < 10; ++i) {
    Report r = MakeReport("p" + std::to_string(i), t0 + i * 3600);
    r.org = i % 2 ? org2_ : org_;
    r.category = i < 5 ? cat_ : cat2_;
    if (i < 7) r.area = area;
    if (i == 9) r.status = ReportStatus::kRejected;
    batch.push_back(r);
  }
  ASSERT_TRUE(store_->InsertReports(batch, kCli));

  struct Case {
    const char* name;
    ReportFilter filter;
    int64_t count;
  };
  auto f = [](auto fn) {
    ReportFilter rf;
    fn(rf);
    return rf;
  };
  const Case cases[] = {
      {"all", {}, 10},
      {"from", f([&](ReportFilter& x) { x.from = t0 + 3 * 3600; }), 7},
      {"to (exclusive)", f([&](ReportFilter& x) { x.to = t0 + 3 * 3600; }), 3},
      {"from..to", f([&](ReportFilter& x) {
         x.from = t0 + 2 * 3600;
         x.to = t0 + 4 * 3600;
       }),
       2},
      {"org", f([&](ReportFilter& x) { x.orgs = {org2_}; }), 5},
      {"two orgs", f([&](ReportFilter& x) {
         x.orgs = {org_, org2_};
       }),
       10},
      {"category", f([&](ReportFilter& x) { x.categories = {cat2_}; }), 5},
      {"status", f([&](ReportFilter& x) { x.status = ReportStatus::kRejected; }), 1},
      {"area", f([&](ReportFilter& x) { x.area = area; }), 7},
      {"outside", f([&](ReportFilter& x) { x.outside_only = true; }), 3},
      {"org+category", f([&](ReportFilter& x) {
         x.orgs = {org_};
         x.categories = {cat_};
       }),
       3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto n = store_->CountReports(c.filter);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, c.count);
    ReportFilter all = c.filter;
    all.limit = 1000;
    auto list = store_->ListReports(all);
    ASSERT_TRUE(list);
    EXPECT_EQ(static_cast<int64_t>(list->size()), c.count);
  }

  // Pagination: newest first, pages do not overlap.
  ReportFilter page;
  page.limit = 4;
  auto p1 = store_->ListReports(page);
  page.offset = 4;
  auto p2 = store_->ListReports(page);
  page.offset = 8;
  auto p3 = store_->ListReports(page);
  ASSERT_TRUE(p1 && p2 && p3);
  ASSERT_EQ(p1->size(), 4u);
  ASSERT_EQ(p2->size(), 4u);
  ASSERT_EQ(p3->size(), 2u);
  EXPECT_EQ((*p1)[0].source_id, "p9");
  EXPECT_EQ((*p1)[3].source_id, "p6");
  EXPECT_EQ((*p2)[0].source_id, "p5");
  EXPECT_EQ((*p3)[1].source_id, "p0");

  auto counts = store_->ReportCountsByArea();
  ASSERT_TRUE(counts);
  std::map<int64_t, int64_t> by_area(counts->begin(), counts->end());
  EXPECT_EQ(by_area[area.value], 7);
  EXPECT_EQ(by_area[0], 3);
}

TEST_P(StoreTest, SetReportAreasMovesReports) {
  NewArea a;
  a.area.code = "omr";
  a.area.name = "Område";
  a.geometry = Square(665000, 6590000, 2000);
  auto areas = store_->CreateAreas({a}, kCli);
  ASSERT_TRUE(areas);
  auto ins = store_->InsertReports({MakeReport("m1"), MakeReport("m2")}, kCli);
  ASSERT_TRUE(ins);
  ASSERT_TRUE(store_->SetReportAreas({{ins->reports[0].id, (*areas)[0].id}}, kCli));
  auto r0 = store_->GetReport(ins->reports[0].id);
  auto r1 = store_->GetReport(ins->reports[1].id);
  EXPECT_EQ((*r0)->area, (*areas)[0].id);
  EXPECT_EQ((*r0)->version, 2) << "a move is a change: stale editors must re-read";
  EXPECT_FALSE((*r1)->area.has_value());
  std::vector<int64_t> ids;
  ASSERT_TRUE(store_->ForEachReport([&](const Report& r) { ids.push_back(r.id.value); }));
  EXPECT_EQ(ids, (std::vector<int64_t>{ins->reports[0].id.value, ins->reports[1].id.value}));
}

TEST_P(StoreTest, CheckInUpsertUpdatesInsteadOfDuplicating) {
  NewArea a;
  a.area.code = "omr";
  a.area.name = "Område";
  a.geometry = Square(665000, 6590000, 2000);
  auto areas = store_->CreateAreas({a}, kCli);
  ASSERT_TRUE(areas);
  CheckIn c;
  c.org = org_;
  c.area = (*areas)[0].id;
  c.week = {2026, 47};
  c.nothing_to_report = true;
  c.at = 100;
  ASSERT_TRUE(store_->UpsertCheckIn(c, kCli));
  c.nothing_to_report = false;
  c.at = 200;
  ASSERT_TRUE(store_->UpsertCheckIn(c, kCli));
  auto list = store_->ListCheckIns();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].nothing_to_report);
  EXPECT_EQ((*list)[0].at, 200);
  EXPECT_EQ((*list)[0].week, (IsoWeek{2026, 47}));

  c.week = {2026, 48};
  ASSERT_TRUE(store_->UpsertCheckIn(c, kCli));
  EXPECT_EQ(store_->ListCheckIns()->size(), 2u);
}

TEST_P(StoreTest, SessionsExpire) {
  User u;
  u.login = "anna";
  u.role = Role::kViewer;
  auto user = store_->CreateUser(u, "h", kCli);
  ASSERT_TRUE(user);
  ASSERT_TRUE(store_->CreateSession({"tokhash", user->id, "csrf", 1000}));
  auto live = store_->FindSession("tokhash", 999);
  ASSERT_TRUE(live && live->has_value());
  EXPECT_EQ((*live)->user, user->id);
  EXPECT_EQ((*live)->csrf_token, "csrf");
  auto expired = store_->FindSession("tokhash", 1000);
  ASSERT_TRUE(expired);
  EXPECT_FALSE(expired->has_value());
  auto unknown = store_->FindSession("other", 0);
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
  ASSERT_TRUE(store_->DeleteSession("tokhash"));
  EXPECT_FALSE(store_->FindSession("tokhash", 0)->has_value());
}

TEST_P(StoreTest, SessionsEndWhenIdleAndAreMarkedUsedAtMostOnceAMinute) {
  User u;
  u.login = "anna";
  u.role = Role::kViewer;
  auto user = store_->CreateUser(u, "h", kCli);
  ASSERT_TRUE(user);
  // Made at 1000, absolute limit 100000, idle limit 1800 s.
  ASSERT_TRUE(store_->CreateSession({"tok", user->id, "csrf", 100000, 1000, 0}));
  EXPECT_TRUE(store_->FindSession("tok", 2799, 1800)->has_value());  // used at 1000: 1799 s ago
  // That use was written (over a minute after the last); one 31 s later is not.
  auto again = store_->FindSession("tok", 2830, 1800);
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->last_seen, 2799);
  // So the idle time counts from 2799: 30 minutes later the session has ended.
  EXPECT_FALSE(store_->FindSession("tok", 2799 + 1800, 1800)->has_value());
  ASSERT_TRUE(store_->CreateSession({"tok2", user->id, "csrf", 100000, 1000, 0}));
  // Without an idle limit only the absolute one counts.
  EXPECT_TRUE(store_->FindSession("tok2", 99999, 0)->has_value());
  EXPECT_FALSE(store_->FindSession("tok2", 100000, 0)->has_value());
}

TEST_P(StoreTest, ANewSessionBeyondTheCapEndsTheUsersOldest) {
  User a, b;
  a.login = "anna";
  a.role = Role::kViewer;
  b.login = "bertil";
  b.role = Role::kViewer;
  auto ua = store_->CreateUser(a, "h", kCli);
  auto ub = store_->CreateUser(b, "h", kCli);
  ASSERT_TRUE(ua && ub);
  ASSERT_TRUE(store_->CreateSession({"b1", ub->id, "c", 100000, 900, 900}, 2));
  for (int i = 1; i <= 3; ++i) {
    auto ended = store_->CreateSession(
        {"a" + std::to_string(i), ua->id, "c", 100000, 1000 + i, 1000 + i}, 2);
    ASSERT_TRUE(ended);
    EXPECT_EQ(*ended, i == 3 ? 1 : 0);
  }
  EXPECT_FALSE(store_->FindSession("a1", 2000)->has_value());  // the oldest went
  EXPECT_TRUE(store_->FindSession("a2", 2000)->has_value());
  EXPECT_TRUE(store_->FindSession("a3", 2000)->has_value());
  EXPECT_TRUE(store_->FindSession("b1", 2000)->has_value());  // another user's are untouched
  // Made in the same second: the newest (by insertion) stays.
  ASSERT_TRUE(store_->CreateSession({"a4", ua->id, "c", 100000, 1003, 1003}, 2));
  EXPECT_FALSE(store_->FindSession("a2", 2000)->has_value());
  EXPECT_TRUE(store_->FindSession("a4", 2000)->has_value());
}

TEST_P(StoreTest, PurgeDeletesExpiredAndIdleSessionsOnly) {
  User u;
  u.login = "anna";
  u.role = Role::kViewer;
  auto user = store_->CreateUser(u, "h", kCli);
  ASSERT_TRUE(user);
  ASSERT_TRUE(store_->CreateSession({"expired", user->id, "c", 5000, 1000, 4900}));
  ASSERT_TRUE(store_->CreateSession({"idle", user->id, "c", 100000, 1000, 1000}));
  ASSERT_TRUE(store_->CreateSession({"live", user->id, "c", 100000, 1000, 4000}));
  auto purged = store_->PurgeSessions(5000, 1800);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
  EXPECT_TRUE(store_->FindSession("live", 5000)->has_value());
  EXPECT_EQ(*store_->PurgeSessions(5000, 1800), 0);
}

TEST_P(StoreTest, SecurityEventsAreListedNewestFirstByKindAndPurgedByAge) {
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 100, "login_failure", "anna", "10.0.0.1", "x"}));
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 200, "login_success", "anna", "10.0.0.1", ""}));
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 300, "login_failure", "bertil", "10.0.0.2", "y"}));
  auto all = store_->ListSecurityEvents(0, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].login, "bertil");
  EXPECT_EQ((*all)[0].address, "10.0.0.2");
  EXPECT_EQ((*all)[2].at, 100);
  auto failures = store_->ListSecurityEvents(0, 10, "login_failure");
  ASSERT_EQ(failures->size(), 2u);
  auto older = store_->ListSecurityEvents((*all)[0].id, 1);  // paging with before
  ASSERT_EQ(older->size(), 1u);
  EXPECT_EQ((*older)[0].kind, "login_success");
  EXPECT_EQ(*store_->PurgeSecurityEvents(250), 2);
  EXPECT_EQ(store_->ListSecurityEvents(0, 10)->size(), 1u);
  // Not part of the audit chain.
  EXPECT_TRUE(store_->VerifyAudit());
}

TEST_P(StoreTest, LoginEventsAfterAreTheLoginsOfTheWindowOldestFirst) {
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 100, "login_failure", "anna", "10.0.0.1", "x"}));
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 200, "login_failure", "anna", "10.0.0.1", "x"}));
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 210, "forbidden", "anna", "10.0.0.1", "GET /"}));
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 220, "lockout", "anna", "10.0.0.1", ""}));
  ASSERT_TRUE(store_->RecordSecurityEvent({0, 300, "login_success", "bertil", "10.0.0.2", ""}));
  auto window = store_->LoginEventsAfter(0, 150, 10);
  ASSERT_TRUE(window);
  ASSERT_EQ(window->size(), 2u) << "before the window and other kinds are left out";
  EXPECT_EQ((*window)[0].at, 200);
  EXPECT_EQ((*window)[0].kind, "login_failure");
  EXPECT_EQ((*window)[1].kind, "login_success");
  EXPECT_EQ((*window)[1].login, "bertil");
  auto after = store_->LoginEventsAfter((*window)[0].id, 0, 10);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].at, 300);
  auto first = store_->LoginEventsAfter(0, 0, 1);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].at, 100);
}

TEST_P(StoreTest, EveryWriteIsAuditedAndTheChainVerifies) {
  // SetUp made 4 writes.
  auto audit = store_->ListAudit(0, 100);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 4u);
  EXPECT_EQ((*audit)[0].seq, 1);
  EXPECT_EQ((*audit)[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ((*audit)[1].prev_hash, (*audit)[0].hash);
  EXPECT_EQ((*audit)[0].entity, "organisation");
  EXPECT_EQ((*audit)[0].action, "create");
  EXPECT_EQ((*audit)[0].actor, "cli");

  auto ins = store_->InsertReports({MakeReport("x1")}, kCli);
  ASSERT_TRUE(ins);
  EXPECT_EQ(AuditCount(), 5);
  ASSERT_TRUE(store_->InsertReports({MakeReport("x2"), MakeReport("x3")}, kCli));
  EXPECT_EQ(AuditCount(), 6) << "a batch is one summary entry";
  Report r = ins->reports[0];
  r.severity = 3;
  ASSERT_TRUE(store_->UpdateReport(r, 1, Actor{UserId{7}, "anna"}));
  auto last = store_->ListAudit(6, 10);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].action, "update");
  EXPECT_EQ((*last)[0].actor, "anna");
  EXPECT_FALSE((*last)[0].before.empty());
  EXPECT_TRUE(store_->VerifyAudit());
}

// Tampering with the trail behind the store's back is found, on either backend.
class StoreAuditTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing::TestDatabase>(GetParam());
    EST_REQUIRE_DATABASE(*db_);
    auto s = Store::Open(db_->url());
    ASSERT_TRUE(s) << ToString(s.error());
    for (const char* code : {"a", "b", "c"}) {
      Organisation o;
      o.code = code;
      o.name = code;
      ASSERT_TRUE((*s)->CreateOrganisation(o, kCli));
    }
    EXPECT_TRUE((*s)->VerifyAudit());
  }
  void Tamper(const std::string& sql) {
    std::string err;
    ASSERT_TRUE(db_->Exec(sql, &err)) << err;
  }
  std::unique_ptr<testing::TestDatabase> db_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreAuditTest, ::testing::ValuesIn(testing::Backends()),
                         BackendName);

TEST_P(StoreAuditTest, TamperingIsDetectedAndNamesTheEntry) {
  Tamper("UPDATE audit SET after='x' WHERE seq=2");
  auto s = Store::Open(db_->url());
  ASSERT_TRUE(s);
  auto v = (*s)->VerifyAudit();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().detail.find("post 2"), std::string::npos) << v.error().detail;
}

TEST_P(StoreAuditTest, RecomputedHashDoesNotHideTamperingFromTheNextEntry) {
  // Rewriting entry 2 with a fresh (fake) hash breaks the link from entry 3.
  Tamper("UPDATE audit SET after='x', hash='" + std::string(64, 'f') + "' WHERE seq=2");
  auto s = Store::Open(db_->url());
  ASSERT_TRUE(s);
  auto v = (*s)->VerifyAudit();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().detail.find("post 2"), std::string::npos) << v.error().detail;
}

}  // namespace
}  // namespace est::store

namespace est::store {
namespace {

// The engine's start-up read: split over three connections reading at once, it delivers every
// report exactly once with the same engine fields as a plain single read, statuses included.
class StoreEngineScan : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Backends, StoreEngineScan, ::testing::ValuesIn(testing::Backends()),
                         BackendName);

TEST_P(StoreEngineScan, PartsOnOwnConnectionsDeliverEveryReportOnce) {
  testing::TestDatabase tmp(GetParam());
  EST_REQUIRE_DATABASE(tmp);
  auto store = Store::Open(tmp.url());
  ASSERT_TRUE(store) << ToString(store.error());
  Organisation o;
  o.code = "polis";
  o.name = "Polisen";
  auto org = (*store)->CreateOrganisation(o, kCli);
  ASSERT_TRUE(org);
  Category c;
  c.code = "klotter";
  c.name_sv = "Klotter";
  auto cat = (*store)->CreateCategory(c, kCli);
  ASSERT_TRUE(cat);
  std::vector<Report> reports;
  for (int i = 0; i < 1000; ++i) {
    Report r;
    r.org = org->id;
    r.category = cat->id;
    r.occurred_from = 1'763'600'000 + i * 3600;
    if (i % 3 == 0) r.occurred_to = r.occurred_from + 1800;
    r.reported_at = r.occurred_from + 60;
    r.e = 660000 + i;
    r.n = 6590000 + 2 * i;
    r.lon = 17.9;
    r.lat = 59.4;
    r.severity = 1 + i % 3;
    r.source_id = "s" + std::to_string(i);
    reports.push_back(r);
  }
  auto inserted = (*store)->InsertReports(reports, kCli);
  ASSERT_TRUE(inserted) << ToString(inserted.error());
  // Statuses through the ordinary edit path.
  ReportFilter first_eight;
  first_eight.limit = 8;
  auto all = (*store)->ListReports(first_eight);
  ASSERT_TRUE(all);
  const ReportStatus statuses[] = {ReportStatus::kNew, ReportStatus::kRejected,
                                   ReportStatus::kDuplicate, ReportStatus::kReviewed};
  for (size_t k = 0; k < 8; ++k) {
    Report r = (*all)[k];
    r.status = statuses[k % 4];
    ASSERT_TRUE((*store)->UpdateReport(r, r.version, kCli));
  }
  auto read = [&](int parts) {
    std::mutex mu;
    std::map<int64_t, Report> got;
    int64_t calls = 0;
    auto st = (*store)->ForEachReportForEngine(
        [&](std::span<const Report> batch) {
          std::lock_guard lock(mu);
          ++calls;
          for (const Report& r : batch) EXPECT_TRUE(got.emplace(r.id.value, r).second);
        },
        parts, 10);
    EXPECT_TRUE(st);
    return std::make_pair(got, calls);
  };
  const auto [single, single_calls] = read(1);
  const auto [split, split_calls] = read(3);
  ASSERT_EQ(single.size(), 1000u);
  ASSERT_EQ(split.size(), 1000u);
  EXPECT_GE(split_calls, 3);  // one batch per part at least
  for (const auto& [id, a] : single) {
    const Report& b = split.at(id);
    EXPECT_EQ(a.org, b.org);
    EXPECT_EQ(a.category, b.category);
    EXPECT_EQ(a.occurred_from, b.occurred_from);
    EXPECT_EQ(a.occurred_to, b.occurred_to);
    EXPECT_EQ(a.e, b.e);
    EXPECT_EQ(a.n, b.n);
    EXPECT_EQ(a.severity, b.severity);
    EXPECT_EQ(a.status, b.status);
  }
  for (size_t k = 0; k < 8; ++k) {
    EXPECT_EQ(split.at((*all)[k].id.value).status, statuses[k % 4]) << k;
  }
  EXPECT_EQ(split.at((*all)[0].id.value).occurred_to, (*all)[0].occurred_to);
}

}  // namespace
}  // namespace est::store
