// A small RAII wrapper over the SQLite C API: a connection, prepared statements and transactions.
//
// Only the store module includes this header; sqlite3 types never leave the module. Not
// thread-safe: the owner (SqliteStore) serialises access with its mutex.
#ifndef EST_STORE_SQLITE_DB_H_
#define EST_STORE_SQLITE_DB_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace est::store {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binders take 1-based parameter positions and return *this for chaining.
  Stmt& Bind(int pos, int64_t v);
  Stmt& Bind(int pos, int v) { return Bind(pos, static_cast<int64_t>(v)); }
  Stmt& Bind(int pos, double v);
  Stmt& Bind(int pos, std::string_view v);
  Stmt& Bind(int pos, const char* v) { return Bind(pos, std::string_view(v)); }
  Stmt& Bind(int pos, const std::string& v) { return Bind(pos, std::string_view(v)); }
  // Binds text without copying it. REQUIRES: `v` outlives the next Step/Run/Reset.
  Stmt& BindStatic(int pos, std::string_view v);
  Stmt& BindNull(int pos);
  template <class T>
  Stmt& Bind(int pos, const std::optional<T>& v) {
    return v ? Bind(pos, *v) : BindNull(pos);
  }

  // Steps once. Returns true when a row is available, false when done; errors become Error.
  Result<bool> Step();
  // Steps to completion (for statements without rows).
  Status Run();
  void Reset();

  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  // Opens (creating if needed) the database file; ":memory:" for tests. Sets WAL, synchronous=FULL
  // (every acknowledged commit survives a crash), foreign keys and a busy timeout.
  static Result<Db> Open(const std::string& path);
  Db() = default;
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  // Rows changed by this connection since it opened (sqlite3_total_changes64).
  int64_t TotalChanges() const;
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Begins IMMEDIATE on construction; rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status status() const { return begin_; }
  Status Commit();

 private:
  Db& db_;
  Status begin_;
  bool done_ = false;
};

// Copies a database's write-ahead log into the database file on a thread of its own, so that a
// commit pays only for writing and syncing its log. (SQLite's automatic checkpoint runs inside the
// commit that takes the log past 1 000 pages: ~0.3 s of a million-report import, and the odd slow
// request.) Attach turns the connection's automatic checkpoints off; its WAL hook wakes the thread,
// which starts on the first wake and checkpoints through a connection of its own (PASSIVE: never
// waits for, or blocks, readers and writers). Durability is unchanged: a commit is durable once its
// log is synced. Closing the last connection still checkpoints, as SQLite always does.
class Checkpointer {
 public:
  static constexpr int kPages = 1000;  // log size that triggers a checkpoint, SQLite's default

  explicit Checkpointer(std::string path) : path_(std::move(path)) {}
  ~Checkpointer();  // detaches from the connection, stops and joins the thread
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // REQUIRES: a file database in WAL mode; `db` outlives this object (or Detach is called).
  Status Attach(Db& db);
  // Checkpoints run so far (for tests and the progress of long imports).
  int64_t done() const;

 private:
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages);
  void Run();

  std::string path_;
  sqlite3* attached_ = nullptr;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  bool stop_ = false;
  int64_t done_ = 0;
  std::thread thread_;
};

}  // namespace est::store

#endif  // EST_STORE_SQLITE_DB_H_
