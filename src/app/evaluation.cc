// The evaluation of an action: periods, comparison and buffer areas, counts from the engine,
// WDD/WDQ and the verdict.
#include "app/evaluation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/present.h"
#include "app/system_access.h"
#include "core/time.h"
#include "geo/validate.h"

namespace est::app {
namespace {

using nlohmann::json;

constexpr double kTouchMetres = 5;  // closer than this counts as neighbouring (hairline gaps)

std::string Num(double v, int digits = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  if (!s.empty() && s[0] == '-') s = "−" + s.substr(1);
  return s;
}

// Reports in `areas` (with sub-areas) of `categories` over `p`.
Result<int64_t> Count(const System& sys, const std::vector<AreaId>& areas,
                      const std::vector<CategoryId>& categories, const Period& p) {
  auto cat = sys.catalog();
  LagesbildParams params;
  params.from = FormatDay(p.first);
  params.to = FormatDay(p.last);
  for (AreaId id : areas) {
    if (const Area* a = cat->AreaById(id)) params.areas.push_back(a->code);
  }
  for (CategoryId id : categories) {
    if (const Category* k = cat->CategoryById(id)) params.categories.push_back(k->code);
  }
  auto q = sys.ResolveQuery(params);
  if (!q) return Fail(q);
  q->coverage = false;
  return sys.engine().Compute(*q).total;
}

}  // namespace

Result<Evaluation> EvaluateAction(System& sys, const Action& a) {
  auto cat = sys.catalog();
  if (a.areas.empty()) {
    return InvalidField("areas", "insatsen har inga områden att utvärdera");
  }
  auto start = ParseDay(a.start);
  if (a.start.empty() || !start) {
    return InvalidField("start", "insatsen har inget startdatum");
  }
  LocalDay yesterday = ToLocalDay(NowUnix()) - 1;
  LocalDay last = yesterday;
  if (!a.end.empty()) {
    if (auto e = ParseDay(a.end)) last = std::min(last, *e);
  }
  if (last - *start + 1 < 7) {
    return InvalidField("start", "insatsen har pågått kortare än en vecka; utvärdera senare");
  }
  Evaluation ev;
  ev.after = Period{PeriodKind::kCustom, *start, last};
  int len = ev.after.days();
  ev.before = Period{PeriodKind::kCustom, *start - len, *start - 1};
  ev.treated = a.areas;
  if (!a.follow_up.empty()) {
    if (auto f = ParseDay(a.follow_up)) ev.preliminary = *f > yesterday + 1;
  }

  // Neighbours and candidates at the treated areas' level.
  const Area* first = cat->AreaById(a.areas.front());
  int level = first ? first->level : 1;
  auto geoms = internal::StoreOf(sys).AllAreaGeometries();
  if (!geoms) return Fail(geoms);
  std::map<int64_t, const geo::MultiPolygon*> shape;
  for (const auto& g : *geoms) shape[g.area.id.value] = &g.geometry;
  std::set<int64_t> treated;
  for (AreaId id : a.areas) treated.insert(id.value);
  std::vector<AreaId> candidates;
  for (const auto& g : *geoms) {
    if (g.area.level != level || treated.count(g.area.id.value)) continue;
    bool touches = false;
    for (AreaId t : a.areas) {
      auto it = shape.find(t.value);
      if (it == shape.end()) continue;
      double d = geo::GeosDistance(*it->second, g.geometry);
      if (d >= 0 && d <= kTouchMetres) touches = true;
    }
    if (touches) {
      ev.buffer.push_back(g.area.id);
    } else {
      candidates.push_back(g.area.id);
    }
  }

  auto t_b = Count(sys, ev.treated, a.indicator_categories, ev.before);
  if (!t_b) return Fail(t_b);
  auto t_a = Count(sys, ev.treated, a.indicator_categories, ev.after);
  if (!t_a) return Fail(t_a);

  if (!a.controls.empty()) {
    ev.controls = a.controls;
  } else {
    ev.controls_proposed = true;
    std::vector<std::pair<double, AreaId>> ranked;
    for (AreaId c : candidates) {
      auto n = Count(sys, {c}, a.indicator_categories, ev.before);
      if (!n) return Fail(n);
      if (*n == 0) continue;
      double distance = std::fabs(std::log((*n + 1.0) / (*t_b + 1.0)));
      ranked.emplace_back(distance, c);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first < y.first : x.second.value < y.second.value;
    });
    for (size_t i = 0; i < ranked.size() && i < 3; ++i) ev.controls.push_back(ranked[i].second);
  }
  if (ev.controls.empty()) {
    return InvalidField("controls",
                        "inget jämförelseområde hittades (inga områden på samma nivå med "
                        "rapporter som inte gränsar till insatsområdet); välj själv");
  }
  auto c_b = Count(sys, ev.controls, a.indicator_categories, ev.before);
  if (!c_b) return Fail(c_b);
  auto c_a = Count(sys, ev.controls, a.indicator_categories, ev.after);
  if (!c_a) return Fail(c_a);
  if (*c_b == 0) {
    // Nothing before in the comparison: its change cannot be scaled to the treated area.
    std::string names;
    for (AreaId id : ev.controls) {
      if (const Area* ca = cat->AreaById(id)) names += (names.empty() ? "" : ", ") + ca->name;
    }
    return InvalidField("controls", "jämförelseområdena (" + names +
                                        ") hade inga rapporter före insatsen och säger därför "
                                        "inget om utvecklingen; välj områden med rapporter före");
  }
  ev.counts.treated_before = *t_b;
  ev.counts.treated_after = *t_a;
  ev.counts.control_before = *c_b;
  ev.counts.control_after = *c_a;
  auto wdd = analysis::ScaledWdd(ev.counts);
  if (!wdd) return Fail(wdd);
  ev.wdd = *wdd;

  if (!ev.buffer.empty()) {
    auto d_b = Count(sys, ev.buffer, a.indicator_categories, ev.before);
    if (!d_b) return Fail(d_b);
    auto d_a = Count(sys, ev.buffer, a.indicator_categories, ev.after);
    if (!d_a) return Fail(d_a);
    ev.counts.displacement_before = *d_b;
    ev.counts.displacement_after = *d_a;
    analysis::WdqCounts wq{*t_b, *t_a, *c_b, *c_a, *d_b, *d_a};
    if (auto w = analysis::Wdq(wq)) ev.wdq = *w;
  }

  // The verdict: the sign of the interval decides; the words name the size.
  std::string ci = "WDD = " + Num(ev.wdd.estimate) + " rapporter, 95 % konfidensintervall " +
                   Num(ev.wdd.ci_low, 1) + " till " + Num(ev.wdd.ci_high, 1) +
                   ", z = " + Num(ev.wdd.z, 2);
  std::string change = "I insatsområdet " + std::to_string(*t_b) + " → " + std::to_string(*t_a) +
                       " rapporter, i jämförelseområdena " + std::to_string(*c_b) + " → " +
                       std::to_string(*c_a) +
                       ". Jämförelsen är skalad till insatsområdets nivå "
                       "före (faktor " +
                       Num(ev.wdd.scale, 2) +
                       "): med jämförelseområdenas "
                       "utveckling hade omkring " +
                       Num(ev.wdd.expected_treated_after) +
                       " rapporter väntats efter, och variansen följer av skalningen.";
  if (ev.wdd.ci_high < 0) {
    ev.verdict =
        "Minskningen i insatsområdet är större än i jämförelseområdena och sannolikt "
        "inte slump (" +
        ci + "). " + change;
  } else if (ev.wdd.ci_low > 0) {
    ev.verdict =
        "Rapporterna har ökat i insatsområdet jämfört med jämförelseområdena, och "
        "ökningen är sannolikt inte slump (" +
        ci + "). " + change;
  } else {
    ev.verdict = "Ingen säker skillnad mot jämförelseområdena kan visas (" + ci +
                 "); förändringen ryms i slumpens variation. " + change;
  }
  // The WDQ says where a real effect went; without one it has nothing to explain.
  if (ev.wdq && ev.wdq->wdq && ev.wdd.ci_high < 0) {
    switch (ev.wdq->reading) {
      case analysis::WdqReading::kDiffusionExceedsDirect:
      case analysis::WdqReading::kSomeDiffusion:
        ev.verdict += " Grannområdena har också förbättrats (spridning av nytta, WDQ = " +
                      Num(*ev.wdq->wdq, 2) + ").";
        break;
      case analysis::WdqReading::kDisplacementNetGain:
        ev.verdict += " Viss förflyttning till grannområdena, men en nettovinst (WDQ = " +
                      Num(*ev.wdq->wdq, 2) + ").";
        break;
      case analysis::WdqReading::kDisplacementExceeds:
        ev.verdict += " Förflyttningen till grannområdena är större än effekten (WDQ = " +
                      Num(*ev.wdq->wdq, 2) + ").";
        break;
      default:
        break;
    }
  }

  // Caveats.
  if (*t_b + *t_a < 30) {
    ev.caveats.push_back("Få händelser (" + std::to_string(*t_b + *t_a) +
                         " i insatsområdet): slumpen kan ge stora skillnader.");
  }
  Period long_term{PeriodKind::kCustom, ev.before.first - 364, ev.before.first - 1};
  auto t_long = Count(sys, ev.treated, a.indicator_categories, long_term);
  if (!t_long) return Fail(t_long);
  double usual = static_cast<double>(*t_long) / 364.0 * len;
  if (*t_b >= 5 && *t_b > 1.5 * usual) {
    ev.caveats.push_back("Regression mot medelvärdet: perioden före var ovanligt hög (" +
                         std::to_string(*t_b) + " mot normalt ~" + Num(usual) +
                         "); en minskning hade kunnat komma även utan insatsen.");
  }
  if (len < 365) {
    ev.caveats.push_back(
        "Säsong: perioderna före och efter ligger på olika tider av året; jämförelseområdena tar "
        "bara delvis hand om det.");
  }
  if (ev.preliminary) {
    ev.caveats.push_back("Preliminärt: uppföljningsdatumet har inte kommit än.");
  }
  // Contaminated comparison: another action working in a comparison area during the after period
  // moves the comparison too, so the difference understates (or overstates) this one's effect.
  auto others = internal::StoreOf(sys).ListActions();
  if (!others) return Fail(others);
  std::string after_first = FormatDay(ev.after.first), after_last = FormatDay(ev.after.last);
  std::set<std::string> contaminated;
  for (const auto& o : *others) {
    if (o.id == a.id || o.status == ActionStatus::kPlanned ||
        o.status == ActionStatus::kCancelled) {
      continue;
    }
    if (!o.start.empty() && o.start > after_last) continue;
    if (!o.end.empty() && o.end < after_first) continue;
    for (AreaId c : ev.controls) {
      if (std::find(o.areas.begin(), o.areas.end(), c) == o.areas.end()) continue;
      if (const Area* ca = cat->AreaById(c)) contaminated.insert(ca->name);
    }
  }
  if (!contaminated.empty()) {
    std::string names;
    for (const auto& n : contaminated) names += (names.empty() ? "" : ", ") + n;
    ev.caveats.push_back("Jämförelseområden med egna insatser under perioden (" + names +
                         "): jämförelsen kan vara påverkad; välj gärna andra.");
  }
  if (ev.controls_proposed) {
    ev.caveats.push_back(
        "Jämförelseområdena är föreslagna av systemet (liknande nivå före, inte grannar); "
        "byt dem om de inte liknar insatsområdet.");
  }
  return ev;
}

json WddJson(const analysis::WddResult& r) {
  return {{"method", r.scaled ? "scaled" : "plain"},
          {"estimate", r.estimate},
          {"variance", r.variance},
          {"se", r.se},
          {"ci_low", r.ci_low},
          {"ci_high", r.ci_high},
          {"ci95", {r.ci_low, r.ci_high}},
          {"z", r.z},
          {"p", r.p},
          {"scale", r.scale},
          {"scale_displacement", r.scale_displacement},
          {"expected_treated_after", r.expected_treated_after}};
}

json EvaluationJson(const Evaluation& e, const app::Catalog& c) {
  auto areas = [&](const std::vector<AreaId>& ids) {
    json out = json::array();
    for (AreaId id : ids) {
      if (const Area* a = c.AreaById(id)) out.push_back({{"code", a->code}, {"name", a->name}});
    }
    return out;
  };
  json wdq = nullptr;
  if (e.wdq) {
    wdq = {{"gross_effect", e.wdq->gross_effect},
           {"net_effect", e.wdq->net_effect},
           {"success_measure", e.wdq->success_measure},
           {"buffer_measure", e.wdq->buffer_measure},
           {"wdq", e.wdq->wdq ? json(*e.wdq->wdq) : json(nullptr)},
           {"total_net_effect", e.wdq->total_net_effect}};
  }
  return {{"before", PeriodJson(e.before)},
          {"after", PeriodJson(e.after)},
          {"treated", areas(e.treated)},
          {"controls", areas(e.controls)},
          {"controls_proposed", e.controls_proposed},
          {"buffer", areas(e.buffer)},
          {"counts",
           {{"treated_before", e.counts.treated_before},
            {"treated_after", e.counts.treated_after},
            {"control_before", e.counts.control_before},
            {"control_after", e.counts.control_after},
            {"buffer_before", e.counts.displacement_before},
            {"buffer_after", e.counts.displacement_after}}},
          {"wdd", WddJson(e.wdd)},
          {"wdq", wdq},
          {"preliminary", e.preliminary},
          {"verdict", e.verdict},
          {"caveats", e.caveats}};
}

}  // namespace est::app
