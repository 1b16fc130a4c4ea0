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

// A bulk import on PostgreSQL: the reports' foreign keys are deferred to the commit, and before it
// every distinct parent id is checked once, so a missing one fails naming the field and id (as on
// SQLite) instead of as the database's constraint error.
class PgReportImport final : public ReportImport {
 public:
  explicit PgReportImport(SqlStore::Impl& impl) : impl_(impl), lock_(impl.mu), tx_(impl.db) {
    if (tx_.status()) deferred_ = impl_.db.Exec("SET CONSTRAINTS ALL DEFERRED");
  }
  Status status() const { return tx_.status() ? deferred_ : tx_.status(); }

  Result<int64_t> Insert(std::span<Report> reports) override {
    int64_t inserted = 0;
    for (Report& r : reports) {
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
  Transaction tx_;
  Status deferred_;
  ImportOutcome outcome_;
  std::optional<Report> first_;
  int64_t last_id_ = 0;
  ImportReferences refs_;
};

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

  Result<std::unique_ptr<ReportImport>> BeginReportImport() override {
    auto import = std::make_unique<PgReportImport>(impl());
    if (!import->status()) return tl::unexpected(import->status().error());
    return std::unique_ptr<ReportImport>(std::move(import));
  }

  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn, int parts,
                                int64_t min_per_part) override {
    Impl& im = impl();
    std::lock_guard lock(im.mu);
    auto range = ReportIdRange(im.db);
    if (!range) return Fail(range);
    const int64_t lo = range->first;
    const int64_t hi = range->second;
    const int64_t count = hi - lo + 1;
    if (parts <= 1 || count < 2 * std::max<int64_t>(1, min_per_part)) {
      return WindowedScan(im.db, lo, hi, fn);
    }
    const int64_t span = (hi - lo) / parts + 1;
    std::vector<Status> results(static_cast<size_t>(parts));
    std::vector<std::thread> workers;
    for (int k = 1; k < parts; ++k) {
      workers.emplace_back([&, k] {
        auto db = OpenPgDb(im.path);
        if (!db) {
          results[static_cast<size_t>(k)] = tl::unexpected(db.error());
          return;
        }
        results[static_cast<size_t>(k)] =
            WindowedScan(*db, lo + k * span, std::min(hi, lo + (k + 1) * span - 1), fn);
      });
    }
    results[0] = WindowedScan(im.db, lo, std::min(hi, lo + span - 1), fn);
    for (std::thread& w : workers) w.join();
    for (Status& st : results) {
      if (!st) return st;
    }
    return {};
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
