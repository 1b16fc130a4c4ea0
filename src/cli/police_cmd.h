// `est import polisen` and `est police-types`: the police's events feed into the reports, and the
// mapping of the police's event types onto EST categories (app/police.h).
#ifndef EST_CLI_POLICE_CMD_H_
#define EST_CLI_POLICE_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

void AddPoliceCommands(CLI::App& cli, CLI::App& import, const std::string& db,
                       std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_POLICE_CMD_H_
