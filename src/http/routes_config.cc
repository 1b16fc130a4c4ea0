// Configuration routes: organisations, users, categories, areas (GeoJSON import), places, the
// address search, the basemap, and the administrators' audit trail.
#include <map>

#include "app/addresses.h"
#include "app/basemap.h"
#include "app/gis_upload.h"
#include "app/present.h"
#include "app/queries.h"
#include "core/text.h"
#include "core/time.h"
#include "geo/geojson.h"
#include "http/server_impl.h"

namespace est::http {

void Server::Impl::ConfigRoutes() {
  // Organisations.
  Get("/api/v1/organisations",
      Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto list = app::ListOrganisations(sys);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& o : *list) items.push_back(app::OrgJson(o, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/organisations",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan lägga till organisationer");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"code", "name", "kind", "parent"});
         Organisation o;
         o.code = f.Str("code").value_or("");
         o.name = f.Str("name").value_or("");
         auto kind = f.Str("kind");
         f.Require("kind", kind.has_value());
         if (kind) {
           auto k = ParseOrgKind(*kind);
           if (k)
             o.kind = *k;
           else
             f.errors().push_back(k.error().fields[0]);
         }
         if (auto parent = f.Str("parent")) {
           const Organisation* p = sys.catalog()->FindOrg(*parent);
           if (p)
             o.parent = p->id;
           else
             f.errors().push_back({"parent", "okänd organisation"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Organisationen är ogiltig", f.errors());
         }
         auto created = sys.CreateOrganisation(o, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::OrgJson(*created, *sys.catalog()), 201);
       }));

  // Users.
  Get("/api/v1/users", Authed([this](const Request&, const Caller& c) -> Result<Reply> {
        if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer ser användarna");
        auto list = app::ListUsers(sys);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& u : *list) items.push_back(app::UserJson(u, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/users",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer hanterar användare");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"login", "display_name", "password", "role", "org"});
         User u;
         u.login = f.Str("login", kMaxLoginChars).value_or("");
         u.display_name = f.Str("display_name").value_or("");
         std::string password = f.Str("password").value_or("");
         auto role = f.Str("role");
         f.Require("role", role.has_value());
         if (role) {
           auto r = ParseRole(*role);
           if (r)
             u.role = *r;
           else
             f.errors().push_back(r.error().fields[0]);
         }
         if (auto org = f.Str("org")) {
           const Organisation* o = sys.catalog()->FindOrg(*org);
           if (o)
             u.org = o->id;
           else
             f.errors().push_back({"org", "okänd organisation"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Användaren är ogiltig", f.errors());
         }
         auto created = sys.CreateUser(u, password, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::UserJson(*created, *sys.catalog()), 201);
       }));

  Patch(R"(/api/v1/users/(\d+))",
        Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
          if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer hanterar användare");
          auto id = PathId(req);
          if (!id) return tl::unexpected(id.error());
          auto body = ParseJsonBody(req);
          if (!body) return tl::unexpected(body.error());
          Fields f(*body, "", {"display_name", "role", "org", "disabled", "password"});
          app::UserPatch patch;
          patch.display_name = f.Str("display_name");
          patch.role = f.Str("role");
          patch.disabled = f.Bool("disabled");
          patch.password = f.Str("password");
          if (auto it = body->find("org"); it != body->end() && it->is_null()) {
            patch.org = "";
          } else {
            patch.org = f.Str("org");
          }
          if (!f.errors().empty()) {
            return MakeError(ErrorCode::kInvalidArgument, "Ändringen är ogiltig", f.errors());
          }
          auto u = sys.UpdateUser(UserId{*id}, patch, c.user.id, c.actor());
          if (!u) return tl::unexpected(u.error());
          if (patch.password) {
            SecurityEvent("password_reset", req, c.user.login, "för användaren " + u->login);
          }
          return JsonReply(app::UserJson(*u, *sys.catalog()));
        }));

  // Categories.
  Get("/api/v1/categories", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        json items = json::array();
        for (const auto& k : sys.catalog()->categories()) items.push_back(app::CategoryJson(k));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/categories",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan ändra kategorier");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(
             *body, "",
             {"code", "name_sv", "name_en", "group", "dimension", "default_severity", "parent"});
         Category k;
         k.code = f.Str("code").value_or("");
         k.name_sv = f.Str("name_sv").value_or("");
         k.name_en = f.Str("name_en").value_or("");
         k.group = f.Str("group").value_or("övrigt");
         k.default_severity = f.Int("default_severity").value_or(2);
         auto dim = f.Str("dimension");
         f.Require("dimension", dim.has_value());
         if (dim) {
           auto d = ParseDimension(*dim);
           if (d)
             k.dimension = *d;
           else
             f.errors().push_back(d.error().fields[0]);
         }
         if (auto parent = f.Str("parent")) {
           const Category* p = sys.catalog()->FindCategory(*parent);
           if (p)
             k.parent = p->id;
           else
             f.errors().push_back({"parent", "okänd kategori"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Kategorin är ogiltig", f.errors());
         }
         auto created = sys.CreateCategory(k, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::CategoryJson(*created), 201);
       }));

  // Areas.
  Get("/api/v1/areas", Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto cat = sys.catalog();
        auto counts = app::ReportCountsBySubtree(sys, *cat);
        if (!counts) return tl::unexpected(counts.error());
        std::map<int64_t, int64_t>& by_area = *counts;
        if (req.get_param_value("format") == "geojson") {
          auto geoms = app::AreaGeometries(sys);
          if (!geoms) return tl::unexpected(geoms.error());
          std::string out = R"({"type":"FeatureCollection","features":[)";
          for (size_t i = 0; i < geoms->size(); ++i) {
            const auto& g = (*geoms)[i];
            json props = app::AreaJson(g.area, *cat, by_area[g.area.id.value]);
            out += (i ? "," : "") + std::string(R"({"type":"Feature","id":)") +
                   json(g.area.code).dump() + R"(,"properties":)" + props.dump() +
                   R"(,"geometry":)" + geo::ToGeoJsonGeometry(g.geometry, true) + "}";
          }
          out += "]}";
          Reply r;
          r.body = std::move(out);
          r.content_type = "application/geo+json";
          return r;
        }
        json items = json::array();
        for (const auto& a : cat->areas()) {
          items.push_back(app::AreaJson(a, *cat, by_area[a.id.value]));
        }
        return JsonReply({{"items", items}, {"outside_report_count", by_area[0]}});
      }));
  Post("/api/v1/areas",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan importera områden");
         }
         std::string ct = req.get_header_value("Content-Type");
         const auto gis = app::GisUploadKindOf(ct);
         if (!gis && ct.rfind("application/geo+json", 0) != 0 &&
             ct.rfind("application/json", 0) != 0) {
           return MakeError(ErrorCode::kUnsupportedMedia,
                            "Skicka GeoJSON, en GeoPackage eller en zippad Shapefile",
                            {{"Content-Type", "måste vara application/geo+json, "
                                              "application/geopackage+sqlite3 eller "
                                              "application/zip"}});
         }
         app::AreaImportOptions opt;
         opt.code_prop = req.get_param_value("code_prop");
         opt.name_prop = req.get_param_value("name_prop");
         opt.parent_code = req.get_param_value("parent");
         auto crs = CrsParam(req);
         if (!crs) return tl::unexpected(crs.error());
         std::string geojson;
         if (gis) {
           // GDAL reads the file's CRS (a GeoPackage's srs, the Shapefile's .prj); crs replaces it.
           auto text = app::GisUploadAsGeoJson(req.body, *gis,
                                               {req.get_param_value("layer"), *crs});
           if (!text) return tl::unexpected(text.error());
           geojson = std::move(*text);
         } else {
           opt.crs = *crs;
         }
         auto result = sys.ImportAreas(gis ? std::string_view(geojson) : std::string_view(req.body),
                                       opt, c.actor());
         if (!result) return tl::unexpected(result.error());
         auto cat = sys.catalog();
         json items = json::array();
         for (const auto& a : result->areas) items.push_back(app::AreaJson(a, *cat, 0));
         return JsonReply({{"items", items},
                           {"reports_moved", result->reports_moved},
                           {"outside", result->outside}},
                          201);
       }));

  // Places.
  Get("/api/v1/places", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& p : cat->places()) items.push_back(app::PlaceJson(p, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/places",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan lägga till platser");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"name", "kind", "lon", "lat", "x", "y", "crs"});
         app::PlaceInput in;
         in.name = f.Str("name").value_or("");
         in.kind = f.Str("kind").value_or("");
         in.lon = f.Num("lon");
         in.lat = f.Num("lat");
         in.x = f.Num("x");
         in.y = f.Num("y");
         in.epsg = f.Crs("crs");
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Platsen är ogiltig", f.errors());
         }
         auto created = sys.CreatePlace(in, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::PlaceJson(*created, *sys.catalog()), 201);
       }));

  // Addresses: the place search of the report form, and the register's import (text/csv).
  Get("/api/v1/addresses", Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        const std::string q = req.get_param_value("q");
        if (Utf8Length(q) > 200) return InvalidField("q", "högst 200 tecken");
        auto limit = IntParam(req, "limit", 10, 1, 50);
        if (!limit) return tl::unexpected(limit.error());
        json items = json::array();
        for (const auto& m : app::SearchAddresses(sys, q, static_cast<size_t>(*limit))) {
          items.push_back(app::AddressMatchJson(m));
        }
        return JsonReply({{"items", items}, {"total", app::AddressCount(sys)}});
      }));
  Post("/api/v1/addresses",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan läsa in adresser");
         }
         const std::string ct = req.get_header_value("Content-Type");
         const auto gis = app::GisUploadKindOf(ct);
         if (!gis && ct.rfind("text/csv", 0) != 0) {
           return MakeError(ErrorCode::kUnsupportedMedia,
                            "Skicka adressfilen som CSV, GeoPackage eller zippad Shapefile",
                            {{"Content-Type", "måste vara text/csv, "
                                              "application/geopackage+sqlite3 eller "
                                              "application/zip"}});
         }
         ingest::AddressReadOptions opt;
         auto crs = CrsParam(req);
         if (!crs) return tl::unexpected(crs.error());
         std::string csv;
         if (gis) {
           auto text = app::GisUploadPointsAsCsv(req.body, *gis,
                                                 {req.get_param_value("layer"), *crs});
           if (!text) return tl::unexpected(text.error());
           csv = std::move(*text);
           opt.row_word = "objekt";
           opt.row_offset = 1;
         } else if (*crs) {
           opt.epsg = **crs;
         }
         auto r = app::ImportAddresses(sys, gis ? std::string_view(csv) : std::string_view(req.body),
                                       opt, c.actor());
         if (!r) return tl::unexpected(r.error());
         return JsonReply(
             {{"rows", r->rows}, {"imported", r->imported}, {"duplicates", r->duplicates}}, 201);
       }));

  // The basemap: anyone may read it (the login page and the public page draw maps too).
  Get("/api/v1/basemap", Wrap([this](const Request&) -> Result<Reply> {
        return JsonReply(app::BasemapJson(app::CurrentBasemap(sys, options.basemap)));
      }));
  Post("/api/v1/basemap",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin})) {
           return Forbidden("Bara administratörer kan ändra bakgrundskartan");
         }
         if (!options.basemap.url.empty()) {
           return MakeError(ErrorCode::kConflict,
                            "Bakgrundskartan är satt när servern startades (est serve "
                            "--basemap) och kan bara ändras där");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"url", "attribution", "max_zoom"});
         const std::string url = f.Str("url", 2000).value_or("");
         const std::string attribution = f.Str("attribution", 300).value_or("");
         const std::optional<int> max_zoom = f.Int("max_zoom");
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Bakgrundskartan är ogiltig",
                            f.errors());
         }
         if (auto s = app::SetBasemap(sys, url, attribution, max_zoom, c.actor()); !s) {
           return tl::unexpected(s.error());
         }
         return JsonReply(app::BasemapJson(app::CurrentBasemap(sys, options.basemap)));
       }));
}

void Server::Impl::AuditRoutes() {
  // Audit.
  Get("/api/v1/audit",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer ser granskningsloggen");
        auto after = IntParam(req, "after", 0, 0, INT64_MAX);
        if (!after) return tl::unexpected(after.error());
        auto list = app::ListAudit(sys, *after, 500);
        if (!list) return tl::unexpected(list.error());
        json items = json::array();
        for (const auto& e : *list) items.push_back(app::AuditEntryJson(e));
        return JsonReply({{"items", items}});
      }));
}

}  // namespace est::http
