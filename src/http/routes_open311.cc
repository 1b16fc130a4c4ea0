// Open311 GeoReport v2 at /open311/v2, for municipal fault-report systems and apps: discovery,
// services (the active categories), requests (the caller's visible reports) and a new request,
// JSON only (a ".xml" target is 400 naming the format).
//
// Contract: every route needs a personal API token, as `api_key` (query or form field, as
// GeoReport v2 has it) or `Authorization: Bearer`; the token acts with its user's role and
// organisation, and a new request is that organisation's report (a user without one is refused).
// A new request goes through the same validation and personal-data scrubbing as every other
// entry point (ingest::ResolveReport) and needs `lat`/`long`, or an `address_string` that names
// exactly one address of the register (app/addresses.h ResolveAddress). Status: new and reviewed reports are "open", rejected and
// duplicate "closed". Lists are newest first, at most 1000, by default the last 90 days.
#include <nlohmann/json.hpp>

#include "app/access.h"
#include "app/addresses.h"
#include "app/present.h"
#include "app/queries.h"
#include "app/sessions.h"
#include "core/time.h"
#include "http/server_impl.h"

namespace est::http {
namespace {

using json = nlohmann::json;

std::string Param(const Request& req, const Request& form, const std::string& name) {
  if (form.has_param(name)) return form.get_param_value(name);
  return req.has_param(name) ? req.get_param_value(name) : "";
}

bool Closed(ReportStatus s) { return s == ReportStatus::kRejected || s == ReportStatus::kDuplicate; }

json RequestJson(const Report& r, const app::Catalog& cat) {
  const Category* c = cat.CategoryById(r.category);
  const Area* a = r.area ? cat.AreaById(*r.area) : nullptr;
  json j = {{"service_request_id", std::to_string(r.id.value)},
            {"status", Closed(r.status) ? "closed" : "open"},
            {"status_notes", r.review_note},
            {"service_code", c ? c->code : ""},
            {"service_name", c ? c->name_sv : ""},
            {"description", r.description},
            {"requested_datetime", FormatTimestamp(r.reported_at)},
            {"updated_datetime", FormatTimestamp(r.reported_at)},
            {"address", a ? a->name : ""},
            {"agency_responsible", ""}};
  j["lat"] = r.area_only ? json(nullptr) : json(std::round(r.lat * 1e6) / 1e6);
  j["long"] = r.area_only ? json(nullptr) : json(std::round(r.lon * 1e6) / 1e6);
  return j;
}

Status JsonOnly(const Request& req) {
  if (req.path.size() > 4 && req.path.compare(req.path.size() - 4, 4, ".xml") == 0) {
    return InvalidField("format", "bara JSON (.json) stöds");
  }
  return {};
}

}  // namespace

// The caller of an Open311 request: the token in api_key or Authorization: Bearer.
Result<Caller> Server::Impl::Open311Caller(const Request& req, const Request& form) {
  std::string key = Param(req, form, "api_key");
  if (key.empty()) {
    std::string header = req.get_header_value("Authorization");
    if (header.empty()) {
      return MakeError(ErrorCode::kUnauthenticated, "api_key krävs (en personlig API-nyckel)",
                       {{"api_key", "saknas"}});
    }
    return AuthenticateBearer(req, header);
  }
  return AuthenticateBearer(req, "Bearer " + key);
}

void Server::Impl::Open311Routes() {
  Get("/open311/v2/discovery.json", Wrap([](const Request& req) -> Result<Reply> {
        const std::string base = OriginOf(req);
        return JsonReply(
            {{"changeset", "2026-12-02T00:00:00Z"},
             {"contact", "Kommunens samordnare för trygghet (EST)"},
             {"key_service", "Personliga API-nycklar: est token add LOGIN"},
             {"endpoints",
              {{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                {"url", base + "/open311/v2"},
                {"changeset", "2026-12-02T00:00:00Z"},
                {"type", "production"},
                {"formats", {"application/json"}}}}}});
      }));
  Get("/open311/v2/services.json", Wrap([this](const Request& req) -> Result<Reply> {
        auto caller = Open311Caller(req, Request{});
        if (!caller) return tl::unexpected(caller.error());
        auto cat = sys.catalog();
        json out = json::array();
        for (const Category& c : cat->categories()) {
          if (!c.active) continue;
          out.push_back({{"service_code", c.code},
                         {"service_name", c.name_sv},
                         {"description", c.name_en},
                         {"metadata", false},
                         {"type", "realtime"},
                         {"keywords", c.group},
                         {"group", c.group}});
        }
        return JsonReply(out);
      }));
  Get("/open311/v2/requests.json", Wrap([this](const Request& req) -> Result<Reply> {
        auto caller = Open311Caller(req, Request{});
        if (!caller) return tl::unexpected(caller.error());
        app::ReportExportParams p;
        std::vector<FieldError> errors;
        const std::string status = Param(req, Request{}, "status");
        if (!status.empty() && status != "open" && status != "closed") {
          errors.push_back({"status", "måste vara open eller closed"});
        }
        const std::string code = Param(req, Request{}, "service_code");
        if (!code.empty()) p.categories = {code};
        store::ReportFilter extra;
        const UnixSeconds now = NowUnix();
        extra.from = now - 90 * 86400;
        for (const char* name : {"start_date", "end_date"}) {
          const std::string v = Param(req, Request{}, name);
          if (v.empty()) continue;
          auto t = ParseTimestamp(v);
          if (!t) {
            errors.push_back({name, "\"" + v + "\" är ingen tidpunkt (ISO 8601)"});
          } else if (std::string(name) == "start_date") {
            extra.from = *t;
          } else {
            extra.to = *t;
          }
        }
        if (!errors.empty()) return MakeError(ErrorCode::kInvalidArgument, "Ogiltig fråga", errors);
        auto filter = app::ResolveReportFilter(sys, p);
        if (!filter) {
          Error e = filter.error();
          for (auto& f : e.fields) {
            if (f.field == "category") f.field = "service_code";
          }
          return tl::unexpected(e);
        }
        if (auto scope = app::ReportListScope(caller->user)) filter->orgs = {*scope};
        filter->from = extra.from;
        filter->to = extra.to;
        filter->limit = 1000;
        auto list = app::ListReports(sys, *filter);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json out = json::array();
        for (const Report& r : list->reports) {
          if (status == "open" && Closed(r.status)) continue;
          if (status == "closed" && !Closed(r.status)) continue;
          out.push_back(RequestJson(r, *cat));
        }
        return JsonReply(out);
      }));
  Get(R"(/open311/v2/requests/(\d+).json)", Wrap([this](const Request& req) -> Result<Reply> {
        auto caller = Open311Caller(req, Request{});
        if (!caller) return tl::unexpected(caller.error());
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto r = app::GetReport(sys, ReportId{*id});
        if (!r) return tl::unexpected(r.error());
        auto scope = app::ReportListScope(caller->user);
        if (!*r || (scope && (*r)->org != *scope)) {
          return MakeError(ErrorCode::kNotFound, "Ärendet finns inte");
        }
        return JsonReply(json::array({RequestJson(**r, *sys.catalog())}));
      }));
  Post("/open311/v2/requests.json", Wrap([this](const Request& req) -> Result<Reply> {
         // GeoReport v2 posts a form (application/x-www-form-urlencoded).
         Request form;
         if (auto parsed = ParseTarget("/?" + req.body, form); !parsed) {
           return tl::unexpected(parsed.error());
         }
         auto caller = Open311Caller(req, form);
         if (!caller) return tl::unexpected(caller.error());
         auto cat = sys.catalog();
         const Organisation* org = caller->user.org ? cat->OrgById(*caller->user.org) : nullptr;
         if (!org) {
           return MakeError(ErrorCode::kInvalidArgument,
                            "Nyckelns användare hör inte till någon organisation",
                            {{"api_key", "använd en nyckel för en användare med organisation"}});
         }
         std::vector<FieldError> errors;
         ingest::ReportInput in;
         in.org = org->code;
         in.source = ReportSource::kImport;
         in.category = Param(req, form, "service_code");
         if (in.category.empty()) errors.push_back({"service_code", "saknas"});
         in.description = Param(req, form, "description");
         in.occurred_from = FormatTimestamp(NowUnix());
         const std::string lat = Param(req, form, "lat"), lon = Param(req, form, "long");
         const std::string address = Param(req, form, "address_string");
         if ((lat.empty() || lon.empty()) && !address.empty()) {
           // The municipality's address register (est import addresses): an exact address only.
           auto found = app::ResolveAddress(sys, address, "address_string");
           if (!found) {
             for (auto& f : found.error().fields) errors.push_back(f);
           } else {
             in.lat = found->lat;
             in.lon = found->lon;
           }
         } else if (lat.empty() || lon.empty()) {
           errors.push_back({"lat", "ange lat och long, eller address_string"});
         } else {
           char* end = nullptr;
           in.lat = std::strtod(lat.c_str(), &end);
           if (*end) errors.push_back({"lat", "\"" + lat + "\" är inget tal"});
           in.lon = std::strtod(lon.c_str(), &end);
           if (*end) errors.push_back({"long", "\"" + lon + "\" är inget tal"});
         }
         if (!errors.empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Ärendet är ogiltigt", errors);
         }
         auto created = sys.CreateReport(in, caller->actor());
         if (!created) {
           Error e = created.error();
           for (auto& f : e.fields) {
             if (f.field == "category") f.field = "service_code";
             if (f.field == "location") f.field = "lat";
           }
           return tl::unexpected(e);
         }
         json out = {{"service_request_id", std::to_string(created->report.id.value)},
                     {"service_notice",
                      created->scrubbed.empty() ? "Tack, ärendet är mottaget."
                                                : "Tack, ärendet är mottaget. Personuppgifter "
                                                  "togs bort ur beskrivningen."},
                     {"account_id", nullptr}};
         return JsonReply(json::array({out}), 201);
       }));
  // XML is not offered: the same targets with .xml are 400 naming the format.
  for (const char* xml : {"/open311/v2/services.xml", "/open311/v2/requests.xml",
                          "/open311/v2/discovery.xml"}) {
    Get(xml, Wrap([](const Request& req) -> Result<Reply> {
          if (auto s = JsonOnly(req); !s) return tl::unexpected(s.error());
          return MakeError(ErrorCode::kNotFound, "Adressen finns inte");
        }));
  }
}

}  // namespace est::http
