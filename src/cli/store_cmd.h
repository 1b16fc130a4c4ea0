// `est backup FILE`, `est restore FILE` and `est migrate --to URL`: the whole database at once.
#ifndef EST_CLI_STORE_CMD_H_
#define EST_CLI_STORE_CMD_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace est::cli {

void AddStoreCommands(CLI::App& cli, const std::string& db, std::function<int()>& action);

}  // namespace est::cli

#endif  // EST_CLI_STORE_CMD_H_
