// SQLite RAII wrapper. Every SQLite error becomes an Error with the SQLite message, so callers
// never see return codes.
#include "store/sqlite_db.h"

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

}  // namespace

Stmt::Stmt(Stmt&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Stmt::~Stmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Stmt& Stmt::Bind(int pos, int64_t v) {
  sqlite3_bind_int64(stmt_, pos, v);
  return *this;
}
Stmt& Stmt::Bind(int pos, double v) {
  sqlite3_bind_double(stmt_, pos, v);
  return *this;
}
Stmt& Stmt::Bind(int pos, std::string_view v) {
  sqlite3_bind_text(stmt_, pos, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindStatic(int pos, std::string_view v) {
  sqlite3_bind_text(stmt_, pos, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindNull(int pos) {
  sqlite3_bind_null(stmt_, pos);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto err = SqlError(db_, "step");
  sqlite3_reset(stmt_);
  return err;
}

Status Stmt::Run() {
  auto r = Step();
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (!r) return tl::unexpected(r.error());
  return {};
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Stmt::Real(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

Result<Db> Db::Open(const std::string& path) {
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
  Db db(raw);
  sqlite3_busy_timeout(raw, 5000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
        "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-262144"}) {
    if (auto s = db.Exec(pragma); !s) return tl::unexpected(s.error());
  }
  return db;
}

Db::Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}
Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Status Db::Exec(std::string_view sql) {
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

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqlError(db_, "prepare");
  return Stmt(db_, stmt);
}

int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Db::Changes() const { return sqlite3_changes(db_); }
int64_t Db::TotalChanges() const { return sqlite3_total_changes64(db_); }

Transaction::Transaction(Db& db) : db_(db), begin_(db.Exec("BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (!done_ && begin_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (!begin_) return begin_;
  auto s = db_.Exec("COMMIT");
  if (s) done_ = true;
  return s;
}

Status Checkpointer::Attach(Db& db) {
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
  std::optional<Db> db;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return pending_ || stop_; });
      if (stop_) return;
      pending_ = false;
    }
    if (!db) {
      auto opened = Db::Open(path_);
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
