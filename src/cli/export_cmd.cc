// The reports export command (export_cmd.h).
#include "cli/export_cmd.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/queries.h"
#include "cli/common.h"
#include "report/gis_writer.h"

namespace est::cli {

void AddReportsCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  struct Args {
    app::ReportExportParams p;
    std::string format = "csv";
    std::string output;
  };
  auto args = std::make_shared<Args>();
  auto* reports =
      cli.add_subcommand("reports", "Rapporterna som CSV, JSON, GeoJSON eller GeoPackage");
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
  list->add_option("--format", args->format,
                   "csv, json (en rad per rapport), geojson eller gpkg (GeoPackage, kräver --output)")
      ->check(CLI::IsMember({"csv", "json", "geojson", "gpkg"}))
      ->capture_default_str();
  list->add_option("--output,-o", args->output, "Skriv till denna fil i stället för standard ut");
  list->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      const bool gpkg = args->format == "gpkg";
      if (gpkg && args->output.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument, "En GeoPackage skrivs till en fil",
                            {{"--output", "krävs med --format gpkg"}}});
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto filter = app::ResolveReportFilter(**sys, args->p);
      if (!filter) return Report(filter.error());
      // A GeoPackage is made from the GeoJSON export, written beside it first.
      const std::string target = gpkg ? args->output + ".geojson.tmp" : args->output;
      std::ofstream file;
      if (!target.empty()) {
        file.open(target, std::ios::binary | std::ios::trunc);
        if (!file) {
          return Report(Error{ErrorCode::kInvalidArgument, "Kan inte skriva " + args->output,
                              {{"--output", "filen kan inte skapas"}}});
        }
      }
      auto n = app::WriteReports(**sys, *filter, gpkg ? "geojson" : args->format, 0,
                                 [&](std::string_view s) {
                                   if (target.empty()) {
                                     std::fwrite(s.data(), 1, s.size(), stdout);
                                   } else {
                                     file.write(s.data(), static_cast<std::streamsize>(s.size()));
                                   }
                                 });
      std::fflush(stdout);
      if (file.is_open()) file.close();
      if (!n) {
        if (gpkg) std::remove(target.c_str());
        return Report(n.error());
      }
      if (!target.empty() && file.fail()) {
        return Report(Error{ErrorCode::kUnavailable, "Kan inte skriva " + target, {}});
      }
      if (gpkg) {
        auto st = report::WriteGeoPackage(target, args->output, "reports");
        std::remove(target.c_str());
        if (!st) return Report(st.error());
      }
      std::cerr << *n << " rapporter.\n";
      return 0;
    };
  });
}

}  // namespace est::cli
