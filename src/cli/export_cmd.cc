// The reports export command (export_cmd.h).
#include "cli/export_cmd.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "app/queries.h"
#include "cli/common.h"

namespace est::cli {

void AddReportsCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  struct Args {
    app::ReportExportParams p;
    std::string format = "csv";
  };
  auto args = std::make_shared<Args>();
  auto* reports = cli.add_subcommand("reports", "Rapporterna som CSV, JSON eller GeoJSON");
  reports->require_subcommand(1);
  auto* list = reports->add_subcommand(
      "list", "Skriv rapporterna (nyast först) till standard ut, för Excel, QGIS eller annat");
  list->add_option("--period", args->p.period, "2026-W47, 2026-11, 2026-T3, 2026-Q4 eller 2026");
  list->add_option("--from", args->p.from, "Första dag (ÅÅÅÅ-MM-DD)");
  list->add_option("--to", args->p.to, "Sista dag (ÅÅÅÅ-MM-DD)");
  list->add_option("--area", args->p.within,
                   "Området och alla områden under det (kan upprepas; outside = utanför alla)");
  list->add_option("--category", args->p.categories, "Kategori (kan upprepas)");
  list->add_option("--org", args->p.orgs, "Organisation (kan upprepas)");
  list->add_option("--source", args->p.source, "form, import eller police")
      ->check(CLI::IsMember({"form", "import", "police"}));
  list->add_option("--status", args->p.status, "new, reviewed, rejected eller duplicate");
  list->add_option("--format", args->format, "csv, json (en rad per rapport) eller geojson")
      ->check(CLI::IsMember({"csv", "json", "geojson"}))
      ->capture_default_str();
  list->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto filter = app::ResolveReportFilter(**sys, args->p);
      if (!filter) return Report(filter.error());
      auto n = app::WriteReports(**sys, *filter, args->format, 0, [](std::string_view s) {
        std::fwrite(s.data(), 1, s.size(), stdout);
      });
      std::fflush(stdout);
      if (!n) return Report(n.error());
      std::cerr << *n << " rapporter.\n";
      return 0;
    };
  });
}

}  // namespace est::cli
