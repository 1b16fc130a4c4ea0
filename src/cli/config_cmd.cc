// Configuration commands: `est areas list`, `est orgs list|add`, `est categories list|init|add`,
// `est places add`, `est basemap show|set|clear`, `est user add|password` and
// `est security-events`.
#include "cli/config_cmd.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/basemap.h"
#include "app/present.h"
#include "app/queries.h"
#include "app/sessions.h"
#include "app/system.h"
#include "cli/common.h"
#include "core/time.h"

namespace est::cli {
namespace {

using nlohmann::json;

// The options of the commands, shared by their callbacks (which outlive the registration).
struct ConfigArgs {
  std::string format = "csv";
  std::string org_code, org_name, org_kind;
  Category new_cat;
  std::string cat_dimension, cat_parent;
  app::PlaceInput place_in;
  double plon = NAN, plat = NAN;
  std::string basemap_url, basemap_attribution;
  std::optional<int> basemap_max_zoom;
};

// The options of the commands, shared by their callbacks (which outlive the registration).
struct UserArgs {
  std::string login, role_text, user_org, password;
  std::string pw_login, new_password;
  std::string sec_kind;
  int64_t sec_limit = 100;
  std::string sec_format = "csv";
};

// A `list` subcommand of `parent` over one list of the catalog: --format csv (a header line,
// then `row` of each) or json ({"items": [`item` of each]}).
template <class T>
void AddCatalogList(CLI::App* parent, const std::string& help, const std::string& db,
                    std::function<int()>& action, std::shared_ptr<ConfigArgs> args,
                    const std::vector<T>& (app::Catalog::*all)() const,
                    json (*item)(const T&, const app::Catalog&), std::string header,
                    std::vector<std::string> (*row)(const T&)) {
  auto* list = parent->add_subcommand("list", help);
  list->add_option("--format", args->format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  list->callback([&action, &db, args, all, item, header, row] {
    action = [&db, args, all, item, header, row]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto cat = (*sys)->catalog();
      if (args->format == "json") {
        json items = json::array();
        for (const T& t : ((*cat).*all)()) items.push_back(item(t, *cat));
        std::cout << json{{"items", items}}.dump(2) << "\n";
        return 0;
      }
      std::cout << header << "\n";
      for (const T& t : ((*cat).*all)()) PrintCsvRow(row(t));
      return 0;
    };
  });
}

std::vector<std::string> OrgRow(const Organisation& o) {
  return {o.code, o.name, std::string(OrgKindText(o.kind)), o.needs_review ? "1" : "0"};
}

json CategoryItem(const Category& c, const app::Catalog&) { return app::CategoryJson(c); }

std::vector<std::string> CategoryRow(const Category& c) {
  return {c.code, c.name_sv, c.name_en, c.group, std::string(DimensionText(c.dimension)),
          std::to_string(c.default_severity)};
}

}  // namespace

void AddConfigCommands(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<ConfigArgs>();
  // areas list
  auto* areas = cli.add_subcommand("areas", "Områden");
  areas->require_subcommand(1);
  auto* areas_list = areas->add_subcommand("list", "Lista områden");
  areas_list->add_option("--format", args->format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  areas_list->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto cat = (*sys)->catalog();
      auto counts = app::ReportCountsBySubtree(**sys, *cat);
      if (!counts) return Report(counts.error());
      std::map<int64_t, int64_t>& by_area = *counts;
      if (args->format == "json") {
        json items = json::array();
        for (const Area& a : cat->areas())
          items.push_back(app::AreaJson(a, *cat, by_area[a.id.value]));
        std::cout << json{{"items", items}, {"outside_report_count", by_area[0]}}.dump(2) << "\n";
        return 0;
      }
      std::cout << "code,name,parent,level,report_count,population\n";
      for (const Area& a : cat->areas()) {
        const Area* p = a.parent ? cat->AreaById(*a.parent) : nullptr;
        PrintCsvRow({a.code, a.name, p ? p->code : "", std::to_string(a.level),
                     std::to_string(by_area[a.id.value]),
                     a.population ? std::to_string(*a.population) : ""});
      }
      return 0;
    };
  });

  // orgs list / add
  auto* orgs = cli.add_subcommand("orgs", "Organisationer");
  orgs->require_subcommand(1);
  AddCatalogList(orgs, "Lista organisationer", db, action, args, &app::Catalog::orgs, app::OrgJson,
                 "code,name,kind,needs_review", OrgRow);
  auto* orgs_add = orgs->add_subcommand("add", "Lägg till en organisation");
  orgs_add->add_option("CODE", args->org_code, "Kod")->required();
  orgs_add->add_option("--name", args->org_name, "Namn")->required();
  orgs_add
      ->add_option("--kind", args->org_kind,
                   "nämnd, bolag, polis, räddningstjänst, näringsliv, förening, "
                   "civilsamhälle, bevakning, fastighetsägare eller annan")
      ->required();
  orgs_add->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto kind = ParseOrgKind(args->org_kind);
      if (!kind) return Report(kind.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      Organisation o;
      o.code = args->org_code;
      o.name = args->org_name;
      o.kind = *kind;
      auto r = (*sys)->CreateOrganisation(o, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Organisationen " << r->code << " skapad.\n";
      return 0;
    };
  });

  // categories list / init
  auto* cats = cli.add_subcommand("categories", "Kategorier");
  cats->require_subcommand(1);
  AddCatalogList(cats, "Lista kategorier", db, action, args, &app::Catalog::categories,
                 CategoryItem, "code,name_sv,name_en,group,dimension,default_severity",
                 CategoryRow);
  auto* cats_init = cats->add_subcommand("init", "Skapa EST:s standardkategorier som saknas");
  cats_init->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->EnsureDefaultCategories(CliActor());
      if (!r) return Report(r.error());
      std::cout << *r << " kategorier skapade.\n";
      return 0;
    };
  });

  auto* cats_add = cats->add_subcommand("add", "Lägg till en kategori");
  cats_add->add_option("CODE", args->new_cat.code, "Kod")->required();
  cats_add->add_option("--name", args->new_cat.name_sv, "Namn på svenska")->required();
  cats_add->add_option("--name-en", args->new_cat.name_en, "Namn på engelska");
  cats_add->add_option("--group", args->new_cat.group, "Grupp");
  cats_add->add_option("--dimension", args->cat_dimension, "säkerhet eller trygghet")->required();
  cats_add->add_option("--severity", args->new_cat.default_severity, "Standardallvarlighet 1–3")
      ->capture_default_str();
  cats_add->add_option("--parent", args->cat_parent, "Överordnad kategori (kod)");
  cats_add->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto dim = ParseDimension(args->cat_dimension);
      if (!dim) return Report(dim.error());
      args->new_cat.dimension = *dim;
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      if (!args->cat_parent.empty()) {
        const Category* p = (*sys)->catalog()->FindCategory(args->cat_parent);
        if (!p) {
          return Report(Error{ErrorCode::kInvalidArgument,
                              "Okänd kategori " + args->cat_parent,
                              {{"--parent", "okänd kategori"}}});
        }
        args->new_cat.parent = p->id;
      }
      if (args->new_cat.group.empty()) args->new_cat.group = "övrigt";
      auto r = (*sys)->CreateCategory(args->new_cat, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Kategorin " << r->code << " skapad.\n";
      return 0;
    };
  });

  // places add
  auto* places = cli.add_subcommand("places", "Namngivna platser");
  places->require_subcommand(1);
  auto* places_add = places->add_subcommand("add", "Lägg till en plats");
  places_add->add_option("NAME", args->place_in.name, "Namn")->required();
  places_add->add_option("--kind", args->place_in.kind, "skola, centrum, station, park, ...")
      ->required();
  places_add->add_option("--lon", args->plon, "Longitud (WGS84)")->required();
  places_add->add_option("--lat", args->plat, "Latitud (WGS84)")->required();
  places_add->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      args->place_in.lon = args->plon;
      args->place_in.lat = args->plat;
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->CreatePlace(args->place_in, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Platsen " << r->name << " skapad.\n";
      return 0;
    };
  });

  // basemap show|set|clear
  auto* basemap = cli.add_subcommand("basemap", "Bakgrundskartan i webbgränssnittets kartor");
  basemap->require_subcommand(1);
  auto* basemap_show = basemap->add_subcommand("show", "Visa den lagrade bakgrundskartan");
  basemap_show->callback([&action, &db] {
    action = [&db]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      const app::Basemap b = app::CurrentBasemap(**sys, {});
      if (b.url.empty()) {
        std::cout << "Ingen bakgrundskarta: kartorna visar områdenas konturer.\n";
      } else {
        std::cout << b.url << "\n" << b.attribution << "\nstörsta zoomnivå " << b.max_zoom
                  << "\n";
      }
      return 0;
    };
  });
  auto* basemap_set = basemap->add_subcommand("set", "Ange bakgrundskartan (XYZ eller WMTS)");
  basemap_set
      ->add_option("URL", args->basemap_url,
                   "Adress med {z}/{x}/{y} (WMTS: {TileMatrix}/{TileRow}/{TileCol})")
      ->required();
  basemap_set
      ->add_option("--attribution", args->basemap_attribution,
                   "Kartans upphov, t.ex. \"© OpenStreetMap-bidragsgivare\"")
      ->required();
  basemap_set->add_option("--max-zoom", args->basemap_max_zoom, "Största zoomnivå (standard 19)");
  basemap_set->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      if (args->basemap_url.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument, "Bakgrundskartan saknar adress",
                            {{"URL", "ange adressen (ta bort med est basemap clear)"}}});
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      if (auto s = app::SetBasemap(**sys, args->basemap_url, args->basemap_attribution,
                                   args->basemap_max_zoom, CliActor());
          !s) {
        return Report(s.error());
      }
      std::cout << "Bakgrundskartan är ändrad.\n";
      return 0;
    };
  });
  auto* basemap_clear = basemap->add_subcommand("clear", "Ta bort bakgrundskartan");
  basemap_clear->callback([&action, &db] {
    action = [&db]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      if (auto s = app::SetBasemap(**sys, "", "", std::nullopt, CliActor()); !s) {
        return Report(s.error());
      }
      std::cout << "Bakgrundskartan är borttagen.\n";
      return 0;
    };
  });
}

void AddUserCommands(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<UserArgs>();
  // user add
  auto* user = cli.add_subcommand("user", "Användare");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Lägg till en användare");
  user_add->add_option("LOGIN", args->login, "Användarnamn")->required();
  user_add
      ->add_option("--role", args->role_text, "reporter, coordinator, org_lead, viewer eller admin")
      ->required();
  user_add->add_option("--org", args->user_org, "Organisationens kod");
  user_add->add_option("--password", args->password,
                       "Lösenord (annars $EST_PASSWORD eller fråga på terminalen)");
  user_add->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto role = ParseRole(args->role_text);
      if (!role) return Report(role.error());
      if (args->password.empty()) {
        if (const char* env = std::getenv("EST_PASSWORD")) args->password = env;
      }
      if (args->password.empty() && isatty(STDIN_FILENO)) {
        char* p = getpass("Lösenord (minst 12 tecken): ");
        if (p) args->password = p;
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      User u;
      u.login = args->login;
      u.display_name = args->login;
      u.role = *role;
      if (!args->user_org.empty()) {
        const Organisation* o = (*sys)->catalog()->FindOrg(args->user_org);
        if (!o) {
          return Report(Error{ErrorCode::kInvalidArgument,
                              "Okänd organisation " + args->user_org,
                              {{"--org", "okänd organisation"}}});
        }
        u.org = o->id;
      }
      auto r = (*sys)->CreateUser(u, args->password, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Användaren " << r->login << " (" << RoleText(r->role) << ") skapad.\n";
      return 0;
    };
  });

  // user password: an administrator's reset from the command line (same rules as the API).
  auto* user_password = user->add_subcommand("password", "Sätt ett nytt lösenord för en användare");
  user_password->add_option("LOGIN", args->pw_login, "Användarnamn")->required();
  user_password->add_option("--password", args->new_password,
                            "Nytt lösenord (annars $EST_PASSWORD eller fråga på terminalen)");
  user_password->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      if (args->new_password.empty()) {
        if (const char* env = std::getenv("EST_PASSWORD")) args->new_password = env;
      }
      if (args->new_password.empty() && isatty(STDIN_FILENO)) {
        char* p = getpass("Nytt lösenord (minst 12 tecken): ");
        if (p) args->new_password = p;
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto found = app::FindLogin(**sys, args->pw_login);
      if (!found) return Report(found.error());
      if (!*found) {
        return Report(Error{ErrorCode::kNotFound,
                            "Användaren " + args->pw_login + " finns inte",
                            {{"LOGIN", "okänd användare"}}});
      }
      app::UserPatch patch;
      patch.password = args->new_password;
      // `by` is nobody: the command line is not one of the users.
      auto r = (*sys)->UpdateUser((*found)->first.id, patch, UserId{0}, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Nytt lösenord satt för " << r->login
                << "; användarens sessioner är avslutade.\n";
      return 0;
    };
  });

  // security-events
  auto* sec = cli.add_subcommand("security-events",
                                 "Säkerhetshändelser: inloggningar, spärrar, utloggningar, nekade "
                                 "anrop (nyast först)");
  sec->add_option("--kind", args->sec_kind, "Bara en typ")
      ->check(CLI::IsMember({"login_success", "login_failure", "lockout", "logout", "forbidden",
                             "session_limit", "password_changed", "password_reset"}));
  sec->add_option("--limit", args->sec_limit, "Högst så många")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sec->add_option("--format", args->sec_format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  sec->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto list = app::ListSecurityEvents(**sys, 0, args->sec_limit, args->sec_kind);
      if (!list) return Report(list.error());
      if (args->sec_format == "json") {
        json items = json::array();
        for (const auto& e : *list) {
          items.push_back(app::SecurityEventJson(e));
        }
        std::cout << json{{"items", items}}.dump(2) << "\n";
        return 0;
      }
      std::cout << "id,at,kind,login,address,detail\n";
      for (const auto& e : *list) {
        PrintCsvRow(
            {std::to_string(e.id), FormatTimestamp(e.at), e.kind, e.login, e.address, e.detail});
      }
      return 0;
    };
  });
}

}  // namespace est::cli
