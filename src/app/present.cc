// Presentation of results as JSON, CSV and text tables.
#include "app/present.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/change.h"
#include "app/coverage.h"
#include "core/text.h"
#include "geo/crs.h"
#include "ingest/report_csv.h"

namespace est::app {
namespace {

using nlohmann::json;

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::string AreaCode(const std::optional<AreaId>& id, const app::Catalog& c) {
  if (!id) return "";
  const Area* a = c.AreaById(*id);
  return a ? a->code : "";
}

// Display width of UTF-8 text: code points (Swedish text has no wide characters).
size_t Width(std::string_view s) { return Utf8Length(s); }

// Cuts to at most `width` code points (with "…") and pads with spaces to exactly `width`.
std::string Cell(std::string s, size_t width) {
  if (Width(s) > width) {
    std::string out;
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) != 0x80 && ++n > width - 1) break;
      out += s[i];
    }
    s = out + "…";
  }
  return s + std::string(width - Width(s), ' ');
}

std::string Round(double v, int decimals) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(decimals);
  os << v;
  return os.str();
}

}  // namespace

std::map<int64_t, int64_t> SubtreeReportCounts(
    const app::Catalog& catalog, const std::vector<std::pair<int64_t, int64_t>>& direct) {
  std::map<int64_t, int64_t> out;
  for (const auto& [area, count] : direct) {
    if (area == 0) {
      out[0] += count;
      continue;
    }
    // Walk up the tree; the depth is small (kommun → område → delområde).
    for (const Area* a = catalog.AreaById(AreaId{area}); a;
         a = a->parent ? catalog.AreaById(*a->parent) : nullptr) {
      out[a->id.value] += count;
    }
  }
  return out;
}

json ReportJson(const Report& r, const app::Catalog& c) {
  const Organisation* org = c.OrgById(r.org);
  const Category* cat = c.CategoryById(r.category);
  const Area* area = r.area ? c.AreaById(*r.area) : nullptr;
  json j = {
      {"id", r.id.value},
      {"org", org ? org->code : ""},
      {"org_name", org ? org->name : ""},
      {"occurred_from", FormatTimestamp(r.occurred_from)},
      {"occurred_to", r.occurred_to ? json(FormatTimestamp(*r.occurred_to)) : json(nullptr)},
      {"reported_at", FormatTimestamp(r.reported_at)},
      // A report placed only by its area has no point: null coordinates, never the area's centre.
      {"location", r.area_only ? json{{"lon", nullptr},
                                      {"lat", nullptr},
                                      {"x", nullptr},
                                      {"y", nullptr},
                                      {"crs", "EPSG:3006"},
                                      {"source_crs", nullptr}}
                               : json{{"lon", std::round(r.lon * 1e6) / 1e6},
                                      {"lat", std::round(r.lat * 1e6) / 1e6},
                                      {"x", std::round(r.e * 100) / 100},
                                      {"y", std::round(r.n * 100) / 100},
                                      {"crs", "EPSG:3006"},
                                      {"source_crs", "EPSG:" + std::to_string(r.source_epsg)}}},
      {"area_only", r.area_only},
      {"placement_sv", r.area_only ? "bara område"
                       : r.place   ? "plats"
                                   : "punkt"},
      {"area", area ? json{{"code", area->code}, {"name", area->name}} : json(nullptr)},
      {"place", r.place ? json(r.place->value) : json(nullptr)},
      {"category", cat ? cat->code : ""},
      {"category_name", cat ? cat->name_sv : ""},
      {"dimension", cat ? std::string(DimensionText(cat->dimension)) : ""},
      {"severity", r.severity},
      {"count", r.count},
      {"certainty", CertaintyText(r.certainty)},
      {"police_notified", r.police_notified},
      {"description", r.description},
      {"source", ReportSourceText(r.source)},
      {"source_id", Nullable(r.source_id)},
      {"status", ReportStatusText(r.status)},
      {"review_note", r.review_note},
      {"duplicate_of", r.duplicate_of ? json(r.duplicate_of->value) : json(nullptr)},
      {"version", r.version},
  };
  return j;
}

namespace {
// The export's fields of a report, in the CSV's column order (ReportCsvHeader).
std::vector<std::pair<const char*, json>> ExportFields(const Report& r, const app::Catalog& c) {
  const Category* cat = c.CategoryById(r.category);
  const Organisation* org = c.OrgById(r.org);
  const Area* area = r.area ? c.AreaById(*r.area) : nullptr;
  auto coord = [&](double v) { return r.area_only ? json(nullptr) : json(std::round(v * 1e6) / 1e6); };
  return {{"id", r.id.value},
          {"source_id", Nullable(r.source_id)},
          {"occurred_from", FormatTimestamp(r.occurred_from)},
          {"occurred_to", r.occurred_to ? json(FormatTimestamp(*r.occurred_to)) : json(nullptr)},
          {"area_code", area ? json(area->code) : json(nullptr)},
          {"category", cat ? cat->code : ""},
          {"org", org ? org->code : ""},
          {"severity", r.severity},
          {"count", r.count},
          {"status", ReportStatusText(r.status)},
          {"source", ReportSourceText(r.source)},
          {"lon", coord(r.lon)},
          {"lat", coord(r.lat)},
          {"area_only", r.area_only},
          {"description", r.description}};
}
}  // namespace

std::string ReportCsvHeader() {
  return "id,source_id,occurred_from,occurred_to,area_code,category,org,severity,count,status,"
         "source,lon,lat,area_only,description\n";
}

std::string ReportCsvRow(const Report& r, const app::Catalog& c) {
  std::string out;
  bool first = true;
  for (const auto& [name, v] : ExportFields(r, c)) {
    if (!first) out += ',';
    first = false;
    if (v.is_null()) continue;
    if (v.is_string()) {
      out += ingest::CsvEscape(v.get<std::string>());
    } else if (v.is_boolean()) {
      out += v.get<bool>() ? "1" : "0";
    } else {
      out += v.dump();
    }
  }
  out += '\n';
  return out;
}

std::string ReportGeoJsonFeature(const Report& r, const app::Catalog& c) {
  json props = json::object();
  for (auto& [name, v] : ExportFields(r, c)) props[name] = std::move(v);
  json geometry = r.area_only ? json(nullptr)
                              : json{{"type", "Point"},
                                     {"coordinates", {std::round(r.lon * 1e6) / 1e6,
                                                      std::round(r.lat * 1e6) / 1e6}}};
  return json{{"type", "Feature"}, {"id", r.id.value}, {"geometry", geometry}, {"properties", props}}
      .dump();
}

json OrgJson(const Organisation& o, const app::Catalog& c) {
  const Organisation* parent = o.parent ? c.OrgById(*o.parent) : nullptr;
  return {{"id", o.id.value},
          {"code", o.code},
          {"name", o.name},
          {"kind", OrgKindText(o.kind)},
          {"parent", parent ? json(parent->code) : json(nullptr)},
          {"needs_review", o.needs_review}};
}

json UserJson(const User& u, const app::Catalog& c) {
  const Organisation* org = u.org ? c.OrgById(*u.org) : nullptr;
  return {{"id", u.id.value},
          {"login", u.login},
          {"display_name", u.display_name},
          {"role", RoleText(u.role)},
          {"org", org ? json(org->code) : json(nullptr)},
          {"disabled", u.disabled}};
}

json SecurityEventJson(const store::SecurityEvent& e) {
  return {{"id", e.id},          {"at", FormatTimestamp(e.at)}, {"kind", e.kind},
          {"login", e.login},    {"address", e.address},        {"detail", e.detail}};
}

json ApiTokenJson(const store::ApiToken& t, const std::string& login, UnixSeconds now) {
  auto when = [](UnixSeconds s) { return s ? json(FormatTimestamp(s)) : json(nullptr); };
  const bool active = !t.revoked_at && (!t.expires_at || t.expires_at > now);
  return {{"id", t.id},
          {"login", login},
          {"name", t.name},
          {"prefix", t.prefix},
          {"created_at", when(t.created_at)},
          {"expires_at", when(t.expires_at)},
          {"revoked_at", when(t.revoked_at)},
          {"last_used", when(t.last_used)},
          {"active", active}};
}

json AuditEntryJson(const store::AuditEntry& e) {
  return {{"seq", e.seq},       {"at", FormatTimestamp(e.at)}, {"actor", e.actor},
          {"action", e.action}, {"entity", e.entity},          {"entity_id", e.entity_id},
          {"hash", e.hash}};
}

json HistoryEntryJson(const store::AuditEntry& e) {
  return {{"seq", e.seq},
          {"at", FormatTimestamp(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"before", json::parse(e.before.empty() ? "null" : e.before, nullptr, false)},
          {"after", json::parse(e.after.empty() ? "null" : e.after, nullptr, false)}};
}

json StoredDocumentJson(const store::StoredDocument& d) {
  return {{"id", d.id},
          {"kind", d.kind},
          {"period", d.period},
          {"org", d.org},
          {"version", d.version},
          {"published_at", FormatTimestamp(d.published_at)},
          {"published_by", d.published_by}};
}

json SurveyJson(const SurveyResult& r, const app::Catalog& cat) {
  const Area* a = cat.AreaById(r.area);
  return {{"area", a ? json{{"code", a->code}, {"name", a->name}} : json(nullptr)},
          {"indicator", r.indicator},
          {"period", r.period},
          {"source", r.source},
          {"value", r.value},
          {"n", r.n ? json(*r.n) : json(nullptr)}};
}

json CsvImportJson(const CsvImportResult& r) {
  json rejected = json::array();
  for (const auto& row : r.rejected) {
    json errs = json::array();
    for (const auto& e : row.errors) errs.push_back({{"field", e.field}, {"reason", e.reason}});
    rejected.push_back({{"row", row.row}, {"errors", errs}});
  }
  return {{"rows", r.rows},
          {"inserted", r.inserted},
          {"already_present", r.already_present},
          {"outside", r.outside},
          {"scrubbed", r.scrubbed},
          {"created_categories", r.created_categories},
          {"created_orgs", r.created_orgs},
          {"rejected", rejected}};
}

json CategoryJson(const Category& cat) {
  return {{"id", cat.id.value},
          {"code", cat.code},
          {"name_sv", cat.name_sv},
          {"name_en", cat.name_en},
          {"group", cat.group},
          {"dimension", DimensionText(cat.dimension)},
          {"default_severity", cat.default_severity},
          {"active", cat.active},
          {"needs_review", cat.needs_review}};
}

json AreaJson(const Area& a, const app::Catalog& c, int64_t report_count) {
  return {{"id", a.id.value},
          {"code", a.code},
          {"name", a.name},
          {"parent", a.parent ? json(AreaCode(a.parent, c)) : json(nullptr)},
          {"level", a.level},
          {"population", a.population ? json(*a.population) : json(nullptr)},
          {"source_crs", "EPSG:" + std::to_string(a.source_epsg)},
          {"report_count", report_count}};
}

json PlaceJson(const Place& p, const app::Catalog& c) {
  geo::Wgs84Point w = geo::ToWgs84({p.e, p.n});
  return {{"id", p.id.value},
          {"name", p.name},
          {"kind", p.kind},
          {"x", p.e},
          {"y", p.n},
          {"lon", std::round(w.lon * 1e6) / 1e6},
          {"lat", std::round(w.lat * 1e6) / 1e6},
          {"area", p.area ? json(AreaCode(p.area, c)) : json(nullptr)}};
}

json CheckInJson(const CheckIn& ci, const app::Catalog& c) {
  const Organisation* org = c.OrgById(ci.org);
  return {{"org", org ? org->code : ""},
          {"area", AreaCode(ci.area, c)},
          {"week", FormatIsoWeek(ci.week)},
          {"nothing_to_report", ci.nothing_to_report},
          {"at", FormatTimestamp(ci.at)}};
}

json PeriodJson(const Period& p) {
  return {{"label", p.label()},
          {"label_sv", p.label_sv()},
          {"from", FormatDay(p.first)},
          {"to", FormatDay(p.last)},
          {"days", p.days()}};
}

namespace {
json ChangeJson(int64_t current, double current_days, int64_t base, double base_days) {
  analysis::Change ch = analysis::ComputeChange(current, current_days, base, base_days);
  return {{"diff", ch.diff},
          {"percent", ch.percent ? json(std::round(*ch.percent * 10) / 10) : json(nullptr)},
          {"z", std::round(ch.z * 100) / 100},
          {"p", std::round(ch.p * 1e6) / 1e6},
          {"signal", ch.signal.empty() ? json(nullptr) : json(ch.signal)}};
}
}  // namespace

std::string PeriodShownLabel(const analysis::Lagesbild& lb, bool english) {
  std::string label = english ? lb.period.label() : lb.period.label_sv();
  if (!lb.cut_minutes) return label;
  if (*lb.cut_minutes <= 0) return label + (english ? ", not begun" : ", har inte börjat");
  return label + (english ? ", so far, through " : ", hittills t.o.m. ") +
         CutLabel(lb.period, *lb.cut_minutes, english);
}

json LagesbildJson(const analysis::Lagesbild& lb, const app::Catalog& c) {
  json rows = json::array();
  for (const auto& r : lb.rows) {
    const Area* area = r.area() ? c.AreaById(*r.area()) : nullptr;
    const Category* cat = r.category() ? c.CategoryById(*r.category()) : nullptr;
    rows.push_back(
        {{"area_code", area ? json(area->code) : json(nullptr)},
         {"area_name", area ? area->name : "Utanför alla områden"},
         {"level", area ? json(area->level) : json(nullptr)},
         {"category", cat ? json(cat->code) : json(nullptr)},
         {"category_name", cat ? cat->name_sv : "Alla kategorier"},
         {"count", r.count},
         {"previous", r.previous},
         {"last_year", r.last_year},
         {"change_previous", ChangeJson(r.count, lb.days, r.previous, lb.days_previous)},
         {"change_last_year", ChangeJson(r.count, lb.days, r.last_year, lb.days_last_year)},
         {"rate_per_1000", area && area->population && *area->population > 0
                               ? json(std::round(1e5 * static_cast<double>(r.count) /
                                                 static_cast<double>(*area->population)) /
                                      100)
                               : json(nullptr)}});
  }
  json coverage = json::array();
  auto codes = [&](const std::vector<OrgId>& ids) {
    json a = json::array();
    for (OrgId id : ids) {
      const Organisation* o = c.OrgById(id);
      a.push_back(o ? o->code : std::to_string(id.value));
    }
    return a;
  };
  for (const auto& cov : lb.coverage) {
    const Area* area = c.AreaById(cov.area);
    size_t spoke = cov.reported.size() + cov.checked_in.size();
    for (OrgId o : cov.checked_in) {
      for (OrgId r : cov.reported) {
        if (r == o) --spoke;
      }
    }
    coverage.push_back(
        {{"area_code", area ? area->code : ""},
         {"area_name", area ? area->name : ""},
         {"reported", codes(cov.reported)},
         {"checked_in", codes(cov.checked_in)},
         {"silent", codes(cov.silent)},
         {"expected", cov.expected},
         {"share", cov.expected
                       ? json(std::round(100.0 * static_cast<double>(spoke) / cov.expected) / 100)
                       : json(nullptr)}});
  }
  // One coverage figure for the whole picture, so that nobody reads a quiet week as a safe one;
  // the documents print the same figure (app/coverage.h).
  const CoverageTotal total = TotalCoverage(lb, c);
  json coverage_total = {
      {"spoke", total.spoke},
      {"expected", total.expected},
      {"share", total.share ? json(std::round(100.0 * *total.share) / 100) : json(nullptr)}};
  // A running period says so, and how far its counts (and its comparisons') go.
  json running = nullptr;
  if (lb.cut_minutes) {
    running = {{"cut_minutes", *lb.cut_minutes},
               {"through_sv", CutLabel(lb.period, *lb.cut_minutes)},
               {"through_en", CutLabel(lb.period, *lb.cut_minutes, true)},
               {"label_sv", PeriodShownLabel(lb)},
               {"label_en", PeriodShownLabel(lb, true)},
               {"days", lb.days},
               {"days_previous", lb.days_previous},
               {"days_last_year", lb.days_last_year}};
  }
  return {{"period", PeriodJson(lb.period)},
          {"running", running},
          {"coverage_total", coverage_total},
          {"previous_period", PeriodJson(lb.previous)},
          {"last_year_period", PeriodJson(lb.last_year)},
          {"totals",
           {{"count", lb.total},
            {"previous", lb.total_previous},
            {"last_year", lb.total_last_year},
            {"outside", lb.outside},
            {"change_previous", ChangeJson(lb.total, lb.days, lb.total_previous, lb.days_previous)},
            {"change_last_year",
             ChangeJson(lb.total, lb.days, lb.total_last_year, lb.days_last_year)}}},
          {"rows", rows},
          {"coverage", coverage},
          {"method",
           "Antal rapporter (avvisade och dubbletter räknas inte). En förändring markeras som "
           "verklig när ett exakt villkorligt test för Poissonantal (binomialtest, justerat för "
           "periodernas längd) ger p < 0,01; z = 2(√C − √P·tC/tP) visas som storleksmått."}};
}

std::string LagesbildCsv(const analysis::Lagesbild& lb, const app::Catalog& c) {
  std::string out =
      "area_code,area_name,category,count,previous,last_year,category_name,level,"
      "change_previous,z_previous,change_last_year,z_last_year,"
      "p_previous,signal_previous,p_last_year,signal_last_year\n";
  for (const auto& r : lb.rows) {
    if (!r.category()) continue;
    const Area* area = r.area() ? c.AreaById(*r.area()) : nullptr;
    const Category* cat = c.CategoryById(*r.category());
    analysis::Change p = analysis::ComputeChange(r.count, lb.days, r.previous, lb.days_previous);
    analysis::Change y = analysis::ComputeChange(r.count, lb.days, r.last_year, lb.days_last_year);
    out += ingest::CsvEscape(area ? area->code : "") + "," +
           ingest::CsvEscape(area ? area->name : "Utanför alla områden") + "," +
           ingest::CsvEscape(cat ? cat->code : "") + "," + std::to_string(r.count) + "," +
           std::to_string(r.previous) + "," + std::to_string(r.last_year) + "," +
           ingest::CsvEscape(cat ? cat->name_sv : "") + "," +
           (area ? std::to_string(area->level) : "") + "," + std::to_string(p.diff) + "," +
           Round(p.z, 2) + "," + std::to_string(y.diff) + "," + Round(y.z, 2) + "," +
           Round(p.p, 6) + "," + p.signal + "," + Round(y.p, 6) + "," + y.signal + "\n";
  }
  return out;
}

std::string LagesbildTable(const analysis::Lagesbild& lb, const app::Catalog& c) {
  std::ostringstream os;
  os << "Lägesbild " << PeriodShownLabel(lb) << " (" << FormatDay(lb.period.first) << " – "
     << FormatDay(lb.period.last) << ")\n";
  os << "Jämförs med " << lb.previous.label_sv() << " och " << lb.last_year.label_sv();
  if (lb.cut_minutes)
    os << ", båda till samma tidpunkt (" << CutLabel(lb.period, *lb.cut_minutes) << ")";
  os << "\n\n";
  char nums[64];
  os << Cell("Område", 28) << " " << Cell("Kategori", 36) << "     Nu  Förra  Ifjol  Signal\n";
  for (const auto& r : lb.rows) {
    const Area* area = r.area() ? c.AreaById(*r.area()) : nullptr;
    const Category* cat = r.category() ? c.CategoryById(*r.category()) : nullptr;
    std::string area_name =
        area ? std::string(static_cast<size_t>(area->level) * 2, ' ') + area->name
             : "Utanför alla områden";
    std::string cat_name = cat ? "  " + cat->name_sv : "Totalt";
    analysis::Change p = analysis::ComputeChange(r.count, lb.days, r.previous, lb.days_previous);
    std::snprintf(nums, sizeof nums, " %6lld %6lld %6lld  ", static_cast<long long>(r.count),
                  static_cast<long long>(r.previous), static_cast<long long>(r.last_year));
    os << Cell(area_name, 28) << " " << Cell(cat_name, 36) << nums << p.signal << "\n";
  }
  os << "\nTotalt: " << lb.total << " rapporter (förra perioden " << lb.total_previous
     << ", samma period i fjol " << lb.total_last_year << "); utanför alla områden: " << lb.outside
     << "\n\nTäckning (vem har rapporterat eller checkat in):\n";
  for (const auto& cov : lb.coverage) {
    const Area* area = c.AreaById(cov.area);
    os << "  " << (area ? area->name : "?") << ": " << cov.reported.size() << " rapporterade, "
       << cov.checked_in.size() << " checkade in, " << cov.silent.size() << " tysta";
    if (!cov.silent.empty()) {
      os << " (";
      for (size_t i = 0; i < cov.silent.size(); ++i) {
        const Organisation* o = c.OrgById(cov.silent[i]);
        os << (i ? ", " : "") << (o ? o->code : "?");
      }
      os << ")";
    }
    os << "\n";
  }
  return os.str();
}

}  // namespace est::app

namespace est::app {

nlohmann::json AddressMatchJson(const AddressMatch& m) {
  return {{"label", m.label},       {"street", m.street},
          {"number", m.number},     {"postcode", m.postcode},
          {"locality", m.locality}, {"lon", std::round(m.lon * 1e6) / 1e6},
          {"lat", std::round(m.lat * 1e6) / 1e6},
          {"area_code", m.area_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.area_code)},
          {"street_only", m.street_only}};
}

nlohmann::json BasemapJson(const Basemap& b) {
  if (b.url.empty()) {
    return {{"url", nullptr}, {"attribution", nullptr}, {"max_zoom", nullptr}, {"source", nullptr}};
  }
  return {{"url", b.url}, {"attribution", b.attribution}, {"max_zoom", b.max_zoom},
          {"source", b.source}};
}

}  // namespace est::app
