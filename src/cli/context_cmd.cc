// Other-information commands.
#include "cli/context_cmd.h"

#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/context.h"
#include "cli/common.h"
#include "core/time.h"

namespace est::cli {

void AddContextCommands(CLI::App& cli, CLI::App& import, const std::string& db,
                        std::function<int()>& action) {
  // est import surveys FILE.csv
  auto* surveys = import.add_subcommand(
      "surveys", "Importera enkätresultat (CSV: area, indicator, period, source, value, n)");
  auto survey_file = std::make_shared<std::string>();
  surveys->add_option("FILE", *survey_file, "CSV-fil")->required();
  surveys->callback([&action, &db, survey_file] {
    action = [&db, survey_file]() -> int {
      auto text = ReadFile(*survey_file);
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ImportSurveysCsv(**sys, *text, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Importerade " << r->rows << " enkätvärden (" << r->inserted << " nya, "
                << r->rows - r->inserted << " ersatte tidigare värden).\n";
      return 0;
    };
  });

  // est import vulnerable FILE.geojson --year 2025 [--attributes FILE.csv]
  struct VulnOpts {
    std::string file, attributes;
    int year = 0;
  };
  auto vo = std::make_shared<VulnOpts>();
  auto* vulnerable = import.add_subcommand(
      "vulnerable", "Importera polisens lista över utsatta områden (GeoJSON, EPSG:3006)");
  vulnerable->add_option("FILE", vo->file, "Polisens GeoJSON (uso_ÅÅÅÅ.geojson)")->required();
  vulnerable->add_option("--year", vo->year, "Listans år, t.ex. 2025")
      ->required()
      ->check(CLI::Range(2000, 2100));
  vulnerable->add_option("--attributes", vo->attributes, "Attributtabell som CSV (frivillig)");
  vulnerable->callback([&action, &db, vo] {
    action = [&db, vo]() -> int {
      auto text = ReadFile(vo->file);
      if (!text) return Report(text.error());
      std::optional<std::string> attr;
      if (!vo->attributes.empty()) {
        auto a = ReadFile(vo->attributes);
        if (!a) return Report(a.error());
        attr = std::move(*a);
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ImportVulnerableAreas(
          **sys, *text, vo->year, attr ? std::optional<std::string_view>(*attr) : std::nullopt,
          CliActor());
      if (!r) return Report(r.error());
      std::cout << "Polisens lista " << r->year << ": " << r->kept.size() << " områden i kommunen, "
                << r->outside.size() << " utanför.\n";
      for (const auto& v : r->kept) {
        std::cout << "  " << v.code << "  " << v.name << " (" << VulnerableCategoryText(v.category)
                  << (v.since.empty() ? "" : ", sedan " + v.since) << ", "
                  << static_cast<int>(v.share_inside * 100 + 0.5) << " % inom kommunen)\n";
      }
      return 0;
    };
  });

  // est goal [--format table|json]
  auto goal_format = std::make_shared<std::string>("table");
  auto* goal = cli.add_subcommand("goal", "Målet inga utsatta områden 2030: områden och trender");
  goal->add_option("--format", *goal_format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  goal->callback([&action, &db, goal_format] {
    action = [&db, goal_format]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto g = app::ComputeGoal(**sys);
      if (!g) return Report(g.error());
      if (*goal_format == "json") {
        std::cout << app::GoalJson(*g, *(*sys)->catalog()).dump(2) << "\n";
        return 0;
      }
      if (g->latest_year == 0) {
        std::cout << "Ingen lista importerad (est import vulnerable FIL --year ÅR).\n";
        return 0;
      }
      std::cout << "Inga utsatta områden 2030 – polisens lista " << g->latest_year << ", "
                << g->years_left << " år kvar\n";
      for (const auto& a : g->areas) {
        std::cout << "  " << a.listing.name << " (" << VulnerableCategoryText(a.listing.category)
                  << (a.listing.since.empty() ? "" : " sedan " + a.listing.since) << ")\n";
        for (const auto& y : a.counts) {
          std::cout << "    " << y.year << (y.partial ? " (hittills)" : "") << ": " << y.count
                    << " rapporter (" << y.sakerhet << " säkerhet, " << y.trygghet
                    << " trygghet)\n";
        }
        std::cout << "    trend: " << (a.trend.empty() ? "inom normal variation" : a.trend) << "\n";
      }
      return 0;
    };
  });
}

}  // namespace est::cli
