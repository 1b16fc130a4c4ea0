// The `est` command line: parses arguments (CLI11) into typed parameters and calls the app layer.
// Exit codes: 0 ok, 1 runtime error, 2 usage or input error (core/error.h table).
#ifndef EST_CLI_CLI_H_
#define EST_CLI_CLI_H_

namespace est::cli {

int Run(int argc, char** argv);

}  // namespace est::cli

#endif  // EST_CLI_CLI_H_
