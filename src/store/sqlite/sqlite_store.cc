// SqliteStore: SqlStore on a SQLite connection, with SQLite's own bulk paths.
#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "store/sql_store.h"
#include "store/sqlite/sqlite_conn.h"
#include "store/sqlite/sqlite_schema.h"

namespace est::store {
namespace {

// Turns the connection's per-row foreign-key checks off for its lifetime (the pragma has no
// effect inside a transaction, so this is made before the import's transaction begins and undone
// after it ends). Prepared statements are recompiled by SQLite when the setting changes.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Db& db) : db_(db) { (void)db_.Exec("PRAGMA foreign_keys=OFF"); }
  ~ForeignKeysOff() { (void)db_.Exec("PRAGMA foreign_keys=ON"); }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  Db& db_;
};

// A bulk import checks its references once per distinct value at commit instead of once per row
// (five parent lookups per report were a fifth of the writer's time): every organisation, user,
// area, place and category id the inserted reports name must exist when the transaction commits,
// as SQLite's own foreign-key check would demand, or nothing is committed.
class SqliteReportImport final : public ReportImport {
 public:
  explicit SqliteReportImport(SqlStore::Impl& impl)
      : impl_(impl), lock_(impl.mu), fk_off_(impl.db), tx_(impl.db) {}
  Status status() const { return tx_.status(); }

  Result<int64_t> Insert(std::span<Report> reports) override {
    int64_t inserted = 0;
    for (Report& r : reports) {
      // As in InsertReports: a stored (org, source id) makes the insert do nothing.
      auto done = impl_.InsertReportRow(r);
      if (!done) return tl::unexpected(done.error());
      if (!*done) {
        r.id = ReportId{0};
        ++outcome_.already_present;
        continue;
      }
      refs_.Add(r);
      if (outcome_.inserted == 0) first_ = r;
      last_id_ = r.id.value;
      ++outcome_.inserted;
      ++inserted;
    }
    return inserted;
  }

  Result<ImportOutcome> Commit(const Actor& actor) override {
    if (auto refs = refs_.Check(impl_.db); !refs) return tl::unexpected(refs.error());
    if (auto a = impl_.AuditImport(actor, outcome_, first_, last_id_); !a) {
      return tl::unexpected(a.error());
    }
    if (auto c = tx_.Commit(); !c) return tl::unexpected(c.error());
    return outcome_;
  }

 private:
  SqlStore::Impl& impl_;
  std::unique_lock<std::mutex> lock_;
  ForeignKeysOff fk_off_;  // declared before tx_: checks come back on after the transaction ends
  Transaction tx_;
  ImportOutcome outcome_;
  std::optional<Report> first_;
  int64_t last_id_ = 0;
  ImportReferences refs_;
};

// Reads through a memory map: no copy of every page into SQLite's cache (about a sixth of the
// scan). Only for this scan: the connection's later work goes through the page cache again.
Status MappedScan(Db& db, int64_t lo, int64_t hi,
                  const std::function<void(std::span<const Report>)>& fn) {
  (void)db.Exec("PRAGMA mmap_size=1099511627776");
  Status st = ScanReportsForEngine(db, lo, hi, fn);
  (void)db.Exec("PRAGMA mmap_size=0");
  return st;
}

// SQLite tells no one of a commit: the listener only waits, and the caller polls LastChange.
class SqlitePollListener final : public ChangeListener {
 public:
  Result<bool> Wait(int timeout_ms) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    return false;
  }
};

class SqliteStore final : public SqlStore {
 public:
  explicit SqliteStore(std::unique_ptr<Impl> impl) : SqlStore(std::move(impl)) {}

  std::string_view backend() const override { return "sqlite"; }

  Status Backup(const std::string& file) override { return BackupSqlite(impl().path, file); }

  // File databases: the WAL is checkpointed off the writer's path.
  Status StartCheckpointer() {
    Impl& im = impl();
    if (im.path == ":memory:" || im.path.empty()) return {};
    checkpointer_ = std::make_unique<Checkpointer>(im.path);
    return checkpointer_->Attach(static_cast<SqliteConnection&>(im.db.conn()));
  }

  ~SqliteStore() override {
    // Detach and stop before the connection closes.
    checkpointer_.reset();
  }

  Result<std::unique_ptr<ChangeListener>> ListenForChanges() override {
    return std::unique_ptr<ChangeListener>(new SqlitePollListener());
  }

  Result<std::unique_ptr<ReportImport>> BeginReportImport() override {
    auto import = std::make_unique<SqliteReportImport>(impl());
    if (!import->status()) return tl::unexpected(import->status().error());
    return std::unique_ptr<ReportImport>(std::move(import));
  }

  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn, int parts,
                                int64_t min_per_part) override {
    Impl& im = impl();
    std::lock_guard lock(im.mu);
    auto range = ReportIdRange(im.db);
    if (!range) return Fail(range);
    // Plain variables, not a structured binding: clang 14 (the fuzz and sanitizer builds) cannot
    // capture a binding in the worker lambdas below.
    const int64_t lo = range->first;
    const int64_t hi = range->second;
    const int64_t count = hi - lo + 1;  // at most
    if (parts <= 1 || im.path == ":memory:" || im.path.empty() ||
        count < 2 * std::max<int64_t>(1, min_per_part)) {
      return MappedScan(im.db, lo, hi, fn);
    }
    // Parts 1.. on their own read connections (WAL: readers do not block each other), part 0
    // here.
    const int64_t span = (hi - lo) / parts + 1;
    std::vector<Status> results(static_cast<size_t>(parts));
    std::vector<std::thread> workers;
    for (int k = 1; k < parts; ++k) {
      workers.emplace_back([&, k] {
        auto db = OpenSqliteDb(im.path);
        if (!db) {
          results[static_cast<size_t>(k)] = tl::unexpected(db.error());
          return;
        }
        results[static_cast<size_t>(k)] =
            MappedScan(*db, lo + k * span, std::min(hi, lo + (k + 1) * span - 1), fn);
      });
    }
    results[0] = MappedScan(im.db, lo, std::min(hi, lo + span - 1), fn);
    for (std::thread& w : workers) w.join();
    for (Status& st : results) {
      if (!st) return st;
    }
    return {};
  }

 private:
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  auto db = OpenSqliteDb(path);
  if (!db) return tl::unexpected(db.error());
  auto impl = std::make_unique<SqlStore::Impl>();
  impl->db = std::move(*db);
  impl->path = path;
  auto v = Migrate(impl->db);
  if (!v) return tl::unexpected(v.error());
  impl->version = *v;
  if (auto s = impl->PrepareCommon(); !s) return tl::unexpected(s.error());
  auto store = std::make_unique<SqliteStore>(std::move(impl));
  if (auto s = store->StartCheckpointer(); !s) return tl::unexpected(s.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace est::store
