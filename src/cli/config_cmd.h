// Configuration commands: `est areas list`, `est orgs list|add`, `est categories list|init|add`,
// `est places add`, `est user add|password` and `est security-events`.
#ifndef EST_CLI_CONFIG_CMD_H_
#define EST_CLI_CONFIG_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

// Registers `est areas`, `est orgs`, `est categories` and `est places`.
void AddConfigCommands(CLI::App& cli, const std::string& db, std::function<int()>& action);
// Registers `est user add|password` and `est security-events`.
void AddUserCommands(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_CONFIG_CMD_H_
