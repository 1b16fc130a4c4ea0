// The `est` subcommands. Each parses its options, opens the system, calls one app service and
// prints the result; errors go to stderr in Swedish with the exit code from the error table.
#include "cli/cli.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/evaluation.h"
#include "app/analyses.h"
#include "app/bench.h"
#include "app/demo.h"
#include "app/evaluation.h"
#include "app/present.h"
#include "app/system.h"
#include "cli/common.h"
#include "cli/context_cmd.h"
#include "cli/store_cmd.h"
#include "cli/report_cmd.h"
#include "core/time.h"
#include "geo/crs.h"
#include "http/server.h"

namespace est::cli {
namespace {

using nlohmann::json;

void PrintCsvRow(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    std::cout << (i ? "," : "") << ingest::CsvEscape(fields[i]);
  }
  std::cout << "\n";
}

// SIGINT and SIGTERM are blocked in every thread and taken by one waiting thread, which stops
// the server gracefully (Stop() is not async-signal-safe, so no signal handler calls it).
class StopOnSignal {
 public:
  StopOnSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void Watch(http::Server& server) {
    waiter_ = std::thread([this, &server] {
      timespec tick{0, 200'000'000};
      while (!done_) {
        if (sigtimedwait(&set_, nullptr, &tick) > 0) {
          std::cout << "EST stängs: besvarar pågående förfrågningar" << std::endl;
          server.Stop();
          return;
        }
      }
    });
  }
  // Ends the watch (before the server goes).
  void Done() {
    done_ = true;
    if (waiter_.joinable()) waiter_.join();
  }
  ~StopOnSignal() {
    Done();
    pthread_sigmask(SIG_UNBLOCK, &set_, nullptr);
  }

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

}  // namespace

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

  // serve
  auto* serve = cli.add_subcommand("serve", "Starta webbservern");
  http::ServerOptions server_opt;
  bool insecure_cookies = false;
  serve->add_option("--port", server_opt.port, "Port (0 = valfri ledig)")->capture_default_str();
  serve->add_option("--bind", server_opt.bind, "Adress att lyssna på")->capture_default_str();
  serve->add_option("--web", server_opt.web_dir,
                    "Mapp med det byggda webbgränssnittet (standard: share/est/web bredvid "
                    "programmet eller källträdets web/dist)");
  serve->add_option("--threads", server_opt.threads, "Trådar som besvarar API-anrop")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--max-connections", server_opt.max_connections,
                    "Högsta antal samtidiga anslutningar (fler får 503)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve->add_option("--header-timeout", server_opt.header_timeout_s,
                    "Sekunder en klient har på sig att skicka en begärans huvuden")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  serve->add_option("--idle-timeout", server_opt.idle_timeout_s,
                    "Sekunder en öppen anslutning får vänta på nästa begäran")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_flag("--trust-proxy", server_opt.trust_proxy,
                  "Bakom en omvänd proxy: klientens adress från X-Forwarded-For och HTTPS från "
                  "X-Forwarded-Proto (bara när proxyn är enda vägen in)");
  serve
      ->add_option("--idle-minutes", server_opt.idle_minutes,
                   "Minuter utan aktivitet innan en session går ut (0 = ingen gräns; "
                   "sessionen varar ändå högst 12 timmar)")
      ->check(CLI::Range(0, 24 * 60))
      ->capture_default_str();
  serve
      ->add_option("--max-sessions", server_opt.max_sessions_per_user,
                   "Högst så många samtidiga sessioner per användare; en ny inloggning avslutar "
                   "den äldsta (0 = ingen gräns)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  serve->add_flag("--insecure-cookies", insecure_cookies,
                  "Utelämna Secure på sessionskakan (bara för test utan HTTPS)");
  serve->callback([&] {
    action = [&]() -> int {
      server_opt.secure_cookies = !insecure_cookies;
      if (server_opt.web_dir.empty()) server_opt.web_dir = FindWebDir(SelfExe());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      StopOnSignal signals;  // before the server starts its threads, which inherit the mask
      http::Server server(**sys, server_opt);
      auto port = server.Bind();
      if (!port) return Report(port.error());
      signals.Watch(server);
      std::cout << "EST lyssnar på http://" << server_opt.bind << ":" << *port << "/ (databas "
                << db << ", " << (*sys)->engine().size() << " rapporter)" << std::endl;
      // After the line above, which scripts and tests wait for.
      if (!server_opt.web_dir.empty()) {
        std::cout << "Webbgränssnittet visas från " << server_opt.web_dir << std::endl;
      } else {
        std::string looked;
        for (const auto& d : WebDirCandidates(SelfExe()))
          looked += (looked.empty() ? "" : ", ") + d;
        std::cout << "Inget byggt webbgränssnitt hittades (sökte i " << looked
                  << "); bygg web/ (npm run build) eller ange --web. Startsidan visas."
                  << std::endl;
      }
      server.Run();
      signals.Done();
      std::cout << "EST har stängts." << std::endl;
      return 0;
    };
  });

  // demo
  auto* demo = cli.add_subcommand("demo", "Skapa en demokommun (Sollentuna) i en tom databas");
  app::DemoOptions demo_opt;
  demo->add_option("--seed", demo_opt.seed, "Slumpfrö (samma frö ger samma data)")
      ->capture_default_str();
  demo->add_option("--years", demo_opt.years, "Antal års historik")->check(CLI::Range(1, 10));
  demo->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto s = app::CreateDemo(**sys, demo_opt, TerminalProgress());
      if (!s) return Report(s.error());
      std::cout << "Demokommun skapad i " << db << ": " << s->areas << " områden, "
                << s->organisations << " organisationer, " << s->places << " platser, "
                << s->reports << " rapporter, " << s->checkins << " incheckningar, " << s->problems
                << " problem, " << s->meetings << " möten, " << s->actions << " insatser.\n"
                << "Demokonton (lösenord " << demo_opt.password << "):\n";
      for (const auto& a : s->accounts) {
        std::cout << "  " << a.login << " (" << a.role << (a.org.empty() ? "" : ", " + a.org)
                  << ")\n";
      }
      return 0;
    };
  });

  // import areas / reports
  auto* import = cli.add_subcommand("import", "Importera områden eller rapporter");
  import->require_subcommand(1);
  auto* import_areas = import->add_subcommand("areas", "Importera områden från GeoJSON");
  std::string areas_file, crs_text, code_prop, name_prop, parent;
  import_areas->add_option("FILE", areas_file, "GeoJSON FeatureCollection")->required();
  import_areas->add_option("--crs", crs_text, "Koordinatsystem, t.ex. EPSG:3006 (ersätter filens)");
  import_areas->add_option("--code-prop", code_prop, "Egenskap med områdeskoden");
  import_areas->add_option("--name-prop", name_prop, "Egenskap med områdesnamnet");
  import_areas->add_option("--parent", parent, "Kod för föräldraområdet");
  import_areas->callback([&] {
    action = [&]() -> int {
      app::AreaImportOptions opt;
      opt.code_prop = code_prop;
      opt.name_prop = name_prop;
      opt.parent_code = parent;
      if (!crs_text.empty()) {
        auto crs = geo::ParseCrsName(crs_text);
        if (!crs) return Report(crs.error());
        opt.crs = *crs;
      }
      auto text = ReadFile(areas_file);
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->ImportAreas(*text, opt, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Importerade " << r->areas.size() << " områden";
      if (r->reports_moved) std::cout << "; " << r->reports_moved << " rapporter fick nytt område";
      std::cout << ".\n";
      for (const Area& a : r->areas) std::cout << "  " << a.code << "  " << a.name << "\n";
      return 0;
    };
  });
  auto* import_reports = import->add_subcommand("reports", "Importera rapporter från CSV");
  std::string reports_file, default_org, rejects_file;
  std::string report_crs;
  bool create_missing = false;
  import_reports->add_option("FILE", reports_file, "CSV-fil (docs/import-format.md)")->required();
  import_reports->add_option("--org", default_org, "Organisation för rader utan org-kolumn");
  import_reports->add_option("--crs", report_crs, "Koordinatsystem för kolumnerna x och y");
  import_reports->add_flag("--create-missing", create_missing,
                           "Skapa okända kategorier och organisationer (markeras för granskning)");
  import_reports->add_option("--skip-invalid", rejects_file,
                             "Importera giltiga rader; skriv avvisade rader till denna fil");
  import_reports->callback([&] {
    action = [&]() -> int {
      app::CsvImportOptions opt;
      opt.csv.default_org = default_org;
      opt.create_missing = create_missing;
      opt.skip_invalid = !rejects_file.empty();
      if (!report_crs.empty()) {
        auto crs = geo::ParseCrsName(report_crs);
        if (!crs) return Report(crs.error());
        opt.csv.crs = *crs;
      }
      auto text = ReadFile(reports_file);
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->ImportReportsCsv(*text, opt, CliActor(), TerminalProgress());
      if (!r) return Report(r.error());
      if (opt.skip_invalid) {
        std::ofstream out(rejects_file, std::ios::binary);
        for (size_t i = 0; i < r->header.size(); ++i) {
          out << (i ? std::string(1, r->delimiter) : "")
              << ingest::CsvEscape(r->header[i], r->delimiter);
        }
        out << r->delimiter << "error\n";
        for (const auto& row : r->rejected) {
          for (size_t i = 0; i < row.fields.size(); ++i) {
            out << (i ? std::string(1, r->delimiter) : "")
                << ingest::CsvEscape(row.fields[i], r->delimiter);
          }
          std::string why;
          for (const auto& e : row.errors)
            why += (why.empty() ? "" : "; ") + e.field + ": " + e.reason;
          out << r->delimiter << ingest::CsvEscape(why, r->delimiter) << "\n";
        }
        if (!out) {
          return Report(Error{ErrorCode::kUnavailable, "Kan inte skriva " + rejects_file, {}});
        }
      }
      std::cout << "Importerade " << r->inserted << " av " << r->rows << " rader";
      if (r->already_present) std::cout << " (" << r->already_present << " fanns redan)";
      std::cout << ".";
      if (r->outside) std::cout << " " << r->outside << " ligger utanför alla områden.";
      if (r->scrubbed) {
        std::cout << " Personuppgifter togs bort ur " << r->scrubbed << " beskrivningar.";
      }
      if (!r->rejected.empty()) {
        std::cout << " " << r->rejected.size() << " rader avvisades (se " << rejects_file << ").";
      }
      std::cout << "\n";
      for (const auto& c : r->created_categories) {
        std::cout << "  Ny kategori (granska): " << c << "\n";
      }
      for (const auto& o : r->created_orgs)
        std::cout << "  Ny organisation (granska): " << o << "\n";
      return 0;
    };
  });

  // areas list
  auto* areas = cli.add_subcommand("areas", "Områden");
  areas->require_subcommand(1);
  auto* areas_list = areas->add_subcommand("list", "Lista områden");
  std::string format = "csv";
  areas_list->add_option("--format", format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  areas_list->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto counts = (*sys)->store().ReportCountsByArea();
      if (!counts) return Report(counts.error());
      auto cat = (*sys)->catalog();
      std::map<int64_t, int64_t> by_area = app::SubtreeReportCounts(*cat, *counts);
      if (format == "json") {
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
  auto* orgs_list = orgs->add_subcommand("list", "Lista organisationer");
  orgs_list->add_option("--format", format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  orgs_list->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto cat = (*sys)->catalog();
      if (format == "json") {
        json items = json::array();
        for (const auto& o : cat->orgs()) items.push_back(app::OrgJson(o, *cat));
        std::cout << json{{"items", items}}.dump(2) << "\n";
        return 0;
      }
      std::cout << "code,name,kind,needs_review\n";
      for (const auto& o : cat->orgs()) {
        PrintCsvRow({o.code, o.name, std::string(OrgKindText(o.kind)), o.needs_review ? "1" : "0"});
      }
      return 0;
    };
  });
  auto* orgs_add = orgs->add_subcommand("add", "Lägg till en organisation");
  std::string org_code, org_name, org_kind;
  orgs_add->add_option("CODE", org_code, "Kod")->required();
  orgs_add->add_option("--name", org_name, "Namn")->required();
  orgs_add
      ->add_option("--kind", org_kind,
                   "nämnd, bolag, polis, räddningstjänst, näringsliv, förening, "
                   "civilsamhälle, bevakning, fastighetsägare eller annan")
      ->required();
  orgs_add->callback([&] {
    action = [&]() -> int {
      auto kind = ParseOrgKind(org_kind);
      if (!kind) return Report(kind.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      Organisation o;
      o.code = org_code;
      o.name = org_name;
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
  auto* cats_list = cats->add_subcommand("list", "Lista kategorier");
  cats_list->add_option("--format", format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  cats_list->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto cat = (*sys)->catalog();
      if (format == "json") {
        json items = json::array();
        for (const auto& c : cat->categories()) items.push_back(app::CategoryJson(c));
        std::cout << json{{"items", items}}.dump(2) << "\n";
        return 0;
      }
      std::cout << "code,name_sv,name_en,group,dimension,default_severity\n";
      for (const auto& c : cat->categories()) {
        PrintCsvRow({c.code, c.name_sv, c.name_en, c.group, std::string(DimensionText(c.dimension)),
                     std::to_string(c.default_severity)});
      }
      return 0;
    };
  });
  auto* cats_init = cats->add_subcommand("init", "Skapa EST:s standardkategorier som saknas");
  cats_init->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->EnsureDefaultCategories(CliActor());
      if (!r) return Report(r.error());
      std::cout << *r << " kategorier skapade.\n";
      return 0;
    };
  });

  auto* cats_add = cats->add_subcommand("add", "Lägg till en kategori");
  Category new_cat;
  std::string cat_dimension, cat_parent;
  cats_add->add_option("CODE", new_cat.code, "Kod")->required();
  cats_add->add_option("--name", new_cat.name_sv, "Namn på svenska")->required();
  cats_add->add_option("--name-en", new_cat.name_en, "Namn på engelska");
  cats_add->add_option("--group", new_cat.group, "Grupp");
  cats_add->add_option("--dimension", cat_dimension, "säkerhet eller trygghet")->required();
  cats_add->add_option("--severity", new_cat.default_severity, "Standardallvarlighet 1–3")
      ->capture_default_str();
  cats_add->add_option("--parent", cat_parent, "Överordnad kategori (kod)");
  cats_add->callback([&] {
    action = [&]() -> int {
      auto dim = ParseDimension(cat_dimension);
      if (!dim) return Report(dim.error());
      new_cat.dimension = *dim;
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      if (!cat_parent.empty()) {
        const Category* p = (*sys)->catalog()->FindCategory(cat_parent);
        if (!p) {
          return Report(Error{ErrorCode::kInvalidArgument,
                              "Okänd kategori " + cat_parent,
                              {{"--parent", "okänd kategori"}}});
        }
        new_cat.parent = p->id;
      }
      if (new_cat.group.empty()) new_cat.group = "övrigt";
      auto r = (*sys)->CreateCategory(new_cat, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Kategorin " << r->code << " skapad.\n";
      return 0;
    };
  });

  // places add
  auto* places = cli.add_subcommand("places", "Namngivna platser");
  places->require_subcommand(1);
  auto* places_add = places->add_subcommand("add", "Lägg till en plats");
  app::PlaceInput place_in;
  double plon = NAN, plat = NAN;
  places_add->add_option("NAME", place_in.name, "Namn")->required();
  places_add->add_option("--kind", place_in.kind, "skola, centrum, station, park, ...")->required();
  places_add->add_option("--lon", plon, "Longitud (WGS84)")->required();
  places_add->add_option("--lat", plat, "Latitud (WGS84)")->required();
  places_add->callback([&] {
    action = [&]() -> int {
      place_in.lon = plon;
      place_in.lat = plat;
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->CreatePlace(place_in, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Platsen " << r->name << " skapad.\n";
      return 0;
    };
  });

  // user add
  auto* user = cli.add_subcommand("user", "Användare");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Lägg till en användare");
  std::string login, role_text, user_org, password;
  user_add->add_option("LOGIN", login, "Användarnamn")->required();
  user_add->add_option("--role", role_text, "reporter, coordinator, org_lead, viewer eller admin")
      ->required();
  user_add->add_option("--org", user_org, "Organisationens kod");
  user_add->add_option("--password", password,
                       "Lösenord (annars $EST_PASSWORD eller fråga på terminalen)");
  user_add->callback([&] {
    action = [&]() -> int {
      auto role = ParseRole(role_text);
      if (!role) return Report(role.error());
      if (password.empty()) {
        if (const char* env = std::getenv("EST_PASSWORD")) password = env;
      }
      if (password.empty() && isatty(STDIN_FILENO)) {
        char* p = getpass("Lösenord (minst 12 tecken): ");
        if (p) password = p;
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      User u;
      u.login = login;
      u.display_name = login;
      u.role = *role;
      if (!user_org.empty()) {
        const Organisation* o = (*sys)->catalog()->FindOrg(user_org);
        if (!o) {
          return Report(Error{ErrorCode::kInvalidArgument,
                              "Okänd organisation " + user_org,
                              {{"--org", "okänd organisation"}}});
        }
        u.org = o->id;
      }
      auto r = (*sys)->CreateUser(u, password, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Användaren " << r->login << " (" << RoleText(r->role) << ") skapad.\n";
      return 0;
    };
  });

  // user password: an administrator's reset from the command line (same rules as the API).
  auto* user_password = user->add_subcommand("password", "Sätt ett nytt lösenord för en användare");
  std::string pw_login, new_password;
  user_password->add_option("LOGIN", pw_login, "Användarnamn")->required();
  user_password->add_option("--password", new_password,
                            "Nytt lösenord (annars $EST_PASSWORD eller fråga på terminalen)");
  user_password->callback([&] {
    action = [&]() -> int {
      if (new_password.empty()) {
        if (const char* env = std::getenv("EST_PASSWORD")) new_password = env;
      }
      if (new_password.empty() && isatty(STDIN_FILENO)) {
        char* p = getpass("Nytt lösenord (minst 12 tecken): ");
        if (p) new_password = p;
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto found = (*sys)->store().FindLogin(pw_login);
      if (!found) return Report(found.error());
      if (!*found) {
        return Report(Error{ErrorCode::kNotFound,
                            "Användaren " + pw_login + " finns inte",
                            {{"LOGIN", "okänd användare"}}});
      }
      app::UserPatch patch;
      patch.password = new_password;
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
  std::string sec_kind;
  int64_t sec_limit = 100;
  std::string sec_format = "csv";
  sec->add_option("--kind", sec_kind, "Bara en typ")
      ->check(CLI::IsMember({"login_success", "login_failure", "lockout", "logout", "forbidden",
                             "session_limit", "password_changed", "password_reset"}));
  sec->add_option("--limit", sec_limit, "Högst så många")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sec->add_option("--format", sec_format, "csv eller json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  sec->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto list = (*sys)->store().ListSecurityEvents(0, sec_limit, sec_kind);
      if (!list) return Report(list.error());
      if (sec_format == "json") {
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

  // checkin
  auto* checkin = cli.add_subcommand("checkin", "Veckans incheckning: inget att rapportera");
  std::string ci_org, ci_area, ci_week;
  bool ci_reported = false;
  checkin->add_option("--org", ci_org, "Organisationens kod")->required();
  checkin->add_option("--area", ci_area,
                      "Områdets kod; utan --area gäller incheckningen hela organisationen "
                      "(kommunen och alla områden i den)");
  checkin->add_option("--week", ci_week, "ISO-vecka, t.ex. 2026-W47")->required();
  checkin->add_flag("--reported", ci_reported,
                    "Organisationen har rapporterat (inte 'inget att rapportera')");
  checkin->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->RecordCheckIn(ci_org, ci_area, ci_week, !ci_reported, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Incheckning sparad: " << ci_org << ", "
                << (ci_area.empty() ? "alla områden" : ci_area) << ", " << ci_week << ".\n";
      return 0;
    };
  });

  // lagesbild
  auto* lagesbild = cli.add_subcommand("lagesbild", "Lägesbilden för en period");
  app::LagesbildParams lp;
  std::string lb_format = "table";
  lagesbild->add_option(
      "--period", lp.period,
      "2026-W47, 2026-11, 2026-T3, 2026-Q4 eller 2026 (standard: senaste hela veckan)");
  lagesbild->add_option("--from", lp.from, "Eget intervall: första dag");
  lagesbild->add_option("--to", lp.to, "Eget intervall: sista dag");
  lagesbild->add_option("--area", lp.areas, "Områdeskod (kan upprepas)");
  lagesbild->add_option("--category", lp.categories, "Kategori (kan upprepas)");
  lagesbild->add_option("--org", lp.orgs, "Organisation (kan upprepas)");
  lagesbild->add_option("--dimension", lp.dimension, "säkerhet eller trygghet");
  lagesbild->add_option("--format", lb_format, "table, json eller csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  lagesbild->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto lb = (*sys)->ComputeLagesbild(lp);
      if (!lb) return Report(lb.error());
      auto cat = (*sys)->catalog();
      if (lb_format == "json") {
        std::cout << app::LagesbildJson(*lb, *cat).dump(2) << "\n";
      } else if (lb_format == "csv") {
        std::cout << app::LagesbildCsv(*lb, *cat);
      } else {
        std::cout << app::LagesbildTable(*lb, *cat);
      }
      return 0;
    };
  });

  // Shared filter options of the analysis commands.
  auto add_filters = [](CLI::App* cmd, app::LagesbildParams& p) {
    cmd->add_option("--area", p.areas, "Områdeskod (kan upprepas)");
    cmd->add_option("--category", p.categories, "Kategori (kan upprepas)");
    cmd->add_option("--org", p.orgs, "Organisation (kan upprepas)");
    cmd->add_option("--dimension", p.dimension, "säkerhet eller trygghet");
  };

  // hotspots
  auto* hotspots = cli.add_subcommand("hotspots", "Hotspots (Getis-Ord Gi*) på rutnät");
  hotspots->footer(
      "Alla rutor i studieområdet listas, även rutor utan rapporter i grannskapet. gi_star (z) är "
      "storleken; p är det exakta tvåsidiga testet av grannskapets summa (binomialt givet "
      "periodens antal rapporter, konstant intensitet); p_fdr (Benjamini–Hochberg över alla "
      "rutor), bin och significant_fdr bygger på p. p_normal är normalapproximationen av z "
      "(det som hette p före 2026-12). Se docs/statistics.md.");
  app::LagesbildParams hp;
  app::GridParams grid;
  std::string hs_format = "csv";
  hotspots->add_option("--period", hp.period, "Period, t.ex. 2026-W47")->required();
  add_filters(hotspots, hp);
  hotspots->add_option("--cell", grid.cell_m, "Cellstorlek i meter (50–5000)")->capture_default_str();
  hotspots
      ->add_option("--band", grid.band_m,
                   "Avståndsband i meter mellan cellcentra (cellen själv ingår)")
      ->capture_default_str();
  hotspots
      ->add_option("--extent", grid.extent,
                   "areas: exakt de rutor vars kvadrat överlappar ett områdes inre (en ruta som "
                   "ett smalt område korsar ingår, en ruta som bara nuddar eller ligger utanför "
                   "alla områden ingår inte); bbox: varje ruta i områdenas omslutande rektangel")
      ->check(CLI::IsMember({"areas", "bbox"}))
      ->capture_default_str();
  hotspots->add_option("--format", hs_format, "csv, geojson eller json")
      ->check(CLI::IsMember({"csv", "geojson", "json"}))
      ->capture_default_str();
  hotspots->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ComputeHotspots(**sys, hp, grid);
      if (!r) return Report(r.error());
      if (hs_format == "csv") std::cout << app::HotspotsCsv(*r);
      if (hs_format == "geojson") std::cout << app::HotspotsGeoJson(*r) << "\n";
      if (hs_format == "json") std::cout << app::HotspotsJson(*r).dump(2) << "\n";
      return 0;
    };
  });

  // emerging
  auto* emerging =
      cli.add_subcommand("emerging", "Framväxande hotspots (Gi* i rum och tid + Mann–Kendall)");
  app::LagesbildParams ep;
  app::GridParams egrid;
  app::EmergingParams eparams;
  std::string bin_text = "4w", em_format = "csv";
  emerging->add_option("--periods", eparams.periods, "Antal tidssteg")->capture_default_str();
  emerging->add_option("--bin", bin_text, "Tidsstegets längd i veckor, t.ex. 4w")
      ->capture_default_str();
  emerging->add_option("--end", eparams.end_week,
                       "Sista veckan, t.ex. 2026-W47 (standard: förra veckan)");
  add_filters(emerging, ep);
  emerging->add_option("--cell", egrid.cell_m, "Cellstorlek i meter (50–5000)")->capture_default_str();
  emerging->add_option("--band", egrid.band_m, "Avståndsband i meter")->capture_default_str();
  emerging
      ->add_option("--extent", egrid.extent,
                   "areas: exakt de rutor vars kvadrat överlappar ett områdes inre; bbox: "
                   "varje ruta i områdenas omslutande rektangel")
      ->check(CLI::IsMember({"areas", "bbox"}))
      ->capture_default_str();
  emerging->add_option("--format", em_format, "csv eller geojson")
      ->check(CLI::IsMember({"csv", "geojson"}))
      ->capture_default_str();
  emerging->callback([&] {
    action = [&]() -> int {
      auto bin = app::ParseBinWeeks(bin_text);
      if (!bin) return Report(bin.error());
      eparams.bin_weeks = *bin;
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ComputeEmerging(**sys, ep, egrid, eparams);
      if (!r) return Report(r.error());
      if (em_format == "csv")
        std::cout << app::EmergingCsv(*r);
      else
        std::cout << app::EmergingGeoJson(*r, egrid.cell_m) << "\n";
      return 0;
    };
  });

  // priority
  auto* priority =
      cli.add_subcommand("priority", "Prioritering av områden (behov och påverkbarhet)");
  app::LagesbildParams pp;
  int level = 1;
  std::string pr_format = "table";
  priority->add_option("--period", pp.period, "Period, t.ex. 2026-T3")->required();
  add_filters(priority, pp);
  priority->add_option("--level", level, "Områdesnivå att rangordna (1 = områden)")
      ->capture_default_str();
  priority->add_option("--format", pr_format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  priority->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ComputePriority(**sys, pp, level, analysis::PriorityWeights{});
      if (!r) return Report(r.error());
      if (pr_format == "json") {
        std::cout << app::PriorityJson(*r).dump(2) << "\n";
        return 0;
      }
      for (const auto& a : *r) {
        std::cout << a.need_rank << ". " << a.name << " (behov " << std::round(a.need * 100) / 100
                  << ", påverkbarhet " << std::round(a.influence * 100) / 100 << ", rang "
                  << a.influence_rank << ")\n";
        for (const auto& why : a.reasons) std::cout << "     – " << why << "\n";
      }
      return 0;
    };
  });

  AddReportCommand(cli, db, action);
  AddContextCommands(cli, *import, db, action);

  // wdd
  auto* wdd = cli.add_subcommand("wdd", "Weighted Displacement Difference för en insats");
  std::vector<int64_t> treated, control, buffer, buffer_control;
  std::string wdd_format = "table";
  wdd->add_option("--treated", treated, "FÖRE EFTER i insatsområdet")->expected(2)->required();
  wdd->add_option("--control", control, "FÖRE EFTER i jämförelseområdet")->expected(2)->required();
  wdd->add_option("--buffer", buffer, "FÖRE EFTER i buffertzonen")->expected(2);
  wdd->add_option("--buffer-control", buffer_control, "FÖRE EFTER i buffertens jämförelse")
      ->expected(2);
  wdd->add_option("--format", wdd_format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  std::string wdd_method = "scaled";
  wdd->add_option("--method", wdd_method,
                  "scaled: jämförelsen skalas till insatsområdets nivå före (standard, tål en "
                  "gemensam trend); plain: Wheeler & Ratcliffes oskalade form")
      ->check(CLI::IsMember({"scaled", "plain"}))
      ->capture_default_str();
  wdd->callback([&] {
    action = [&]() -> int {
      if (buffer.empty() != buffer_control.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument,
                            "--buffer och --buffer-control anges tillsammans",
                            {{"--buffer-control", "krävs med --buffer"}}});
      }
      analysis::WddCounts c;
      c.treated_before = treated[0];
      c.treated_after = treated[1];
      c.control_before = control[0];
      c.control_after = control[1];
      if (!buffer.empty()) {
        c.displacement_before = buffer[0];
        c.displacement_after = buffer[1];
        c.displacement_control_before = buffer_control[0];
        c.displacement_control_after = buffer_control[1];
      }
      auto r = wdd_method == "plain" ? analysis::Wdd(c) : analysis::ScaledWdd(c);
      if (!r) return Report(r.error());
      if (wdd_format == "json") {
        std::cout << app::WddJson(*r).dump(2) << "\n";
        return 0;
      }
      std::printf("WDD %.4f  standardfel %.4f  95 %% KI [%.4f, %.4f]  z %.4f  p %.4f  (%s)\n",
                  r->estimate, r->se, r->ci_low, r->ci_high, r->z, r->p,
                  r->scaled ? "jämförelsen skalad till insatsområdets nivå före" : "oskalad");
      return 0;
    };
  });

  // bench
  auto* bench = cli.add_subcommand("bench", "Mät hela kedjan på genererade eller givna data");
  app::BenchOptions bench_opt;
  std::string bench_format = "json";
  bench->add_option("--scale", bench_opt.scale, "Antal genererade rapporter")
      ->capture_default_str();
  bench->add_option("--area-count", bench_opt.areas, "Antal genererade områden")
      ->capture_default_str();
  bench->add_option("--areas", bench_opt.areas_file,
                    "GeoJSON med områden (i stället för genererade)");
  bench->add_option("--reports", bench_opt.reports_file,
                    "CSV med rapporter (i stället för genererade)");
  std::string bench_crs;
  bench->add_option("--crs", bench_crs,
                    "Koordinatsystem för kolumnerna x och y i --reports (t.ex. EPSG:3006)");
  bench->add_option("--period", bench_opt.period, "Veckan som mäts (standard: förra veckan)");
  bench->add_option("--dir", bench_opt.work_dir,
                    "Arbetsmapp (behålls; genererade filer hamnar där)");
  bench->add_flag(
      "--reuse", bench_opt.reuse,
      "Mät databasen från en tidigare körning i --dir (ingen generering, ingen import)");
  bench->add_option("--repeats", bench_opt.repeats, "Antal mätningar per median")
      ->capture_default_str();
  bench->add_option("--format", bench_format, "json")->check(CLI::IsMember({"json"}));
  bench->callback([&] {
    action = [&]() -> int {
      if (bench_opt.areas_file.empty() != bench_opt.reports_file.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument,
                            "--areas och --reports anges tillsammans",
                            {{"--reports", "krävs med --areas"}}});
      }
      if (!bench_crs.empty()) {
        if (bench_opt.reports_file.empty()) {
          return Report(Error{ErrorCode::kInvalidArgument,
                              "--crs gäller en given rapportfil",
                              {{"--crs", "anges med --reports (genererade data är i EPSG:3006)"}}});
        }
        auto crs = geo::ParseCrsName(bench_crs);
        if (!crs) return Report(crs.error());
        bench_opt.crs = *crs;
      }
      auto r = app::RunBench(bench_opt, TerminalProgress());
      if (!r) return Report(r.error());
      std::cout << r->dump(2) << "\n";
      return 0;
    };
  });

  // audit verify
  auto* audit = cli.add_subcommand("audit", "Granskningsloggen");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Kontrollera att loggens kedja är obruten");
  verify->callback([&] {
    action = [&]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      if (auto s = (*sys)->store().VerifyAudit(); !s) return Report(s.error());
      std::cout << "Granskningsloggen är obruten.\n";
      return 0;
    };
  });

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
