// `est import surveys|vulnerable`, `est goal` and `est safety`: other information beside the
// reports (survey results, the police's list of vulnerable areas, the 2030 goal).
#ifndef EST_CLI_CONTEXT_CMD_H_
#define EST_CLI_CONTEXT_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

void AddContextCommands(CLI::App& cli, CLI::App& import, const std::string& db,
                        std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_CONTEXT_CMD_H_
