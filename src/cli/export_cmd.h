// `est reports list`: the reports as CSV, JSON lines or GeoJSON for Excel, QGIS and other tools
// (app/queries.h WriteReports; the CSV's columns are a contract, app/present.h).
#ifndef EST_CLI_EXPORT_CMD_H_
#define EST_CLI_EXPORT_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

void AddReportsCommand(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_EXPORT_CMD_H_
