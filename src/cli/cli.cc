// `est`: the global options and the subcommands, one file per command group (serve_cmd.cc,
// import_cmd.cc, config_cmd.cc, analysis_cmd.cc, report_cmd.cc, context_cmd.cc, tools_cmd.cc).
// Each command parses its options, opens the system, calls one app service and prints the result;
// errors go to stderr in Swedish with the exit code from the error table.
#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>

#include "cli/analysis_cmd.h"
#include "cli/common.h"
#include "cli/config_cmd.h"
#include "cli/context_cmd.h"
#include "cli/export_cmd.h"
#include "cli/police_cmd.h"
#include "cli/import_cmd.h"
#include "cli/report_cmd.h"
#include "cli/serve_cmd.h"
#include "cli/store_cmd.h"
#include "cli/token_cmd.h"
#include "cli/tools_cmd.h"
#include "core/time.h"

namespace est::cli {

int Run(int argc, char** argv) {
  // A fixed "now" for tests and demonstrations (EST_NOW=2026-11-30T08:00): every default period,
  // running-period cut and "today" follows it.
  if (const char* now = std::getenv("EST_NOW"); now && *now) {
    auto t = ParseTimestamp(now);
    if (!t) {
      std::fprintf(stderr, "est: EST_NOW: %s\n", t.error().detail.c_str());
      return 2;
    }
    SetFixedNow(*t);
  }
  CLI::App cli{"EST – Effektiv samordning för trygghet: server och kommandoradsverktyg", "est"};
  cli.require_subcommand(1);
  // Options a subcommand does not know go to its parent, so `est demo --db X` and
  // `est import areas F --db X` work like `est --db X demo`. Subcommands inherit this.
  cli.fallthrough();
  cli.set_help_all_flag("--help-all", "Visa hjälp för alla kommandon");
  std::string db = DefaultDb();
  cli.add_option("--db", db,
                 "Databasen: en fil (SQLite) eller postgresql://användare@värd:port/databas "
                 "(lösenord från PGPASSWORD eller ~/.pgpass); standard $EST_DB eller data/est.db")
      ->capture_default_str();
  std::function<int()> action;

  AddServeCommand(cli, db, action);
  AddDemoCommand(cli, db, action);
  CLI::App* import = AddImportCommands(cli, db, action);
  AddConfigCommands(cli, db, action);
  AddUserCommands(cli, db, action);
  AddTokenCommands(cli, db, action);
  AddCheckinCommand(cli, db, action);
  AddAnalysisCommands(cli, db, action);
  AddReportCommand(cli, db, action);
  AddContextCommands(cli, *import, db, action);
  AddPoliceCommands(cli, *import, db, action);
  AddReportsCommand(cli, db, action);
  AddWddCommand(cli, action);
  AddBenchCommand(cli, action);
  AddAuditCommand(cli, db, action);

  AddStoreCommands(cli, db, action);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  try {
    return action ? action() : 2;
  } catch (const std::exception& e) {
    std::cerr << "est: internt fel: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace est::cli

