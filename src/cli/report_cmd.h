// `est report weekly|analysis|annual|municipality|statutory`: documents as PDF, XLSX or CSV.
#ifndef EST_CLI_REPORT_CMD_H_
#define EST_CLI_REPORT_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

// Registers the command; its callback sets `action`, which opens `db` when run.
void AddReportCommand(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_REPORT_CMD_H_
