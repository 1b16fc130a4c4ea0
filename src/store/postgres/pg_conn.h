// PostgreSQL behind the store's Connection (store/db.h), on libpq: the shared SQL's `?` and `?N`
// parameters become `$N`, values travel as text with their types (bigint, double precision;
// text left for the server to infer), and each write transaction takes one advisory lock so that
// every server on the database writes in turn.
//
// Only the store module includes this header; libpq types never leave the module. Not
// thread-safe: the owner serialises access with its mutex.
#ifndef EST_STORE_POSTGRES_PG_CONN_H_
#define EST_STORE_POSTGRES_PG_CONN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/db.h"

struct pg_conn;
struct pg_result;

namespace est::store {

// `?` and `?N` parameters (SQLite's numbering: a bare `?` is one more than the largest so far)
// as PostgreSQL's `$N`, outside quoted strings and identifiers. Sets `count` to the number of
// parameters.
std::string PgPlaceholders(std::string_view sql, int& count);

// "host:port/dbname" of a conninfo URL, for messages (never the password).
std::string PgTarget(const std::string& url);

class PgConnection final : public Connection {
 public:
  // Connects to the database of `url` (a libpq URI). kUnavailable naming host, port and database
  // when the server cannot be reached or refuses.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<StmtImpl>> Prepare(std::string_view sql) override;
  int64_t Changes() const override { return changes_; }
  Status Begin() override;
  Status Commit() override;
  void Rollback() override;
  Status BeginSnapshot() override {
    return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Result<std::vector<ColumnInfo>> Columns(std::string_view table) override;
  // COPY table (columns) FROM STDIN, text format.
  Result<std::unique_ptr<BulkInsert>> BeginBulk(std::string_view table,
                                                const std::vector<std::string>& columns) override;

  // COPY table (columns) FROM STDIN in the binary format: each Value travels as the column's
  // own bytes (kInt as bigint, kReal as double precision, kText as its UTF-8), so nothing is
  // formatted or escaped. REQUIRES: the columns' types are exactly those.
  Result<std::unique_ptr<BulkInsert>> BeginBinaryCopy(std::string_view table,
                                                      const std::vector<std::string>& columns);

  // One row of a binary COPY TO STDOUT: its fields as bytes (null: data == nullptr).
  struct CopyRow {
    struct Field {
      const char* data = nullptr;
      int32_t size = 0;
    };
    std::vector<Field> fields;
    bool null(size_t i) const { return fields[i].data == nullptr; }
    int64_t Int(size_t i) const;   // a bigint field
    double Real(size_t i) const;   // a double precision field
  };
  // Runs COPY (query) TO STDOUT (FORMAT binary) and hands each row to `fn`, which must not keep
  // it. A row that is not in the format is an error.
  Status CopyOut(std::string_view query, const std::function<void(const CopyRow&)>& fn);

  // Waits up to `timeout_ms` for a notification on a channel this connection LISTENs to; true
  // when one (or more) arrived. A lost connection is an error (reconnected for the next call,
  // which LISTENs again).
  Result<bool> WaitForNotification(int timeout_ms);

  // PostgreSQL only: the raw connection for COPY and notifications.
  pg_conn* raw() { return conn_; }
  void set_changes(int64_t n) { changes_ = n; }
  // An Error from a failed result (SQLSTATE mapped to our codes); `res` may be null.
  tl::unexpected<Error> ResultError(const pg_result* res, std::string_view what);

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  Result<std::unique_ptr<BulkInsert>> StartCopyIn(std::string_view table,
                                                  const std::vector<std::string>& columns,
                                                  bool binary);
  pg_conn* conn_ = nullptr;
  int64_t changes_ = 0;
};

// Opens a PostgreSQL connection as a store Db.
Result<Db> OpenPgDb(const std::string& url);

// The advisory lock every write transaction takes ('EST' in ASCII).
inline constexpr int64_t kPgWriteLock = 0x455354;

}  // namespace est::store

#endif  // EST_STORE_POSTGRES_PG_CONN_H_
