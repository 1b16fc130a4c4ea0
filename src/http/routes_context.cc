// Routes of other information beside the reports: survey results, the police's list of
// vulnerable areas, säkerhet vs trygghet and the 2030 goal.
#include <map>

#include "app/context.h"
#include "app/police.h"
#include "app/present.h"
#include "app/queries.h"
#include "core/time.h"
#include "geo/geojson.h"
#include "http/server_impl.h"

namespace est::http {

void Server::Impl::ContextRoutes() {
  Get("/api/v1/surveys", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto list = app::ListSurveys(sys);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& r : *list) items.push_back(app::SurveyJson(r, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/surveys/import",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
           return Forbidden("Bara samordnare och administratörer importerar enkätresultat");
         }
         std::string ct = req.get_header_value("Content-Type");
         if (ct.rfind("text/csv", 0) != 0) {
           return MakeError(ErrorCode::kUnsupportedMedia, "Skicka CSV",
                            {{"Content-Type", "måste vara text/csv"}});
         }
         auto r = app::ImportSurveysCsv(sys, req.body, c.actor());
         if (!r) return tl::unexpected(r.error());
         return JsonReply({{"rows", r->rows}, {"inserted", r->inserted}}, 201);
       }));
  Get("/api/v1/vulnerable-areas",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto list = app::ListVulnerableAreas(sys);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        if (req.get_param_value("format") == "geojson") {
          std::string out = R"({"type":"FeatureCollection","features":[)";
          bool first = true;
          for (const auto& v : *list) {
            auto g = app::VulnerableGeometry(sys, v.id);
            if (!g) return tl::unexpected(g.error());
            if (!*g) continue;
            out += std::string(first ? "" : ",") + R"({"type":"Feature","properties":)" +
                   app::VulnerableJson(v, *cat).dump() + R"(,"geometry":)" +
                   geo::ToGeoJsonGeometry(**g, true) + "}";
            first = false;
          }
          out += "]}";
          Reply r;
          r.body = std::move(out);
          r.content_type = "application/geo+json";
          return r;
        }
        json items = json::array();
        for (const auto& v : *list) items.push_back(app::VulnerableJson(v, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/vulnerable-areas",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
           return Forbidden("Bara samordnare och administratörer importerar polisens lista");
         }
         auto year = IntParam(req, "year", 0, 2000, 2100);
         if (!year) return tl::unexpected(year.error());
         if (*year == 0) return InvalidField("year", "saknas (listans år, t.ex. 2025)");
         std::string ct = req.get_header_value("Content-Type");
         if (ct.rfind("application/geo+json", 0) != 0 && ct.rfind("application/json", 0) != 0) {
           return MakeError(ErrorCode::kUnsupportedMedia, "Skicka GeoJSON",
                            {{"Content-Type", "måste vara application/geo+json"}});
         }
         auto r = app::ImportVulnerableAreas(sys, req.body, static_cast<int>(*year), std::nullopt,
                                             c.actor());
         if (!r) return tl::unexpected(r.error());
         auto cat = sys.catalog();
         json kept = json::array();
         for (const auto& v : r->kept) kept.push_back(app::VulnerableJson(v, *cat));
         return JsonReply({{"year", r->year}, {"items", kept}, {"outside", r->outside}}, 201);
       }));
  // The police's events feed (app/police.h): the body is the feed's JSON array as it comes.
  Post("/api/v1/imports/polisen",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
           return Forbidden("Bara samordnare och administratörer importerar polisens händelser");
         }
         std::string ct = req.get_header_value("Content-Type");
         if (ct.rfind("application/json", 0) != 0) {
           return MakeError(ErrorCode::kUnsupportedMedia, "Skicka polisens händelser som JSON",
                            {{"Content-Type", "måste vara application/json"}});
         }
         app::PoliceImportOptions opt;
         opt.org = req.get_param_value("org");
         opt.create_missing = req.get_param_value("create_missing") == "true";
         auto r = app::ImportPoliceEvents(sys, req.body, opt, c.actor());
         if (!r) return tl::unexpected(r.error());
         return JsonReply({{"events", r->events},
                           {"inserted", r->inserted},
                           {"already_present", r->already_present},
                           {"in_municipality", r->in_municipality},
                           {"county_level", r->county_level},
                           {"other_places", r->other_places},
                           {"not_imported", r->not_imported},
                           {"by_type", r->by_type},
                           {"created_categories", r->created_categories}},
                          r->inserted ? 201 : 200);
       }));
  Get("/api/v1/police-types", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto rows = app::ListPoliceTypes(sys);
        if (!rows) return tl::unexpected(rows.error());
        json items = json::array();
        for (const auto& r : *rows) {
          items.push_back({{"type", r.type},
                           {"category", r.category.empty() ? json(nullptr) : json(r.category)},
                           {"default", r.is_default}});
        }
        return JsonReply({{"items", items}});
      }));
  // {"types": {"Brand": "anlagd_brand", "Övrigt": null}}: null = not imported.
  Post("/api/v1/police-types",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
           return Forbidden("Bara samordnare och administratörer ändrar polisens typer");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         auto types = body->find("types");
         if (types == body->end() || !types->is_object()) {
           return InvalidField("types", "saknas: ett objekt {\"typ\": \"kategori\" eller null}");
         }
         std::map<std::string, std::string> choices;
         for (const auto& [type, v] : types->items()) {
           if (v.is_null()) {
             choices[type] = "";
           } else if (v.is_string() && !v.get<std::string>().empty()) {
             choices[type] = v.get<std::string>();
           } else {
             return InvalidField("types." + type, "måste vara en kategori (kod) eller null");
           }
         }
         if (auto s = app::SetPoliceTypes(sys, choices, c.actor()); !s) {
           return tl::unexpected(s.error());
         }
         return JsonReply({{"updated", choices.size()}});
       }));
  Get("/api/v1/safety", Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        // Default: the latest year with survey results (else this year).
        int default_year = app::LatestSurveyYear(sys);
        if (default_year == 0) default_year = CivilFromDay(ToLocalDay(NowUnix())).year;
        auto year = IntParam(req, "year", default_year, 2000, 2100);
        if (!year) return tl::unexpected(year.error());
        auto s = app::CompareSafety(sys, static_cast<int>(*year), req.get_param_value("indicator"));
        if (!s) return tl::unexpected(s.error());
        return JsonReply(app::SafetyJson(*s, *sys.catalog()));
      }));
  Get("/api/v1/goal", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto g = app::ComputeGoal(sys);
        if (!g) return tl::unexpected(g.error());
        return JsonReply(app::GoalJson(*g, *sys.catalog()));
      }));
}

}  // namespace est::http
