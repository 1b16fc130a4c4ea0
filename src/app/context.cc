// Survey and police-list imports, säkerhet vs trygghet, and the 2030 goal.
#include "app/context.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/change.h"
#include "app/present.h"
#include "app/system_access.h"
#include "core/period.h"
#include "core/time.h"
#include "geo/area_index.h"
#include "geo/geojson.h"
#include "geo/polygon.h"
#include "geo/validate.h"
#include "ingest/reference.h"
#include "ingest/table_csv.h"

namespace est::app {
namespace {

using nlohmann::json;

std::optional<double> ParseNumber(std::string s) {
  std::replace(s.begin(), s.end(), ',', '.');
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// A point inside-ish the geometry for linking: the mean of the largest part's outer ring.
geo::Sweref99Point Centre(const geo::MultiPolygon& m) {
  const geo::Ring* best = nullptr;
  double best_area = -1;
  for (const auto& p : m.parts) {
    double a = std::fabs(geo::SignedArea(p.outer));
    if (a > best_area) {
      best_area = a;
      best = &p.outer;
    }
  }
  geo::Sweref99Point c{0, 0};
  if (!best || best->pts.empty()) return c;
  size_t n = best->pts.size() - 1;  // closed ring: the last point repeats the first
  for (size_t i = 0; i < n; ++i) {
    c.e += best->pts[i].e;
    c.n += best->pts[i].n;
  }
  c.e /= static_cast<double>(n);
  c.n /= static_cast<double>(n);
  return c;
}

}  // namespace

Result<SurveyImportResult> ImportSurveysCsv(System& sys, std::string_view csv,
                                            const store::Actor& actor) {
  auto table = ingest::ReadCsvTable(csv);
  if (!table) return Fail(table);
  std::vector<FieldError> errors;
  const char* required[] = {"area", "indicator", "period", "source", "value"};
  std::map<std::string, int> col;
  for (const char* name : required) {
    col[name] = table->Column(name);
    if (col[name] < 0) errors.push_back({"kolumn " + std::string(name), "saknas i rubrikraden"});
  }
  col["n"] = table->Column("n");
  if (!errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Enkätfilen saknar kolumner (kräver area, indicator, period, source, value; "
                     "n är frivillig)",
                     std::move(errors));
  }
  auto cat = sys.catalog();
  std::vector<SurveyResult> rows;
  for (const auto& row : table->rows) {
    auto field = [&](const char* name) {
      int i = col[name];
      return i >= 0 && static_cast<size_t>(i) < row.fields.size()
                 ? row.fields[static_cast<size_t>(i)]
                 : std::string();
    };
    auto bad = [&](const char* name, std::string reason) {
      errors.push_back({"rad " + std::to_string(row.line) + ", kolumn " + name, std::move(reason)});
    };
    SurveyResult r;
    std::string area = field("area");
    if (const Area* a = cat->FindArea(area)) {
      r.area = a->id;
    } else {
      bad("area", area.empty() ? "saknas" : "okänt område \"" + area + "\"");
    }
    r.indicator = field("indicator");
    if (r.indicator.empty() || r.indicator.size() > 100)
      bad("indicator", "måste fyllas i (högst 100 tecken)");
    auto period = ParsePeriod(field("period"));
    if (!period) {
      bad("period", "måste vara en period som 2025, 2025-T1 eller 2025-11");
    } else {
      r.period = period->label();
    }
    r.source = field("source");
    if (r.source.empty() || r.source.size() > 200)
      bad("source", "måste fyllas i (högst 200 tecken)");
    auto value = ParseNumber(field("value"));
    if (!value) {
      bad("value", "måste vara ett tal (\"" + field("value") + "\")");
    } else {
      r.value = *value;
    }
    std::string n = field("n");
    if (!n.empty()) {
      auto v = ParseNumber(n);
      if (!v || *v < 0 || std::floor(*v) != *v) {
        bad("n", "måste vara ett heltal ≥ 0");
      } else {
        r.n = static_cast<int64_t>(*v);
      }
    }
    rows.push_back(std::move(r));
    if (errors.size() >= 100) break;
  }
  if (!errors.empty()) {
    std::string detail =
        "Enkätfilen har fel; ingenting importerades (" + std::to_string(errors.size()) + " fel)";
    return MakeError(ErrorCode::kInvalidArgument, std::move(detail), std::move(errors));
  }
  Result<int64_t> inserted = 0;
  {
    internal::WriteLock lock(sys);
    inserted = internal::Access::Writer(sys).UpsertSurveys(rows, actor);
  }
  if (!inserted) return Fail(inserted);
  return SurveyImportResult{static_cast<int64_t>(rows.size()), *inserted};
}

Result<VulnerableImportResult> ImportVulnerableAreas(System& sys, std::string_view geojson,
                                                     int year,
                                                     std::optional<std::string_view> attributes,
                                                     const store::Actor& actor) {
  if (year < 2000 || year > 2100) return InvalidField("year", "måste vara ett år som 2025");
  auto cat = sys.catalog();
  std::vector<geo::MultiPolygon> roots;
  for (const auto& a : cat->areas()) {
    if (a.level != 0) continue;
    auto g = internal::StoreOf(sys).AreaGeometry(a.id);
    if (!g) return Fail(g);
    if (*g) roots.push_back(std::move(**g));
  }
  if (roots.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Kommunens gräns saknas: importera kommunens områden först (est import areas)",
                     {{"areas", "inget område på nivå 0"}});
  }
  auto features = geo::ParseAreaCollection(geojson, {});
  if (!features) return Fail(features);
  // The police's OMRADESKOD is the local police area, shared by several areas (Tensta, Rinkeby
  // and Hjulsta are all 531350): an area's own key is SPECIALOMRADES_ID, or OBJECTID in a file
  // without it. The attribute table is joined on the same key.
  auto key_of = [](const std::map<std::string, std::string>& props) -> std::pair<std::string, std::string> {
    for (const char* k : {"SPECIALOMRADES_ID", "OBJECTID"}) {
      auto it = props.find(k);
      if (it != props.end() && !Trim(it->second).empty()) return {k, Trim(it->second)};
    }
    return {"", ""};
  };
  std::map<std::string, std::map<std::string, std::string>> attr;
  if (attributes) {
    auto table = ingest::ReadCsvTable(*attributes);
    if (!table) return Fail(table);
    int key_col = table->Column("SPECIALOMRADES_ID");
    std::string key_name = "SPECIALOMRADES_ID";
    if (key_col < 0) {
      key_col = table->Column("OBJECTID");
      key_name = "OBJECTID";
    }
    if (key_col < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Attributtabellen saknar kolumnen SPECIALOMRADES_ID (eller OBJECTID)",
                       {{"kolumn SPECIALOMRADES_ID", "saknas"}});
    }
    std::vector<FieldError> attr_errors;
    for (size_t r = 0; r < table->rows.size(); ++r) {
      const auto& row = table->rows[r];
      std::map<std::string, std::string> m;
      for (size_t i = 0; i < table->header.size() && i < row.fields.size(); ++i) {
        m[table->header[i]] = row.fields[i];
      }
      if (static_cast<size_t>(key_col) >= row.fields.size()) continue;
      std::string key = Trim(row.fields[static_cast<size_t>(key_col)]);
      if (!attr.emplace(key, m).second) {
        attr_errors.push_back({"rad " + std::to_string(row.line) + "." + key_name,
                               "\"" + key + "\" förekommer två gånger"});
      }
    }
    if (!attr_errors.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "Attributtabellen har fel; ingenting importerades",
                       std::move(attr_errors));
    }
  }
  std::vector<FieldError> errors;
  VulnerableImportResult out;
  out.year = year;
  std::vector<geo::MultiPolygon> geoms;
  std::map<std::string, std::string> seen;  // key -> label of the feature that has it
  for (const auto& f : *features) {
    auto [key_name, key] = key_of(f.properties);
    const std::map<std::string, std::string>* row = nullptr;
    if (auto it = attr.find(key); !key.empty() && it != attr.end()) row = &it->second;
    auto prop = [&](const std::string& k) {
      auto it = f.properties.find(k);
      std::string v = it == f.properties.end() ? "" : Trim(it->second);
      if (v.empty() && row) {
        auto x = row->find(k);
        if (x != row->end()) v = Trim(x->second);
      }
      return v;
    };
    VulnerableArea v;
    v.year = year;
    v.code = key;
    v.name = prop("NAMN");
    std::string label =
        "features[" + std::to_string(f.index) + "]" + (v.name.empty() ? "" : " (" + v.name + ")");
    if (v.code.empty()) {
      errors.push_back({label + ".SPECIALOMRADES_ID", "saknas (och OBJECTID saknas)"});
    } else if (auto [it, fresh] = seen.emplace(v.code, label); !fresh) {
      errors.push_back({label + "." + key_name, "\"" + v.code + "\" har redan " + it->second +
                                                    "; varje område behöver ett eget id"});
    }
    if (v.name.empty()) errors.push_back({label + ".NAMN", "saknas"});
    auto kat = ParseVulnerableCategory(prop("KATEGORI"));
    if (!kat) {
      errors.push_back({label + ".KATEGORI", kat.error().fields[0].reason});
    } else {
      v.category = *kat;
    }
    v.since = prop("AKTUALITET_START");
    if (!v.since.empty() && ParseDay(v.since.substr(0, 10))) v.since = v.since.substr(0, 10);
    double area = geo::GeosIntersectionArea(f.geometry, f.geometry);
    double inside = 0;
    for (const auto& r : roots) inside += std::max(0.0, geo::GeosIntersectionArea(f.geometry, r));
    v.area_m2 = std::round(area * 100) / 100;
    v.share_inside = area > 0 ? std::min(1.0, inside / area) : 0;
    if (v.share_inside < 0.001) {
      out.outside.push_back(v.name);
      continue;
    }
    // The EST area of the same code and name (an area imported from this list), else the
    // deepest area holding its centre.
    if (const Area* a = cat->FindArea(v.code); a && ingest::FoldKey(a->name) == ingest::FoldKey(v.name)) {
      v.area = a->id;
    } else if (auto a = cat->index().Locate(Centre(f.geometry))) {
      v.area = AreaId{*a};
    }
    out.kept.push_back(v);
    geoms.push_back(f.geometry);
  }
  if (!errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Polisens lista har fel; ingenting importerades",
                     std::move(errors));
  }
  internal::WriteLock lock(sys);
  if (auto s = internal::Access::Writer(sys).ReplaceVulnerableAreas(year, out.kept, geoms, actor);
      !s) {
    return tl::unexpected(s.error());
  }
  return out;
}

std::map<int64_t, int> VulnerableStatus(const std::vector<VulnerableArea>& list,
                                        const app::Catalog& c, int year) {
  int best = 0;
  for (const auto& v : list) {
    if (v.year <= year) best = std::max(best, v.year);
  }
  std::map<int64_t, int> out;
  for (const auto& v : list) {
    if (v.year != best || !v.area) continue;
    int k = static_cast<int>(v.category);
    for (const Area* a = c.AreaById(*v.area); a; a = a->parent ? c.AreaById(*a->parent) : nullptr) {
      out[a->id.value] = std::max(out[a->id.value], k);
    }
  }
  return out;
}

Result<SafetyComparison> CompareSafety(System& sys, int year, const std::string& indicator) {
  if (year < 2000 || year > 2100) return InvalidField("year", "måste vara ett år som 2025");
  auto cat = sys.catalog();
  LagesbildParams params;
  params.period = std::to_string(year);
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->coverage = false;
  auto lb = sys.engine().Compute(*q);
  auto surveys = internal::StoreOf(sys).ListSurveys();
  if (!surveys) return Fail(surveys);
  SafetyComparison out;
  out.year = year;
  std::set<std::string> indicators;
  for (const auto& s : *surveys) indicators.insert(s.indicator);
  out.indicators.assign(indicators.begin(), indicators.end());
  std::string y = std::to_string(year);
  auto in_year = [&](const SurveyResult& s) {
    return s.period == y || s.period.rfind(y + "-", 0) == 0;
  };
  out.indicator = indicator;
  if (out.indicator.empty()) {
    for (const auto& s : *surveys) {
      if (in_year(s)) {
        out.indicator = s.indicator;
        break;
      }
    }
  }
  // The latest survey value of the indicator within the year, per area.
  std::map<int64_t, const SurveyResult*> survey;
  for (const auto& s : *surveys) {
    if (s.indicator != out.indicator || !in_year(s)) continue;
    auto& cur = survey[s.area.value];
    if (!cur || cur->period < s.period) cur = &s;
  }
  // Incidents per level-1 area.
  std::vector<const Area*> areas;
  for (const auto& a : cat->areas()) {
    if (a.level == 1) areas.push_back(&a);
  }
  std::map<int64_t, int64_t> count;
  for (const auto& r : lb.rows) {
    if (!r.category() && r.area()) count[r.area()->value] = r.count;
  }
  double total = 0, pop_total = 0;
  bool all_pop = !areas.empty();
  for (const Area* a : areas) {
    total += static_cast<double>(count[a->id.value]);
    if (a->population && *a->population > 0) {
      pop_total += static_cast<double>(*a->population);
    } else {
      all_pop = false;
    }
  }
  // Survey reference: the n-weighted share when every value has n and is a share, else the
  // mean and standard deviation across areas.
  bool shares = !survey.empty();
  double sum_pn = 0, sum_n = 0, sum_v = 0, sum_v2 = 0;
  for (const auto& [id, s] : survey) {
    double p = s->value > 1 ? s->value / 100.0 : s->value;
    if (!s->n || *s->n <= 0 || s->value < 0 || s->value > 100) shares = false;
    if (s->n) {
      sum_pn += p * static_cast<double>(*s->n);
      sum_n += static_cast<double>(*s->n);
    }
    sum_v += s->value;
    sum_v2 += s->value * s->value;
  }
  double k = static_cast<double>(survey.size());
  double mean = k > 0 ? sum_v / k : 0;
  double sd = k > 1 ? std::sqrt(std::max(0.0, (sum_v2 - k * mean * mean) / (k - 1))) : 0;
  double p_bar = sum_n > 0 ? sum_pn / sum_n : 0;
  for (const Area* a : areas) {
    SafetyRow row;
    row.area = a->id;
    row.incidents = count[a->id.value];
    double expected = 0;
    if (all_pop && pop_total > 0) {
      expected = total * static_cast<double>(*a->population) / pop_total;
      row.rate = 1000.0 * static_cast<double>(row.incidents) / static_cast<double>(*a->population);
    } else {
      expected = total / static_cast<double>(areas.size());
      if (a->population && *a->population > 0) {
        row.rate =
            1000.0 * static_cast<double>(row.incidents) / static_cast<double>(*a->population);
      }
    }
    row.z_incident =
        expected > 0 ? (static_cast<double>(row.incidents) - expected) / std::sqrt(expected) : 0;
    auto it = survey.find(a->id.value);
    if (it != survey.end()) {
      const SurveyResult* s = it->second;
      out.source = s->source;
      row.survey = s->value;
      row.n = s->n;
      if (shares && p_bar > 0 && p_bar < 1) {
        double p = s->value > 1 ? s->value / 100.0 : s->value;
        row.z_survey = (p - p_bar) / std::sqrt(p_bar * (1 - p_bar) / static_cast<double>(*s->n));
      } else {
        row.z_survey = sd > 0 ? (s->value - mean) / sd : 0;
      }
      bool fear = *row.z_survey > 1.96, crime = row.z_incident > 1.96;
      row.klass = fear && crime ? "båda höga"
                  : fear        ? "hög otrygghet, låg brottslighet"
                  : crime       ? "låg otrygghet, hög brottslighet"
                                : "inom normalvariation";
    }
    out.rows.push_back(row);
  }
  std::sort(out.rows.begin(), out.rows.end(),
            [](const SafetyRow& a, const SafetyRow& b) { return a.z_incident > b.z_incident; });
  return out;
}

int LatestSurveyYear(System& sys) {
  auto surveys = internal::StoreOf(sys).ListSurveys();
  int best = 0;
  if (surveys) {
    for (const auto& s : *surveys) {
      if (s.period.size() >= 4) best = std::max(best, std::atoi(s.period.substr(0, 4).c_str()));
    }
  }
  return best;
}

Result<GoalStatus> ComputeGoal(System& sys) {
  auto cat = sys.catalog();
  auto list = internal::StoreOf(sys).ListVulnerableAreas();
  if (!list) return Fail(list);
  auto surveys = internal::StoreOf(sys).ListSurveys();
  if (!surveys) return Fail(surveys);
  GoalStatus out;
  for (const auto& v : *list) out.latest_year = std::max(out.latest_year, v.year);
  int this_year = CivilFromDay(ToLocalDay(NowUnix())).year;
  out.years_left = std::max(0, 2030 - this_year);
  if (out.latest_year == 0) return out;
  for (const auto& v : *list) {
    if (v.year != out.latest_year) continue;
    GoalArea g;
    g.listing = v;
    for (const auto& w : *list) {
      if (w.code == v.code) g.years_listed.push_back(w.year);
    }
    auto geom = internal::StoreOf(sys).VulnerableGeometry(v.id);
    if (!geom) return Fail(geom);
    if (!*geom) continue;
    std::vector<geo::AreaIndex::Entry> entries;
    entries.push_back({1, 0, std::move(**geom)});
    geo::AreaIndex index = geo::AreaIndex::Build(std::move(entries));
    for (int y = this_year - 3; y <= this_year; ++y) {
      auto p = ParsePeriod(std::to_string(y));
      if (!p) return Fail(p);
      analysis::LagesbildQuery q;
      q.period = *p;
      q.coverage = false;
      GoalArea::YearCount yc{y, 0, 0, 0, y == this_year};
      sys.engine().ForEachPoint(q, [&](const analysis::EnginePoint& pt) {
        // Inside the police's polygon needs a point; an area-only report has none.
        if (pt.area_only) return;
        if (!index.Locate(geo::Sweref99Point{pt.e / 10.0, pt.n / 10.0})) return;
        ++yc.count;
        const Category* k = cat->CategoryById(CategoryId{pt.category});
        if (k && k->dimension == Dimension::kTrygghet) {
          ++yc.trygghet;
        } else {
          ++yc.sakerhet;
        }
      });
      g.counts.push_back(yc);
    }
    if (g.counts.size() >= 3) {
      const auto& last = g.counts[g.counts.size() - 2];
      const auto& before = g.counts[g.counts.size() - 3];
      g.trend = analysis::ComputeChange(last.count, 365, before.count, 365).signal;
    }
    // Surveys of the linked area, or of its nearest ancestor that has any (a survey is usually
    // reported per district, the police's polygon is smaller).
    for (const Area* a = v.area ? cat->AreaById(*v.area) : nullptr; a && g.surveys.empty();
         a = a->parent ? cat->AreaById(*a->parent) : nullptr) {
      for (const auto& s : *surveys) {
        if (s.area == a->id) g.surveys.push_back(s);
      }
      if (!g.surveys.empty()) g.survey_area = a->id;
    }
    out.areas.push_back(std::move(g));
  }
  return out;
}

json VulnerableJson(const VulnerableArea& v, const app::Catalog& c) {
  const Area* a = v.area ? c.AreaById(*v.area) : nullptr;
  return {{"id", v.id},
          {"year", v.year},
          {"code", v.code},
          {"name", v.name},
          {"category", VulnerableCategoryText(v.category)},
          {"level", static_cast<int>(v.category)},
          {"since", v.since},
          {"area_m2", v.area_m2},
          {"share_inside", std::round(v.share_inside * 1000) / 1000},
          {"area", a ? json{{"code", a->code}, {"name", a->name}} : json(nullptr)}};
}

json SafetyJson(const SafetyComparison& s, const app::Catalog& c) {
  json rows = json::array();
  for (const auto& r : s.rows) {
    const Area* a = c.AreaById(r.area);
    auto round2 = [](double v) { return std::round(v * 100) / 100; };
    rows.push_back({{"area", a ? json{{"code", a->code}, {"name", a->name}} : json(nullptr)},
                    {"incidents", r.incidents},
                    {"rate", r.rate ? json(round2(*r.rate)) : json(nullptr)},
                    {"z_incident", round2(r.z_incident)},
                    {"survey", r.survey ? json(*r.survey) : json(nullptr)},
                    {"n", r.n ? json(*r.n) : json(nullptr)},
                    {"z_survey", r.z_survey ? json(round2(*r.z_survey)) : json(nullptr)},
                    {"class", r.klass}});
  }
  return {{"year", s.year},
          {"indicator", s.indicator},
          {"source", s.source},
          {"indicators", s.indicators},
          {"rows", rows}};
}

json GoalJson(const GoalStatus& g, const app::Catalog& c) {
  json areas = json::array();
  for (const auto& a : g.areas) {
    json counts = json::array();
    for (const auto& y : a.counts) {
      counts.push_back({{"year", y.year},
                        {"count", y.count},
                        {"sakerhet", y.sakerhet},
                        {"trygghet", y.trygghet},
                        {"partial", y.partial}});
    }
    json surveys = json::array();
    for (const auto& s : a.surveys) {
      surveys.push_back({{"indicator", s.indicator},
                         {"period", s.period},
                         {"source", s.source},
                         {"value", s.value},
                         {"n", s.n ? json(*s.n) : json(nullptr)}});
    }
    json item = VulnerableJson(a.listing, c);
    const Area* sa = a.survey_area ? c.AreaById(*a.survey_area) : nullptr;
    item["survey_area"] = sa ? json{{"code", sa->code}, {"name", sa->name}} : json(nullptr);
    item["years_listed"] = a.years_listed;
    item["counts"] = counts;
    item["trend"] = a.trend;
    item["surveys"] = surveys;
    areas.push_back(item);
  }
  return {{"goal", "Inga utsatta områden 2030"},
          {"latest_year", g.latest_year},
          {"years_left", g.years_left},
          {"areas", areas}};
}

}  // namespace est::app
