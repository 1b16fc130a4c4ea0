// SQLite behind the store's Connection (store/db.h): a connection with WAL, synchronous=FULL and
// foreign keys, its prepared statements, and the WAL checkpointer.
//
// Only the store module includes this header; sqlite3 types never leave the module. Not
// thread-safe: the owner serialises access with its mutex.
#ifndef EST_STORE_SQLITE_SQLITE_CONN_H_
#define EST_STORE_SQLITE_SQLITE_CONN_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "store/db.h"

struct sqlite3;
struct sqlite3_stmt;

namespace est::store {

class SqliteConnection final : public Connection {
 public:
  // Opens (creating if needed) the database file; ":memory:" for tests. Sets WAL, synchronous=FULL
  // (every acknowledged commit survives a crash), foreign keys and a busy timeout.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<StmtImpl>> Prepare(std::string_view sql) override;
  int64_t Changes() const override;
  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }
  void Rollback() override { (void)Exec("ROLLBACK"); }
  // WAL: a read transaction's snapshot is fixed by its first read, which follows at once.
  Status BeginSnapshot() override { return Exec("BEGIN DEFERRED"); }
  Result<std::vector<ColumnInfo>> Columns(std::string_view table) override;
  Result<std::unique_ptr<BulkInsert>> BeginBulk(std::string_view table,
                                                const std::vector<std::string>& columns) override;

  // SQLite only, for the bulk paths.
  int64_t LastInsertId() const;
  // Rows changed by this connection since it opened (sqlite3_total_changes64).
  int64_t TotalChanges() const;
  sqlite3* raw() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Opens a SQLite connection as a store Db.
Result<Db> OpenSqliteDb(const std::string& path);

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
  Status Attach(SqliteConnection& db);
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

#endif  // EST_STORE_SQLITE_SQLITE_CONN_H_
