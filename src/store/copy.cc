// Moving a whole database (sql_store.h): the tables in reference order, their row counts, and
// CopyTo, which streams every row of one store into another of either backend.
#include <algorithm>
#include <limits>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "store/sql_store.h"

namespace est::store {

const std::vector<std::string>& StoreTables() {
  static const std::vector<std::string> kTables = {
      "organisations", "users",          "categories", "areas",   "places",
      "reports",       "checkins",       "sessions",   "audit",   "meetings",
      "problems",      "actions",        "documents",  "surveys", "vulnerable_areas",
      "messages",      "security_events", "police_types", "api_tokens",
      "settings",      "addresses"};
  return kTables;
}

namespace {

Result<std::vector<TableCount>> Counts(Db& db) {
  std::vector<TableCount> out;
  for (const std::string& t : StoreTables()) {
    auto s = db.Prepare("SELECT COUNT(*) FROM " + t);
    if (!s) return Fail(s);
    auto row = s->Step();
    if (!row) return Fail(row);
    out.push_back({t, s->Int(0)});
  }
  return out;
}

// The integer key a table is read in windows by ("" for the small tables read at once).
std::string WindowKey(const std::string& table) {
  if (table == "checkins" || table == "sessions" || table == "police_types" ||
      table == "settings") {
    return "";
  }
  return table == "audit" ? "seq" : "id";
}

// Copies one table's rows from src to dst (both inside their transactions).
Status CopyTable(Db& src, Db& dst, const std::string& table,
                 const std::function<void(const std::string&, int64_t)>& progress) {
  auto src_cols = src.conn().Columns(table);
  if (!src_cols) return Fail(src_cols);
  auto dst_cols = dst.conn().Columns(table);
  if (!dst_cols) return Fail(dst_cols);
  std::set<std::string> in_target;
  for (const ColumnInfo& c : *dst_cols) in_target.insert(c.name);
  // The columns both have (PostgreSQL's sessions carry a row-order column SQLite does not need).
  std::vector<ColumnInfo> cols;
  std::vector<std::string> names;
  for (const ColumnInfo& c : *src_cols) {
    if (in_target.contains(c.name)) {
      cols.push_back(c);
      names.push_back(c.name);
    }
  }
  if (cols.empty()) return {};
  std::string select = "SELECT ";
  for (size_t i = 0; i < names.size(); ++i) select += (i ? "," : "") + names[i];
  select += " FROM " + table;
  const std::string key = WindowKey(table);
  constexpr int64_t kWindow = 50000;
  if (!key.empty()) select += " WHERE " + key + " > ? ORDER BY " + key + " LIMIT ?";
  auto bulk = dst.conn().BeginBulk(table, names);
  if (!bulk) return Fail(bulk);
  auto s = src.Prepare(select);
  if (!s) return Fail(s);
  std::vector<Value> row(cols.size());
  std::vector<std::string> texts(cols.size());
  int64_t copied = 0;
  int64_t last = std::numeric_limits<int64_t>::min();
  size_t key_col = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == key) key_col = i;
  }
  for (;;) {
    if (!key.empty()) s->Bind(1, last).Bind(2, kWindow);
    int64_t in_window = 0;
    for (;;) {
      auto more = s->Step();
      if (!more) return Fail(more);
      if (!*more) break;
      for (size_t i = 0; i < cols.size(); ++i) {
        const int c = static_cast<int>(i);
        if (s->IsNull(c)) {
          row[i] = Value::Null();
        } else if (cols[i].kind == 'i') {
          row[i] = Value::Int(s->Int(c));
        } else if (cols[i].kind == 'r') {
          row[i] = Value::Real(s->Real(c));
        } else {
          texts[i] = s->Text(c);
          row[i] = Value::Text(texts[i]);
        }
      }
      if (!key.empty()) last = s->Int(static_cast<int>(key_col));
      if (auto a = (*bulk)->Add(row); !a) return a;
      ++copied;
      ++in_window;
    }
    s->Reset();
    if (progress) progress(table, copied);
    if (key.empty() || in_window < kWindow) break;
  }
  return (*bulk)->Finish();
}

}  // namespace

Result<std::vector<TableCount>> SqlStore::CountRows() {
  std::lock_guard lock(impl_->mu);
  return Counts(impl_->db);
}

Status SqlStore::CopyTo(Store& target,
                        const std::function<void(const std::string&, int64_t)>& progress) {
  auto* dst_store = dynamic_cast<SqlStore*>(&target);
  if (!dst_store || dst_store == this) {
    return MakeError(ErrorCode::kInvalidArgument, "Måldatabasen kan inte vara källan själv");
  }
  if (target.schema_version() != schema_version()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Källan har schemaversion " + std::to_string(schema_version()) +
                         " men målet " + std::to_string(target.schema_version()),
                     {{"to", "annan schemaversion"}});
  }
  std::scoped_lock lock(impl_->mu, dst_store->impl_->mu);
  Db& src = impl_->db;
  Db& dst = dst_store->impl_->db;
  auto existing = Counts(dst);
  if (!existing) return Fail(existing);
  for (const TableCount& c : *existing) {
    if (c.rows > 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Måldatabasen är inte tom: tabellen " + c.table + " har " +
                           std::to_string(c.rows) + " rader",
                       {{"to", "måste vara tom"}});
    }
  }
  const bool dst_sqlite = dst.dialect() == Dialect::kSqlite;
  // SQLite checks references per row unless told not to (outside a transaction); PostgreSQL's
  // references are deferrable. Either way they are checked once the rows are all in.
  if (dst_sqlite) (void)dst.Exec("PRAGMA foreign_keys=OFF");
  Status result = [&]() -> Status {
    if (auto s = src.conn().BeginSnapshot(); !s) return s;
    struct EndSnapshot {
      Db& db;
      ~EndSnapshot() { db.conn().Rollback(); }
    } end{src};
    Transaction tx(dst);
    if (!tx.status()) return tx.status();
    if (!dst_sqlite) {
      if (auto s = dst.Exec("SET CONSTRAINTS ALL DEFERRED"); !s) return s;
    }
    for (const std::string& table : StoreTables()) {
      if (auto s = CopyTable(src, dst, table, progress); !s) return s;
    }
    if (dst_sqlite) {
      auto fk = dst.Prepare("SELECT \"table\", rowid FROM pragma_foreign_key_check LIMIT 1");
      if (!fk) return Fail(fk);
      auto bad = fk->Step();
      if (!bad) return Fail(bad);
      if (*bad) {
        return MakeError(ErrorCode::kConflict, "Källan har en rad i " + fk->Text(0) +
                                                   " som hänvisar till något som saknas");
      }
    } else {
      // New rows after the copy continue after the copied ids.
      for (const std::string& table : StoreTables()) {
        const std::string key = table == "sessions" ? "seq" : WindowKey(table);
        if (key.empty() || table == "audit") continue;
        if (auto s = dst.Exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + key +
                              "'), COALESCE(MAX(" + key + "), 0) + 1, false) FROM " + table);
            !s) {
          return s;
        }
      }
    }
    return tx.Commit();
  }();
  if (dst_sqlite) (void)dst.Exec("PRAGMA foreign_keys=ON");
  return result;
}

}  // namespace est::store
