// Entry point of the `est` program (server and command-line tool).
#include "cli/cli.h"

int main(int argc, char** argv) { return est::cli::Run(argc, argv); }
