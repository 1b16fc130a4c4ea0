// OGC API – Features, Part 1 (Core, GeoJSON) at /ogcapi, for QGIS, ArcGIS and GDAL's OAPIF
// driver: the landing page, /conformance, /collections with areas, places, reports (the caller's
// visible reports, with the same organisation scope as the API), hotspots and heat (the Gi*
// hotspots and the kernel density surface of a period, with the API's disclosure rules).
//
// Contract: every route needs a caller (a session or `Authorization: Bearer TOKEN`). Coordinates
// are CRS84 (WGS 84 lon/lat) unless `crs` names EPSG:3006 (Part 2, CRS by reference: SWEREF 99
// TM in its axis order, northing then easting; the reply's Content-Crs says which); `bbox-crs`
// does the same for `bbox` (for reports and places exact in SWEREF; cells and areas by their
// bounds). Items take `bbox` (minlon,minlat,maxlon,maxlat), `datetime` (an
// RFC 3339 instant or date, or an interval "a/b" with ".." for an open end; reports match by
// their start time), `limit` (1–10 000, default 100; larger is cut to 10 000 as the standard
// asks) and `offset`; a page carries numberMatched, numberReturned and a `next` link while more
// remain. Hotspots and heat take the lägesbild's filters (`period`, default the last complete
// week). Bad parameters are 400 naming them.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/analyses.h"
#include "app/access.h"
#include "app/present.h"
#include "app/queries.h"
#include "core/time.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "http/params.h"
#include "http/server_impl.h"

namespace est::http {
namespace {

using json = nlohmann::json;

constexpr const char* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* kSweref = "http://www.opengis.net/def/crs/EPSG/0/3006";
constexpr int64_t kMaxLimit = 10000;

struct Collection {
  const char* id;
  const char* title;
  const char* description;
  bool has_items_by_id;
};

constexpr Collection kCollections[] = {
    {"areas", "Områden", "Kommunens områden med antal rapporter", true},
    {"places", "Platser", "Namngivna platser", true},
    {"reports", "Rapporter", "Rapporterna du får se (punkter; rapporter utan punkt saknar geometri)",
     true},
    {"hotspots", "Hotspots", "Gi*-hotspots med FDR för perioden (celler)", false},
    {"heat", "Täthet", "Kärntäthet (kvartisk) för perioden (celler)", false},
};

std::string BaseUrl(const Request& req) { return OriginOf(req) + "/ogcapi"; }

json Link(const std::string& href, const char* rel, const char* type, const std::string& title = "") {
  json l = {{"href", href}, {"rel", rel}, {"type", type}};
  if (!title.empty()) l["title"] = title;
  return l;
}

json CollectionJson(const Request& req, const Collection& c) {
  const std::string base = BaseUrl(req) + "/collections/" + c.id;
  return {{"id", c.id},
          {"title", c.title},
          {"description", c.description},
          {"itemType", "feature"},
          {"crs", {kCrs84, kSweref}},
          {"storageCrs", kSweref},
          {"extent", {{"spatial", {{"bbox", {{10.9, 55.2, 24.2, 69.1}}}, {"crs", kCrs84}}}}},
          {"links",
           {Link(base, "self", "application/json"),
            Link(base + "/items", "items", "application/geo+json", c.title)}}};
}

Status CheckFormat(const Request& req) {
  if (!req.has_param("f")) return {};
  const std::string f = req.get_param_value("f");
  if (f == "json" || f == "geojson") return {};
  return InvalidField("f", "bara json stöds");
}

// Part 2 (CRS by reference): `crs` and `bbox-crs` name CRS84 (the default, lon/lat) or
// EPSG:3006, SWEREF 99 TM, in its own axis order: northing, easting.
Result<int> CrsOf(const Request& req, const char* name) {
  if (!req.has_param(name)) return geo::kEpsgWgs84;
  const std::string v = req.get_param_value(name);
  if (v == kCrs84) return geo::kEpsgWgs84;
  if (v == kSweref) return geo::kEpsgSweref99Tm;
  return InvalidField(name, std::string("stöds inte; ange ") + kCrs84 + " eller " + kSweref);
}

// One position [lon, lat] as [northing, easting] in SWEREF 99 TM, to the millimetre.
void ToSwerefAxes(json& coords) {
  if (coords.is_array() && coords.size() >= 2 && coords[0].is_number()) {
    auto p = geo::ToSweref(geo::kEpsgWgs84, coords[0].get<double>(), coords[1].get<double>());
    if (!p) return;
    coords = json::array({std::round(p->n * 1000) / 1000, std::round(p->e * 1000) / 1000});
    return;
  }
  if (coords.is_array()) {
    for (auto& c : coords) ToSwerefAxes(c);
  }
}

// A feature text in `epsg` (it is written in CRS84).
std::string InCrs(std::string feature, int epsg) {
  if (epsg == geo::kEpsgWgs84) return feature;
  json f = json::parse(feature, nullptr, false);
  if (!f.is_object() || !f.contains("geometry") || !f["geometry"].is_object()) return feature;
  ToSwerefAxes(f["geometry"]["coordinates"]);
  return f.dump();
}

const char* CrsUri(int epsg) { return epsg == geo::kEpsgSweref99Tm ? kSweref : kCrs84; }

// One feature (items/{id}) in the requested crs, with its Content-Crs.
Result<Reply> OneFeature(const Request& req, std::string feature) {
  auto crs = CrsOf(req, "crs");
  if (!crs) return tl::unexpected(crs.error());
  Reply r = TextReply(InCrs(std::move(feature), *crs), "application/geo+json");
  r.set_header("Content-Crs", std::string("<") + CrsUri(*crs) + ">");
  return r;
}

// bbox=minlon,minlat,maxlon,maxlat (CRS84), or with bbox-crs EPSG:3006
// minN,minE,maxN,maxE (returned as given; ItemsParams turns it into boxes).
Result<std::optional<std::array<double, 4>>> BboxParam(const Request& req, bool sweref = false) {
  if (!req.has_param("bbox")) return std::optional<std::array<double, 4>>();
  const std::string text = req.get_param_value("bbox");
  std::array<double, 4> v{};
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = text.find(',', start);
    if ((i < 3) == (end == std::string::npos)) {
      return InvalidField("bbox", "måste vara fyra tal: minlon,minlat,maxlon,maxlat");
    }
    std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    char* stop = nullptr;
    v[static_cast<size_t>(i)] = std::strtod(part.c_str(), &stop);
    if (part.empty() || *stop != '\0' || !std::isfinite(v[static_cast<size_t>(i)])) {
      return InvalidField("bbox", "\"" + part + "\" är inget tal");
    }
    start = end + 1;
  }
  if (sweref) {
    if (v[0] > v[2] || v[1] > v[3]) {
      return InvalidField("bbox", "minN,minE,maxN,maxE (EPSG:3006) med min ≤ max");
    }
    return std::optional<std::array<double, 4>>(v);
  }
  if (v[0] > v[2] || v[1] > v[3] || v[1] < -90 || v[3] > 90) {
    return InvalidField("bbox", "minlon,minlat,maxlon,maxlat med min ≤ max och latitud i ±90");
  }
  return std::optional<std::array<double, 4>>(v);
}

struct TimeRange {
  std::optional<UnixSeconds> from, to;  // [from, to)
};

// One end of a datetime: a date means its whole day (Swedish time).
Result<UnixSeconds> TimeEnd(const std::string& text, bool end) {
  if (text.size() == 10) {
    auto day = ParseDay(text);
    if (!day) return InvalidField("datetime", "\"" + text + "\" är inget datum (ÅÅÅÅ-MM-DD)");
    return LocalDayStartUtc(*day + (end ? 1 : 0));
  }
  auto t = ParseTimestamp(text);
  if (!t) return InvalidField("datetime", "\"" + text + "\" är ingen tidpunkt (RFC 3339)");
  return *t + (end ? 1 : 0);
}

Result<TimeRange> DatetimeParam(const Request& req) {
  TimeRange r;
  if (!req.has_param("datetime")) return r;
  const std::string text = req.get_param_value("datetime");
  size_t slash = text.find('/');
  if (slash == std::string::npos) {
    auto a = TimeEnd(text, false);
    if (!a) return tl::unexpected(a.error());
    auto b = TimeEnd(text, true);
    r.from = *a;
    r.to = *b;
    return r;
  }
  const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  if ((a.empty() || a == "..") && (b.empty() || b == "..")) {
    return InvalidField("datetime", "ett intervall behöver minst en ände");
  }
  if (!a.empty() && a != "..") {
    auto t = TimeEnd(a, false);
    if (!t) return tl::unexpected(t.error());
    r.from = *t;
  }
  if (!b.empty() && b != "..") {
    auto t = TimeEnd(b, true);
    if (!t) return tl::unexpected(t.error());
    r.to = *t;
  }
  if (r.from && r.to && *r.from >= *r.to) {
    return InvalidField("datetime", "intervallets början ligger efter dess slut");
  }
  return r;
}

struct Page {
  int64_t limit = 100;
  int64_t offset = 0;
};

Result<Page> PageParams(const Request& req) {
  Page p;
  if (req.has_param("limit")) {
    auto l = IntParam(req, "limit", 100, 1, INT64_MAX);
    if (!l) return tl::unexpected(l.error());
    p.limit = std::min<int64_t>(*l, kMaxLimit);
  }
  auto o = IntParam(req, "offset", 0, 0, INT64_MAX);
  if (!o) return tl::unexpected(o.error());
  p.offset = *o;
  return p;
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == ',' ||
        ch == ':') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

std::array<double, 4> LonLatBox(const geo::Bbox& s);

// What every items request takes: f, bbox (with bbox-crs), crs and the page. `box` is always
// the lon/lat box; with bbox-crs EPSG:3006 `sweref_box` {min_e, min_n, max_e, max_n} is the box
// as given and `box` the lon/lat box around it.
struct ItemsQuery {
  std::optional<std::array<double, 4>> box;
  std::optional<std::array<double, 4>> sweref_box;
  Page page;
  int crs = geo::kEpsgWgs84;
};

Result<ItemsQuery> ItemsParams(const Request& req) {
  if (auto f = CheckFormat(req); !f) return tl::unexpected(f.error());
  auto bbox_crs = CrsOf(req, "bbox-crs");
  if (!bbox_crs) return tl::unexpected(bbox_crs.error());
  auto crs = CrsOf(req, "crs");
  if (!crs) return tl::unexpected(crs.error());
  const bool sweref = *bbox_crs == geo::kEpsgSweref99Tm;
  auto box = BboxParam(req, sweref);
  if (!box) return tl::unexpected(box.error());
  auto page = PageParams(req);
  if (!page) return tl::unexpected(page.error());
  ItemsQuery q{*box, std::nullopt, *page, *crs};
  if (sweref && *box) {
    const auto& v = **box;  // N, E order
    q.sweref_box = std::array<double, 4>{v[1], v[0], v[3], v[2]};
    q.box = LonLatBox({v[1], v[0], v[3], v[2]});
  }
  return q;
}

// The target of the next page: the same query with offset moved on.
std::string NextHref(const Request& req, const std::string& path, int64_t offset, int64_t limit) {
  std::string q;
  for (const auto& [k, v] : req.params) {
    if (k == "offset" || k == "limit") continue;
    q += (q.empty() ? "" : "&") + UrlEncode(k) + "=" + UrlEncode(v);
  }
  q += std::string(q.empty() ? "" : "&") + "limit=" + std::to_string(limit) +
       "&offset=" + std::to_string(offset);
  return OriginOf(req) + path + "?" + q;
}

Reply Items(const Request& req, std::vector<std::string> features, int64_t matched, const Page& page) {
  const int crs = CrsOf(req, "crs").value_or(geo::kEpsgWgs84);  // checked by ItemsParams
  std::string body = R"({"type":"FeatureCollection","features":[)";
  for (size_t i = 0; i < features.size(); ++i) {
    body += (i ? "," : "") + InCrs(std::move(features[i]), crs);
  }
  json meta = {{"numberMatched", matched},
               {"numberReturned", features.size()},
               {"timeStamp", FormatTimestampUtc(NowUnix())}};
  json links = json::array();
  links.push_back(Link(OriginOf(req) + req.target, "self",
                       "application/geo+json"));
  const int64_t next = page.offset + static_cast<int64_t>(features.size());
  if (next < matched && !features.empty()) {
    links.push_back(Link(NextHref(req, req.path, next, page.limit), "next", "application/geo+json"));
  }
  meta["links"] = links;
  std::string tail = meta.dump();
  body += "]," + tail.substr(1);  // the members of meta after "features"
  Reply r = TextReply(std::move(body), "application/geo+json");
  r.set_header("Content-Crs", std::string("<") + CrsUri(crs) + ">");
  return r;
}

// One page of features held in memory (areas, places, cells): numberMatched is all of them.
Reply PageOf(const Request& req, std::vector<std::string> all, const Page& page) {
  const int64_t matched = static_cast<int64_t>(all.size());
  std::vector<std::string> part;
  for (int64_t i = page.offset; i < matched && i < page.offset + page.limit; ++i) {
    part.push_back(std::move(all[static_cast<size_t>(i)]));
  }
  return Items(req, std::move(part), matched, page);
}

bool InBox(const std::array<double, 4>& b, double lon, double lat) {
  return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

// The lon/lat box of a SWEREF box (its corners and edge midpoints).
std::array<double, 4> LonLatBox(const geo::Bbox& s) {
  std::array<double, 4> out = {1e9, 1e9, -1e9, -1e9};
  for (double fe : {0.0, 0.5, 1.0}) {
    for (double fn : {0.0, 0.5, 1.0}) {
      geo::Wgs84Point w = geo::ToWgs84(
          {s.min_e + fe * (s.max_e - s.min_e), s.min_n + fn * (s.max_n - s.min_n)});
      out[0] = std::min(out[0], w.lon);
      out[1] = std::min(out[1], w.lat);
      out[2] = std::max(out[2], w.lon);
      out[3] = std::max(out[3], w.lat);
    }
  }
  return out;
}

bool Overlaps(const std::array<double, 4>& a, const std::array<double, 4>& b) {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

// A FeatureCollection text's features as texts, each with a numeric id.
std::vector<std::string> FeaturesOf(const std::string& geojson,
                                    const std::optional<std::array<double, 4>>& box) {
  json fc = json::parse(geojson, nullptr, false);
  std::vector<std::string> out;
  if (!fc.is_object() || !fc.contains("features")) return out;
  int64_t n = 0;
  for (auto& f : fc["features"]) {
    ++n;
    if (!f.contains("id")) f["id"] = n;
    if (box && f["geometry"].is_object()) {
      // A cell: the box of its first ring.
      std::array<double, 4> fb = {1e9, 1e9, -1e9, -1e9};
      const json& g = f["geometry"];
      const json& ring = g["type"] == "Polygon" ? g["coordinates"][0] : g["coordinates"][0][0];
      for (const auto& p : ring) {
        fb[0] = std::min(fb[0], p[0].get<double>());
        fb[1] = std::min(fb[1], p[1].get<double>());
        fb[2] = std::max(fb[2], p[0].get<double>());
        fb[3] = std::max(fb[3], p[1].get<double>());
      }
      if (!Overlaps(fb, *box)) continue;
    }
    out.push_back(f.dump());
  }
  return out;
}

}  // namespace

void Server::Impl::OgcRoutes() {
  Get("/ogcapi", Authed([](const Request& req, const Caller&) -> Result<Reply> {
        if (auto f = CheckFormat(req); !f) return tl::unexpected(f.error());
        const std::string base = BaseUrl(req);
        return JsonReply(
            {{"title", "EST – Effektiv samordning för trygghet"},
             {"description", "Lägesbildens områden, platser, rapporter, hotspots och täthet "
                             "(OGC API – Features)"},
             {"links",
              {Link(base, "self", "application/json", "Den här sidan"),
               Link(base + "/conformance", "conformance", "application/json", "Överensstämmelse"),
               Link(base + "/collections", "data", "application/json", "Samlingarna")}}});
      }));
  Get("/ogcapi/conformance", Authed([](const Request& req, const Caller&) -> Result<Reply> {
        if (auto f = CheckFormat(req); !f) return tl::unexpected(f.error());
        return JsonReply(
            {{"conformsTo",
              {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
               "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
               "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"}}});
      }));
  Get("/ogcapi/collections", Authed([](const Request& req, const Caller&) -> Result<Reply> {
        if (auto f = CheckFormat(req); !f) return tl::unexpected(f.error());
        json list = json::array();
        for (const Collection& c : kCollections) list.push_back(CollectionJson(req, c));
        return JsonReply({{"links", {Link(BaseUrl(req) + "/collections", "self", "application/json")}},
                          {"collections", list}});
      }));
  for (const Collection& c : kCollections) {
    const std::string path = std::string("/ogcapi/collections/") + c.id;
    Get(path, Authed([&c](const Request& req, const Caller&) -> Result<Reply> {
          if (auto f = CheckFormat(req); !f) return tl::unexpected(f.error());
          return JsonReply(CollectionJson(req, c));
        }));
  }

  // areas
  auto area_feature = [this](const store::NewArea& g, const app::Catalog& cat,
                             const std::map<int64_t, int64_t>& counts) {
    auto it = counts.find(g.area.id.value);
    json props = app::AreaJson(g.area, cat, it == counts.end() ? 0 : it->second);
    return std::string(R"({"type":"Feature","id":)") + std::to_string(g.area.id.value) +
           R"(,"properties":)" + props.dump() + R"(,"geometry":)" +
           geo::ToGeoJsonGeometry(g.geometry, true) + "}";
  };
  Get("/ogcapi/collections/areas/items",
      Authed([this, area_feature](const Request& req, const Caller&) -> Result<Reply> {
        auto q = ItemsParams(req);
        if (!q) return tl::unexpected(q.error());
        const auto& box = q->box;
        const Page* page = &q->page;
        auto cat = sys.catalog();
        auto counts = app::ReportCountsBySubtree(sys, *cat);
        if (!counts) return tl::unexpected(counts.error());
        auto geoms = app::AreaGeometries(sys);
        if (!geoms) return tl::unexpected(geoms.error());
        std::vector<std::string> all;
        for (const auto& g : *geoms) {
          if (q->sweref_box) {
            const geo::Bbox b = g.geometry.bounds();
            if (!Overlaps({b.min_e, b.min_n, b.max_e, b.max_n}, *q->sweref_box)) continue;
          } else if (box && !Overlaps(LonLatBox(g.geometry.bounds()), *box)) {
            continue;
          }
          all.push_back(area_feature(g, *cat, *counts));
        }
        return PageOf(req, std::move(all), *page);
      }));
  Get(R"(/ogcapi/collections/areas/items/(\d+))",
      Authed([this, area_feature](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto cat = sys.catalog();
        auto counts = app::ReportCountsBySubtree(sys, *cat);
        if (!counts) return tl::unexpected(counts.error());
        auto geoms = app::AreaGeometries(sys);
        if (!geoms) return tl::unexpected(geoms.error());
        for (const auto& g : *geoms) {
          if (g.area.id.value == *id) {
            return OneFeature(req, area_feature(g, *cat, *counts));
          }
        }
        return MakeError(ErrorCode::kNotFound, "Området finns inte");
      }));

  // places
  auto place_feature = [](const Place& p, const app::Catalog& cat) {
    json props = app::PlaceJson(p, cat);
    return json{{"type", "Feature"},
                {"id", p.id.value},
                {"geometry", {{"type", "Point"}, {"coordinates", {props["lon"], props["lat"]}}}},
                {"properties", props}}
        .dump();
  };
  Get("/ogcapi/collections/places/items",
      Authed([this, place_feature](const Request& req, const Caller&) -> Result<Reply> {
        auto q = ItemsParams(req);
        if (!q) return tl::unexpected(q.error());
        const auto& box = q->box;
        const Page* page = &q->page;
        auto cat = sys.catalog();
        std::vector<std::string> all;
        for (const Place& p : cat->places()) {
          geo::Wgs84Point w = geo::ToWgs84({p.e, p.n});
          if (q->sweref_box ? !InBox(*q->sweref_box, p.e, p.n) : box && !InBox(*box, w.lon, w.lat)) {
            continue;
          }
          all.push_back(place_feature(p, *cat));
        }
        return PageOf(req, std::move(all), *page);
      }));
  Get(R"(/ogcapi/collections/places/items/(\d+))",
      Authed([this, place_feature](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto cat = sys.catalog();
        for (const Place& p : cat->places()) {
          if (p.id.value == *id) return OneFeature(req, place_feature(p, *cat));
        }
        return MakeError(ErrorCode::kNotFound, "Platsen finns inte");
      }));

  // reports: the caller's visible reports, newest first
  Get("/ogcapi/collections/reports/items",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto q = ItemsParams(req);
        if (!q) return tl::unexpected(q.error());
        const Page* page = &q->page;
        auto when = DatetimeParam(req);
        if (!when) return tl::unexpected(when.error());
        auto filter = app::ResolveReportFilter(sys, ExportParams(req));
        if (!filter) return tl::unexpected(filter.error());
        if (auto scope = app::ReportListScope(c.user)) filter->orgs = {*scope};
        if (q->sweref_box) {
          filter->sweref_box = q->sweref_box;
        } else {
          filter->lonlat_box = q->box;
        }
        if (when->from) filter->from = filter->from ? std::max(*filter->from, *when->from) : *when->from;
        if (when->to) filter->to = filter->to ? std::min(*filter->to, *when->to) : *when->to;
        filter->offset = page->offset;
        filter->limit = page->limit;
        auto list = app::ListReports(sys, *filter);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        std::vector<std::string> features;
        for (const Report& r : list->reports) features.push_back(app::ReportGeoJsonFeature(r, *cat));
        return Items(req, std::move(features), list->total, *page);
      }));
  Get(R"(/ogcapi/collections/reports/items/(\d+))",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto r = app::GetReport(sys, ReportId{*id});
        if (!r) return tl::unexpected(r.error());
        auto scope = app::ReportListScope(c.user);
        if (!*r || (scope && (*r)->org != *scope)) {
          return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
        }
        return OneFeature(req, app::ReportGeoJsonFeature(**r, *sys.catalog()));
      }));

  // hotspots and heat of a period (default: the last complete week)
  auto analysis_params = [this](const Request& req, const Caller& c) {
    app::LagesbildParams p = FilterParams(req);
    if (p.period.empty() && p.from.empty() && p.to.empty()) {
      p.period = FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix()) - 7));
    }
    p.audience = app::AudienceOf(c.user);
    return p;
  };
  Get("/ogcapi/collections/hotspots/items",
      Authed([this, analysis_params](const Request& req, const Caller& c) -> Result<Reply> {
        auto q = ItemsParams(req);
        if (!q) return tl::unexpected(q.error());
        const auto& box = q->box;
        const Page* page = &q->page;
        auto grid = GridFrom(req);
        if (!grid) return tl::unexpected(grid.error());
        auto r = app::ComputeHotspots(sys, analysis_params(req, c), *grid);
        if (!r) return tl::unexpected(r.error());
        auto all = FeaturesOf(app::HotspotsGeoJson(*r), box);
        return PageOf(req, std::move(all), *page);
      }));
  Get("/ogcapi/collections/heat/items",
      Authed([this, analysis_params](const Request& req, const Caller& c) -> Result<Reply> {
        auto q = ItemsParams(req);
        if (!q) return tl::unexpected(q.error());
        const auto& box = q->box;
        const Page* page = &q->page;
        auto cell = NumParam(req, "cell", 250);
        if (!cell) return tl::unexpected(cell.error());
        auto r = app::ComputeHeat(sys, analysis_params(req, c), *cell, 0);
        if (!r) return tl::unexpected(r.error());
        auto all = FeaturesOf(app::HeatGeoJson(*r), box);
        return PageOf(req, std::move(all), *page);
      }));
}

}  // namespace est::http
