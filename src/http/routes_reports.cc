// Report routes: create (the form), list with filters, read, change (review), CSV import, and the
// weekly check-ins. Who acts for which organisation: app/access.h.
#include <optional>

#include "app/access.h"
#include "app/feedback.h"
#include "app/gis_upload.h"
#include "app/present.h"
#include "app/queries.h"
#include "core/period.h"
#include "core/time.h"
#include "http/server_impl.h"

namespace est::http {

namespace {

// Fills a ReportInput from the JSON of POST /reports. Location forms:
// {"location": {"lon":..,"lat":..}} | {"location": {"x":..,"y":..,"crs":"EPSG:3006"}} |
// {"location": {"place": "Tureberg centrum"}} | {"location": {"area": "edsberg"}} (bara område:
// counted in the area, no point).
Result<ingest::ReportInput> ReportInputFromJson(const json& body) {
  Fields f(body, "",
           {"source_id", "occurred_from", "occurred_to", "location", "category", "org", "severity",
            "count", "certainty", "police_notified", "description"});
  ingest::ReportInput in;
  in.source_id = f.Str("source_id");
  in.occurred_from = f.Str("occurred_from").value_or("");
  in.occurred_to = f.Str("occurred_to").value_or("");
  in.category = f.Str("category").value_or("");
  in.org = f.Str("org").value_or("");
  in.severity = f.Int("severity");
  in.count = f.Int("count");
  in.certainty = f.Str("certainty").value_or("");
  in.police_notified = f.Bool("police_notified");
  in.description = f.Str("description", kMaxDescriptionChars).value_or("");
  if (const json* loc = f.Obj("location")) {
    Fields lf(*loc, "location.", {"lon", "lat", "x", "y", "crs", "place", "area"});
    in.area = lf.Str("area").value_or("");
    in.lon = lf.Num("lon");
    in.lat = lf.Num("lat");
    in.x = lf.Num("x");
    in.y = lf.Num("y");
    in.place = lf.Str("place").value_or("");
    if (auto crs = lf.Crs("crs")) in.epsg = *crs;
    f.Merge(lf);
  } else {
    f.Require("location", false);
  }
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Rapporten är ogiltig", f.errors());
  }
  return in;
}

}  // namespace

Result<Reply> Server::Impl::CreateReport(const Request& req, const Caller& c) {
  if (c.Is({Role::kViewer})) return Forbidden("Läsbehörighet räcker inte för att rapportera");
  auto body = ParseJsonBody(req);
  if (!body) return tl::unexpected(body.error());
  auto in = ReportInputFromJson(*body);
  if (!in) return tl::unexpected(in.error());
  auto cat = sys.catalog();
  const Organisation* own = c.user.org ? cat->OrgById(*c.user.org) : nullptr;
  if (in->org.empty() && own) in->org = own->code;
  if (const Organisation* named = cat->FindOrg(in->org);
      app::OrgBound(c.user) && (!named || !app::MayActFor(c.user, named->id))) {
    return Forbidden("Du kan bara rapportera för din egen organisation");
  }
  in->source = ReportSource::kForm;
  auto created = sys.CreateReport(*in, c.actor());
  if (!created) return tl::unexpected(created.error());
  json j = app::ReportJson(created->report, *sys.catalog());
  json notes = json::array();
  for (const auto& s : created->scrubbed) notes.push_back(s);
  j["removed_personal_data"] = notes;
  j["notes"] = created->notes;
  Reply r = JsonReply(j, created->created ? 201 : 200);
  r.headers.emplace_back("Location", "/api/v1/reports/" + std::to_string(created->report.id.value));
  return r;
}

// The export formats: every report of the filters (an area with its sub-areas), newest first,
// at most `limit` (default and most 100 000) from `offset`; the same organisation scope as the
// list.
Result<Reply> Server::Impl::ExportReports(const Request& req, const Caller& c,
                                          const std::string& format) {
  app::ReportExportParams p = ExportParams(req);
  auto limit = IntParam(req, "limit", 100000, 1, 100000);
  if (!limit) return tl::unexpected(limit.error());
  auto offset = IntParam(req, "offset", 0, 0, INT64_MAX);
  if (!offset) return tl::unexpected(offset.error());
  auto filter = app::ResolveReportFilter(sys, p);
  if (!filter) return tl::unexpected(filter.error());
  if (auto scope = app::ReportListScope(c.user)) filter->orgs = {*scope};
  filter->offset = *offset;
  Reply r;
  auto n = app::WriteReports(sys, *filter, format, *limit,
                             [&r](std::string_view s) { r.body.append(s); });
  if (!n) return tl::unexpected(n.error());
  r.content_type = format == "csv" ? "text/csv; charset=utf-8" : "application/geo+json";
  r.headers.emplace_back("X-Report-Count", std::to_string(*n));
  return r;
}

Result<Reply> Server::Impl::ListReports(const Request& req, const Caller& c) {
  const std::string format = req.get_param_value("format");
  if (format == "csv" || format == "geojson") return ExportReports(req, c, format);
  if (!format.empty() && format != "json") {
    return InvalidField("format", "måste vara json, csv eller geojson");
  }
  auto cat = sys.catalog();
  store::ReportFilter f;
  std::vector<FieldError> errors;
  auto limit = IntParam(req, "limit", 100, 1, 1000);
  auto offset = IntParam(req, "offset", 0, 0, INT64_MAX);
  if (!limit) errors.insert(errors.end(), limit.error().fields.begin(), limit.error().fields.end());
  if (!offset)
    errors.insert(errors.end(), offset.error().fields.begin(), offset.error().fields.end());
  if (limit) f.limit = *limit;
  if (offset) f.offset = *offset;
  if (req.has_param("from")) {
    auto d = ParseDay(req.get_param_value("from"));
    if (d)
      f.from = LocalDayStartUtc(*d);
    else
      errors.push_back({"from", "måste vara ett datum"});
  }
  if (req.has_param("to")) {
    auto d = ParseDay(req.get_param_value("to"));
    if (d)
      f.to = LocalDayStartUtc(*d + 1);
    else
      errors.push_back({"to", "måste vara ett datum"});
  }
  if (req.has_param("period")) {
    auto p = ParsePeriod(req.get_param_value("period"));
    if (p) {
      f.from = LocalDayStartUtc(p->first);
      f.to = LocalDayStartUtc(p->last + 1);
    } else {
      errors.push_back({"period", p.error().detail});
    }
  }
  for (const auto& code : ListParam(req, "category")) {
    if (const Category* k = cat->FindCategory(code))
      f.categories.push_back(k->id);
    else
      errors.push_back({"category", "okänd kategori \"" + code + "\""});
  }
  for (const auto& code : ListParam(req, "org")) {
    if (const Organisation* o = cat->FindOrg(code))
      f.orgs.push_back(o->id);
    else
      errors.push_back({"org", "okänd organisation \"" + code + "\""});
  }
  if (req.has_param("status")) {
    auto s = ParseReportStatus(req.get_param_value("status"));
    if (s)
      f.status = *s;
    else
      errors.push_back({"status", "okänd status"});
  }
  if (req.has_param("source")) {
    auto s = ParseReportSource(req.get_param_value("source"));
    if (s)
      f.source = *s;
    else
      errors.push_back({"source", "måste vara form, import, police eller medborgare"});
  }
  if (req.has_param("area")) {
    std::string code = req.get_param_value("area");
    if (code == "outside") {
      f.outside_only = true;
    } else if (const Area* a = cat->FindArea(code)) {
      f.area = a->id;
    } else {
      errors.push_back({"area", "okänt område \"" + code + "\""});
    }
  }
  if (!errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Ogiltiga filter", std::move(errors));
  }
  // Point level (app/disclosure.h): a limited audience, viewers too, lists its own organisation.
  if (auto scope = app::ReportListScope(c.user)) f.orgs = {*scope};
  auto page = app::ListReports(sys, f);
  if (!page) return tl::unexpected(page.error());
  auto feedback = app::FeedbackIndex::Load(sys);
  if (!feedback) return tl::unexpected(feedback.error());
  json items = json::array();
  for (const Report& r : page->reports) {
    json j = app::ReportJson(r, *cat);
    j["feedback"] = feedback->For(r.id, *cat);
    items.push_back(std::move(j));
  }
  return JsonReply({{"items", items}, {"total", page->total}, {"limit", f.limit}, {"offset", f.offset}});
}

Result<Reply> Server::Impl::PatchReport(const Request& req, const Caller& c) {
  auto path_id = PathId(req);
  if (!path_id) return tl::unexpected(path_id.error());
  const int64_t id = *path_id;
  if (c.Is({Role::kViewer})) return Forbidden("Läsbehörighet räcker inte för att ändra");
  auto current = app::GetReport(sys, ReportId{id});
  if (!current) return tl::unexpected(current.error());
  if (!*current) return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  if (!app::MayActFor(c.user, (*current)->org)) {
    return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  }
  auto body = ParseJsonBody(req);
  if (!body) return tl::unexpected(body.error());
  Fields f(*body, "",
           {"version", "category", "severity", "count", "certainty", "police_notified",
            "description", "status", "review_note", "duplicate_of", "place", "location"});
  auto version = f.Int("version");
  f.Require("version", version.has_value());
  app::ReportPatch patch;
  patch.category = f.Str("category");
  patch.severity = f.Int("severity");
  patch.count = f.Int("count");
  patch.certainty = f.Str("certainty");
  patch.police_notified = f.Bool("police_notified");
  patch.description = f.Str("description", kMaxDescriptionChars);
  patch.status = f.Str("status");
  patch.review_note = f.Str("review_note", kMaxNoteChars);
  if (auto d = f.Int("duplicate_of")) patch.duplicate_of = *d;
  if (const json* loc = f.Obj("location")) {
    Fields lf(*loc, "location.", {"lon", "lat", "place"});
    patch.lon = lf.Num("lon");
    patch.lat = lf.Num("lat");
    patch.place = lf.Str("place");
    f.Merge(lf);
  }
  if (auto place = f.Str("place")) patch.place = place;
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Ändringen är ogiltig", f.errors());
  }
  const bool reviewer = c.Is({Role::kCoordinator, Role::kAdmin});
  if ((patch.status || patch.review_note || patch.duplicate_of) && !reviewer) {
    return Forbidden("Bara samordnare kan ändra status (granskning)");
  }
  // A reporter's change to a report that has been reviewed sends it back to review: what the
  // coordinator approved is not silently rewritten.
  const bool content = patch.category || patch.severity || patch.count || patch.certainty ||
                       patch.police_notified || patch.description || patch.place || patch.lon;
  if (!reviewer && content && (*current)->status != ReportStatus::kNew) {
    patch.status = "new";
    patch.review_note = "Ändrad av rapportören efter granskningen; granskas igen.";
  }
  auto updated = sys.UpdateReport(ReportId{id}, patch, *version, c.actor());
  if (!updated) return tl::unexpected(updated.error());
  return JsonReply(app::ReportJson(*updated, *sys.catalog()));
}

Result<Reply> Server::Impl::ImportReports(const Request& req, const Caller& c) {
  if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
    return Forbidden("Bara samordnare och administratörer kan massimportera");
  }
  std::string ct = req.get_header_value("Content-Type");
  const auto gis = app::GisUploadKindOf(ct);
  if (!gis && ct.rfind("text/csv", 0) != 0) {
    return MakeError(ErrorCode::kUnsupportedMedia,
                     "Skicka filen som CSV, GeoPackage eller zippad Shapefile",
                     {{"Content-Type", "måste vara text/csv, application/geopackage+sqlite3 "
                                       "eller application/zip"}});
  }
  app::CsvImportOptions opt;
  opt.csv.default_org = req.get_param_value("org");
  opt.create_missing = req.get_param_value("create_missing") == "true";
  opt.skip_invalid = req.get_param_value("skip_invalid") == "true";
  auto crs = CrsParam(req);
  if (!crs) return tl::unexpected(crs.error());
  std::string csv;
  if (gis) {
    // The point layer as CSV in WGS 84, its errors naming features (as est import reports).
    auto text = app::GisUploadPointsAsCsv(req.body, *gis, {req.get_param_value("layer"), *crs});
    if (!text) return tl::unexpected(text.error());
    csv = std::move(*text);
    opt.csv.row_word = "objekt";
    opt.csv.row_offset = 1;
  } else if (*crs) {
    opt.csv.crs = **crs;
  }
  auto result = sys.ImportReportsCsv(gis ? std::string_view(csv) : std::string_view(req.body),
                                     opt, c.actor());
  if (!result) return tl::unexpected(result.error());
  return JsonReply(app::CsvImportJson(*result));
}

void Server::Impl::ReportRoutes() {
  // Reports.
  Post("/api/v1/reports", Authed([this](const Request& req, const Caller& c) {
         return CreateReport(req, c);
       }));
  Get("/api/v1/reports",
      Authed([this](const Request& req, const Caller& c) { return ListReports(req, c); }));
  Post("/api/v1/reports/import", Authed([this](const Request& req, const Caller& c) {
         return ImportReports(req, c);
       }));
  Get(R"(/api/v1/reports/(\d+))",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto r = app::GetReport(sys, ReportId{*id});
        if (!r) return tl::unexpected(r.error());
        if (!*r || !app::MaySeeReport(c.user, (*r)->org)) {
          return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
        }
        auto cat = sys.catalog();
        json j = app::ReportJson(**r, *cat);
        auto feedback = app::FeedbackIndex::Load(sys);
        if (!feedback) return tl::unexpected(feedback.error());
        j["feedback"] = feedback->For((*r)->id, *cat);
        auto dups = app::DuplicatesOf(sys, (*r)->id);
        if (!dups) return tl::unexpected(dups.error());
        json d = json::array();
        for (ReportId x : *dups) d.push_back(x.value);
        j["duplicates"] = d;
        return JsonReply(j);
      }));
  Patch(R"(/api/v1/reports/(\d+))", Authed([this](const Request& req, const Caller& c) {
          return PatchReport(req, c);
        }));

  // Check-ins.
  Get("/api/v1/checkins", Authed([this](const Request&, const Caller& c) -> Result<Reply> {
        auto list = app::ListCheckIns(sys);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        const std::optional<OrgId> scope = app::ActingScope(c.user);
        json items = json::array();
        for (const auto& ci : *list) {
          if (scope && ci.org != *scope) continue;
          items.push_back(app::CheckInJson(ci, *cat));
        }
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/checkins",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (c.Is({Role::kViewer})) return Forbidden("Läsbehörighet räcker inte");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"org", "area", "week", "nothing_to_report"});
         auto cat = sys.catalog();
         const Organisation* own = c.user.org ? cat->OrgById(*c.user.org) : nullptr;
         std::string org = f.Str("org").value_or(own ? own->code : "");
         auto area = f.Str("area");
         auto week = f.Str("week");
         bool nothing = f.Bool("nothing_to_report").value_or(true);
         f.Require("week", week.has_value());
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Incheckningen är ogiltig", f.errors());
         }
         if (const Organisation* named = cat->FindOrg(org);
             app::OrgBound(c.user) && (!named || !app::MayActFor(c.user, named->id))) {
           return Forbidden("Du kan bara checka in för din egen organisation");
         }
         auto ci = sys.RecordCheckIn(org, area.value_or(""), *week, nothing, c.actor());
         if (!ci) return tl::unexpected(ci.error());
         return JsonReply(app::CheckInJson(*ci, *sys.catalog()), 201);
       }));
}

}  // namespace est::http
