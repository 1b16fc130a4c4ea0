// Shared pieces of the document builders.
#include "app/document_parts.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>

#include "analysis/change.h"
#include "app/present.h"
#include "app/system_access.h"
#include "core/time.h"

namespace est::app::docs {
namespace {

const char* kMonthsSv[] = {"jan", "feb", "mar", "apr", "maj", "jun",
                           "jul", "aug", "sep", "okt", "nov", "dec"};
const char* kMonthNamesSv[] = {"januari",   "februari", "mars",     "april",
                               "maj",       "juni",     "juli",     "augusti",
                               "september", "oktober",  "november", "december"};

}  // namespace

std::string Num(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, std::fabs(v));
  std::string raw = buf;
  std::string frac;
  if (auto dot = raw.find('.'); dot != std::string::npos) {
    frac = "," + raw.substr(dot + 1);
    raw.resize(dot);
  }
  std::string grouped;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && (raw.size() - i) % 3 == 0) grouped += ' ';
    grouped += raw[i];
  }
  bool negative = v < 0 && std::round(std::fabs(v) * std::pow(10, digits)) > 0;
  return (negative ? "−" : "") + grouped + frac;
}

std::string Percent(int64_t now, int64_t base) {
  if (base <= 0) return "–";
  double p = 100.0 * static_cast<double>(now - base) / static_cast<double>(base);
  return (p > 0 ? "+" : "") + Num(p) + " %";
}

std::string Signal(int64_t now, double now_days, int64_t base, double base_days) {
  return analysis::ComputeChange(now, now_days, base, base_days).signal;
}

std::string Count(int64_t n, const std::string& singular, const std::string& plural) {
  return Num(static_cast<double>(n)) + " " + (n == 1 ? singular : plural);
}

std::string PText(double p) {
  if (p < 0.001) return "< 0,001";
  // Three decimals below 0,1, so that a p just above the 1 % level reads "0,010", not "0,01".
  return Num(p, p < 0.1 ? 3 : 2);
}

void ChangeColumns(report::Table& t) {
  for (const char* c : {"Förändring", "Bedömning", "p (exakt test)", "z (storleksmått)"}) {
    t.columns.emplace_back(c);
  }
  for (bool numeric : {true, false, true, true}) t.numeric.push_back(numeric);
}

std::vector<std::string> ChangeCells(int64_t now, double now_days, int64_t base, double base_days) {
  const analysis::Change c = analysis::ComputeChange(now, now_days, base, base_days);
  return {Percent(now, base), c.signal.empty() ? "normal variation" : c.signal, PText(c.p),
          Num(c.z, 1)};
}

std::string ChangeSentence(int64_t now, double now_days, int64_t base, double base_days) {
  const analysis::Change c = analysis::ComputeChange(now, now_days, base, base_days);
  std::string verdict = c.signal.empty() ? "inom normal variation" : "en signifikant " + c.signal;
  std::string test = " (exakt test, p " + (c.p < 0.001 ? PText(c.p) : "= " + PText(c.p)) + ")";
  return (base > 0 ? Percent(now, base) + ", " : "") + verdict + test;
}

std::string MunicipalityName(const app::Catalog& c) {
  for (const auto& a : c.areas()) {
    if (a.level == 0) return a.name;
  }
  return "Kommunen";
}

std::string Subtitle(const app::Catalog& c) {
  return MunicipalityName(c) + " – samverkan för trygghet (EST)";
}

std::string NowText() { return FormatTimestamp(NowUnix()); }

Result<analysis::Lagesbild> Picture(const System& sys, const Period& p,
                                    const std::vector<std::string>& orgs) {
  LagesbildParams params;
  params.from = FormatDay(p.first);
  params.to = FormatDay(p.last);
  params.orgs = orgs;
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->period = p;
  q->coverage = false;
  return sys.engine().Compute(*q);
}

report::Table CategoryTable(const analysis::Lagesbild& lb, const app::Catalog& c,
                            bool against_last_year) {
  report::Table t;
  t.name = "Per kategori";
  t.columns = {"Kategori", "Dimension", "Antal", against_last_year ? "I fjol" : "Föregående"};
  t.numeric = {false, false, true, true};
  ChangeColumns(t);
  const Area* root = nullptr;
  for (const auto& a : c.areas()) {
    if (a.level == 0) root = &a;
  }
  // The lengths the API uses (present.cc): a running period and its comparison cut at one instant.
  const double days = lb.days;
  const double base_days = against_last_year ? lb.days_last_year : lb.days_previous;
  std::vector<const analysis::LagesbildRow*> rows;
  for (const auto& r : lb.rows) {
    if (!r.category()) continue;
    if (root ? (r.area() && *r.area() == root->id) : !r.area()) rows.push_back(&r);
  }
  std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->count > b->count; });
  for (const auto* r : rows) {
    const Category* k = c.CategoryById(*r->category());
    int64_t base = against_last_year ? r->last_year : r->previous;
    if (r->count == 0 && base == 0) continue;
    std::vector<std::string> row = {
        k ? k->name_sv : "?", k ? std::string(DimensionText(k->dimension)) : "",
        Num(static_cast<double>(r->count)), Num(static_cast<double>(base))};
    for (auto& cell : ChangeCells(r->count, days, base, base_days)) row.push_back(std::move(cell));
    t.rows.push_back(std::move(row));
  }
  return t;
}

report::Table AreaTable(const analysis::Lagesbild& lb, const app::Catalog& c,
                        bool against_last_year) {
  report::Table t;
  t.name = "Per område";
  t.columns = {"Område", "Antal", "Per 1 000 inv.", against_last_year ? "I fjol" : "Föregående"};
  t.numeric = {false, true, true, true};
  ChangeColumns(t);
  const double days = lb.days;
  const double base_days = against_last_year ? lb.days_last_year : lb.days_previous;
  std::vector<std::pair<const Area*, const analysis::LagesbildRow*>> rows;
  for (const auto& r : lb.rows) {
    if (r.category() || !r.area()) continue;
    const Area* a = c.AreaById(*r.area());
    if (a && a->level >= 1) rows.emplace_back(a, &r);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
    return x.first->level != y.first->level ? x.first->level < y.first->level
                                            : x.second->count > y.second->count;
  });
  for (const auto& [a, r] : rows) {
    int64_t base = against_last_year ? r->last_year : r->previous;
    std::string rate =
        a->population && *a->population > 0
            ? Num(1000.0 * static_cast<double>(r->count) / static_cast<double>(*a->population), 1)
            : "–";
    std::string name = a->level > 1 ? a->name + " (delområde)" : a->name;
    std::vector<std::string> row = {name, Num(static_cast<double>(r->count)), rate,
                                    Num(static_cast<double>(base))};
    for (auto& cell : ChangeCells(r->count, days, base, base_days)) row.push_back(std::move(cell));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::map<int64_t, double> AreaTotals(const analysis::Lagesbild& lb, const app::Catalog& c) {
  std::map<int64_t, double> out;
  for (const auto& r : lb.rows) {
    if (r.category() || !r.area()) continue;
    const Area* a = c.AreaById(*r.area());
    if (a && a->level == 1) out[a->id.value] = static_cast<double>(r.count);
  }
  return out;
}

Result<report::MapFigure> AreaMap(System& sys, const std::map<int64_t, double>& values,
                                  const std::string& title, const std::string& legend,
                                  const std::vector<std::pair<double, double>>& points) {
  auto geoms = internal::StoreOf(sys).AllAreaGeometries();
  if (!geoms) return Fail(geoms);
  report::MapFigure m;
  m.title = title;
  m.legend = legend;
  m.points = points;
  for (const auto& g : *geoms) {
    if (g.area.level > 1) continue;
    report::MapFigure::Shape s;
    s.label = g.area.level == 1 ? g.area.name : "";
    s.outline_only = g.area.level == 0;
    auto it = values.find(g.area.id.value);
    s.value = it == values.end() ? 0 : it->second;
    for (const auto& poly : g.geometry.parts) {
      std::vector<std::pair<double, double>> outer;
      for (const auto& p : poly.outer.pts) outer.emplace_back(p.e, p.n);
      s.rings.push_back(std::move(outer));
      for (const auto& hole : poly.holes) {
        std::vector<std::pair<double, double>> ring;
        for (const auto& p : hole.pts) ring.emplace_back(p.e, p.n);
        s.rings.push_back(std::move(ring));
      }
    }
    m.shapes.push_back(std::move(s));
  }
  return m;
}

Result<std::vector<report::Block>> MonthChart(const System& sys, int year,
                                              const std::vector<std::string>& orgs,
                                              const std::string& title, LocalDay today) {
  report::Chart ch;
  ch.kind = report::Chart::Kind::kLine;
  ch.title = title;
  report::Chart::Series now{std::to_string(year), {}}, before{std::to_string(year - 1), {}};
  std::optional<report::Paragraph> note;
  for (int m = 1; m <= 12; ++m) {
    ch.labels.push_back(kMonthsSv[m - 1]);
    for (int y : {year, year - 1}) {
      char label[32];  // room for any int year (the compiler checks)
      std::snprintf(label, sizeof label, "%04d-%02d", y, m);
      auto p = ParsePeriod(label);
      if (!p) return Fail(p);
      if (p->first > today) continue;  // not begun: no point, not a 0
      auto lb = Picture(sys, *p, orgs);
      if (!lb) return Fail(lb);
      if (p->last >= today) {
        // Running: a partial month would look like a drop on the line.
        const CivilDate d = CivilFromDay(today);
        std::string month = kMonthNamesSv[m - 1];
        month[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(month[0])));
        note = report::Paragraph{month + " " + std::to_string(y) +
                                     " pågår: " + Count(lb->total, "rapport", "rapporter") +
                                     " hittills (" + (d.day == 1 ? "" : "1–") +
                                     std::to_string(d.day) + " " + kMonthNamesSv[m - 1] +
                                     "). Månaden visas inte i diagrammet förrän den är slut.",
                                 false};
        continue;
      }
      (y == year ? now : before).values.push_back(static_cast<double>(lb->total));
    }
  }
  ch.series = {now, before};
  ch.y_label = "rapporter";
  std::vector<report::Block> out{ch};
  if (note) out.emplace_back(*note);
  return out;
}

report::Chart WeekChart(const SeriesResult& series, const std::string& title,
                        const std::string& last_year_name, LocalDay today) {
  report::Chart chart;
  chart.kind = report::Chart::Kind::kLine;
  chart.title = title;
  report::Chart::Series now{"Rapporter", {}}, ly{last_year_name, {}};
  bool ended = true;
  for (const auto& p : series.points) {
    chart.labels.push_back("v" + p.week.substr(p.week.find('W') + 1));
    ly.values.push_back(static_cast<double>(p.last_year));
    auto w = ParseIsoWeek(p.week);
    // Once a week has not ended, no later week has either: the line stops there.
    ended = ended && w && IsoWeekStart(w->year, w->week) + 6 < today;
    if (ended) now.values.push_back(static_cast<double>(p.count));
  }
  chart.series = {now, ly};
  return chart;
}

std::string ActionStatusSv(ActionStatus s) {
  switch (s) {
    case ActionStatus::kPlanned:
      return "planerad";
    case ActionStatus::kOngoing:
      return "pågår";
    case ActionStatus::kDone:
      return "klar";
    case ActionStatus::kCancelled:
      return "avbruten";
  }
  return "";
}
std::string PreventionSv(Prevention p) {
  return p == Prevention::kSocial ? "social" : "situationell";
}
std::string HorizonSv(Horizon h) {
  return h == Horizon::kEventDriven ? "händelsestyrd" : "långsiktig";
}

report::Table ActionTable(const std::vector<Action>& actions, const app::Catalog& c,
                          const std::string& name) {
  report::Table t;
  t.name = name;
  t.columns = {"Nr", "Insats", "Ägare", "Typ", "Status", "Start", "Uppföljning", "Kostnad (kr)"};
  t.numeric = {true, false, false, false, false, false, false, true};
  std::string today = FormatDay(ToLocalDay(NowUnix()));
  for (const auto& a : actions) {
    const Organisation* o = c.OrgById(a.owner);
    std::string status = ActionStatusSv(a.status);
    if (IsOpen(a.status) && !a.follow_up.empty() && a.follow_up < today) status += " (försenad)";
    t.rows.push_back({std::to_string(a.id.value), a.title, o ? o->name : "",
                      PreventionSv(a.prevention) + ", " + HorizonSv(a.horizon), status, a.start,
                      a.follow_up, a.cost ? Num(*a.cost) : "–"});
  }
  return t;
}

}  // namespace est::app::docs
