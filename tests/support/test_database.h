// A fresh, empty database for one test on either backend, removed when the test ends:
//   "sqlite"      a temp file (with its -wal and -shm files);
//   "postgresql"  a new database on the test cluster named by EST_TEST_PG
//                 (postgresql://user@host:port, no database; scripts/test starts a private cluster
//                 and sets it), dropped at the end.
// Without EST_TEST_PG the PostgreSQL cases are skipped with a message, unless
// EST_TEST_REQUIRE_PG=1 (scripts/test sets it), which makes them fail instead: a suite run by
// scripts/test never passes without having run on PostgreSQL.
//
// Header-only; uses libpq directly (never the store) so that tests can look behind the store.
#ifndef EST_TESTS_SUPPORT_TEST_DATABASE_H_
#define EST_TESTS_SUPPORT_TEST_DATABASE_H_

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace est::testing {

inline const std::vector<std::string>& Backends() {
  static const std::vector<std::string> kBackends = {"sqlite", "postgresql"};
  return kBackends;
}

class TestDatabase {
 public:
  explicit TestDatabase(std::string backend) : backend_(std::move(backend)) {
    static std::atomic<int> counter{0};
    const std::string name =
        "est_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (backend_ == "sqlite") {
      url_ = (std::filesystem::temp_directory_path() / (name + ".db")).string();
      RemoveFiles();
      available_ = true;
      return;
    }
    const char* cluster = std::getenv("EST_TEST_PG");
    if (!cluster || !*cluster) {
      const char* req = std::getenv("EST_TEST_REQUIRE_PG");
      problem_ = "EST_TEST_PG är inte satt (scripts/test startar ett PostgreSQL-kluster)";
      required_ = req && std::string(req) == "1";
      return;
    }
    cluster_ = cluster;
    while (!cluster_.empty() && cluster_.back() == '/') cluster_.pop_back();
    db_name_ = name;
    std::string err;
    if (!AdminExec("CREATE DATABASE " + db_name_ + " TEMPLATE template0 ENCODING 'UTF8'", &err)) {
      problem_ = "kan inte skapa testdatabasen: " + err;
      required_ = true;
      return;
    }
    url_ = cluster_ + "/" + db_name_;
    available_ = true;
  }
  ~TestDatabase() {
    if (backend_ == "sqlite") {
      RemoveFiles();
    } else if (available_) {
      AdminExec("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)", nullptr);
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& backend() const { return backend_; }
  // What to pass as --db / Store::Open.
  const std::string& url() const { return url_; }
  bool available() const { return available_; }
  // Why not available, and whether that is a failure (required) or a skip.
  const std::string& problem() const { return problem_; }
  bool required() const { return required_; }

  // Runs SQL on the database directly, bypassing the store. Returns false with `err` set on
  // failure.
  bool Exec(const std::string& sql, std::string* err = nullptr) const {
    if (backend_ == "sqlite") {
      sqlite3* db = nullptr;
      if (sqlite3_open(url_.c_str(), &db) != SQLITE_OK) {
        if (err) *err = db ? sqlite3_errmsg(db) : "open";
        sqlite3_close(db);
        return false;
      }
      char* msg = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
      if (rc != SQLITE_OK && err) *err = msg ? msg : "exec";
      sqlite3_free(msg);
      sqlite3_close(db);
      return rc == SQLITE_OK;
    }
    return PgExec(url_, sql, err);
  }

  // The first column of the first row of a query, as text ("" when none).
  std::string Scalar(const std::string& sql) const {
    if (backend_ == "sqlite") {
      sqlite3* db = nullptr;
      std::string out;
      if (sqlite3_open(url_.c_str(), &db) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
          out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
      }
      sqlite3_close(db);
      return out;
    }
    PGconn* c = PQconnectdb(url_.c_str());
    std::string out;
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
      PQclear(r);
    }
    PQfinish(c);
    return out;
  }

 private:
  static bool PgExec(const std::string& url, const std::string& sql, std::string* err) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      if (err) *err = PQerrorMessage(c);
      PQfinish(c);
      return false;
    }
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok =
        PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok && err) *err = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    return ok;
  }
  bool AdminExec(const std::string& sql, std::string* err) const {
    return PgExec(cluster_ + "/postgres", sql, err);
  }
  void RemoveFiles() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url_ + suffix);
  }

  std::string backend_;
  std::string url_;
  std::string cluster_;
  std::string db_name_;
  std::string problem_;
  bool available_ = false;
  bool required_ = false;
};

}  // namespace est::testing

// In a SetUp: skips (or fails, when required) a test whose database is not available.
#define EST_REQUIRE_DATABASE(db)                                             \
  do {                                                                       \
    if (!(db).available()) {                                                 \
      if ((db).required()) FAIL() << (db).problem();                         \
      GTEST_SKIP() << (db).problem();                                        \
    }                                                                        \
  } while (0)

#endif  // EST_TESTS_SUPPORT_TEST_DATABASE_H_
