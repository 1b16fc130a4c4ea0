// The store's one view of a SQL connection, the same for SQLite and PostgreSQL: prepared
// statements with numbered parameters (`?` and `?N`, written once in the SQL the store shares),
// typed binds and columns, and transactions. Each backend implements Connection and StmtImpl
// (store/sqlite/, store/postgres/); the store's SQL code (store.cc, work_store.cc, ...) speaks
// only these types.
//
// The shared SQL keeps to what both engines accept: INTEGER/REAL/TEXT values, `ON CONFLICT ...
// DO NOTHING|UPDATE`, `RETURNING id` for new ids. What differs (the sessions' tie-breaking row
// order, PRAGMAs, bulk paths) asks `dialect()`.
//
// Private to the store module. Not thread-safe: the owner serialises access to one connection.
#ifndef EST_STORE_DB_H_
#define EST_STORE_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace est::store {

enum class Dialect { kSqlite, kPostgres };

// A backend's prepared statement. As in SQL, parameters are 1-based; columns are 0-based.
class StmtImpl {
 public:
  virtual ~StmtImpl() = default;
  virtual void BindInt(int pos, int64_t v) = 0;
  virtual void BindReal(int pos, double v) = 0;
  // `copy` false: the text is not copied. REQUIRES then: `v` outlives the next Step/Reset.
  virtual void BindText(int pos, std::string_view v, bool copy) = 0;
  virtual void BindNull(int pos) = 0;
  // Executes on the first call after binding; true while a row is available.
  virtual Result<bool> Step() = 0;
  // Back to the start, bindings cleared.
  virtual void Reset() = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
};

// A prepared statement: a value that owns its backend statement.
class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(std::unique_ptr<StmtImpl> impl) : impl_(std::move(impl)) {}

  // Binders take 1-based parameter positions and return *this for chaining.
  Stmt& Bind(int pos, int64_t v) {
    impl_->BindInt(pos, v);
    return *this;
  }
  Stmt& Bind(int pos, int v) { return Bind(pos, static_cast<int64_t>(v)); }
  Stmt& Bind(int pos, double v) {
    impl_->BindReal(pos, v);
    return *this;
  }
  Stmt& Bind(int pos, std::string_view v) {
    impl_->BindText(pos, v, true);
    return *this;
  }
  Stmt& Bind(int pos, const char* v) { return Bind(pos, std::string_view(v)); }
  Stmt& Bind(int pos, const std::string& v) { return Bind(pos, std::string_view(v)); }
  // Binds text without copying it. REQUIRES: `v` outlives the next Step/Run/Reset.
  Stmt& BindStatic(int pos, std::string_view v) {
    impl_->BindText(pos, v, false);
    return *this;
  }
  Stmt& BindNull(int pos) {
    impl_->BindNull(pos);
    return *this;
  }
  template <class T>
  Stmt& Bind(int pos, const std::optional<T>& v) {
    return v ? Bind(pos, *v) : BindNull(pos);
  }

  // Steps once. Returns true when a row is available, false when done; errors become Error.
  Result<bool> Step() { return impl_->Step(); }
  // Steps to completion (for statements without rows) and resets.
  Status Run() {
    auto r = impl_->Step();
    impl_->Reset();
    if (!r) return tl::unexpected(r.error());
    return {};
  }
  // Runs a statement that returns one value (an `INSERT ... RETURNING id`) and resets; the value,
  // or nullopt when it returned no row (an `ON CONFLICT DO NOTHING` that did nothing).
  Result<std::optional<int64_t>> RunReturning() {
    auto r = impl_->Step();
    std::optional<int64_t> out;
    if (r && *r) out = impl_->Int(0);
    impl_->Reset();
    if (!r) return tl::unexpected(r.error());
    return out;
  }
  void Reset() { impl_->Reset(); }

  int64_t Int(int col) const { return impl_->Int(col); }
  double Real(int col) const { return impl_->Real(col); }
  std::string Text(int col) const { return impl_->Text(col); }
  bool IsNull(int col) const { return impl_->IsNull(col); }
  std::optional<int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }

 private:
  std::unique_ptr<StmtImpl> impl_;
};

// One value of a bulk row: null, an integer, a real or a text (a view: valid for the Add call).
struct Value {
  enum class Kind { kNull, kInt, kReal, kText } kind = Kind::kNull;
  int64_t i = 0;
  double r = 0;
  std::string_view t;
  static Value Null() { return {}; }
  static Value Int(int64_t v) { return {Kind::kInt, v, 0, {}}; }
  static Value Real(double v) { return {Kind::kReal, 0, v, {}}; }
  static Value Text(std::string_view v) { return {Kind::kText, 0, 0, v}; }
};

// Rows into one table as fast as the backend takes them (PostgreSQL: COPY FROM STDIN; SQLite: one
// prepared INSERT). REQUIRES: inside a transaction; Finish before the commit.
class BulkInsert {
 public:
  virtual ~BulkInsert() = default;
  // REQUIRES: as many values as columns, in their order.
  virtual Status Add(std::span<const Value> row) = 0;
  virtual Status Finish() = 0;
};

// A column of a table as the database declares it: its name and kind ('i' integer, 'r' real,
// 't' text).
struct ColumnInfo {
  std::string name;
  char kind = 't';
};

// A backend's connection.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters.
  virtual Status Exec(std::string_view sql) = 0;
  virtual Result<std::unique_ptr<StmtImpl>> Prepare(std::string_view sql) = 0;
  // Rows changed by the last statement that ran to completion.
  virtual int64_t Changes() const = 0;
  // A write transaction. On SQLite BEGIN IMMEDIATE; on PostgreSQL BEGIN and a transaction-scoped
  // advisory lock, so that writers on every server that shares the database are serialised as
  // on SQLite (the audit chain stays one line).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // A read-only transaction that sees the database as of one moment (ended with Rollback).
  virtual Status BeginSnapshot() = 0;
  // The columns of `table` in their declared order (empty when there is no such table).
  virtual Result<std::vector<ColumnInfo>> Columns(std::string_view table) = 0;
  virtual Result<std::unique_ptr<BulkInsert>> BeginBulk(
      std::string_view table, const std::vector<std::string>& columns) = 0;
};

// The store's handle on one connection.
class Db {
 public:
  Db() = default;
  explicit Db(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}

  Dialect dialect() const { return conn_->dialect(); }
  Status Exec(std::string_view sql) { return conn_->Exec(sql); }
  Result<Stmt> Prepare(std::string_view sql) {
    auto s = conn_->Prepare(sql);
    if (!s) return tl::unexpected(s.error());
    return Stmt(std::move(*s));
  }
  int64_t Changes() const { return conn_->Changes(); }
  Connection& conn() { return *conn_; }
  explicit operator bool() const { return conn_ != nullptr; }

 private:
  std::unique_ptr<Connection> conn_;
};

// Begins a write transaction on construction; rolls back on destruction unless Commit()
// succeeded.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db), begin_(db.conn().Begin()) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!done_ && begin_) db_.conn().Rollback();
  }
  Status status() const { return begin_; }
  Status Commit() {
    if (!begin_) return begin_;
    auto s = db_.conn().Commit();
    if (s) done_ = true;
    return s;
  }

 private:
  Db& db_;
  Status begin_;
  bool done_ = false;
};

}  // namespace est::store

#endif  // EST_STORE_DB_H_
