// SQLite RAII wrapper. Every SQLite error becomes an Error with the SQLite message, so callers
// never see return codes.
#include "store/sqlite/sqlite_conn.h"

#include <sqlite3.h>

#include <system_error>
#include <utility>

namespace est::store {
namespace {

tl::unexpected<Error> SqlError(sqlite3* db, std::string_view what) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string msg = db ? sqlite3_errmsg(db) : "unknown";
  ErrorCode ec = ErrorCode::kInternal;
  if ((code & 0xff) == SQLITE_CONSTRAINT) ec = ErrorCode::kConflict;
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) ec = ErrorCode::kUnavailable;
  return MakeError(ec, std::string("Databasfel (") + std::string(what) + "): " + msg);
}

class SqliteStmt final : public StmtImpl {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStmt() override { sqlite3_finalize(stmt_); }
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;

  void BindInt(int pos, int64_t v) override { sqlite3_bind_int64(stmt_, pos, v); }
  void BindReal(int pos, double v) override { sqlite3_bind_double(stmt_, pos, v); }
  void BindText(int pos, std::string_view v, bool copy) override {
    sqlite3_bind_text(stmt_, pos, v.data(), static_cast<int>(v.size()),
                      copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }
  void BindNull(int pos) override { sqlite3_bind_null(stmt_, pos); }
  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    auto err = SqlError(db_, "step");
    sqlite3_reset(stmt_);
    return err;
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const override {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  // SQLite's memory statistics take one process-wide mutex on every allocation, which makes
  // connections read in parallel (start-up) wait for each other; EST does not use them.
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialised
    return true;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "okänt fel";
    if (raw) sqlite3_close(raw);
    return MakeError(ErrorCode::kUnavailable, "Kan inte öppna databasen " + path + ": " + msg);
  }
  std::unique_ptr<SqliteConnection> db(new SqliteConnection(raw));
  sqlite3_busy_timeout(raw, 5000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
        "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536"}) {
    if (auto s = db->Exec(pragma); !s) return tl::unexpected(s.error());
  }
  return db;
}

Result<Db> OpenSqliteDb(const std::string& path) {
  auto c = SqliteConnection::Open(path);
  if (!c) return tl::unexpected(c.error());
  return Db(std::move(*c));
}

SqliteConnection::~SqliteConnection() {
  if (db_) sqlite3_close_v2(db_);
}

Status SqliteConnection::Exec(std::string_view sql) {
  std::string s(sql);
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string m = msg ? msg : "";
    sqlite3_free(msg);
    auto err = SqlError(db_, "exec");
    err.value().detail += " [" + m + "]";
    return err;
  }
  return {};
}

Result<std::unique_ptr<StmtImpl>> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqlError(db_, "prepare");
  return std::unique_ptr<StmtImpl>(new SqliteStmt(db_, stmt));
}

Result<std::vector<ColumnInfo>> SqliteConnection::Columns(std::string_view table) {
  auto st = Prepare("SELECT name, upper(type) FROM pragma_table_info(?1) ORDER BY cid");
  if (!st) return tl::unexpected(st.error());
  Stmt s(std::move(*st));
  s.Bind(1, table);
  std::vector<ColumnInfo> out;
  for (;;) {
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    const std::string type = s.Text(1);
    char kind = type.find("INT") != std::string::npos    ? 'i'
                : type.find("REAL") != std::string::npos ? 'r'
                                                         : 't';
    out.push_back({s.Text(0), kind});
  }
  return out;
}

namespace {

class SqliteBulk final : public BulkInsert {
 public:
  explicit SqliteBulk(Stmt stmt) : stmt_(std::move(stmt)) {}
  Status Add(std::span<const Value> row) override {
    for (size_t i = 0; i < row.size(); ++i) {
      const int pos = static_cast<int>(i) + 1;
      switch (row[i].kind) {
        case Value::Kind::kNull:
          stmt_.BindNull(pos);
          break;
        case Value::Kind::kInt:
          stmt_.Bind(pos, row[i].i);
          break;
        case Value::Kind::kReal:
          stmt_.Bind(pos, row[i].r);
          break;
        case Value::Kind::kText:
          stmt_.BindStatic(pos, row[i].t);
          break;
      }
    }
    return stmt_.Run();
  }
  Status Finish() override { return {}; }

 private:
  Stmt stmt_;
};

}  // namespace

Result<std::unique_ptr<BulkInsert>> SqliteConnection::BeginBulk(
    std::string_view table, const std::vector<std::string>& columns) {
  std::string sql = "INSERT INTO " + std::string(table) + "(";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? "," : "") + columns[i];
  sql += ") VALUES (";
  for (size_t i = 0; i < columns.size(); ++i) sql += i ? ",?" : "?";
  sql += ")";
  auto st = Prepare(sql);
  if (!st) return tl::unexpected(st.error());
  return std::unique_ptr<BulkInsert>(new SqliteBulk(Stmt(std::move(*st))));
}

int64_t SqliteConnection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }
int64_t SqliteConnection::TotalChanges() const { return sqlite3_total_changes64(db_); }

Status Checkpointer::Attach(SqliteConnection& db) {
  if (auto s = db.Exec("PRAGMA wal_autocheckpoint=0"); !s) return s;
  // Replaces the automatic checkpoint's hook (sqlite3_wal_autocheckpoint is one too).
  sqlite3_wal_hook(db.raw(), &Checkpointer::OnCommit, this);
  attached_ = db.raw();
  return {};
}

int Checkpointer::OnCommit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages < kPages) return SQLITE_OK;
  std::unique_lock lock(c->mu_);
  if (c->stop_) return SQLITE_OK;
  if (!c->thread_.joinable()) {
    try {
      c->thread_ = std::thread([c] { c->Run(); });
    } catch (const std::system_error&) {
      // No thread to be had: checkpoint here, as SQLite's own hook would (no exception may
      // leave this C callback).
      lock.unlock();
      (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      return SQLITE_OK;
    }
  }
  c->pending_ = true;
  c->cv_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::Run() {
  std::unique_ptr<SqliteConnection> db;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return pending_ || stop_; });
      if (stop_) return;
      pending_ = false;
    }
    if (!db) {
      auto opened = SqliteConnection::Open(path_);
      if (!opened) continue;  // the writer's next large commit tries again
      db = std::move(*opened);
    }
    // A busy log (a reader on an old snapshot) leaves pages for the next round; nothing is lost.
    (void)sqlite3_wal_checkpoint_v2(db->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr);
    std::lock_guard lock(mu_);
    ++done_;
  }
}

int64_t Checkpointer::done() const {
  std::lock_guard lock(mu_);
  return done_;
}

Checkpointer::~Checkpointer() {
  if (attached_) sqlite3_wal_hook(attached_, nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace est::store
