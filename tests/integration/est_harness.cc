// Subprocess plumbing for the integration tests.
#include "est_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/password.h"
#include "support/test_database.h"

namespace est::testing {

TempDir::TempDir() {
  char tmpl[] = "/tmp/est-test-XXXXXX";
  char* p = mkdtemp(tmpl);
  if (!p) throw std::runtime_error("mkdtemp failed");
  path_ = p;
}

TempDir::~TempDir() {
  databases_.clear();
  std::string cmd = "rm -rf '" + path_ + "'";
  (void)std::system(cmd.c_str());
}

const std::string& TestBackend() {
  static const std::string kBackend = [] {
    const char* b = std::getenv("EST_TEST_BACKEND");
    return std::string(b && std::string(b) == "postgresql" ? "postgresql" : "sqlite");
  }();
  return kBackend;
}

bool OnPostgres() { return TestBackend() == "postgresql"; }

std::string TempDir::Database(const std::string& name) {
  if (!OnPostgres()) return File(name + ".db");
  auto db = std::make_shared<TestDatabase>("postgresql");
  if (!db->available()) throw std::runtime_error("PostgreSQL: " + db->problem());
  databases_.push_back(db);
  return db->url();
}

namespace {

bool IsPgUrl(const std::string& db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

// Runs `fn` on a connection to the PostgreSQL database `url`.
template <class Fn>
auto WithPg(const std::string& url, Fn fn) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("PostgreSQL: " + m);
  }
  auto out = fn(c);
  PQfinish(c);
  return out;
}

}  // namespace

std::string DatabaseDigest(const std::string& db) {
  if (!IsPgUrl(db)) return Sha256File(db) + "/" + Sha256File(db + "-wal");
  return WithPg(db, [](PGconn* c) {
    std::string all;
    PGresult* tables = PQexec(c,
                              "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                              "ORDER BY tablename");
    for (int i = 0; i < PQntuples(tables); ++i) {
      const std::string t = PQgetvalue(tables, i, 0);
      // Every row as text, in the order of all its columns: a stable logical dump.
      PGresult* rows =
          PQexec(c, ("SELECT t::text FROM \"" + t + "\" t ORDER BY t::text COLLATE \"C\"").c_str());
      all += "[" + t + "]\n";
      for (int r = 0; r < PQntuples(rows); ++r) all += std::string(PQgetvalue(rows, r, 0)) + "\n";
      PQclear(rows);
    }
    PQclear(tables);
    return Sha256Hex(all);
  });
}

bool ExecSql(const std::string& db, const std::string& sql) {
  if (!IsPgUrl(db)) {
    sqlite3* h = nullptr;
    bool ok = sqlite3_open(db.c_str(), &h) == SQLITE_OK &&
              sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(h);
    return ok;
  }
  return WithPg(db, [&](PGconn* c) {
    PGresult* r = PQexec(c, sql.c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  });
}

std::string QuerySql(const std::string& db, const std::string& sql) {
  if (!IsPgUrl(db)) {
    sqlite3* h = nullptr;
    std::string out;
    if (sqlite3_open(db.c_str(), &h) == SQLITE_OK) {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return out;
  }
  return WithPg(db, [&](PGconn* c) {
    PGresult* r = PQexec(c, sql.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    return out;
  });
}

// The PostgreSQL run without a cluster: every test is skipped with the reason (or fails, when
// EST_TEST_REQUIRE_PG=1 as under scripts/test).
class BackendEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (!OnPostgres()) return;
    TestDatabase probe("postgresql");
    if (probe.available()) return;
    if (probe.required()) FAIL() << probe.problem();
    GTEST_SKIP() << probe.problem();
  }
};
[[maybe_unused]] ::testing::Environment* const kBackendEnvironment =
    ::testing::AddGlobalTestEnvironment(new BackendEnvironment);

namespace {

std::string DrainFd(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(EST_BINARY));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

}  // namespace

CommandResult RunEst(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> full = {EST_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  return RunProgram(full, stdin_text);
}

CommandResult RunProgram(const std::vector<std::string>& command, const std::string& stdin_text) {
  int in[2], out[2], err[2];
  if (pipe(in) || pipe(out) || pipe(err)) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(in[1]);
    close(out[0]);
    close(err[0]);
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    std::vector<char*> argv;
    for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!stdin_text.empty()) (void)!write(in[1], stdin_text.data(), stdin_text.size());
  close(in[1]);
  // Read both pipes without deadlock.
  CommandResult r;
  struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

Server::Server(const std::string& db, const std::vector<std::string>& extra) {
  int out[2];
  if (pipe(out)) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    // The server goes with the test process, even one that dies (no orphan holds CTest's pipe).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out[1], 1);
    close(out[0]);
    // stderr stays the test's: a server that fails to start says why in the test log.
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    std::vector<std::string> args = {"--db", db, "serve", "--port", "0", "--insecure-cookies"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto argv = Argv(args);
    execv(EST_BINARY, argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1) {
    if (c == '\n') break;
    line += c;
  }
  // "EST lyssnar på http://127.0.0.1:PORT/ ..."
  auto colon = line.find("127.0.0.1:");
  if (colon == std::string::npos) {
    close(out[0]);
    throw std::runtime_error("server did not start: " + line);
  }
  port_ = std::stoi(line.substr(colon + 10));
  // Keep draining stdout in the background so the server never blocks on a full pipe.
  int fd = out[0];
  pid_t drainer = fork();
  if (drainer == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    DrainFd(fd);
    _exit(0);
  }
  close(fd);
}

Server::~Server() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void Server::Terminate() {
  if (pid_ > 0) kill(pid_, SIGTERM);
}

int Server::Wait() {
  int status = 0;
  if (pid_ > 0) waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

void Server::Kill9() {
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string Sha256File(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) return "";
  return Sha256Hex(ReadText(path));
}

std::string DataFile(const std::string& name) {
  return std::string(EST_TEST_DATA_DIR) + "/" + name;
}

void SeedMunicipality(const std::string& db) {
  auto must = [](const std::vector<std::string>& args) {
    CommandResult r = RunEst(args);
    if (r.exit_code != 0) {
      std::string all;
      for (const auto& a : args) all += a + " ";
      throw std::runtime_error("seed step failed: " + all + "\n" + r.out + r.err);
    }
  };
  must({"--db", db, "categories", "init"});
  must({"--db", db, "orgs", "add", "polis", "--name", "Polisen LPO Sollentuna", "--kind", "polis"});
  must({"--db", db, "orgs", "add", "hem", "--name", "AB Sollentunahem", "--kind", "bolag"});
  must({"--db", db, "orgs", "add", "bun", "--name", "Barn- och ungdomsnämnden", "--kind", "nämnd"});
  // Sollentuna from the okfse municipalities file: extract just that feature.
  must({"--db", db, "import", "areas", DataFile("sollentuna-okfse.geojson"), "--code-prop", "id",
        "--name-prop", "kom_namn"});
  must({"--db", db, "import", "areas", DataFile("tureberg-polisen-2025.geojson"), "--code-prop",
        "OMRADESKOD", "--name-prop", "NAMN", "--parent", "0163"});
  for (auto [login, role, org] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"admin", "admin", ""},
           {"samordnare", "coordinator", ""},
           {"rap.hem", "reporter", "hem"},
           {"rap.polis", "reporter", "polis"},
           {"lasare", "viewer", ""}}) {
    std::vector<std::string> args = {
        "--db", db, "user", "add", login, "--role", role, "--password", "Trygghet-Sollentuna-49!"};
    if (!org.empty()) {
      args.push_back("--org");
      args.push_back(org);
    }
    must(args);
  }
}

}  // namespace est::testing
