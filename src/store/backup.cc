// Backups (store.h MaintenanceStore::Backup, RestoreBackup): SQLite's VACUUM INTO on a connection
// of its own; PostgreSQL's pg_dump and pg_restore, run as child processes with the connection URL.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/sql_store.h"
#include "store/sqlite/sqlite_conn.h"

extern char** environ;

namespace est::store {
namespace {

// Runs `argv` (found on PATH) and waits; the exit status, or an Error when it cannot start.
// Its output goes to `log` (the first lines become the error's detail).
Result<int> RunTool(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return MakeError(ErrorCode::kUnavailable, argv[0] + " kan inte startas: " + std::strerror(rc) +
                                                  " (installera postgresql-client-15)");
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string FirstLines(const std::string& path) {
  std::ifstream in(path);
  std::string out, line;
  for (int i = 0; i < 3 && std::getline(in, line); ++i) out += (i ? " " : "") + line;
  return out;
}

Status RefuseExisting(const std::string& file) {
  if (std::filesystem::exists(file)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Filen " + file + " finns redan; välj ett nytt namn",
                     {{"file", "finns redan"}});
  }
  return {};
}

}  // namespace

Status BackupSqlite(const std::string& path, const std::string& file) {
  if (path == ":memory:" || path.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "En databas i minnet kan inte säkerhetskopieras");
  }
  if (auto s = RefuseExisting(file); !s) return s;
  // Its own connection: a read transaction in WAL mode (a snapshot), never the store's lock.
  auto db = OpenSqliteDb(path);
  if (!db) return Fail(db);
  auto s = db->Prepare("VACUUM INTO ?1");
  if (!s) return Fail(s);
  s->Bind(1, file);
  if (auto r = s->Run(); !r) {
    std::filesystem::remove(file);
    return r;
  }
  return {};
}

Status BackupPostgres(const std::string& url, const std::string& file) {
  if (auto s = RefuseExisting(file); !s) return s;
  const std::string log = file + ".log";
  // One snapshot of the whole database (pg_dump's own transaction); others keep writing.
  auto rc = RunTool(
      {"pg_dump", "--format=custom", "--no-owner", "--file=" + file, "--dbname=" + url}, log);
  if (!rc) return Fail(rc);
  if (*rc != 0) {
    std::string why = FirstLines(log);
    std::filesystem::remove(file);
    std::filesystem::remove(log);
    return MakeError(ErrorCode::kUnavailable,
                     "pg_dump misslyckades (" + PgTarget(url) + "): " + why);
  }
  std::filesystem::remove(log);
  return {};
}

Status RestoreBackup(const std::string& file, const std::string& url) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "Säkerhetskopian " + file + " finns inte",
                     {{"file", "finns inte"}});
  }
  char magic[16] = {};
  in.read(magic, sizeof magic);
  const bool sqlite_file = std::memcmp(magic, "SQLite format 3", 16) == 0;
  const bool pg_archive = std::memcmp(magic, "PGDMP", 5) == 0;
  if (!sqlite_file && !pg_archive) {
    return MakeError(ErrorCode::kInvalidArgument,
                     file +
                         " är ingen säkerhetskopia från est backup (varken SQLite-fil eller "
                         "pg_dump-arkiv)",
                     {{"file", "okänt format"}});
  }
  const bool to_pg = Store::IsPostgresUrl(url);
  if (sqlite_file == to_pg) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("Säkerhetskopian är från ") +
                         (sqlite_file ? "SQLite" : "PostgreSQL") + " men målet är " +
                         (to_pg ? "PostgreSQL" : "SQLite") +
                         "; återställ till samma slag och flytta sedan med est migrate --to",
                     {{"db", "annat slag av databas"}});
  }
  if (sqlite_file) {
    if (std::filesystem::exists(url) && std::filesystem::file_size(url) > 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Målet " + url + " finns redan; återställ till en ny fil",
                       {{"db", "finns redan"}});
    }
    std::error_code ec;
    std::filesystem::copy_file(file, url, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec)
      return MakeError(ErrorCode::kUnavailable, "Kan inte skriva " + url + ": " + ec.message());
    // The copy must be whole before anyone relies on it.
    auto check = OpenSqliteDb(url);
    if (!check) return Fail(check);
    auto s = check->Prepare("PRAGMA integrity_check");
    if (!s) return Fail(s);
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row || s->Text(0) != "ok") {
      std::string why = *row ? s->Text(0) : "inget svar";
      s->Reset();
      std::filesystem::remove(url);
      return MakeError(ErrorCode::kInvalidArgument, "Säkerhetskopian är skadad: " + why,
                       {{"file", "integrity_check"}});
    }
    return {};
  }
  // PostgreSQL: the target database must exist and hold none of EST's tables.
  auto db = OpenPgDb(url);
  if (!db) return Fail(db);
  auto t = db->Prepare(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()");
  if (!t) return Fail(t);
  auto row = t->Step();
  if (!row) return Fail(row);
  if (t->Int(0) > 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Måldatabasen " + PgTarget(url) + " är inte tom; återställ till en ny databas",
                     {{"db", "måste vara tom"}});
  }
  t->Reset();
  const std::string log =
      std::filesystem::temp_directory_path() / ("est-restore-" + std::to_string(getpid()) + ".log");
  auto rc = RunTool({"pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
                     "--dbname=" + url, file},
                    log);
  if (!rc) return Fail(rc);
  std::string why = FirstLines(log);
  std::filesystem::remove(log);
  if (*rc != 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "pg_restore misslyckades (" + PgTarget(url) + "): " + why);
  }
  return {};
}

}  // namespace est::store
