// PgReportImport: see pg_import.h.
#include "store/postgres/pg_import.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"

namespace est::store {
namespace {

// The id column first, then kReportInsertColumns, each with the Value kind its type needs.
constexpr size_t kColumns = 24;

// The (org, source id) index as the schema makes it.
constexpr const char* kSourceIndex =
    "CREATE UNIQUE INDEX reports_source ON reports(org_id, source_id) WHERE source_id IS NOT NULL";

void ValuesOf(const Report& r, int64_t id, std::array<Value, kColumns>& v) {
  auto opt = [](const auto& o) { return o ? Value::Int(o->value) : Value::Null(); };
  v[0] = Value::Int(id);
  v[1] = Value::Int(r.org.value);
  v[2] = opt(r.reporter);
  v[3] = Value::Int(r.occurred_from);
  v[4] = r.occurred_to ? Value::Int(*r.occurred_to) : Value::Null();
  v[5] = Value::Int(r.reported_at);
  v[6] = Value::Real(r.e);
  v[7] = Value::Real(r.n);
  v[8] = Value::Real(r.lon);
  v[9] = Value::Real(r.lat);
  v[10] = Value::Int(r.source_epsg);
  v[11] = opt(r.area);
  v[12] = opt(r.place);
  v[13] = Value::Int(r.category.value);
  v[14] = Value::Int(r.severity);
  v[15] = Value::Int(r.count);
  v[16] = Value::Text(CertaintyText(r.certainty));
  v[17] = Value::Int(r.police_notified ? 1 : 0);
  v[18] = Value::Text(r.description);
  v[19] = Value::Text(ReportSourceText(r.source));
  v[20] = r.source_id ? Value::Text(*r.source_id) : Value::Null();
  v[21] = Value::Text(ReportStatusText(r.status));
  v[22] = Value::Int(r.version);
  v[23] = Value::Int(r.area_only ? 1 : 0);
}

std::vector<std::string> CopyColumns() {
  std::vector<std::string> cols{"id"};
  std::string all = kReportInsertColumns;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t comma = all.find(',', pos);
    if (comma == std::string::npos) comma = all.size();
    std::string c = all.substr(pos, comma - pos);
    c.erase(0, c.find_first_not_of(' '));
    cols.push_back(c);
    pos = comma + 1;
  }
  return cols;
}

// One integer from a query without parameters.
Result<int64_t> QueryInt(Db& db, const std::string& sql) {
  auto s = db.Prepare(sql);
  if (!s) return Fail(s);
  auto row = s->Step();
  if (!row) return Fail(row);
  return *row ? s->Int(0) : 0;
}

// The rows a query returns as ids.
Result<std::vector<int64_t>> QueryIds(Db& db, const std::string& sql) {
  auto s = db.Prepare(sql);
  if (!s) return Fail(s);
  std::vector<int64_t> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(s->Int(0));
  }
  return out;
}

class PgReportImport final : public ReportImport {
 public:
  explicit PgReportImport(SqlStore::Impl& impl) : impl_(impl), lock_(impl.mu) {}
  ~PgReportImport() override {
    copy_.reset();  // ends an unfinished COPY so that the rollback can run
    tx_.reset();
  }

  Status Begin() {
    Db& db = impl_.db;
    tx_.emplace(db);
    if (!tx_->status()) return tx_->status();
    if (auto s = db.Exec("SET CONSTRAINTS ALL DEFERRED"); !s) return s;
    // Ids after both the identity's last value and the largest id (a copied database may have
    // set ids itself); read, not drawn, so that a rollback leaves the sequence as it was.
    auto first = QueryInt(
        db,
        "SELECT GREATEST(COALESCE(pg_sequence_last_value(pg_get_serial_sequence('reports', "
        "'id')::regclass), 0), COALESCE((SELECT MAX(id) FROM reports), 0)) + 1");
    if (!first) return tl::unexpected(first.error());
    first_id_ = next_id_ = *first;
    auto empty = QueryInt(db, "SELECT CASE WHEN EXISTS (SELECT 1 FROM reports) THEN 0 ELSE 1 END");
    if (!empty) return tl::unexpected(empty.error());
    direct_ = *empty == 1;
    std::string target = "reports";
    if (direct_) {
      // The table's own foreign keys, to be made again as they were at commit.
      auto keys = db.Prepare(
          "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
          "'reports'::regclass AND contype = 'f' ORDER BY conname");
      if (!keys) return Fail(keys);
      for (;;) {
        auto row = keys->Step();
        if (!row) return Fail(row);
        if (!*row) break;
        foreign_keys_.push_back({keys->Text(0), keys->Text(1)});
      }
      std::string drop = "DROP INDEX reports_source";  // kSourceIndex makes it again
      if (!foreign_keys_.empty()) {
        drop += "; ALTER TABLE reports";
        for (size_t i = 0; i < foreign_keys_.size(); ++i) {
          drop += (i ? ", " : " ") + std::string("DROP CONSTRAINT ") + foreign_keys_[i].first;
        }
      }
      if (auto s = db.Exec(drop); !s) return s;
    } else {
      target = "est_import";
      if (auto s = db.Exec(std::string("CREATE TEMP TABLE est_import ON COMMIT DROP AS SELECT id, ") +
                           kReportInsertColumns + " FROM reports WITH NO DATA");
          !s) {
        return s;
      }
    }
    auto& conn = static_cast<PgConnection&>(db.conn());
    auto copy = conn.BeginBinaryCopy(target, CopyColumns());
    if (!copy) return tl::unexpected(copy.error());
    copy_ = std::move(*copy);
    return {};
  }

  Result<int64_t> Insert(std::span<Report> reports) override {
    std::array<Value, kColumns> values;
    for (Report& r : reports) {
      ValuesOf(r, next_id_, values);
      if (auto s = copy_->Add(values); !s) return tl::unexpected(s.error());
      r.id = ReportId{next_id_++};
      refs_.Add(r);
      if (!first_) first_ = r;
    }
    return next_id_ - first_id_;
  }

  Result<ImportOutcome> Commit(const Actor& actor) override {
    Db& db = impl_.db;
    auto finished = copy_->Finish();
    copy_.reset();
    if (!finished) return tl::unexpected(finished.error());
    const int64_t last = next_id_ - 1;
    const std::string range = std::to_string(first_id_) + " AND " + std::to_string(last);
    ImportOutcome outcome;
    Result<std::vector<int64_t>> skipped;
    if (direct_) {
      // The index first: it finds whether any (org, source id) repeats in one pass. Only when
      // one does are the repeats deleted (a sort of the table) and the index built again.
      skipped = std::vector<int64_t>();
      if (auto s = db.Exec("SAVEPOINT est_index; " + std::string(kSourceIndex)); !s) {
        if (s.error().code != ErrorCode::kConflict) return tl::unexpected(s.error());
        if (auto r = db.Exec("ROLLBACK TO SAVEPOINT est_index"); !r) {
          return tl::unexpected(r.error());
        }
        skipped = QueryIds(
            db,
            "DELETE FROM reports WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER "
            "(PARTITION BY org_id, source_id ORDER BY id) AS n FROM reports WHERE source_id IS "
            "NOT NULL) AS t WHERE n > 1) RETURNING id");
        if (!skipped) return tl::unexpected(skipped.error());
        if (auto r = db.Exec(kSourceIndex); !r) return tl::unexpected(r.error());
      }
    } else {
      if (auto s = db.Exec(std::string("INSERT INTO reports(id, ") + kReportInsertColumns +
                           ") SELECT id, " + kReportInsertColumns +
                           " FROM est_import ORDER BY id ON CONFLICT (org_id, source_id) WHERE "
                           "source_id IS NOT NULL DO NOTHING");
          !s) {
        return tl::unexpected(s.error());
      }
      skipped = QueryIds(db,
                         "SELECT i.id FROM est_import i WHERE NOT EXISTS (SELECT 1 FROM reports r "
                         "WHERE r.id = i.id) AND i.id BETWEEN " +
                             range);
    }
    if (!skipped) return tl::unexpected(skipped.error());
    std::sort(skipped->begin(), skipped->end());
    outcome.inserted = (last - first_id_ + 1) - static_cast<int64_t>(skipped->size());
    outcome.already_present = static_cast<int64_t>(skipped->size());
    outcome.later_duplicates = std::move(*skipped);
    if (auto s = refs_.Check(db); !s) return tl::unexpected(s.error());
    if (direct_ && !foreign_keys_.empty()) {
      // One statement: the keys are validated in one pass each, under one lock.
      std::string remake = "ALTER TABLE reports";
      for (size_t i = 0; i < foreign_keys_.size(); ++i) {
        remake += (i ? ", " : " ") + std::string("ADD CONSTRAINT ") + foreign_keys_[i].first +
                  " " + foreign_keys_[i].second;
      }
      if (auto s = db.Exec(remake); !s) return tl::unexpected(s.error());
    }
    // The first and last stored row (the first given may have been skipped).
    int64_t last_stored = 0;
    if (!outcome.later_duplicates.empty() && outcome.inserted > 0) {
      auto s = db.Prepare(std::string("SELECT ") + kReportColumns +
                          " FROM reports WHERE id BETWEEN " + range + " ORDER BY id LIMIT 1");
      if (!s) return Fail(s);
      auto row = s->Step();
      if (!row) return Fail(row);
      if (*row) first_ = ReadReport(*s);
      auto max = QueryInt(db, "SELECT MAX(id) FROM reports WHERE id BETWEEN " + range);
      if (!max) return tl::unexpected(max.error());
      last_stored = *max;
    } else {
      last_stored = last;
    }
    if (outcome.inserted > 0) {
      if (auto a = impl_.AuditImport(actor, outcome, first_, last_stored); !a) {
        return tl::unexpected(a.error());
      }
      // Last before the commit: setval is not undone by a rollback.
      if (auto s = db.Exec("SELECT setval(pg_get_serial_sequence('reports', 'id'), " +
                           std::to_string(last) + ")");
          !s) {
        return tl::unexpected(s.error());
      }
    }
    if (auto c = tx_->Commit(); !c) return tl::unexpected(c.error());
    return outcome;
  }

 private:
  SqlStore::Impl& impl_;
  std::unique_lock<std::mutex> lock_;
  std::optional<Transaction> tx_;
  std::unique_ptr<BulkInsert> copy_;  // released before the transaction ends
  bool direct_ = false;
  std::vector<std::pair<std::string, std::string>> foreign_keys_;  // name, definition
  int64_t first_id_ = 1;
  int64_t next_id_ = 1;
  std::optional<Report> first_;
  ImportReferences refs_;
};

}  // namespace

Result<std::unique_ptr<ReportImport>> BeginPgReportImport(SqlStore::Impl& impl) {
  auto import = std::make_unique<PgReportImport>(impl);
  if (auto s = import->Begin(); !s) return tl::unexpected(s.error());
  return std::unique_ptr<ReportImport>(std::move(import));
}

}  // namespace est::store
