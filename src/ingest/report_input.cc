// Report validation rules (one place for every entry point).
#include "ingest/report_input.h"

#include <cmath>

#include "core/text.h"
#include "geo/crs.h"
#include "ingest/scrub.h"

namespace est::ingest {
namespace {

constexpr size_t kMaxDescription = 4000;
constexpr int kMaxCount = 10000;
constexpr UnixSeconds kEarliest = 946684800;          // 2000-01-01: older data is a typo
constexpr UnixSeconds kFutureSlack = 60 * 60;         // clocks differ a little
constexpr UnixSeconds kMaxInterval = 31 * 24 * 3600;  // an "occurred" window longer is not a time


}  // namespace

std::optional<ResolvedReport> ResolveReport(const ReportInput& in, const Catalog& catalog,
                                            UnixSeconds now, std::vector<FieldError>& errors,
                                            const std::string& prefix) {
  size_t errors_before = errors.size();
  auto fail = [&](const char* field, std::string reason) {
    errors.push_back({prefix + field, std::move(reason)});
  };
  ResolvedReport out;
  Report& r = out.report;
  r.reported_at = now;
  r.source = in.source;

  if (in.source_id) {
    if (in.source_id->empty() || in.source_id->size() > 128) {
      fail("id", "käll-id måste ha 1–128 tecken");
    } else {
      r.source_id = in.source_id;
    }
  }

  // Time.
  if (in.occurred_from.empty()) {
    fail("occurred_from", "saknas: ange när det hände (ISO 8601, t.ex. 2026-11-20T21:30+01:00)");
  } else if (auto t = ParseTimestamp(in.occurred_from); !t) {
    fail("occurred_from", t.error().fields.empty() ? t.error().detail : t.error().fields[0].reason);
  } else if (*t < kEarliest) {
    fail("occurred_from", "ligger före år 2000");
  } else if (*t > now + kFutureSlack) {
    fail("occurred_from", "ligger i framtiden (" + FormatTimestamp(*t) + ")");
  } else {
    r.occurred_from = *t;
  }
  if (!in.occurred_to.empty()) {
    if (auto t = ParseTimestamp(in.occurred_to); !t) {
      fail("occurred_to", t.error().fields.empty() ? t.error().detail : t.error().fields[0].reason);
    } else if (r.occurred_from != 0 && *t < r.occurred_from) {
      fail("occurred_to", "ligger före occurred_from");
    } else if (r.occurred_from != 0 && *t - r.occurred_from > kMaxInterval) {
      fail("occurred_to", "tidsintervallet får vara högst 31 dagar");
    } else if (*t > now + kFutureSlack) {
      fail("occurred_to", "ligger i framtiden");
    } else {
      r.occurred_to = *t;
    }
  }

  // Location.
  bool has_lonlat = in.lon || in.lat;
  bool has_xy = in.x || in.y;
  bool has_place = !in.place.empty();
  bool has_area = !in.area.empty();
  int given = int(has_lonlat) + int(has_xy) + int(has_place) + int(has_area);
  if (given == 0) {
    fail("location",
         "saknas: ange lon/lat, x/y med koordinatsystem, en namngiven plats eller ett område");
  } else if (given > 1) {
    fail("location", "ange bara ett av lon/lat, x/y, plats eller område");
  } else if (has_area) {
    // Only the area is known: the report counts in it, but gets no point (not its centre).
    if (const Area* a = catalog.FindArea(in.area)) {
      r.area = a->id;
      r.area_only = true;
    } else {
      fail("area", "okänt område \"" + in.area + "\"");
    }
  } else if (has_place) {
    const Place* p = catalog.FindPlace(in.place);
    if (!p) {
      fail("place", "okänd plats \"" + in.place + "\"");
    } else {
      r.e = p->e;
      r.n = p->n;
      r.place = p->id;
      r.source_epsg = 3006;
    }
  } else {
    double a = has_lonlat ? in.lon.value_or(NAN) : in.x.value_or(NAN);
    double b = has_lonlat ? in.lat.value_or(NAN) : in.y.value_or(NAN);
    int epsg = has_lonlat ? 4326 : in.epsg.value_or(3006);
    const char* fa = has_lonlat ? "lon" : "x";
    const char* fb = has_lonlat ? "lat" : "y";
    if (!std::isfinite(a)) fail(fa, "saknas eller är inte ett tal");
    if (!std::isfinite(b)) fail(fb, "saknas eller är inte ett tal");
    if (has_lonlat && std::isfinite(a) && (a < -180 || a > 180)) fail("lon", "måste vara −180…180");
    if (has_lonlat && std::isfinite(b) && (b < -90 || b > 90)) fail("lat", "måste vara −90…90");
    if (errors.size() == errors_before) {
      auto p = geo::ToSweref(epsg, a, b);
      if (!p) {
        fail("location", p.error().detail);
      } else if (!geo::InSwedenEnvelope(*p)) {
        // The swap hint only where swapping would help: lat/lon given the other way round.
        bool swap_helps = false;
        if (has_lonlat && b >= -180 && b <= 180 && a >= -90 && a <= 90) {
          auto swapped = geo::ToSweref(epsg, b, a);
          swap_helps = swapped && geo::InSwedenEnvelope(*swapped);
        }
        fail("location", has_lonlat ? (swap_helps ? "punkten ligger utanför Sverige (har lon och "
                                                    "lat bytt plats?)"
                                                  : "punkten ligger utanför Sverige")
                                    : "punkten ligger utanför Sverige (fel koordinatsystem? "
                                      "tolkades som EPSG:" +
                                          std::to_string(epsg) + ")");
      } else {
        r.e = p->e;
        r.n = p->n;
        r.source_epsg = epsg;
      }
    }
  }
  if (r.e != 0) {
    geo::Wgs84Point w = geo::ToWgs84(geo::Sweref99Point{r.e, r.n});
    r.lon = w.lon;
    r.lat = w.lat;
    if (auto area = catalog.index().Locate(geo::Sweref99Point{r.e, r.n})) r.area = AreaId{*area};
  }

  // Category and organisation.
  const Category* cat = nullptr;
  if (in.category.empty()) {
    fail("category", "saknas");
  } else if (cat = catalog.FindCategory(in.category); !cat) {
    fail("category", "okänd kategori \"" + in.category + "\"");
  } else if (!cat->active) {
    fail("category", "kategorin \"" + cat->code + "\" används inte längre");
  } else {
    r.category = cat->id;
  }
  if (in.org.empty()) {
    fail("org", "saknas");
  } else if (const Organisation* org = catalog.FindOrg(in.org); !org) {
    fail("org", "okänd organisation \"" + in.org + "\"");
  } else {
    r.org = org->id;
  }

  // Assessment.
  r.severity = in.severity.value_or(cat ? cat->default_severity : 2);
  if (r.severity < 1 || r.severity > 3) fail("severity", "måste vara 1, 2 eller 3");
  r.count = in.count.value_or(1);
  if (r.count < 1 || r.count > kMaxCount) fail("count", "måste vara 1–10000");
  if (!in.certainty.empty()) {
    if (auto c = ParseCertainty(in.certainty); c) {
      r.certainty = *c;
    } else {
      fail("certainty", "måste vara observed (observerad) eller suspected (misstänkt)");
    }
  }
  r.police_notified = in.police_notified.value_or(false);
  if (Utf8Length(in.description) > kMaxDescription) {
    fail("description", "får vara högst 4000 tecken");
  } else {
    ScrubResult s = ScrubPersonalData(in.description, catalog.scrub_exclusions());
    r.description = std::move(s.text);
    out.scrubbed = std::move(s.removed);
  }

  if (errors.size() != errors_before) return std::nullopt;
  return out;
}

}  // namespace est::ingest
