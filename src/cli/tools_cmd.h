// Tools: `est demo` (a demo municipality in an empty database), `est bench` (the whole chain
// measured) and `est audit verify`.
#ifndef EST_CLI_TOOLS_CMD_H_
#define EST_CLI_TOOLS_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

// Registers `est demo`.
void AddDemoCommand(CLI::App& cli, const std::string& db, std::function<int()>& action);
// Registers `est bench` (its own databases in --dir).
void AddBenchCommand(CLI::App& cli, std::function<int()>& action);
// Registers `est audit verify`.
void AddAuditCommand(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_TOOLS_CMD_H_
