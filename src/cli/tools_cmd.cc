// Tools: `est demo` (a demo municipality in an empty database), `est bench` (the whole chain
// measured) and `est audit verify`.
#include "cli/tools_cmd.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/bench.h"
#include "app/demo.h"
#include "app/queries.h"
#include "app/system.h"
#include "cli/common.h"
#include "geo/crs.h"

namespace est::cli {
namespace {

using nlohmann::json;

// The options of the commands, shared by their callbacks (which outlive the registration).
struct DemoArgs {
  app::DemoOptions demo_opt;
};

// The options of the commands, shared by their callbacks (which outlive the registration).
struct BenchArgs {
  app::BenchOptions bench_opt;
  std::string bench_format = "json";
  std::string bench_crs;
};

}  // namespace

void AddDemoCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<DemoArgs>();
  // demo
  auto* demo = cli.add_subcommand("demo", "Skapa en demokommun (Sollentuna) i en tom databas");
  demo->add_option("--seed", args->demo_opt.seed, "Slumpfrö (samma frö ger samma data)")
      ->capture_default_str();
  demo->add_option("--years", args->demo_opt.years, "Antal års historik")->check(CLI::Range(1, 10));
  demo->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto s = app::CreateDemo(**sys, args->demo_opt, TerminalProgress());
      if (!s) return Report(s.error());
      std::cout << "Demokommun skapad i " << db << ": " << s->areas << " områden, "
                << s->organisations << " organisationer, " << s->places << " platser, "
                << s->reports << " rapporter, " << s->checkins << " incheckningar, " << s->problems
                << " problem, " << s->meetings << " möten, " << s->actions << " insatser.\n"
                << "Demokonton (lösenord " << args->demo_opt.password << "):\n";
      for (const auto& a : s->accounts) {
        std::cout << "  " << a.login << " (" << a.role << (a.org.empty() ? "" : ", " + a.org)
                  << ")\n";
      }
      return 0;
    };
  });
}

void AddBenchCommand(CLI::App& cli, std::function<int()>& action) {
  auto args = std::make_shared<BenchArgs>();
  // bench
  auto* bench = cli.add_subcommand("bench", "Mät hela kedjan på genererade eller givna data");
  bench->add_option("--scale", args->bench_opt.scale, "Antal genererade rapporter")
      ->capture_default_str();
  bench->add_option("--area-count", args->bench_opt.areas, "Antal genererade områden")
      ->capture_default_str();
  bench->add_option("--areas", args->bench_opt.areas_file,
                    "GeoJSON med områden (i stället för genererade)");
  bench->add_option("--reports", args->bench_opt.reports_file,
                    "CSV med rapporter (i stället för genererade)");
  bench->add_option("--crs", args->bench_crs,
                    "Koordinatsystem för kolumnerna x och y i --reports (t.ex. EPSG:3006)");
  bench->add_option("--period", args->bench_opt.period, "Veckan som mäts (standard: förra veckan)");
  bench->add_option("--dir", args->bench_opt.work_dir,
                    "Arbetsmapp (behålls; genererade filer hamnar där)");
  bench->add_option("--database", args->bench_opt.database,
                    "En tom PostgreSQL-databas (postgresql://…) i stället för --dir/bench.db");
  bench->add_flag(
      "--reuse", args->bench_opt.reuse,
      "Mät databasen från en tidigare körning i --dir (ingen generering, ingen import)");
  bench->add_option("--repeats", args->bench_opt.repeats, "Antal mätningar per median")
      ->capture_default_str();
  bench->add_option("--format", args->bench_format, "json")->check(CLI::IsMember({"json"}));
  bench->callback([&action, args] {
    action = [args]() -> int {
      if (args->bench_opt.areas_file.empty() != args->bench_opt.reports_file.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument,
                            "--areas och --reports anges tillsammans",
                            {{"--reports", "krävs med --areas"}}});
      }
      if (!args->bench_crs.empty()) {
        if (args->bench_opt.reports_file.empty()) {
          return Report(Error{ErrorCode::kInvalidArgument,
                              "--crs gäller en given rapportfil",
                              {{"--crs", "anges med --reports (genererade data är i EPSG:3006)"}}});
        }
        auto crs = geo::ParseCrsName(args->bench_crs);
        if (!crs) return Report(crs.error());
        args->bench_opt.crs = *crs;
      }
      auto r = app::RunBench(args->bench_opt, TerminalProgress());
      if (!r) return Report(r.error());
      std::cout << r->dump(2) << "\n";
      return 0;
    };
  });
}

void AddAuditCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  // audit verify
  auto* audit = cli.add_subcommand("audit", "Granskningsloggen");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Kontrollera att loggens kedja är obruten");
  verify->callback([&action, &db] {
    action = [&db]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      if (auto s = app::VerifyAudit(**sys); !s) return Report(s.error());
      std::cout << "Granskningsloggen är obruten.\n";
      return 0;
    };
  });
}

}  // namespace est::cli
