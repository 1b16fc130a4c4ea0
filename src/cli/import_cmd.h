// `est import areas|reports` (GeoJSON areas, CSV reports) and `est checkin` (the weekly
// "inget att rapportera").
#ifndef EST_CLI_IMPORT_CMD_H_
#define EST_CLI_IMPORT_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

// Registers `est import areas|reports` and returns `est import` (other kinds join it).
CLI::App* AddImportCommands(CLI::App& cli, const std::string& db, std::function<int()>& action);
// Registers `est checkin`.
void AddCheckinCommand(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_IMPORT_CMD_H_
