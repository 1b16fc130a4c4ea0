// The police commands (police_cmd.h).
#include "cli/police_cmd.h"

#include <chrono>
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

// One line of a fetch round, for the terminal and the server's log.
std::string RoundLine(const app::PoliceImportResult& r) {
  return "Polisens händelser hämtade: " + std::to_string(r.events) + " i flödet, " +
         std::to_string(r.inserted) + " nya, " + std::to_string(r.already_present) +
         " fanns redan, " + std::to_string(r.county_level) + " på länsnivå, " +
         std::to_string(r.other_places) + " i andra kommuner, " + std::to_string(r.not_imported) +
         " av typer som inte importeras";
}

std::string ErrorLine(const Error& e) {
  std::string out = "Polisens händelser kunde inte hämtas: " + e.detail;
  for (const auto& f : e.fields) out += "; " + f.field + ": " + f.reason;
  return out;
}

}  // namespace

std::optional<int> ParseDurationSeconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  std::string digits = text;
  switch (text.back()) {
    case 's': unit = 1; digits.pop_back(); break;
    case 'm': unit = 60; digits.pop_back(); break;
    case 'h': unit = 3600; digits.pop_back(); break;
    default: break;
  }
  if (digits.empty() || digits.size() > 7 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  int64_t s = std::stoll(digits) * unit;
  if (s < 1 || s > 7 * 86400) return std::nullopt;
  return static_cast<int>(s);
}

PoliceFetcher::PoliceFetcher(app::System& sys, std::string url, int every_s,
                             app::PoliceImportOptions options)
    : sys_(sys), url_(std::move(url)), every_s_(every_s), options_(std::move(options)) {}

PoliceFetcher::~PoliceFetcher() { Stop(); }

void PoliceFetcher::Start() {
  thread_ = std::thread([this] {
    store::Actor actor{std::nullopt, "system:polisen"};
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto r = app::FetchPoliceEvents(sys_, url_, options_, actor);
      std::cout << (r ? RoundLine(*r) : ErrorLine(r.error())) << std::endl;
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(every_s_), [this] { return stop_; });
    }
  });
}

void PoliceFetcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

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

  // est fetch polisen --url URL [--every DURATION] [--times N]
  auto* fetch = cli.add_subcommand("fetch", "Hämta data från andra system");
  fetch->require_subcommand(1);
  auto* fetch_police = fetch->add_subcommand(
      "polisen", "Hämta polisens händelser från en adress och importera dem (en gång eller "
                 "med --every)");
  auto every = std::make_shared<std::string>();
  auto url = std::make_shared<std::string>();
  auto times = std::make_shared<int>(0);
  fetch_police->add_option("--url", *url, "Flödets adress, t.ex. https://polisen.se/api/events")
      ->required();
  fetch_police->add_option("--every", *every,
                           "Hämta igen med detta mellanrum: 30s, 15m, 1h (polisen tillåter "
                           "högst 60 anrop i timmen)");
  fetch_police->add_option("--times", *times, "Med --every: sluta efter så många hämtningar (0 = aldrig)")
      ->check(CLI::Range(0, 1000000));
  fetch_police->add_option("--org", args->org, "Organisationen händelserna sparas under");
  fetch_police->add_flag("--create-missing", args->create_missing,
                         "Skapa en kategori för varje okänd händelsetyp");
  fetch_police->callback([&action, &db, args, every, url, times] {
    action = [&db, args, every, url, times]() -> int {
      std::optional<int> every_s;
      if (!every->empty()) {
        every_s = ParseDurationSeconds(*every);
        if (!every_s) {
          return Report(Error{ErrorCode::kInvalidArgument, "Ogiltigt mellanrum",
                              {{"--every", "\"" + *every + "\": ange t.ex. 30s, 15m eller 1h "
                                           "(1 sekund till 7 dagar)"}}});
        }
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      app::PoliceImportOptions opt{args->org, args->create_missing};
      if (!every_s) {
        auto r = app::FetchPoliceEvents(**sys, *url, opt, CliActor());
        if (!r) return Report(r.error());
        PrintResult(*r);
        return 0;
      }
      for (int round = 1;; ++round) {
        auto r = app::FetchPoliceEvents(**sys, *url, opt, CliActor());
        // Bad input is the same next time: stop. A host that does not answer may come back.
        if (!r && r.error().code == ErrorCode::kInvalidArgument) return Report(r.error());
        std::cout << (r ? RoundLine(*r) : ErrorLine(r.error())) << std::endl;
        if (*times > 0 && round >= *times) return 0;
        std::this_thread::sleep_for(std::chrono::seconds(*every_s));
      }
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
