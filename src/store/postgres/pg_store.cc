// PgStore: SqlStore on a libpq connection, with PostgreSQL's own bulk paths.
#include "store/postgres/pg_store.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_import.h"
#include "store/postgres/pg_schema.h"
#include "store/sql_store.h"

namespace est::store {
namespace {

// Reads the engine's columns of the reports with ids in [lo, hi] by COPY in the binary format:
// the rows stream (no result holds them all) and no number travels as text.
Status CopyScan(Db& db, int64_t lo, int64_t hi,
                const std::function<void(std::span<const Report>)>& fn) {
  auto& conn = static_cast<PgConnection&>(db.conn());
  constexpr size_t kBatch = 65536;
  std::vector<Report> batch(kBatch);
  size_t n = 0;
  bool bad = false;
  // The status as a number (see ScanReportsForEngine).
  static constexpr ReportStatus kStatus[] = {ReportStatus::kNew, ReportStatus::kRejected,
                                             ReportStatus::kDuplicate, ReportStatus::kReviewed};
  auto s = conn.CopyOut(
      "SELECT id, org_id, occurred_from, occurred_to, e, n, area_id, category_id, severity, "
      "CASE status WHEN 'rejected' THEN 1 WHEN 'duplicate' THEN 2 WHEN 'reviewed' THEN 3 "
      "ELSE 0 END::bigint, area_only, CASE source WHEN 'police' THEN 1 WHEN 'medborgare' THEN 2 ELSE 0 END::bigint "
      "FROM reports WHERE id BETWEEN " +
          std::to_string(lo) + " AND " + std::to_string(hi) + " ORDER BY id",
      [&](const PgConnection::CopyRow& row) {
        if (row.fields.size() != 12) {
          bad = true;
          return;
        }
        Report& r = batch[n];
        r.id = ReportId{row.Int(0)};
        r.org = OrgId{row.Int(1)};
        r.occurred_from = row.Int(2);
        r.occurred_to = row.null(3) ? std::nullopt : std::optional<int64_t>(row.Int(3));
        r.e = row.Real(4);
        r.n = row.Real(5);
        if (row.null(6)) {
          r.area.reset();
        } else {
          r.area = AreaId{row.Int(6)};
        }
        r.category = CategoryId{row.Int(7)};
        r.severity = static_cast<int>(row.Int(8));
        r.status = kStatus[std::clamp<int64_t>(row.Int(9), 0, 3)];
        r.area_only = row.Int(10) != 0;
        static constexpr ReportSource kSource[] = {ReportSource::kForm, ReportSource::kPolice,
                                                   ReportSource::kCitizen};
        r.source = kSource[std::clamp<int64_t>(row.Int(11), 0, 2)];
        if (++n == kBatch) {
          fn(std::span<const Report>(batch.data(), n));
          n = 0;
        }
      });
  if (!s) return s;
  if (bad) return MakeError(ErrorCode::kInternal, "PostgreSQL: oväntade kolumner i rapporterna");
  if (n > 0) fn(std::span<const Report>(batch.data(), n));
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

  Result<std::unique_ptr<ReportImport>> BeginReportImport() override {
    return BeginPgReportImport(impl());
  }

  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn, int parts,
                                int64_t min_per_part) override {
    Impl& im = impl();
    std::lock_guard lock(im.mu);
    return ScanInParts(
        im.db, parts, min_per_part, [&im] { return OpenPgDb(im.path); },
        [&fn](Db& db, int64_t lo, int64_t hi) { return CopyScan(db, lo, hi, fn); });
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
