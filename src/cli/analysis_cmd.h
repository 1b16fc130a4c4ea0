// Analysis commands: `est lagesbild`, `est hotspots`, `est emerging`, `est priority` and
// `est wdd` (the WDD of given counts).
#ifndef EST_CLI_ANALYSIS_CMD_H_
#define EST_CLI_ANALYSIS_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

// Registers `est lagesbild`, `est hotspots`, `est emerging` and `est priority`.
void AddAnalysisCommands(CLI::App& cli, const std::string& db, std::function<int()>& action);
// Registers `est wdd` (no database).
void AddWddCommand(CLI::App& cli, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_ANALYSIS_CMD_H_
