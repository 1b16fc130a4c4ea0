// libpq wrapper. Every PostgreSQL error becomes an Error with the server's message; SQLSTATE class
// 23 (a constraint) is kConflict as SQLite's constraint errors are, so callers handle both alike.
#include "store/postgres/pg_conn.h"

#include <libpq-fe.h>
#include <poll.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <vector>

namespace est::store {
namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kFloat8Oid = 701;

ErrorCode CodeOf(const char* sqlstate) {
  if (!sqlstate) return ErrorCode::kUnavailable;  // no server answer: the connection is gone
  if (std::strncmp(sqlstate, "23", 2) == 0) return ErrorCode::kConflict;
  if (std::strncmp(sqlstate, "08", 2) == 0 || std::strncmp(sqlstate, "57", 2) == 0 ||
      std::strcmp(sqlstate, "40001") == 0 || std::strcmp(sqlstate, "40P01") == 0 ||
      std::strncmp(sqlstate, "53", 2) == 0) {
    return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

std::string FirstLine(const char* text) {
  std::string s = text ? text : "";
  if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

void IgnoreNotice(void*, const char*) {}

class PgStmt final : public StmtImpl {
 public:
  PgStmt(PgConnection& conn, std::string sql, int params)
      : conn_(conn),
        sql_(std::move(sql)),
        values_(static_cast<size_t>(params)),
        null_(static_cast<size_t>(params), true),
        types_(static_cast<size_t>(params), 0) {}
  ~PgStmt() override { Clear(); }
  PgStmt(const PgStmt&) = delete;
  PgStmt& operator=(const PgStmt&) = delete;

  void BindInt(int pos, int64_t v) override {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;
    Set(pos, std::string(buf, end), kInt8Oid);
  }
  void BindReal(int pos, double v) override {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
    (void)ec;
    Set(pos, std::string(buf, end), kFloat8Oid);
  }
  void BindText(int pos, std::string_view v, bool /*copy*/) override {
    // Always copied: libpq wants NUL-terminated values. Type left to the server (unknown), so a
    // text compares with whatever column it is bound against.
    Set(pos, std::string(v), 0);
  }
  void BindNull(int pos) override {
    if (pos < 1 || pos > static_cast<int>(values_.size())) return;
    null_[static_cast<size_t>(pos - 1)] = true;
    types_[static_cast<size_t>(pos - 1)] = 0;
  }

  Result<bool> Step() override {
    if (!res_) {
      std::vector<const char*> values(values_.size());
      for (size_t i = 0; i < values_.size(); ++i) {
        values[i] = null_[i] ? nullptr : values_[i].c_str();
      }
      res_ = PQexecParams(conn_.raw(), sql_.c_str(), static_cast<int>(values.size()), types_.data(),
                          values.data(), nullptr, nullptr, 0);
      ExecStatusType st = res_ ? PQresultStatus(res_) : PGRES_FATAL_ERROR;
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        auto err = conn_.ResultError(res_, "step");
        Clear();
        return err;
      }
      const char* tuples = PQcmdTuples(res_);
      int64_t changed = 0;
      if (tuples && *tuples) std::from_chars(tuples, tuples + std::strlen(tuples), changed);
      conn_.set_changes(changed);
      rows_ = PQntuples(res_);
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < rows_;
  }
  void Reset() override {
    Clear();
    std::fill(null_.begin(), null_.end(), true);
    std::fill(types_.begin(), types_.end(), 0);
  }
  int64_t Int(int col) const override {
    const char* v = PQgetvalue(res_, row_, col);
    if (!v || !*v) return 0;
    if (v[0] == 't' && v[1] == 0) return 1;  // a boolean
    if (v[0] == 'f' && v[1] == 0) return 0;
    int64_t out = 0;
    auto [p, ec] = std::from_chars(v, v + std::strlen(v), out);
    if (ec != std::errc() || (*p != 0 && *p != '.')) {
      double d = 0;
      std::from_chars(v, v + std::strlen(v), d);  // a numeric (SUM, AVG)
      return static_cast<int64_t>(d);
    }
    return out;
  }
  double Real(int col) const override {
    const char* v = PQgetvalue(res_, row_, col);
    if (!v || !*v) return 0;
    double out = 0;
    std::from_chars(v, v + std::strlen(v), out);
    return out;
  }
  std::string Text(int col) const override {
    if (PQgetisnull(res_, row_, col)) return {};
    return std::string(PQgetvalue(res_, row_, col),
                       static_cast<size_t>(PQgetlength(res_, row_, col)));
  }
  bool IsNull(int col) const override { return PQgetisnull(res_, row_, col) != 0; }

 private:
  void Set(int pos, std::string v, Oid type) {
    if (pos < 1 || pos > static_cast<int>(values_.size())) return;
    const auto i = static_cast<size_t>(pos - 1);
    values_[i] = std::move(v);
    null_[i] = false;
    types_[i] = type;
  }
  void Clear() {
    if (res_) PQclear(res_);
    res_ = nullptr;
    rows_ = row_ = 0;
  }

  PgConnection& conn_;
  std::string sql_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<Oid> types_;
  PGresult* res_ = nullptr;
  int rows_ = 0;
  int row_ = 0;
};

}  // namespace

std::string PgPlaceholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int max = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    int n = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    if (j == i + 1) n = max + 1;
    if (n > max) max = n;
    out += '$';
    out += std::to_string(n);
    i = j - 1;
  }
  count = max;
  return out;
}

std::string PgTarget(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    if (err) PQfreemem(err);
    return "?";
  }
  std::string host = "localhost", port = "5432", db;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    if (std::strcmp(o->keyword, "host") == 0 || std::strcmp(o->keyword, "hostaddr") == 0) {
      host = o->val;
    }
    if (std::strcmp(o->keyword, "port") == 0) port = o->val;
    if (std::strcmp(o->keyword, "dbname") == 0) db = o->val;
  }
  PQconninfoFree(opts);
  return host + ":" + port + (db.empty() ? "" : "/" + db);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string m = err ? FirstLine(err) : "";
    if (err) PQfreemem(err);
    return MakeError(ErrorCode::kInvalidArgument, "Ogiltig PostgreSQL-adress: " + m,
                     {{"db", "ogiltig adress"}});
  }
  PQconninfoFree(opts);
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string m = conn ? FirstLine(PQerrorMessage(conn)) : "slut på minne";
    if (conn) PQfinish(conn);
    return MakeError(ErrorCode::kUnavailable,
                     "Kan inte ansluta till PostgreSQL på " + PgTarget(url) + ": " + m,
                     {{"db", "servern svarar inte eller vägrar anslutningen"}});
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  std::unique_ptr<PgConnection> c(new PgConnection(conn));
  // UTC timestamps are never used (times are integers), but keep the session predictable.
  if (auto s = c->Exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"); !s) {
    return tl::unexpected(s.error());
  }
  return c;
}

Result<Db> OpenPgDb(const std::string& url) {
  auto c = PgConnection::Open(url);
  if (!c) return tl::unexpected(c.error());
  return Db(std::move(*c));
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

tl::unexpected<Error> PgConnection::ResultError(const pg_result* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = res ? FirstLine(PQresultErrorMessage(res)) : "";
  if (msg.empty()) msg = FirstLine(PQerrorMessage(conn_));
  ErrorCode code = CodeOf(state);
  if (PQstatus(conn_) == CONNECTION_BAD) {
    // The server went away: reconnect for the next call; this one fails as unavailable.
    PQreset(conn_);
    code = ErrorCode::kUnavailable;
  }
  return MakeError(code, std::string("Databasfel (") + std::string(what) + "): " + msg);
}

Status PgConnection::Exec(std::string_view sql) {
  std::string s(sql);
  PGresult* res = PQexec(conn_, s.c_str());
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    auto err = ResultError(res, "exec");
    if (res) PQclear(res);
    return err;
  }
  PQclear(res);
  return {};
}

Result<std::unique_ptr<StmtImpl>> PgConnection::Prepare(std::string_view sql) {
  int count = 0;
  std::string converted = PgPlaceholders(sql, count);
  return std::unique_ptr<StmtImpl>(new PgStmt(*this, std::move(converted), count));
}

Status PgConnection::Begin() {
  // The notification goes out at the commit, and only if the transaction commits.
  return Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kPgWriteLock) +
              "); NOTIFY est_changes");
}

Result<bool> PgConnection::WaitForNotification(int timeout_ms) {
  auto drain = [&] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (PQconsumeInput(conn_) == 1 && drain()) return true;
  if (PQstatus(conn_) == CONNECTION_BAD) {
    PQreset(conn_);
    (void)Exec("LISTEN est_changes");
    return MakeError(ErrorCode::kUnavailable, "Förbindelsen till PostgreSQL bröts; ansluter igen");
  }
  pollfd p{PQsocket(conn_), POLLIN, 0};
  int r = poll(&p, 1, timeout_ms);
  if (r <= 0) return false;
  if (PQconsumeInput(conn_) != 1) {
    PQreset(conn_);
    (void)Exec("LISTEN est_changes");
    return MakeError(ErrorCode::kUnavailable, "Förbindelsen till PostgreSQL bröts; ansluter igen");
  }
  return drain();
}

Status PgConnection::Commit() {
  PGresult* res = PQexec(conn_, "COMMIT");
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK) {
    auto err = ResultError(res, "commit");
    if (res) PQclear(res);
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)Exec("ROLLBACK");
    return err;
  }
  // COMMIT of a transaction in which a statement failed answers ROLLBACK: nothing was stored.
  const bool rolled_back = std::strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
  PQclear(res);
  if (rolled_back) {
    return MakeError(ErrorCode::kInternal,
                     "Databasfel (commit): transaktionen avbröts och rullades tillbaka");
  }
  return {};
}

void PgConnection::Rollback() { (void)Exec("ROLLBACK"); }

Result<std::vector<ColumnInfo>> PgConnection::Columns(std::string_view table) {
  auto st = Prepare(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = ?1 ORDER BY ordinal_position");
  if (!st) return tl::unexpected(st.error());
  Stmt s(std::move(*st));
  s.Bind(1, table);
  std::vector<ColumnInfo> out;
  for (;;) {
    auto row = s.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    const std::string type = s.Text(1);
    char kind = type == "bigint" || type == "integer" || type == "smallint" ? 'i'
                : type == "double precision" || type == "real"              ? 'r'
                                                                            : 't';
    out.push_back({s.Text(0), kind});
  }
  return out;
}

namespace {

// A COPY FROM STDIN under way: the rows gathered into ~1 MB messages; an abandoned one is ended
// with an error so that the connection stays usable (its owner then rolls back).
class PgCopyIn : public BulkInsert {
 public:
  explicit PgCopyIn(PgConnection& conn) : conn_(conn) { buf_.reserve(kFlush + 65536); }
  ~PgCopyIn() override {
    if (!finished_) {
      (void)PQputCopyEnd(conn_.raw(), "abandoned");
      while (PGresult* r = PQgetResult(conn_.raw())) PQclear(r);
    }
  }

  Status Finish() override {
    EndData();
    if (auto s = Flush(); !s) return s;
    finished_ = true;
    if (PQputCopyEnd(conn_.raw(), nullptr) != 1) return conn_.ResultError(nullptr, "copy");
    Status out;
    while (PGresult* r = PQgetResult(conn_.raw())) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK && out) out = conn_.ResultError(r, "copy");
      PQclear(r);
    }
    return out;
  }

 protected:
  // What the format puts after the last row.
  virtual void EndData() {}
  // Sends the gathered rows once they fill a message.
  Status RowDone() { return buf_.size() >= kFlush ? Flush() : Status{}; }

  std::string buf_;

 private:
  static constexpr size_t kFlush = 1 << 20;
  Status Flush() {
    if (buf_.empty()) return {};
    if (PQputCopyData(conn_.raw(), buf_.data(), static_cast<int>(buf_.size())) != 1) {
      return conn_.ResultError(nullptr, "copy");
    }
    buf_.clear();
    return {};
  }

  PgConnection& conn_;
  bool finished_ = false;
};

// COPY's text format: tab between columns, a line per row, \N for null, and backslash escapes for
// the backslash, tab, newline and carriage return in a text.
class PgCopy final : public PgCopyIn {
 public:
  using PgCopyIn::PgCopyIn;

  Status Add(std::span<const Value> row) override {
    char num[32];
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buf_ += '\t';
      const Value& v = row[i];
      switch (v.kind) {
        case Value::Kind::kNull:
          buf_ += "\\N";
          break;
        case Value::Kind::kInt: {
          auto [end, ec] = std::to_chars(num, num + sizeof num, v.i);
          (void)ec;
          buf_.append(num, end);
          break;
        }
        case Value::Kind::kReal: {
          auto [end, ec] = std::to_chars(num, num + sizeof num, v.r);
          (void)ec;
          buf_.append(num, end);
          break;
        }
        case Value::Kind::kText:
          for (char c : v.t) {
            switch (c) {
              case '\\':
                buf_ += "\\\\";
                break;
              case '\t':
                buf_ += "\\t";
                break;
              case '\n':
                buf_ += "\\n";
                break;
              case '\r':
                buf_ += "\\r";
                break;
              default:
                buf_ += c;
            }
          }
          break;
      }
    }
    buf_ += '\n';
    return RowDone();
  }
};


// COPY's binary format: a signature and two zero words, then per row a 16-bit field count and per
// field a 32-bit length (-1: null) and its bytes, all big-endian; a count of -1 ends the data.
constexpr char kCopySignature[] = "PGCOPY\n\377\r\n";  // 11 bytes with the terminating zero

template <class T>
void PutBig(std::string& buf, T v) {
  auto u = std::bit_cast<std::make_unsigned_t<T>>(v);
  char bytes[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) {
    bytes[i] = static_cast<char>(u >> (8 * (sizeof(T) - 1 - i)));
  }
  buf.append(bytes, sizeof(T));
}

template <class T>
T GetBig(const char* p) {
  std::make_unsigned_t<T> u = 0;
  for (size_t i = 0; i < sizeof(T); ++i) u = (u << 8) | static_cast<unsigned char>(p[i]);
  return std::bit_cast<T>(u);
}

class PgBinaryCopy final : public PgCopyIn {
 public:
  explicit PgBinaryCopy(PgConnection& conn) : PgCopyIn(conn) {
    buf_.append(kCopySignature, 11);
    PutBig<int32_t>(buf_, 0);  // flags
    PutBig<int32_t>(buf_, 0);  // header extension length
  }
  Status Add(std::span<const Value> row) override {
    PutBig<int16_t>(buf_, static_cast<int16_t>(row.size()));
    for (const Value& v : row) {
      switch (v.kind) {
        case Value::Kind::kNull:
          PutBig<int32_t>(buf_, -1);
          break;
        case Value::Kind::kInt:
          PutBig<int32_t>(buf_, 8);
          PutBig<int64_t>(buf_, v.i);
          break;
        case Value::Kind::kReal:
          PutBig<int32_t>(buf_, 8);
          PutBig<int64_t>(buf_, std::bit_cast<int64_t>(v.r));
          break;
        case Value::Kind::kText:
          PutBig<int32_t>(buf_, static_cast<int32_t>(v.t.size()));
          buf_.append(v.t);
          break;
      }
    }
    return RowDone();
  }

 private:
  void EndData() override { PutBig<int16_t>(buf_, -1); }
};

}  // namespace

int64_t PgConnection::CopyRow::Int(size_t i) const {
  return fields[i].size == 8 ? GetBig<int64_t>(fields[i].data) : 0;
}
double PgConnection::CopyRow::Real(size_t i) const {
  return fields[i].size == 8 ? std::bit_cast<double>(GetBig<int64_t>(fields[i].data)) : 0.0;
}

Result<std::unique_ptr<BulkInsert>> PgConnection::BeginBinaryCopy(
    std::string_view table, const std::vector<std::string>& columns) {
  return StartCopyIn(table, columns, true);
}

Status PgConnection::CopyOut(std::string_view query,
                             const std::function<void(const CopyRow&)>& fn) {
  std::string sql = "COPY (" + std::string(query) + ") TO STDOUT (FORMAT binary)";
  PGresult* res = PQexec(conn_, sql.c_str());
  if (!res || PQresultStatus(res) != PGRES_COPY_OUT) {
    auto err = ResultError(res, "copy");
    if (res) PQclear(res);
    return err;
  }
  PQclear(res);
  Status out;
  CopyRow row;
  bool header = true;
  for (;;) {
    char* buf = nullptr;
    const int n = PQgetCopyData(conn_, &buf, 0);
    if (n < 0) break;  // -1: done (the result follows); -2: an error (in the result)
    const char* p = buf;
    const char* end = buf + n;
    bool bad = false;
    if (header) {
      // libpq hands the header with the first row.
      bad = n < 19 || std::memcmp(p, kCopySignature, 11) != 0;
      if (!bad) {
        const int32_t ext = GetBig<int32_t>(p + 15);
        p += 19;
        bad = ext < 0 || end - p < ext;
        if (!bad) p += ext;
      }
      header = false;
    }
    if (!bad && end - p >= 2) {
      const int16_t count = GetBig<int16_t>(p);
      p += 2;
      if (count >= 0) {
        row.fields.resize(static_cast<size_t>(count));
        for (auto& f : row.fields) {
          if (end - p < 4) {
            bad = true;
            break;
          }
          const int32_t len = GetBig<int32_t>(p);
          p += 4;
          if (len < 0) {
            f = {};
          } else if (end - p < len) {
            bad = true;
            break;
          } else {
            f = {p, len};
            p += len;
          }
        }
        if (!bad && out) fn(row);
      }
    }
    PQfreemem(buf);
    if (bad && out) out = MakeError(ErrorCode::kInternal, "PostgreSQL: oväntat COPY-format");
  }
  while (PGresult* r = PQgetResult(conn_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && out) out = ResultError(r, "copy");
    PQclear(r);
  }
  return out;
}

Result<std::unique_ptr<BulkInsert>> PgConnection::BeginBulk(
    std::string_view table, const std::vector<std::string>& columns) {
  return StartCopyIn(table, columns, false);
}

Result<std::unique_ptr<BulkInsert>> PgConnection::StartCopyIn(
    std::string_view table, const std::vector<std::string>& columns, bool binary) {
  std::string sql = "COPY " + std::string(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? "," : "") + columns[i];
  sql += binary ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN";
  PGresult* res = PQexec(conn_, sql.c_str());
  if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
    auto err = ResultError(res, "copy");
    if (res) PQclear(res);
    return err;
  }
  PQclear(res);
  if (binary) return std::unique_ptr<BulkInsert>(new PgBinaryCopy(*this));
  return std::unique_ptr<BulkInsert>(new PgCopy(*this));
}

}  // namespace est::store
