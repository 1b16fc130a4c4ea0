// PgStore: SqlStore on a libpq connection, with PostgreSQL's own bulk paths.
#include "store/postgres/pg_store.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_schema.h"
#include "store/sql_store.h"

namespace est::store {
namespace {

// Reads the engine's columns in id windows, so that no result holds more than a window's rows.
Status WindowedScan(Db& db, int64_t lo, int64_t hi,
                    const std::function<void(std::span<const Report>)>& fn) {
  constexpr int64_t kWindow = 65536;
  for (int64_t from = lo; from <= hi; from += kWindow) {
    if (auto s = ScanReportsForEngine(db, from, std::min(hi, from + kWindow - 1), fn); !s) {
      return s;
    }
  }
  return {};
}

// LISTEN est_changes on a connection of its own: every write transaction notifies at its commit
// (PgConnection::Begin).
class PgListener final : public ChangeListener {
 public:
  explicit PgListener(Db db) : db_(std::move(db)) {}
  Status Listen() { return db_.Exec("LISTEN est_changes"); }
  Result<bool> Wait(int timeout_ms) override {
    auto& conn = static_cast<PgConnection&>(db_.conn());
    return conn.WaitForNotification(timeout_ms);
  }

 private:
  Db db_;
};

class PgStore final : public SqlStore {
 public:
  explicit PgStore(std::unique_ptr<Impl> impl) : SqlStore(std::move(impl)) {}

  std::string_view backend() const override { return "postgresql"; }

  Status Backup(const std::string& file) override { return BackupPostgres(impl().path, file); }

  Result<std::unique_ptr<ChangeListener>> ListenForChanges() override {
    auto db = OpenPgDb(impl().path);
    if (!db) return tl::unexpected(db.error());
    auto listener = std::make_unique<PgListener>(std::move(*db));
    if (auto s = listener->Listen(); !s) return tl::unexpected(s.error());
    return std::unique_ptr<ChangeListener>(std::move(listener));
  }

  // The reports' foreign keys are deferred to the commit; before it every distinct parent id is
  // checked once, so a missing one fails naming the field and id (as on SQLite) instead of as the
  // database's constraint error.
  Result<std::unique_ptr<ReportImport>> BeginReportImport() override {
    SqlReportImport::Hooks hooks;
    hooks.after_begin = [](Db& db) { return db.Exec("SET CONSTRAINTS ALL DEFERRED"); };
    return SqlReportImport::Begin(impl(), std::move(hooks));
  }

  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn, int parts,
                                int64_t min_per_part) override {
    Impl& im = impl();
    std::lock_guard lock(im.mu);
    return ScanInParts(
        im.db, parts, min_per_part, [&im] { return OpenPgDb(im.path); },
        [&fn](Db& db, int64_t lo, int64_t hi) { return WindowedScan(db, lo, hi, fn); });
  }
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  auto db = OpenPgDb(url);
  if (!db) return tl::unexpected(db.error());
  auto impl = std::make_unique<SqlStore::Impl>();
  impl->db = std::move(*db);
  impl->path = url;
  auto v = MigratePg(impl->db);
  if (!v) return tl::unexpected(v.error());
  impl->version = *v;
  if (auto s = impl->PrepareCommon(); !s) return tl::unexpected(s.error());
  return std::unique_ptr<Store>(std::make_unique<PgStore>(std::move(impl)));
}

}  // namespace est::store
