#include "cli/store_cmd.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "app/maintenance.h"
#include "cli/common.h"

namespace est::cli {

void AddStoreCommands(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  struct Options {
    std::string file;
    std::string to;
  };
  auto opt = std::make_shared<Options>();

  auto* backup = cli.add_subcommand(
      "backup", "Säkerhetskopiera databasen medan systemet körs (SQLite-fil eller pg_dump-arkiv)");
  backup->add_option("file", opt->file, "Filen att skriva (får inte finnas)")->required();
  backup->callback([&, opt] {
    action = [&, opt]() -> int {
      if (auto s = app::BackupDatabase(db, opt->file); !s) return Report(s.error());
      std::cout << "Säkerhetskopian är skriven: " << opt->file << "\n";
      return 0;
    };
  });

  auto* restore = cli.add_subcommand(
      "restore", "Återställ en säkerhetskopia till en tom databas (--db, samma slag som kopian)");
  restore->add_option("file", opt->file, "Säkerhetskopian (från est backup)")->required();
  restore->callback([&, opt] {
    action = [&, opt]() -> int {
      if (auto s = app::RestoreDatabase(opt->file, db); !s) return Report(s.error());
      std::cout << "Återställd till " << db << "; granskningsloggen är obruten.\n";
      return 0;
    };
  });

  auto* migrate = cli.add_subcommand(
      "migrate", "Flytta hela databasen (--db) till en annan, t.ex. från SQLite till PostgreSQL");
  migrate
      ->add_option("--to", opt->to,
                   "Måldatabasen: postgresql://användare@värd:port/databas eller en ny fil; "
                   "måste vara tom")
      ->required();
  migrate->callback([&, opt] {
    action = [&, opt]() -> int {
      auto check = app::MigrateDatabase(db, opt->to, TerminalProgress());
      if (!check) return Report(check.error());
      std::printf("%-18s %12s %12s\n", "tabell", "källa", "mål");
      for (size_t i = 0; i < check->source.size(); ++i) {
        std::printf("%-18s %12lld %12lld\n", check->source[i].table.c_str(),
                    static_cast<long long>(check->source[i].rows),
                    static_cast<long long>(check->target[i].rows));
      }
      std::cout << "Granskningsloggen är obruten i målet.\n"
                << "Lägesbilden " << check->period << " är densamma i källan och målet.\n";
      return 0;
    };
  });
}

}  // namespace est::cli
