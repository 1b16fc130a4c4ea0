// `est token add|list|revoke`: personal API tokens for machine clients (QGIS, ArcGIS, GDAL, a
// fault-report system), used as `Authorization: Bearer TOKEN` with the user's role
// (app/sessions.h). A new token is printed once; only its SHA-256 is stored.
#ifndef EST_CLI_TOKEN_CMD_H_
#define EST_CLI_TOKEN_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

void AddTokenCommands(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_TOKEN_CMD_H_
