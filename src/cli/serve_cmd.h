// `est serve`: the web server (HTTP API and the web interface) until SIGINT or SIGTERM.
#ifndef EST_CLI_SERVE_CMD_H_
#define EST_CLI_SERVE_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

// Registers `est serve`; its callback sets `action`, which opens `db` when run.
void AddServeCommand(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_SERVE_CMD_H_
