// Test harness for integration tests: runs the real `est` binary as a subprocess (CLI commands and
// `est serve` on a loopback port chosen by the OS) and gives each test a fresh temp directory.
#ifndef EST_TESTS_INTEGRATION_EST_HARNESS_H_
#define EST_TESTS_INTEGRATION_EST_HARNESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace est::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class TestDatabase;

// The backend the integration suite runs on: "sqlite" (default) or "postgresql" when
// EST_TEST_BACKEND=postgresql (CTest registers the suite once per backend; the PostgreSQL run's
// tests are named pg.*).
const std::string& TestBackend();
bool OnPostgres();

// A fresh directory under /tmp, removed on destruction, and the test's databases.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // A new, empty database for `est --db` on the suite's backend: the file NAME.db in this
  // directory, or a new PostgreSQL database on the test cluster (dropped on destruction).
  std::string Database(const std::string& name = "est");

 private:
  std::string path_;
  std::vector<std::shared_ptr<TestDatabase>> databases_;
};

// A digest of everything stored in `db`: on SQLite the bytes of the file and its log (a rejected
// change must leave them exactly as they were); on PostgreSQL every table's rows in key order (a
// logical dump; sequence positions are not data).
std::string DatabaseDigest(const std::string& db);
// Runs SQL on `db` behind the store's back (either backend); false on failure.
bool ExecSql(const std::string& db, const std::string& sql);
// The first column of the first row of a query on `db` ("" when none).
std::string QuerySql(const std::string& db, const std::string& sql);

// Runs `est ARGS...` to completion. `stdin_text` is fed to standard input.
CommandResult RunEst(const std::vector<std::string>& args, const std::string& stdin_text = "");
// Runs any program (found on PATH) to completion, e.g. GDAL's ogr2ogr and ogrinfo.
CommandResult RunProgram(const std::vector<std::string>& command,
                         const std::string& stdin_text = "");

// `est --db DB serve --port 0 --insecure-cookies` in the background; waits for the port line.
class Server {
 public:
  // `est --db DB serve --port 0 --insecure-cookies EXTRA...`
  explicit Server(const std::string& db, const std::vector<std::string>& extra = {});
  ~Server();  // SIGTERM and wait
  // SIGTERM now; Wait() for the exit status (the server answers what is in flight first).
  void Terminate();
  int Wait();
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  void Kill9();  // hard crash, no cleanup

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text);
std::string Sha256File(const std::string& path);  // "" when missing
std::string DataFile(const std::string& name);    // tests/data/NAME

// A small municipality in `db`: default categories, organisations polis/hem/bun, areas from the
// okfse Sollentuna polygon (code 0163) and the police Tureberg polygon inside it, and users
// admin, samordnare, rap.hem (reporter, hem), rap.polis (reporter, polis), lasare (viewer), all
// with password "Trygghet-Sollentuna-49!".
void SeedMunicipality(const std::string& db);

}  // namespace est::testing

#endif  // EST_TESTS_INTEGRATION_EST_HARNESS_H_
