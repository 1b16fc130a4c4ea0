// The public routes (no login): the public lägesbild of a week and residents' reports with their
// receipts (app/public_picture.h states what the public may see); and the administrators'
// settings of the public page.
//
// POST /api/v1/public/reports is limited per client address (citizen_limiter: every attempt
// counts, accepted or not), and carries a honeypot field, `website`, that a person never sees
// and a bot fills in: such a request is refused with 400 like any other bad field.
#include <string>

#include "app/present.h"
#include "app/public_picture.h"
#include "app/queries.h"
#include "geo/geojson.h"
#include "core/time.h"
#include "http/server_impl.h"

namespace est::http {
namespace {

json PublicJson(const app::PublicPicture& p) {
  json cats = json::array();
  for (const auto& c : p.categories) {
    cats.push_back({{"code", c.code},
                    {"name_sv", c.name_sv},
                    {"name_en", c.name_en},
                    {"dimension", DimensionText(c.dimension)}});
  }
  json areas = json::array();
  for (const auto& a : p.areas) {
    json counts = json::array();
    for (const auto& n : a.counts) counts.push_back(n ? json(*n) : json(nullptr));
    areas.push_back({{"code", a.code}, {"name", a.name}, {"counts", counts}});
  }
  json cells = json::array();
  for (const auto& c : p.cells) {
    const double x0 = static_cast<double>(c.col) * app::kPublicCellMetres;
    const double y0 = static_cast<double>(c.row) * app::kPublicCellMetres;
    cells.push_back({{"dimension", DimensionText(c.dimension)},
                     {"x", x0},
                     {"y", y0},
                     {"count", c.count}});
  }
  json actions = json::array();
  for (const auto& a : p.actions) {
    actions.push_back({{"title", a.title},
                       {"status", ActionStatusText(a.status)},
                       {"areas", a.areas},
                       {"start", a.start},
                       {"end", a.end}});
  }
  json weeks = json::array();
  for (const auto& w : p.weeks) weeks.push_back(w.label());
  return {{"period", p.period.label()},
          {"from", FormatDay(p.period.first)},
          {"to", FormatDay(p.period.last)},
          {"delay_days", p.delay_days},
          {"min_count", app::kMinPublicCount},
          {"cell_m", app::kPublicCellMetres},
          {"crs", "EPSG:3006"},
          {"categories", cats},
          {"areas", areas},
          {"cells", cells},
          {"actions", actions},
          {"weeks", weeks},
          {"citizen_reports", p.citizen_reports}};
}

json SettingsJson(const app::PublicSettings& s) {
  return {{"categories", s.categories},
          {"actions", s.actions},
          {"delay_days", s.delay_days},
          {"citizen_reports", s.citizen_reports}};
}

std::string Param(const Request& req, const std::string& name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? "" : it->second;
}

}  // namespace

void Server::Impl::PublicRoutes() {
  Get("/api/v1/public/lagesbild", Wrap([this](const Request& req) -> Result<Reply> {
        const std::string period = Param(req, "period");
        if (period.size() > 40) {
          return MakeError(ErrorCode::kInvalidArgument, "Perioden kan inte visas",
                           {{"period", "för lång"}});
        }
        auto pic = app::PublicLagesbild(sys, period, NowUnix());
        if (!pic) return tl::unexpected(pic.error());
        Reply r = JsonReply(PublicJson(*pic));
        r.headers.emplace_back("Cache-Control", "public, max-age=60");
        return r;
      }));

  // The outlines of the municipality and its områden (level 0 and 1) for the public map: code,
  // name and level only, never a count.
  Get("/api/v1/public/areas", Wrap([this](const Request&) -> Result<Reply> {
        auto geoms = app::AreaGeometries(sys);
        if (!geoms) return tl::unexpected(geoms.error());
        std::string out = R"({"type":"FeatureCollection","features":[)";
        bool first = true;
        for (const auto& g : *geoms) {
          if (g.area.level > 1) continue;
          json props = {{"code", g.area.code}, {"name", g.area.name}, {"level", g.area.level}};
          out += (first ? "" : ",") + std::string(R"({"type":"Feature","properties":)") +
                 props.dump() + R"(,"geometry":)" + geo::ToGeoJsonGeometry(g.geometry, true) + "}";
          first = false;
        }
        out += "]}";
        Reply r;
        r.body = std::move(out);
        r.content_type = "application/geo+json";
        r.headers.emplace_back("Cache-Control", "public, max-age=60");
        return r;
      }));

  Post("/api/v1/public/reports", Wrap([this](const Request& req) -> Result<Reply> {
         const UnixSeconds now = NowUnix();
         if (int64_t wait = citizen_limiter.BlockedFor("public-report", req.remote_addr, now);
             wait > 0) {
           Error e{ErrorCode::kRateLimited,
                   "För många rapporter från samma adress; försök igen om " +
                       std::to_string((wait + 59) / 60) + " minuter",
                   {}};
           Reply r;
           r.status = InfoFor(e.code).http_status;
           r.body = ProblemBody(e, req.path);
           r.content_type = "application/problem+json";
           r.headers.emplace_back("Retry-After", std::to_string(wait));
           return r;
         }
         citizen_limiter.Failed("public-report", req.remote_addr, now);
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "",
                  {"category", "lon", "lat", "address", "occurred_from", "description", "website"});
         app::CitizenReportInput in;
         in.category = f.Str("category", 200).value_or("");
         in.lon = f.Num("lon");
         in.lat = f.Num("lat");
         in.address = f.Str("address", 300).value_or("");
         in.occurred_from = f.Str("occurred_from", 60).value_or("");
         in.description = f.Str("description", app::kMaxCitizenDescription).value_or("");
         const std::string website = f.Str("website", 300).value_or("");
         std::vector<FieldError> errors = f.errors();
         if (!website.empty()) {
           SecurityEvent("forbidden", req, "", "public report with the honeypot field filled in");
           errors.push_back({"website", "ska lämnas tomt"});
         }
         if (!errors.empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Rapporten är ogiltig",
                            std::move(errors));
         }
         auto receipt = app::CreateCitizenReport(sys, in, now);
         if (!receipt) return tl::unexpected(receipt.error());
         return JsonReply({{"receipt", receipt->receipt},
                           {"status", "mottagen"},
                           {"scrubbed", receipt->scrubbed}},
                          201);
       }));

  Get("/api/v1/public/report-status", Wrap([this](const Request& req) -> Result<Reply> {
        const std::string receipt = Param(req, "receipt");
        if (receipt.empty() || receipt.size() > 40) {
          return MakeError(ErrorCode::kInvalidArgument, "Kvittonumret saknas",
                           {{"receipt", "ange kvittonumret, till exempel M-1A2B3C4D5E"}});
        }
        auto st = app::CitizenReportStatus(sys, receipt);
        if (!st) return tl::unexpected(st.error());
        return JsonReply({{"receipt", st->receipt},
                          {"status", st->status},
                          {"received", st->received}});
      }));

  Get("/api/v1/public/settings",
      Authed([this](const Request&, const Caller& c) -> Result<Reply> {
        if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
          return Forbidden("Bara samordnare och administratörer ser den offentliga sidans "
                           "inställningar");
        }
        return JsonReply(SettingsJson(app::CurrentPublicSettings(sys)));
      }));
  Post("/api/v1/public/settings",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara samordnare och administratörer kan ändra den offentliga sidan");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"categories", "actions", "delay_days", "citizen_reports"});
         app::PublicSettings s = app::CurrentPublicSettings(sys);
         if (auto v = f.StrList("categories")) s.categories = *v;
         if (auto v = f.IntList("actions")) s.actions = *v;
         if (auto v = f.Int("delay_days")) s.delay_days = *v;
         if (auto v = f.Bool("citizen_reports")) s.citizen_reports = *v;
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument,
                            "Inställningarna för den offentliga sidan är ogiltiga", f.errors());
         }
         if (auto st = app::SetPublicSettings(sys, s, c.actor()); !st) {
           return tl::unexpected(st.error());
         }
         return JsonReply(SettingsJson(app::CurrentPublicSettings(sys)));
       }));
}

}  // namespace est::http
