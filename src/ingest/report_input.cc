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

const Category* ApplyCategory(std::string_view text, const ReferenceData& catalog, Report& r,
                              std::vector<FieldError>& errors, const std::string& prefix) {
  const Category* cat = catalog.FindCategory(text);
  if (!cat) {
    errors.push_back({prefix + "category", "okänd kategori \"" + std::string(text) + "\""});
    return nullptr;
  }
  if (!cat->active) {
    errors.push_back({prefix + "category", "kategorin \"" + cat->code + "\" används inte längre"});
    return cat;
  }
  r.category = cat->id;
  return cat;
}

void ApplySeverity(int severity, Report& r, std::vector<FieldError>& errors,
                   const std::string& prefix) {
  r.severity = severity;
  if (severity < 1 || severity > 3) errors.push_back({prefix + "severity", "måste vara 1, 2 eller 3"});
}

void ApplyCount(int count, Report& r, std::vector<FieldError>& errors, const std::string& prefix) {
  r.count = count;
  if (count < 1 || count > kMaxCount) errors.push_back({prefix + "count", "måste vara 1–10000"});
}

void ApplyCertainty(std::string_view text, Report& r, std::vector<FieldError>& errors,
                    const std::string& prefix) {
  if (auto c = ParseCertainty(text); c) {
    r.certainty = *c;
  } else {
    errors.push_back(
        {prefix + "certainty", "måste vara observed (observerad) eller suspected (misstänkt)"});
  }
}

std::vector<std::string> ApplyDescription(std::string_view text, const ReferenceData& catalog,
                                          Report& r, std::vector<FieldError>& errors,
                                          const std::string& prefix) {
  // Characters, not bytes: the limit promised to users is 4000 tecken, and å/ä/ö take two bytes.
  // An over-long text is refused before the scrubber sees it (its cost grows with the text).
  if (Utf8Length(text) > kMaxDescription) {
    errors.push_back({prefix + "description", "får vara högst 4000 tecken"});
    return {};
  }
  ScrubResult s = ScrubPersonalData(text, catalog.scrub_exclusions());
  r.description = std::move(s.text);
  return std::move(s.removed);
}

void ApplyPoint(std::optional<double> a_in, std::optional<double> b_in, bool lonlat, int epsg,
                Report& r, std::vector<FieldError>& errors, const std::string& prefix,
                const std::string& outside_field, const size_t* since) {
  const size_t errors_before = since ? *since : errors.size();
  auto fail = [&](const std::string& field, std::string reason) {
    errors.push_back({prefix + field, std::move(reason)});
  };
  const double a = a_in.value_or(NAN), b = b_in.value_or(NAN);
  const char* fa = lonlat ? "lon" : "x";
  const char* fb = lonlat ? "lat" : "y";
  if (!std::isfinite(a)) fail(fa, "saknas eller är inte ett tal");
  if (!std::isfinite(b)) fail(fb, "saknas eller är inte ett tal");
  if (lonlat && std::isfinite(a) && (a < -180 || a > 180)) fail("lon", "måste vara −180…180");
  if (lonlat && std::isfinite(b) && (b < -90 || b > 90)) fail("lat", "måste vara −90…90");
  if (errors.size() != errors_before) return;
  auto p = geo::ToSweref(epsg, a, b);
  if (!p) {
    fail("location", p.error().detail);
  } else if (!geo::InSwedenEnvelope(*p)) {
    // The swap hint only where swapping would help: lat/lon given the other way round.
    bool swap_helps = false;
    if (lonlat && b >= -180 && b <= 180 && a >= -90 && a <= 90) {
      auto swapped = geo::ToSweref(epsg, b, a);
      swap_helps = swapped && geo::InSwedenEnvelope(*swapped);
    }
    fail(outside_field,
         lonlat ? (swap_helps ? "punkten ligger utanför Sverige (har lon och lat bytt plats?)"
                              : "punkten ligger utanför Sverige")
                : "punkten ligger utanför Sverige (fel koordinatsystem? tolkades som EPSG:" +
                      std::to_string(epsg) + ")");
  } else {
    r.e = p->e;
    r.n = p->n;
    r.source_epsg = epsg;
  }
}

std::optional<ResolvedReport> ResolveReport(const ReportInput& in, const ReferenceData& catalog,
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
    ApplyPoint(has_lonlat ? in.lon : in.x, has_lonlat ? in.lat : in.y, has_lonlat,
               has_lonlat ? 4326 : in.epsg.value_or(3006), r, errors, prefix, "location",
               &errors_before);
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
  } else {
    cat = ApplyCategory(in.category, catalog, r, errors, prefix);
  }
  if (in.org.empty()) {
    fail("org", "saknas");
  } else if (const Organisation* org = catalog.FindOrg(in.org); !org) {
    fail("org", "okänd organisation \"" + in.org + "\"");
  } else {
    r.org = org->id;
  }

  // Assessment.
  ApplySeverity(in.severity.value_or(cat ? cat->default_severity : 2), r, errors, prefix);
  ApplyCount(in.count.value_or(1), r, errors, prefix);
  if (!in.certainty.empty()) ApplyCertainty(in.certainty, r, errors, prefix);
  r.police_notified = in.police_notified.value_or(false);
  out.scrubbed = ApplyDescription(in.description, catalog, r, errors, prefix);
  if (!in.status.empty()) {
    if (auto st = ParseReportStatus(in.status); !st) {
      fail("status", "måste vara new, reviewed, rejected eller duplicate");
    } else if (*st == ReportStatus::kDuplicate) {
      r.status = ReportStatus::kRejected;
      r.review_note = "Dubblett i källan";
    } else {
      r.status = *st;
    }
  }

  if (errors.size() != errors_before) return std::nullopt;
  return out;
}

}  // namespace est::ingest
