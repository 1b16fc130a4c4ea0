// Helpers shared by the `est` subcommands (private to the cli module).
#ifndef EST_CLI_COMMON_H_
#define EST_CLI_COMMON_H_

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/system.h"
#include "core/error.h"

namespace est::cli {

// Prints "est: <error>" to stderr and returns the error's exit code.
int Report(const Error& e);
// $EST_DB or data/est.db.
std::string DefaultDb();
// The database for messages: a URL's password (user:password@) replaced by "***".
std::string RedactedDb(const std::string& db);
// One progress line rewritten in place on a terminal; nullptr when stderr is not a terminal.
app::ProgressFn TerminalProgress();
// Opens (creating its folder when needed) the database and loads the engine.
Result<std::unique_ptr<app::System>> OpenSystem(const std::string& db);
Result<std::string> ReadFile(const std::string& path);
store::Actor CliActor();
// Prints one CSV row (fields escaped) and a line break to stdout.
void PrintCsvRow(const std::vector<std::string>& fields);

// The path of the running program (/proc/self/exe); empty when it cannot be read.
std::filesystem::path SelfExe();
// The folders where `est serve` looks for the built web interface when --web is not given, for
// the program at `exe`, in order: the installed share folder (<prefix>/share/est/web beside
// <prefix>/bin/est) and the source tree's web/dist beside the build folder that holds the program
// (build/est -> web/dist). Empty when `exe` is.
std::vector<std::string> WebDirCandidates(const std::filesystem::path& exe);
// The first candidate that holds an index.html, or "" when none does.
std::string FindWebDir(const std::filesystem::path& exe);

}  // namespace est::cli

#endif  // EST_CLI_COMMON_H_
