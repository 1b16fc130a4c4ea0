// Helpers shared by the `est` subcommands (private to the cli module).
#ifndef EST_CLI_COMMON_H_
#define EST_CLI_COMMON_H_

#include <memory>
#include <string>

#include "app/system.h"
#include "core/error.h"

namespace est::cli {

// Prints "est: <error>" to stderr and returns the error's exit code.
int Report(const Error& e);
// $EST_DB or data/est.db.
std::string DefaultDb();
// One progress line rewritten in place on a terminal; nullptr when stderr is not a terminal.
app::ProgressFn TerminalProgress();
// Opens (creating its folder when needed) the database and loads the engine.
Result<std::unique_ptr<app::System>> OpenSystem(const std::string& db);
Result<std::string> ReadFile(const std::string& path);
store::Actor CliActor();

}  // namespace est::cli

#endif  // EST_CLI_COMMON_H_
