// Analyses over the engine: each collects counts for a period and filters, then calls the pure
// statistics in src/analysis.
#include "app/analyses.h"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "analysis/aoristic.h"
#include "app/context.h"
#include "app/system_access.h"
#include "geo/crs.h"

namespace est::app {
namespace {

using nlohmann::json;

// Counts of the query's reports per study cell.
std::vector<double> CellCounts(const System& sys, const analysis::LagesbildQuery& q,
                               const analysis::StudyGrid& grid) {
  return sys.engine().CountPerCell(q, grid);
}

// Every organisation id of the catalog (the "other organisations" of an unfiltered query).
std::vector<OrgId> AllOrgIds(const System& sys) {
  std::vector<OrgId> out;
  for (const Organisation& o : sys.catalog()->orgs()) out.push_back(o.id);
  return out;
}

std::string OwnOrgCode(const System& sys, const Audience& a) {
  if (!a.own_org) return "";
  const Organisation* o = sys.catalog()->OrgById(*a.own_org);
  return o ? o->code : "";
}

// Rules 1 and 4 of app/disclosure.h for an output at cell level (`cell_m`) or, with cell_m 0, at
// point or hour level (the window only).
Status CheckDisclosure(const System& sys, const LagesbildParams& params,
                       const analysis::LagesbildQuery& q, double cell_m, bool window) {
  if (window) {
    const bool named_range = params.period.empty() && (!params.from.empty() || !params.to.empty());
    if (auto ok = CheckOtherOrgWindow(params.audience, q, named_range); !ok) return ok;
  }
  if (cell_m > 0)
    return CheckOtherOrgCell(params.audience, q, cell_m, OwnOrgCode(sys, params.audience));
  return {};
}

// Counts per study cell under rule 2 of app/disclosure.h: the query's own-organisation reports
// plus other organisations' reports in the cells where they are 0 or at least 3. `withheld`
// grows by the reports left out.
std::vector<double> DisclosedCellCounts(const System& sys, const Audience& a,
                                        const analysis::LagesbildQuery& q,
                                        const analysis::StudyGrid& grid, int64_t* withheld) {
  if (!IncludesOtherOrgs(a, q)) return CellCounts(sys, q, grid);
  std::vector<double> own(grid.size(), 0), other(grid.size(), 0);
  if (auto part = OwnPart(a, q)) own = CellCounts(sys, *part, grid);
  if (auto part = OtherPart(a, q, AllOrgIds(sys))) other = CellCounts(sys, *part, grid);
  return MergeDisclosed(own, other, withheld);
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A cell as a GeoJSON polygon in WGS84 (corners transformed).
std::string CellPolygon(int32_t ix, int32_t iy, double cell) {
  std::string out = R"({"type":"Polygon","coordinates":[[)";
  const double corners[5][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
  for (int k = 0; k < 5; ++k) {
    geo::Wgs84Point w = geo::ToWgs84({(ix + corners[k][0]) * cell, (iy + corners[k][1]) * cell});
    out += std::string(k ? "," : "") + "[" + Fixed(w.lon, 6) + "," + Fixed(w.lat, 6) + "]";
  }
  return out + "]]}";
}

}  // namespace

Result<int> ParseBinWeeks(const std::string& text) {
  std::string t = text;
  if (!t.empty() && (t.back() == 'w' || t.back() == 'W' || t.back() == 'v')) t.pop_back();
  try {
    size_t used = 0;
    int n = std::stoi(t, &used);
    if (used == t.size() && n >= 1 && n <= 52) return n;
  } catch (...) {
  }
  return InvalidField("bin", "måste vara ett antal veckor som 1w, 2w eller 4w (1–52)");
}

Result<HotspotResult> ComputeHotspots(const System& sys, const LagesbildParams& params,
                                      const GridParams& grid_params) {
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->coverage = false;
  if (auto ok = CheckDisclosure(sys, params, *q, grid_params.cell_m, true); !ok) return Fail(ok);
  auto grid = sys.StudyGridFor(grid_params.cell_m, grid_params.extent);
  if (!grid) return Fail(grid);
  DisclosureNote note{params.audience.limited(), 0};
  // Gi* sees only what may be shown: a withheld report is in no cell's count or neighbourhood.
  std::vector<double> counts =
      DisclosedCellCounts(sys, params.audience, *q, **grid, &note.withheld_reports);
  analysis::GiStarOptions opt;
  opt.band_m = grid_params.band_m;
  auto cells = analysis::GiStar(**grid, counts, opt);
  if (!cells) return Fail(cells);
  return HotspotResult{*q, grid_params, (*grid)->size(), std::move(*cells), note};
}

Result<EmergingResult> ComputeEmerging(const System& sys, const LagesbildParams& params,
                                       const GridParams& grid_params, const EmergingParams& e) {
  if (e.periods < 2 || e.periods > 520) return InvalidField("periods", "måste vara 2–520");
  LagesbildParams base = params;
  base.period = "";
  base.from = base.to = "";
  auto q = sys.ResolveQuery(base);
  if (!q) return Fail(q);
  q->coverage = false;
  // The last step ends with end_week (default: the last complete week).
  LocalDay last_sunday;
  if (!e.end_week.empty()) {
    auto w = ParseIsoWeek(e.end_week);
    if (!w) return InvalidField("end", "måste vara en ISO-vecka som 2026-W47");
    last_sunday = IsoWeekStart(w->year, w->week) + 6;
  } else {
    IsoWeek now = ToIsoWeek(ToLocalDay(NowUnix()));
    last_sunday = IsoWeekStart(now.year, now.week) - 1;
  }
  // Every step is whole weeks: only the cell rule applies.
  if (auto ok = CheckDisclosure(sys, params, *q, grid_params.cell_m, false); !ok) return Fail(ok);
  auto grid = sys.StudyGridFor(grid_params.cell_m, grid_params.extent);
  if (!grid) return Fail(grid);
  EmergingResult out;
  out.study_cells = (*grid)->size();
  out.disclosure.limited = params.audience.limited();
  LocalDay first = last_sunday + 1 - 7 * e.bin_weeks * e.periods;
  for (int t = 0; t < e.periods; ++t) {
    LocalDay from = first + 7 * e.bin_weeks * t;
    auto p = MakeCustomPeriod(from, from + 7 * e.bin_weeks - 1);
    if (!p) return Fail(p);
    out.steps.push_back(*p);
  }
  // The steps' counts are independent reads of the engine (readers share it): odd steps on a
  // second core.
  std::vector<std::vector<double>> cube(out.steps.size());
  int64_t withheld[2] = {0, 0};
  auto count_steps = [&](size_t parity) {
    analysis::LagesbildQuery step = *q;
    for (size_t t = parity; t < cube.size(); t += 2) {
      step.period = out.steps[t];
      cube[t] = DisclosedCellCounts(sys, params.audience, step, **grid, &withheld[parity]);
    }
  };
  {
    std::thread helper(count_steps, 1);
    count_steps(0);
    helper.join();
  }
  out.disclosure.withheld_reports = withheld[0] + withheld[1];
  analysis::EmergingOptions opt;
  opt.band_m = grid_params.band_m;
  auto cells = analysis::EmergingHotspots(**grid, cube, opt);
  if (!cells) return Fail(cells);
  out.cells = std::move(*cells);
  return out;
}

Result<HeatResult> ComputeHeat(const System& sys, const LagesbildParams& params, double cell_m,
                               double bandwidth_m) {
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->coverage = false;
  if (auto ok = CheckDisclosure(sys, params, *q, cell_m, true); !ok) return Fail(ok);
  auto grid = sys.StudyGridFor(cell_m, "areas");
  if (!grid) return Fail(grid);
  std::vector<double> e, n;
  // Other organisations' points by their cell of the surface (rule 2): spread only where at
  // least kOtherOrgMinCount of them share a cell.
  const Audience& audience = params.audience;
  const bool split = IncludesOtherOrgs(audience, *q);
  // Ordered by cell, so that the surface does not depend on hash order.
  std::map<std::pair<int32_t, int32_t>, std::vector<std::pair<double, double>>> other;
  sys.engine().ForEachPoint(*q, [&](const analysis::EnginePoint& p) {
    if (p.area_only) return;  // no position: never spread at the area's centre
    if (split && !audience.IsOwn(OrgId{p.org})) {
      analysis::CellKey k = analysis::CellOf(p.e / 10.0, p.n / 10.0, cell_m);
      other[{k.ix, k.iy}].emplace_back(p.e / 10.0, p.n / 10.0);
      return;
    }
    e.push_back(p.e / 10.0);
    n.push_back(p.n / 10.0);
  });
  HeatResult out;
  out.disclosure.limited = audience.limited();
  for (const auto& [key, points] : other) {
    if (!OtherCountPasses(static_cast<double>(points.size()))) {
      out.disclosure.withheld_reports += static_cast<int64_t>(points.size());
      continue;
    }
    for (const auto& [pe, pn] : points) {
      e.push_back(pe);
      n.push_back(pn);
    }
  }
  out.cell_m = cell_m;
  out.bandwidth_m =
      bandwidth_m > 0
          ? bandwidth_m
          : std::max(cell_m, analysis::DefaultBandwidth(e.data(), n.data(), nullptr, e.size()));
  auto cells = analysis::QuarticKde(**grid, e.data(), n.data(), nullptr, e.size(), out.bandwidth_m);
  if (!cells) return Fail(cells);
  for (const auto& c : *cells) {
    if (c.density > 0) out.cells.push_back(c);
  }
  return out;
}

Result<std::array<double, 168>> ComputeProfile(const System& sys, const LagesbildParams& params) {
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->coverage = false;
  if (auto ok = CheckDisclosure(sys, params, *q, 0, true); !ok) return Fail(ok);
  // An hour of the week is a cell of time (rule 2): other organisations' weight in an hour counts
  // only when it is at least kOtherOrgMinCount.
  const Audience& audience = params.audience;
  const bool split = IncludesOtherOrgs(audience, *q);
  analysis::HourProfile profile{}, other{};
  sys.engine().ForEachPoint(*q, [&](const analysis::EnginePoint& p) {
    // The engine keeps the local start minute; the spread runs over real instants from there.
    analysis::HourProfile& into = split && !audience.IsOwn(OrgId{p.org}) ? other : profile;
    analysis::AddAoristic(into, LocalTimeToUtc(p.day, p.minute * 60), p.span);
  });
  std::array<double, 168> out{};
  for (size_t i = 0; i < 168; ++i) {
    // Aoristic weights are sums of fractions: compare with a tolerance.
    const bool passes = other[i] < 1e-9 || other[i] >= kOtherOrgMinCount - 1e-9;
    out[i] = profile[i] + (passes ? other[i] : 0);
  }
  return out;
}

Result<SeriesResult> ComputeSeries(const System& sys, const LagesbildParams& params, int weeks,
                                   int baseline_weeks) {
  if (weeks < 1 || weeks > 520) return InvalidField("weeks", "måste vara 1–520");
  if (baseline_weeks < 2 || baseline_weeks > 104) {
    return InvalidField("baseline", "måste vara 2–104");
  }
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  // The series ends with the week holding the period's last day (default: the last complete
  // week). A running period ends with today's week, marked running; an ended period whose last
  // week still runs (November on Tuesday 1 December) ends with the week before, so a part-week
  // never reads as a drop. No week that has not begun is plotted.
  const UnixSeconds now = NowUnix();
  const LocalDay today = ToLocalDay(now);
  LocalDay end = std::min(q->period.last, today);
  if (!q->cut_minutes && RunningCutMinutes(WeekContaining(end), now)) end -= 7;
  IsoWeek last = ToIsoWeek(end);
  LocalDay last_monday = IsoWeekStart(last.year, last.week);
  LocalDay first_monday = last_monday - 7 * (weeks - 1);
  std::vector<int64_t> counts = sys.engine().WeeklyCounts(*q, first_monday, weeks);
  SeriesResult out;
  out.baseline_weeks = baseline_weeks;
  for (int k = 0; k < weeks; ++k) {
    LocalDay monday = first_monday + 7 * k;
    Period wp = SamePeriodLastYear(WeekContaining(monday));
    int64_t ly = sys.engine().WeeklyCounts(*q, wp.first, 1)[0];
    const bool running = RunningCutMinutes(WeekContaining(monday), now).has_value();
    out.points.push_back(
        {FormatIsoWeek(ToIsoWeek(monday)), counts[static_cast<size_t>(k)], ly, running});
  }
  std::vector<int64_t> history =
      sys.engine().WeeklyCounts(*q, last_monday - 7 * baseline_weeks, baseline_weeks);
  out.band = analysis::WeeklyBaseline(history, counts.empty() ? 0 : counts.back());
  if (!out.points.empty() && out.points.back().running) out.band.below = false;
  return out;
}

Result<analysis::ConcentrationResult> ComputeConcentration(const System& sys,
                                                           const LagesbildParams& params,
                                                           double cell_m) {
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  if (auto ok = CheckDisclosure(sys, params, *q, cell_m, true); !ok) return Fail(ok);
  auto grid = sys.StudyGridFor(cell_m, "areas");
  if (!grid) return Fail(grid);
  std::vector<double> counts = DisclosedCellCounts(sys, params.audience, *q, **grid, nullptr);
  std::vector<int64_t> ints(counts.begin(), counts.end());
  return analysis::Concentration(std::move(ints));
}

Result<std::vector<analysis::AreaPriority>> ComputePriority(const System& sys,
                                                            const LagesbildParams& params,
                                                            int level,
                                                            const analysis::PriorityWeights& w) {
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->coverage = false;
  auto cat = sys.catalog();
  // Map every area id to its ancestor at `level` (or itself).
  std::map<int64_t, int64_t> owner;
  for (const Area& a : cat->areas()) {
    const Area* cur = &a;
    while (cur && cur->level > level) cur = cur->parent ? cat->AreaById(*cur->parent) : nullptr;
    if (cur && cur->level == level) owner[a.id.value] = cur->id.value;
  }
  struct Acc {
    double severity = 0;
    int64_t count = 0, previous = 0;
    std::set<int> orgs;
    std::map<std::pair<int32_t, int32_t>, int64_t> cells;
  };
  std::map<int64_t, Acc> acc;
  for (const Area& a : cat->areas()) {
    if (a.level == level) acc[a.id.value];
  }
  if (acc.empty())
    return InvalidField("level", "det finns inga områden på nivå " + std::to_string(level));
  const double cell = 250;
  sys.engine().ForEachPoint(*q, [&](const analysis::EnginePoint& p) {
    auto it = owner.find(p.area);
    if (it == owner.end()) return;
    Acc& a = acc[it->second];
    a.severity += p.severity;
    ++a.count;
    a.orgs.insert(p.org);
    if (p.area_only) return;  // counted in the area, but no cell
    analysis::CellKey k = analysis::CellOf(p.e / 10.0, p.n / 10.0, cell);
    ++a.cells[{k.ix, k.iy}];
  });
  analysis::LagesbildQuery prev = *q;
  prev.period = PreviousPeriod(q->period);
  sys.engine().ForEachPoint(prev, [&](const analysis::EnginePoint& p) {
    auto it = owner.find(p.area);
    if (it != owner.end()) ++acc[it->second].previous;
  });
  // Persistent or intensifying hotspot cells (emerging analysis, 26 four-week steps ending with the
  // period) counted for the area holding the cell centre.
  std::map<int64_t, int> hot_cells;
  GridParams gp;
  EmergingParams ep;
  ep.end_week = FormatIsoWeek(ToIsoWeek(std::min(q->period.last, ToLocalDay(NowUnix()))));
  LagesbildParams filters = params;
  auto em = ComputeEmerging(sys, filters, gp, ep);
  if (em) {
    for (const auto& c : em->cells) {
      bool counts = c.hot && (c.category == analysis::EmergingCategory::kPersistent ||
                              c.category == analysis::EmergingCategory::kIntensifying);
      if (!counts) continue;
      auto a = cat->index().Locate({(c.ix + 0.5) * gp.cell_m, (c.iy + 0.5) * gp.cell_m});
      if (!a) continue;
      auto it = owner.find(*a);
      if (it != owner.end()) ++hot_cells[it->second];
    }
  }
  // Number of 250 m cells meeting each ranked area (centre or a corner inside it), the units of
  // its concentration.
  std::map<int64_t, int64_t> cells_of_area;
  if (auto grid = sys.StudyGridFor(cell, "areas")) {
    const double probes[5][2] = {{0.5, 0.5}, {0, 0}, {1, 0}, {0, 1}, {1, 1}};
    for (size_t i = 0; i < (*grid)->size(); ++i) {
      const analysis::CellKey& k = (*grid)->cell(i);
      std::set<int64_t> met;
      for (const auto& p : probes) {
        auto a = cat->index().Locate({(k.ix + p[0]) * cell, (k.iy + p[1]) * cell});
        if (!a) continue;
        auto it = owner.find(*a);
        if (it != owner.end()) met.insert(it->second);
      }
      for (int64_t area : met) ++cells_of_area[area];
    }
  }
  // Slower area-level signals: the police's list, the survey, and ongoing actions.
  int year = CivilFromDay(q->period.last).year;
  std::map<int64_t, int> vulnerable;
  if (auto list = internal::StoreOf(sys).ListVulnerableAreas()) {
    vulnerable = VulnerableStatus(*list, *cat, year);
  }
  std::map<int64_t, double> unsafe;  // latest "andel_otrygga" up to the period's year
  std::map<int64_t, std::string> unsafe_period;
  if (auto surveys = internal::StoreOf(sys).ListSurveys()) {
    for (const auto& sv : *surveys) {
      if (sv.indicator != kPrioritySurveyIndicator ||
          sv.period.substr(0, 4) > std::to_string(year)) {
        continue;
      }
      auto it = owner.find(sv.area.value);
      int64_t target = it == owner.end() ? sv.area.value : it->second;
      if (sv.period >= unsafe_period[target]) {
        unsafe_period[target] = sv.period;
        unsafe[target] = std::max(0.0, sv.value);
      }
    }
  }
  std::map<int64_t, int> ongoing;
  if (auto actions = internal::StoreOf(sys).ListActions()) {
    for (const auto& act : *actions) {
      if (act.status != ActionStatus::kOngoing) continue;
      std::set<int64_t> hit;
      for (AreaId aid : act.areas) {
        auto it = owner.find(aid.value);
        if (it != owner.end()) hit.insert(it->second);
      }
      for (int64_t h : hit) ++ongoing[h];
    }
  }
  std::vector<analysis::AreaPriorityInput> inputs;
  for (auto& [id, a] : acc) {
    const Area* area = cat->AreaById(AreaId{id});
    analysis::AreaPriorityInput in;
    in.code = area->code;
    in.name = area->name;
    if (area->population && *area->population > 0)
      in.population = static_cast<double>(*area->population);
    in.severity_weighted = a.severity;
    in.count = a.count;
    in.previous = a.previous;
    const double days = ExposureDays(q->period, q->cut_minutes);
    const double days_previous = ExposureDays(PreviousPeriod(q->period), q->cut_minutes);
    analysis::ChangeTest t = days > 0 && days_previous > 0
                                 ? analysis::TestChange(a.count, days, a.previous, days_previous)
                                 : analysis::ChangeTest{};
    in.trend = t.direction;
    in.trend_z = t.z;
    in.hotspot_cells = hot_cells[id];
    // Concentration over the area's cells, empty ones included (concentration.h).
    std::vector<int64_t> per_cell;
    for (const auto& [k, v] : a.cells) per_cell.push_back(v);
    int64_t area_cells = cells_of_area.count(id) ? cells_of_area[id] : 0;
    for (int64_t z = static_cast<int64_t>(per_cell.size()); z < area_cells; ++z)
      per_cell.push_back(0);
    in.top10_share = per_cell.empty() ? 0 : analysis::Concentration(per_cell).top10_share;
    in.reporting_orgs = static_cast<int>(a.orgs.size());
    in.vulnerable = vulnerable.count(id) ? vulnerable[id] : 0;
    if (unsafe.count(id)) in.survey_unsafe = unsafe[id];
    in.open_actions = ongoing.count(id) ? ongoing[id] : 0;
    inputs.push_back(std::move(in));
  }
  return analysis::RankAreas(inputs, w);
}

// ---- outward forms ----

std::string HotspotsCsv(const HotspotResult& r) {
  // Columns are a contract: new ones go at the end.
  std::string out = "ix,iy,count,local_sum,n_neigh,gi_star,p,p_fdr,bin,significant_fdr,p_normal\n";
  for (const auto& c : r.cells) {
    out += std::to_string(c.ix) + "," + std::to_string(c.iy) + "," + std::to_string(c.count) + "," +
           Fixed(c.local_sum, 0) + "," + std::to_string(c.n_neigh) + "," + Fixed(c.gi_star, 6) +
           "," + Fixed(c.p, 6) + "," + Fixed(c.p_fdr, 6) + "," + std::to_string(c.bin) + "," +
           (c.significant_fdr ? "1" : "0") + "," + Fixed(c.p_normal, 6) + "\n";
  }
  return out;
}

json HotspotsJson(const HotspotResult& r) {
  json cells = json::array();
  for (const auto& c : r.cells) {
    cells.push_back({{"ix", c.ix},
                     {"iy", c.iy},
                     {"count", c.count},
                     {"local_sum", c.local_sum},
                     {"n_neigh", c.n_neigh},
                     {"gi_star", c.gi_star},
                     {"p", c.p},
                     {"p_fdr", c.p_fdr},
                     {"bin", c.bin},
                     {"significant_fdr", c.significant_fdr},
                     {"p_normal", c.p_normal}});
  }
  return {{"period", r.query.period.label()},
          {"cell_m", r.grid.cell_m},
          {"band_m", r.grid.band_m},
          {"extent", r.grid.extent},
          {"study_cells", r.study_cells},
          {"privacy", DisclosureNoteJson(r.disclosure)},
          {"method",
           "Getis-Ord Gi* på rutnät i SWEREF 99 TM, fast avståndsband (cellen själv "
           "ingår), tomma celler ingår; gi_star (z) visar storleken; p är det exakta tvåsidiga "
           "testet av grannskapets summa (binomialt givet totalen, konstant intensitet), "
           "p_normal normalapproximationen av z; p_fdr Benjamini–Hochberg över alla rutor; "
           "bin ±3/±2/±1 för p < 0,01/0,05/0,10"},
          {"cells", cells}};
}

std::string HotspotsGeoJson(const HotspotResult& r) {
  std::string out = R"({"type":"FeatureCollection","privacy":)" +
                    DisclosureNoteJson(r.disclosure).dump() + R"(,"features":[)";
  for (size_t i = 0; i < r.cells.size(); ++i) {
    const auto& c = r.cells[i];
    json props = {{"ix", c.ix}, {"iy", c.iy},       {"count", c.count}, {"gi_star", c.gi_star},
                  {"p", c.p},   {"p_fdr", c.p_fdr}, {"bin", c.bin},     {"p_normal", c.p_normal}};
    out += std::string(i ? "," : "") + R"({"type":"Feature","properties":)" + props.dump() +
           R"(,"geometry":)" + CellPolygon(c.ix, c.iy, r.grid.cell_m) + "}";
  }
  return out + "]}";
}

std::string EmergingCsv(const EmergingResult& r) {
  std::string out =
      "ix,iy,category_label,mk_z,mk_p,hot,count,hot_steps,cold_steps,last_z,category_sv\n";
  for (const auto& c : r.cells) {
    out += std::to_string(c.ix) + "," + std::to_string(c.iy) + "," +
           std::string(analysis::EmergingCategoryLabel(c.category, c.hot)) + "," +
           Fixed(c.trend.z, 6) + "," + Fixed(c.trend.p, 6) + "," + (c.hot ? "1" : "0") + "," +
           std::to_string(c.count) + "," + std::to_string(c.hot_steps) + "," +
           std::to_string(c.cold_steps) + "," + Fixed(c.last_z, 6) + "," +
           std::string(analysis::EmergingCategoryLabelSv(c.category, c.hot)) + "\n";
  }
  return out;
}

std::string EmergingGeoJson(const EmergingResult& r, double cell_m) {
  std::string out = R"({"type":"FeatureCollection","privacy":)" +
                    DisclosureNoteJson(r.disclosure).dump() + R"(,"features":[)";
  bool first = true;
  for (const auto& c : r.cells) {
    if (c.category == analysis::EmergingCategory::kNoPattern) continue;
    json props = {{"ix", c.ix},
                  {"iy", c.iy},
                  {"category_label", analysis::EmergingCategoryLabel(c.category, c.hot)},
                  {"category_sv", analysis::EmergingCategoryLabelSv(c.category, c.hot)},
                  {"mk_z", c.trend.z},
                  {"mk_p", c.trend.p},
                  {"count", c.count}};
    out += std::string(first ? "" : ",") + R"({"type":"Feature","properties":)" + props.dump() +
           R"(,"geometry":)" + CellPolygon(c.ix, c.iy, cell_m) + "}";
    first = false;
  }
  return out + "]}";
}

std::string HeatGeoJson(const HeatResult& r) {
  std::string out = R"({"type":"FeatureCollection","bandwidth_m":)" + Fixed(r.bandwidth_m, 1) +
                    R"(,"privacy":)" + DisclosureNoteJson(r.disclosure).dump() + R"(,"features":[)";
  for (size_t i = 0; i < r.cells.size(); ++i) {
    const auto& c = r.cells[i];
    out += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"ix":)" +
           std::to_string(c.ix) + R"(,"iy":)" + std::to_string(c.iy) + R"(,"density":)" +
           Fixed(c.density, 4) + R"(},"geometry":)" + CellPolygon(c.ix, c.iy, r.cell_m) + "}";
  }
  return out + "]}";
}

json ProfileJson(const std::array<double, 168>& profile) {
  static const char* kDays[] = {"måndag", "tisdag", "onsdag", "torsdag",
                                "fredag", "lördag", "söndag"};
  json days = json::array();
  for (int d = 0; d < 7; ++d) {
    json hours = json::array();
    for (int h = 0; h < 24; ++h)
      hours.push_back(std::round(profile[static_cast<size_t>(d * 24 + h)] * 1000) / 1000);
    days.push_back({{"weekday", kDays[d]}, {"hours", hours}});
  }
  return {{"days", days},
          {"method",
           "Aoristisk viktning: en rapport med ett tidsintervall fördelas jämnt över "
           "timmarna det täcker (summa 1 per rapport)."}};
}

json SeriesJson(const SeriesResult& r) {
  json points = json::array();
  for (const auto& p : r.points) {
    points.push_back(
        {{"week", p.week}, {"count", p.count}, {"last_year", p.last_year}, {"running", p.running}});
  }
  return {{"points", points},
          {"baseline",
           {{"weeks", r.baseline_weeks},
            {"mean", r.band.mean},
            {"lower", r.band.lower},
            {"upper", r.band.upper},
            {"above", r.band.above},
            {"below", r.band.below}}}};
}

json ConcentrationJson(const analysis::ConcentrationResult& r) {
  json lorenz = json::array();
  for (const auto& p : r.lorenz) lorenz.push_back({p.units_share, p.reports_share});
  return {{"total", r.total},
          {"units", r.units},
          {"top5_share", r.top5_share},
          {"top10_share", r.top10_share},
          {"gini", r.gini},
          {"lorenz", lorenz}};
}

json PriorityJson(const std::vector<analysis::AreaPriority>& r) {
  json items = json::array();
  for (const auto& a : r) {
    items.push_back({{"code", a.code},
                     {"name", a.name},
                     {"need", a.need},
                     {"influence", a.influence},
                     {"need_rank", a.need_rank},
                     {"influence_rank", a.influence_rank},
                     {"reasons", a.reasons}});
  }
  return {{"items", items}};
}

}  // namespace est::app
