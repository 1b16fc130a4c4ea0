// The police commands (police_cmd.h).
#include "cli/police_cmd.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/police.h"
#include "cli/common.h"

namespace est::cli {

namespace {

struct PoliceArgs {
  std::string file, org, format = "table", type, category;
  bool create_missing = false, none = false;
};

void PrintResult(const app::PoliceImportResult& r) {
  std::cout << "Polisens händelser: " << r.events << " i filen, " << r.inserted << " nya";
  if (r.already_present) std::cout << " (" << r.already_present << " fanns redan)";
  std::cout << ".\n";
  std::cout << "  " << r.in_municipality << " i kommunens områden (bara område: polisens "
            << "koordinater är kommunens eller länets mittpunkt)\n";
  if (r.county_level) {
    std::cout << "  " << r.county_level
              << " bara på länsnivå: sparade, räknas för sig och inte i något område\n";
  }
  if (r.other_places) std::cout << "  " << r.other_places << " i andra kommuner eller län: inte importerade\n";
  if (r.not_imported) {
    std::cout << "  " << r.not_imported
              << " av typer som inte importeras (sammanfattningar, trafikolyckor …; "
                 "est police-types list)\n";
  }
  for (const auto& c : r.created_categories) {
    std::cout << "  Ny kategori (markerad för granskning): " << c << "\n";
  }
}

}  // namespace

void AddPoliceCommands(CLI::App& cli, CLI::App& import, const std::string& db,
                       std::function<int()>& action) {
  auto args = std::make_shared<PoliceArgs>();
  // est import polisen FILE.json [--org CODE] [--create-missing]
  auto* imp = import.add_subcommand(
      "polisen", "Importera polisens händelser (JSON från polisen.se/api/events)");
  imp->add_option("FILE", args->file, "JSON-lista av händelser")->required();
  imp->add_option("--org", args->org,
                  "Organisationen händelserna sparas under (standard: den enda av slaget polis)");
  imp->add_flag("--create-missing", args->create_missing,
                "Skapa en kategori för varje okänd händelsetyp (markeras för granskning)");
  imp->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto text = ReadFile(args->file);
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      app::PoliceImportOptions opt{args->org, args->create_missing};
      auto r = app::ImportPoliceEvents(**sys, *text, opt, CliActor());
      if (!r) return Report(r.error());
      PrintResult(*r);
      return 0;
    };
  });

  // est police-types list [--format table|json] | set TYPE CATEGORY | set TYPE --none
  auto* types = cli.add_subcommand(
      "police-types", "Polisens händelsetyper och vilken kategori de blir (standard eller eget val)");
  types->require_subcommand(1);
  auto* list = types->add_subcommand("list", "Visa alla typer och deras kategori");
  list->add_option("--format", args->format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}));
  list->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto rows = app::ListPoliceTypes(**sys);
      if (!rows) return Report(rows.error());
      if (args->format == "json") {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& r : *rows) {
          items.push_back({{"type", r.type},
                           {"category", r.category.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(r.category)},
                           {"default", r.is_default}});
        }
        std::cout << nlohmann::json{{"items", items}}.dump(2) << "\n";
        return 0;
      }
      for (const auto& r : *rows) {
        std::cout << r.type << "  →  " << (r.category.empty() ? "(importeras inte)" : r.category)
                  << (r.is_default ? "" : "  [eget val]") << "\n";
      }
      return 0;
    };
  });
  auto* set = types->add_subcommand("set", "Välj kategori för en typ");
  set->add_option("TYPE", args->type, "Polisens typ, t.ex. \"Brand\"")->required();
  set->add_option("CATEGORY", args->category, "Kategorins kod eller namn");
  set->add_flag("--none", args->none, "Importera inte händelser av typen");
  set->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      if (args->none == !args->category.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument,
                            "Ange antingen en kategori eller --none",
                            {{"CATEGORY", "en kategori eller --none, inte båda eller ingen"}}});
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto s = app::SetPoliceTypes(**sys, {{args->type, args->none ? "" : args->category}},
                                   CliActor());
      if (!s) return Report(s.error());
      std::cout << args->type << "  →  " << (args->none ? "(importeras inte)" : args->category)
                << "\n";
      return 0;
    };
  });
}

}  // namespace est::cli
