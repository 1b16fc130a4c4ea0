// Helpers shared by the `est` subcommands: error output, the default database, terminal progress,
// opening the system, reading files, the CLI actor.
#include "cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ingest/report_csv.h"

namespace est::cli {

int Report(const Error& e) {
  std::cerr << "est: " << ToString(e) << "\n";
  return InfoFor(e.code).exit_code;
}

std::string DefaultDb() {
  if (const char* env = std::getenv("EST_DB")) return env;
  return "data/est.db";
}

std::string RedactedDb(const std::string& db) {
  const size_t scheme = db.find("://");
  if (scheme == std::string::npos) return db;
  const size_t at = db.find('@', scheme + 3);
  if (at == std::string::npos) return db;
  const size_t colon = db.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon + 1) + "***" + db.substr(at);
}

// Progress on a terminal: one line rewritten in place; silent when stderr is not a terminal.
app::ProgressFn TerminalProgress() {
  if (!isatty(STDERR_FILENO)) return nullptr;
  return [](int64_t done, int64_t total, const std::string& what) {
    if (total > 0) {
      std::cerr << "\r" << done << " / " << total << " " << what << "   " << std::flush;
    } else {
      std::cerr << "\r" << what << "                    \n" << std::flush;
    }
  };
}

Result<std::unique_ptr<app::System>> OpenSystem(const std::string& db) {
  // Create the folder of the default database on first use (a file; never for a URL).
  const bool url = db.find("://") != std::string::npos;
  std::filesystem::path dir = url ? std::filesystem::path() : std::filesystem::path(db).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return MakeError(ErrorCode::kUnavailable, "Kan inte skapa mappen " + dir.string());
  }
  if (auto s = CheckTimeZoneData(); !s) return tl::unexpected(s.error());
  return app::System::Open(db, TerminalProgress());
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "Kan inte läsa filen " + path);
  // A regular file is read straight into a string of its size (one copy of a 1 GB import file in
  // memory, not two); anything else (a pipe) through a stream.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && std::filesystem::is_regular_file(path, ec)) {
    std::string text(static_cast<size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.gcount() == static_cast<std::streamsize>(size)) return text;
    in.clear();
    in.seekg(0);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

store::Actor CliActor() {
  const char* user = std::getenv("USER");
  return {std::nullopt, std::string("cli:") + (user ? user : "okänd")};
}

void PrintCsvRow(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    std::cout << (i ? "," : "") << ingest::CsvEscape(fields[i]);
  }
  std::cout << "\n";
}

std::filesystem::path SelfExe() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe;
}

std::vector<std::string> WebDirCandidates(const std::filesystem::path& exe) {
  if (exe.empty()) return {};
  const std::filesystem::path bin = exe.parent_path();
  std::vector<std::string> out;
  for (const auto& p : {bin / ".." / "share" / "est" / "web", bin / ".." / "web" / "dist"}) {
    out.push_back(p.lexically_normal().string());
  }
  return out;
}

std::string FindWebDir(const std::filesystem::path& exe) {
  for (const std::string& dir : WebDirCandidates(exe)) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::path(dir) / "index.html", ec)) return dir;
  }
  return "";
}

}  // namespace est::cli
