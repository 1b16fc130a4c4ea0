// SqliteStore: SqlStore on a SQLite connection, with SQLite's own bulk paths.
#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <thread>
#include <vector>

#include "store/sql_store.h"
#include "store/sqlite/sqlite_conn.h"
#include "store/sqlite/sqlite_schema.h"

namespace est::store {
namespace {

// The (org, source id) index as the schema defines it (sqlite_schema.cc, migration 1).
constexpr const char* kSourceIndex =
    "CREATE UNIQUE INDEX reports_source ON reports(org_id, source_id) WHERE source_id IS NOT NULL";

// Builds the source index after a deferred import. When the file repeated an (org, source id),
// the unique index cannot be built: the repeats (each but the earliest row of its key) are found
// through a plain index, deleted and returned, and then it is.
Result<std::vector<int64_t>> BuildSourceIndex(Db& db) {
  (void)db.Exec("PRAGMA threads=2");  // the index sort's helper threads
  std::vector<int64_t> repeats;
  if (db.Exec(kSourceIndex)) return repeats;
  if (auto s = db.Exec("CREATE INDEX reports_source_repeats ON reports(org_id, source_id) "
                       "WHERE source_id IS NOT NULL");
      !s) {
    return tl::unexpected(s.error());
  }
  auto find = db.Prepare(
      "SELECT r.id FROM reports r WHERE r.source_id IS NOT NULL AND EXISTS (SELECT 1 FROM "
      "reports p WHERE p.org_id = r.org_id AND p.source_id = r.source_id AND p.id < r.id) "
      "ORDER BY r.id");
  if (!find) return Fail(find);
  while (true) {
    auto row = find->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    repeats.push_back(find->Int(0));
  }
  auto del = db.Prepare("DELETE FROM reports WHERE id = ?");
  if (!del) return Fail(del);
  for (int64_t id : repeats) {
    del->Bind(1, id);
    if (auto s = del->Run(); !s) return tl::unexpected(s.error());
  }
  if (auto s = db.Exec("DROP INDEX reports_source_repeats"); !s) return tl::unexpected(s.error());
  if (auto s = db.Exec(kSourceIndex); !s) return tl::unexpected(s.error());
  return repeats;
}

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
  int64_t MemoryBytes() override {
    // Never waits for a long write (the caller is the signal watcher's memory line).
    std::unique_lock lock(impl().mu, std::try_to_lock);
    if (lock.owns_lock()) {
      int current = 0, highest = 0;
      auto* raw = static_cast<SqliteConnection&>(impl().db.conn()).raw();
      if (sqlite3_db_status(raw, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0) == SQLITE_OK) {
        last_cache_bytes_ = current;
      }
    }
    return last_cache_bytes_;
  }

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

  // The per-row foreign-key checks are off for the import (its references are checked once per
  // distinct id at commit); the pragma has no effect inside a transaction, so it is set before
  // the transaction begins and undone after it ends. SQLite recompiles prepared statements when
  // the setting changes.
  Result<std::unique_ptr<ReportImport>> BeginReportImport() override {
    SqlReportImport::Hooks hooks;
    // A bulk import may use a larger page cache (its index outgrows 64 MB at a few million rows);
    // shrinking it after hands the pages back.
    hooks.before_begin = [](Db& db) {
      if (auto s = db.Exec("PRAGMA cache_size=-262144"); !s) return s;
      return db.Exec("PRAGMA foreign_keys=OFF");
    };
    hooks.after_end = [](Db& db) {
      (void)db.Exec("PRAGMA foreign_keys=ON");
      (void)db.Exec("PRAGMA cache_size=-65536");
    };
    // Into an empty table the (org, source id) index is built once at commit (a sort, on two
    // threads) instead of taking each row at a random place: about a third of the writer's time.
    hooks.defer_source_index = [](Db& db) -> Result<bool> {
      {
        // Finished (destroyed) before the DROP, which an active statement would block.
        auto any = db.Prepare("SELECT EXISTS (SELECT 1 FROM reports)");
        if (!any) return Fail(any);
        if (auto row = any->Step(); !row) return Fail(row);
        if (any->Int(0) != 0) return false;
      }
      if (auto s = db.Exec("DROP INDEX reports_source"); !s) return tl::unexpected(s.error());
      return true;
    };
    hooks.build_source_index = BuildSourceIndex;
    return SqlReportImport::Begin(impl(), std::move(hooks));
  }

  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn, int parts,
                                int64_t min_per_part) override {
    Impl& im = impl();
    std::lock_guard lock(im.mu);
    std::function<Result<Db>()> open;
    if (im.path != ":memory:" && !im.path.empty()) {
      open = [&im] { return OpenSqliteDb(im.path); };
    }
    return ScanInParts(im.db, parts, min_per_part, open,
                       [&fn](Db& db, int64_t lo, int64_t hi) { return MappedScan(db, lo, hi, fn); });
  }

 private:
  std::unique_ptr<Checkpointer> checkpointer_;
  int64_t last_cache_bytes_ = 0;
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
