// The API token commands (token_cmd.h).
#include "cli/token_cmd.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/present.h"
#include "app/sessions.h"
#include "cli/common.h"
#include "core/time.h"

namespace est::cli {

void AddTokenCommands(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  struct Args {
    std::string login, name, format = "table";
    int expires_days = 365;
    int64_t id = 0;
  };
  auto args = std::make_shared<Args>();
  auto* token = cli.add_subcommand("token", "Personliga API-nycklar (Authorization: Bearer)");
  token->require_subcommand(1);

  auto* add = token->add_subcommand("add", "Skapa en nyckel åt en användare (visas en gång)");
  add->add_option("LOGIN", args->login, "Användarnamn")->required();
  add->add_option("--name", args->name, "Vad nyckeln används till, t.ex. \"QGIS på GIS-enheten\"");
  add->add_option("--expires", args->expires_days, "Giltig i så många dagar (0 = tills vidare)")
      ->capture_default_str();
  add->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto made = app::CreateApiToken(**sys, args->login, args->name, args->expires_days,
                                      CliActor());
      if (!made) return Report(made.error());
      std::cout << made->token << "\n";
      std::cerr << "Nyckel " << made->record.id << " (" << made->record.name << ") för "
                << args->login << ", "
                << (made->record.expires_at
                        ? "giltig till " + FormatTimestamp(made->record.expires_at)
                        : std::string("giltig tills den återkallas"))
                << ". Spara den nu: den visas inte igen.\n";
      return 0;
    };
  });

  auto* list = token->add_subcommand("list", "Lista nycklarna (aldrig själva nyckeln)");
  list->add_option("--format", args->format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  list->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto tokens = app::ListApiTokens(**sys);
      if (!tokens) return Report(tokens.error());
      const UnixSeconds now = NowUnix();
      for (const auto& t : *tokens) {
        auto u = app::FindUser(**sys, t.user);
        nlohmann::json j = app::ApiTokenJson(t, u && *u ? (*u)->login : "", now);
        if (args->format == "json") {
          std::cout << j.dump() << "\n";
          continue;
        }
        std::string state = t.revoked_at ? "återkallad"
                            : j["active"].get<bool>() ? "aktiv"
                                                      : "utgången";
        std::cout << t.id << "  " << j["login"].get<std::string>() << "  " << t.prefix << "…  "
                  << t.name << "  " << state << "  senast använd "
                  << (t.last_used ? FormatTimestamp(t.last_used) : std::string("aldrig")) << "\n";
      }
      if (args->format == "table" && tokens->empty()) std::cout << "Inga nycklar.\n";
      return 0;
    };
  });

  auto* revoke = token->add_subcommand("revoke", "Återkalla en nyckel (gäller direkt)");
  revoke->add_option("ID", args->id, "Nyckelns id (från est token list)")->required();
  revoke->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::RevokeApiToken(**sys, args->id, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Nyckel " << r->id << " (" << r->name << ") är återkallad.\n";
      return 0;
    };
  });
}

}  // namespace est::cli
