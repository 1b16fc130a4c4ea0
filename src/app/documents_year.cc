// The yearly documents: one organisation's outcome section, the municipality-wide compilation,
// and the statutory lägesbild and åtgärdsplan (Lag 2023:196).
#include <algorithm>
#include <map>
#include <set>

#include "app/analyses.h"
#include "app/context.h"
#include "app/document_parts.h"
#include "app/documents.h"
#include "app/evaluation.h"
#include "app/present.h"
#include "app/system_access.h"
#include "core/time.h"

namespace est::app {
namespace {

using docs::Num;
using report::Document;
using report::Paragraph;
using report::Section;
using report::Table;

// Actions that were active during `year`: started on or before its end, and not ended before it.
bool ActiveIn(const Action& a, int year) {
  std::string first = std::to_string(year) + "-01-01", last = std::to_string(year) + "-12-31";
  if (!a.start.empty() && a.start > last) return false;
  if (!a.end.empty() && a.end < first) return false;
  if (a.start.empty()) return CivilFromDay(ToLocalDay(a.created_at)).year == year;
  return true;
}

// The effect column of an action: the evaluation's verdict (first sentence) or why there is none.
std::string EffectText(System& sys, const Action& a, std::string* full) {
  if (a.status == ActionStatus::kPlanned || a.status == ActionStatus::kCancelled) return "–";
  auto ev = EvaluateAction(sys, a);
  if (!ev)
    return "ej utvärderad: " +
           (ev.error().fields.empty() ? ev.error().detail : ev.error().fields[0].reason);
  if (full) {
    *full = ev->verdict;
    for (const auto& c : ev->caveats) *full += " " + c;
  }
  std::string head = ev->wdd.ci_high < 0 ? "minskning (WDD " + Num(ev->wdd.estimate) + ")"
                     : ev->wdd.ci_low > 0
                         ? "ökning (WDD " + Num(ev->wdd.estimate) + ")"
                         : "ingen säker effekt (WDD " + Num(ev->wdd.estimate) + ")";
  return ev->preliminary ? head + ", preliminär" : head;
}

Result<Period> YearPeriod(int year) {
  auto p = ParsePeriod(std::to_string(year));
  if (!p) return InvalidField("year", "måste vara ett år som 2026");
  return *p;
}

// Adds the effect of each evaluated action as a paragraph.
void EffectSection(System& sys, const std::vector<Action>& actions, Section& s) {
  for (const auto& a : actions) {
    if (a.status != ActionStatus::kDone && a.status != ActionStatus::kOngoing) continue;
    std::string full;
    EffectText(sys, a, &full);
    if (full.empty()) continue;
    s.blocks.push_back(
        Paragraph{"#" + std::to_string(a.id.value) + " " + a.title + ": " + full, false});
    if (!a.result.empty()) {
      s.blocks.push_back(Paragraph{"Ägarens uppföljning: " + a.result, false});
    }
  }
}

}  // namespace

Result<report::Document> BuildAnnual(System& sys, int year, const std::string& org_code) {
  auto cat = sys.catalog();
  const Organisation* org = cat->FindOrg(org_code);
  if (!org) return InvalidField("org", "okänd organisation \"" + org_code + "\"");
  auto period = YearPeriod(year);
  if (!period) return Fail(period);
  const LocalDay today = ToLocalDay(NowUnix());
  auto lb = docs::Picture(sys, *period, {org->code});
  if (!lb) return Fail(lb);
  auto all = internal::StoreOf(sys).ListActions();
  if (!all) return Fail(all);
  std::vector<Action> own;
  for (const auto& a : *all) {
    bool partner = std::find(a.partners.begin(), a.partners.end(), org->id) != a.partners.end();
    if ((a.owner == org->id || partner) && ActiveIn(a, year)) own.push_back(a);
  }
  Document d;
  d.kind = "annual";
  d.title = "Trygghetsarbetet " + std::to_string(year) + " – " + org->name;
  d.subtitle = "Avsnitt till verksamhetsberättelse och budget · " + docs::Subtitle(*cat);
  d.period = std::to_string(year);
  d.generated_at = docs::NowText();

  Section sum;
  sum.heading = "Sammanfattning";
  std::map<ActionStatus, int> by_status;
  double cost = 0;
  for (const auto& a : own) {
    by_status[a.status] += 1;
    if (a.owner == org->id && a.cost) cost += *a.cost;
  }
  sum.blocks.push_back(Paragraph{
      org->name + " lämnade " + docs::Count(lb->total, "rapport", "rapporter") +
          " till den gemensamma lägesbilden under " + std::to_string(year) + " (" +
          Num(static_cast<double>(lb->total_last_year)) + " året före) och deltog i " +
          docs::Count(static_cast<int64_t>(own.size()), "insats", "insatser") + ": " +
          docs::Count(by_status[ActionStatus::kDone], "klar", "klara") + ", " +
          docs::Count(by_status[ActionStatus::kOngoing], "pågående", "pågående") + ", " +
          docs::Count(by_status[ActionStatus::kPlanned], "planerad", "planerade") + " och " +
          docs::Count(by_status[ActionStatus::kCancelled], "avbruten", "avbrutna") +
          ". Insatser som " + org->name + " äger kostade sammanlagt " + Num(cost) + " kronor.",
      false});
  d.sections.push_back(std::move(sum));

  Section acts;
  acts.heading = "Insatser";
  if (own.empty()) {
    acts.blocks.push_back(Paragraph{"Inga insatser under året.", false});
  } else {
    Table t = docs::ActionTable(own, *cat, "Insatser");
    t.columns.push_back("Effekt");
    t.numeric.push_back(false);
    for (size_t i = 0; i < own.size(); ++i) t.rows[i].push_back(EffectText(sys, own[i], nullptr));
    acts.blocks.push_back(t);
  }
  d.sections.push_back(std::move(acts));

  Section eff;
  eff.heading = "Effekt och uppföljning";
  eff.blocks.push_back(Paragraph{
      "Effekten bedöms före/efter mot jämförelseområden med Weighted Displacement Difference "
      "(WDD) och 95 % konfidensintervall; grannområden med Weighted Displacement Quotient.",
      false});
  EffectSection(sys, own, eff);
  d.sections.push_back(std::move(eff));

  Section rep;
  rep.heading = "Organisationens rapportering";
  Table ct = docs::CategoryTable(*lb, *cat, true);
  ct.name = "Rapporter per kategori";
  rep.blocks.push_back(ct);
  auto chart = docs::MonthChart(sys, year, {org->code}, "Rapporter per månad", today);
  if (!chart) return Fail(chart);
  rep.blocks.insert(rep.blocks.end(), chart->begin(), chart->end());
  int checkins = 0;
  auto list = internal::StoreOf(sys).ListCheckIns();
  if (!list) return Fail(list);
  for (const auto& c : *list) {
    if (c.org == org->id && c.week.year == year) ++checkins;
  }
  rep.blocks.push_back(Paragraph{
      "Incheckningar \"inget att rapportera\": " + std::to_string(checkins) + " under året.",
      false});
  d.sections.push_back(std::move(rep));
  d.sources = {"Källa: EST, rapporter och insatser registrerade till och med " +
                   FormatDay(ToLocalDay(NowUnix())) + ".",
               docs::kVerdictNote};
  return d;
}

Result<report::Document> BuildMunicipality(System& sys, int year) {
  auto cat = sys.catalog();
  auto period = YearPeriod(year);
  if (!period) return Fail(period);
  const LocalDay today = ToLocalDay(NowUnix());
  auto lb = docs::Picture(sys, *period);
  if (!lb) return Fail(lb);
  auto all = internal::StoreOf(sys).ListActions();
  if (!all) return Fail(all);
  std::vector<Action> actions;
  for (const auto& a : *all) {
    if (ActiveIn(a, year)) actions.push_back(a);
  }
  Document d;
  d.kind = "municipality";
  d.title = "Trygghetsarbetet i " + docs::MunicipalityName(*cat) + " " + std::to_string(year);
  d.subtitle = "Kommungemensam sammanställning · " + docs::Subtitle(*cat);
  d.period = std::to_string(year);
  d.generated_at = docs::NowText();

  Section sum;
  sum.heading = "Sammanfattning";
  double cost = 0;
  int done = 0;
  for (const auto& a : actions) {
    if (a.cost) cost += *a.cost;
    if (a.status == ActionStatus::kDone) ++done;
  }
  const size_t n_actions = actions.size();
  sum.blocks.push_back(Paragraph{
      "Under " + std::to_string(year) + " kom " + docs::Count(lb->total, "rapport", "rapporter") +
          " från " +
          docs::Count(static_cast<int64_t>(cat->orgs().size()), "organisation", "organisationer") +
          ". Mot året före (" + Num(static_cast<double>(lb->total_last_year)) + "): " +
          docs::ChangeSentence(lb->total, lb->days, lb->total_last_year, lb->days_last_year) +
          ". " +
          (n_actions == 1 ? std::string("1 insats var aktiv")
                          : std::to_string(n_actions) + " insatser var aktiva") +
          (n_actions == 0 ? ""
                          : ", varav " + docs::Count(done, "avslutad", "avslutade") +
                                "; sammanlagd kostnad " + Num(cost) + " kronor") +
          ".",
      false});
  d.sections.push_back(std::move(sum));

  // Per organisation.
  Section orgs;
  orgs.heading = "Nämnder, bolag och andra aktörer";
  Table ot;
  ot.name = "Per organisation";
  ot.columns = {"Organisation",     "Rapporter",   "I fjol",
                "Insatser (ägare)", "Varav klara", "Kostnad (kr)"};
  ot.numeric = {false, true, true, true, true, true};
  std::map<int64_t, int64_t> reports_now, reports_before;
  for (const auto& o : cat->orgs()) {
    auto p = docs::Picture(sys, *period, {o.code});
    if (!p) return Fail(p);
    int owned = 0, owned_done = 0;
    double owned_cost = 0;
    for (const auto& a : actions) {
      if (a.owner != o.id) continue;
      ++owned;
      if (a.status == ActionStatus::kDone) ++owned_done;
      if (a.cost) owned_cost += *a.cost;
    }
    ot.rows.push_back({o.name, Num(static_cast<double>(p->total)),
                       Num(static_cast<double>(p->total_last_year)), std::to_string(owned),
                       std::to_string(owned_done), Num(owned_cost)});
  }
  orgs.blocks.push_back(ot);
  d.sections.push_back(std::move(orgs));

  Section pic;
  pic.heading = "Lägesbild för året";
  pic.blocks.push_back(docs::CategoryTable(*lb, *cat, true));
  auto chart = docs::MonthChart(sys, year, {}, "Rapporter per månad, hela kommunen", today);
  if (!chart) return Fail(chart);
  pic.blocks.insert(pic.blocks.end(), chart->begin(), chart->end());
  auto map = docs::AreaMap(sys, docs::AreaTotals(*lb, *cat),
                           "Rapporter per område " + std::to_string(year), "Rapporter under året");
  if (!map) return Fail(map);
  pic.blocks.push_back(*map);
  pic.blocks.push_back(docs::AreaTable(*lb, *cat, true));
  d.sections.push_back(std::move(pic));

  Section acts;
  acts.heading = "Alla insatser";
  if (actions.empty()) {
    acts.blocks.push_back(Paragraph{"Inga insatser under året.", false});
  } else {
    Table t = docs::ActionTable(actions, *cat, "Insatser");
    t.columns.push_back("Effekt");
    t.numeric.push_back(false);
    for (size_t i = 0; i < actions.size(); ++i) {
      t.rows[i].push_back(EffectText(sys, actions[i], nullptr));
    }
    acts.blocks.push_back(t);
  }
  d.sections.push_back(std::move(acts));
  d.sources = {
      "Källa: EST; varje organisations avsnitt finns som egen rapport (est report "
      "annual).",
      "Effekt: WDD mot jämförelseområden, 95 % konfidensintervall.", docs::kVerdictNote};
  return d;
}

Result<report::Document> BuildStatutory(System& sys, int year) {
  auto cat = sys.catalog();
  auto period = YearPeriod(year);
  if (!period) return Fail(period);
  const LocalDay today = ToLocalDay(NowUnix());
  auto lb = docs::Picture(sys, *period);
  if (!lb) return Fail(lb);
  std::string name = docs::MunicipalityName(*cat);
  Document d;
  d.kind = "statutory";
  d.title = "Lägesbild och åtgärdsplan " + std::to_string(year);
  d.subtitle =
      name + " · enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete";
  d.period = std::to_string(year);
  d.generated_at = docs::NowText();

  Section intro;
  intro.heading = "Inledning";
  intro.blocks.push_back(Paragraph{
      "Kommunen ska enligt lagen (2023:196) ta fram en lägesbild över brottsligheten och "
      "otryggheten i kommunen, analysera den och besluta om en åtgärdsplan. Lägesbilden bygger "
      "på rapporter från kommunens förvaltningar och bolag, polisen, räddningstjänsten, "
      "näringslivet och civilsamhället i samverkan (EST), kompletterad med övrig information "
      "som trygghetsmätningar. Åtgärderna nedan är kopplade till de problem de ska lösa och "
      "följs upp.",
      false});
  d.sections.push_back(std::move(intro));

  Section map1;
  map1.heading = "1. Kartläggning";
  map1.blocks.push_back(Paragraph{
      "Under " + std::to_string(year) + " registrerades " +
          docs::Count(lb->total, "händelse eller iakttagelse", "händelser och iakttagelser") +
          " (" + Num(static_cast<double>(lb->total_last_year)) +
          " året före). Tabellerna visar fördelningen per kategori och område; säkerhet avser "
          "något som hänt, trygghet något som upplevs otryggt.",
      false});
  map1.blocks.push_back(docs::CategoryTable(*lb, *cat, true));
  auto chart = docs::MonthChart(sys, year, {}, "Händelser per månad", today);
  if (!chart) return Fail(chart);
  map1.blocks.insert(map1.blocks.end(), chart->begin(), chart->end());
  auto map = docs::AreaMap(sys, docs::AreaTotals(*lb, *cat), "Händelser per område",
                           "Rapporter under året");
  if (!map) return Fail(map);
  map1.blocks.push_back(*map);
  map1.blocks.push_back(docs::AreaTable(*lb, *cat, true));
  d.sections.push_back(std::move(map1));

  Section other;
  other.heading = "2. Övrig information";
  auto safety = CompareSafety(sys, year, "andel_otrygga");
  if (!safety) return Fail(safety);
  bool any_survey = false;
  for (const auto& r : safety->rows) any_survey |= r.survey.has_value();
  if (!any_survey) {
    // The survey of the year may not be out yet: use the year before.
    auto prev = CompareSafety(sys, year - 1, "andel_otrygga");
    if (!prev) return Fail(prev);
    safety = prev;
    for (const auto& r : safety->rows) any_survey |= r.survey.has_value();
  }
  if (any_survey) {
    // The comparison is of one year throughout: when the survey falls back to the year before,
    // so do the incidents (CompareSafety counts the year it is given), and the text says so.
    const std::string figures_year = std::to_string(safety->year);
    std::string fallback = safety->year != year ? "Enkätresultat för " + std::to_string(year) +
                                                      " finns ännu inte, så jämförelsen gäller " +
                                                      figures_year + ". "
                                                : "";
    other.blocks.push_back(Paragraph{
        fallback + "Säkerhet och trygghet sida vid sida: rapporterade händelser " + figures_year +
            " mot andelen otrygga i " + safety->source + " " + figures_year +
            ". Ett område är högt när det ligger signifikant över kommunens nivå (z > 1,96).",
        false});
    Table st;
    st.name = "Säkerhet och trygghet " + figures_year;
    st.columns = {"Område",         "Händelser " + figures_year,
                  "Per 1 000 inv.", "Andel otrygga (%)",
                  "Svarande",       "Bedömning"};
    st.numeric = {false, true, true, true, true, false};
    for (const auto& r : safety->rows) {
      const Area* a = cat->AreaById(r.area);
      st.rows.push_back({a ? a->name : "?", Num(static_cast<double>(r.incidents)),
                         r.rate ? Num(*r.rate, 1) : "–", r.survey ? Num(*r.survey, 1) : "–",
                         r.n ? Num(static_cast<double>(*r.n)) : "–",
                         r.klass.empty() ? "–" : r.klass});
    }
    other.blocks.push_back(st);
  } else {
    other.blocks.push_back(Paragraph{
        "Inga enkätresultat är importerade för " + std::to_string(year) +
            "; importera polisens trygghetsmätning eller lokala enkäter (est import surveys) för "
            "att visa dem här.",
        false});
  }
  auto goal = ComputeGoal(sys);
  if (!goal) return Fail(goal);
  if (goal->latest_year == 0) {
    other.blocks.push_back(Paragraph{
        "Polisens lista över utsatta områden är inte importerad (est import vulnerable).", false});
  } else if (goal->areas.empty()) {
    other.blocks.push_back(Paragraph{
        "Polisens lista " + std::to_string(goal->latest_year) + " har inga områden i kommunen.",
        false});
  } else {
    other.blocks.push_back(
        Paragraph{"Polisens lista " + std::to_string(goal->latest_year) + ": " +
                      docs::Count(static_cast<int64_t>(goal->areas.size()), "område", "områden") +
                      " i kommunen. Målet är inga utsatta områden 2030 (" +
                      std::to_string(goal->years_left) + " år kvar).",
                  false});
    Table vt;
    vt.name = "Utsatta områden";
    vt.columns = {"Område", "Kategori", "Sedan", "Rapporter per år", "Trend"};
    vt.numeric = {false, false, false, false, false};
    for (const auto& g : goal->areas) {
      std::string per_year;
      for (const auto& c : g.counts) {
        per_year += (per_year.empty() ? "" : ", ") + std::to_string(c.year) + ": " +
                    std::to_string(c.count) + (c.partial ? " (hittills)" : "");
      }
      vt.rows.push_back({g.listing.name, std::string(VulnerableCategoryText(g.listing.category)),
                         g.listing.since, per_year,
                         g.trend.empty() ? "inom normal variation" : g.trend});
    }
    other.blocks.push_back(vt);
  }
  d.sections.push_back(std::move(other));

  Section an;
  an.heading = "3. Analys";
  LagesbildParams params;
  params.period = std::to_string(year);
  auto ranking = ComputePriority(sys, params, 1, analysis::PriorityWeights{});
  if (!ranking) return Fail(ranking);
  Table pt;
  pt.name = "Prioritering";
  pt.columns = {"Behov", "Område", "Påverkan", "Skäl"};
  pt.numeric = {true, false, true, false};
  for (const auto& r : *ranking) {
    std::string reasons;
    for (size_t i = 0; i < r.reasons.size(); ++i) reasons += (i ? "; " : "") + r.reasons[i];
    pt.rows.push_back(
        {std::to_string(r.need_rank), r.name, std::to_string(r.influence_rank), reasons});
  }
  an.blocks.push_back(
      Paragraph{"Områdena rangordnade efter behov och möjlighet att påverka, med skälen:", false});
  an.blocks.push_back(pt);
  auto problems = internal::StoreOf(sys).ListProblems();
  if (!problems) return Fail(problems);
  Table prt;
  prt.name = "Problem";
  prt.columns = {"Nr", "Problem (beteende, plats, tid)", "Beskrivning", "Status"};
  prt.numeric = {true, false, false, false};
  for (const auto& p : *problems) {
    prt.rows.push_back({std::to_string(p.id.value), p.title, p.description,
                        p.status == ProblemStatus::kOpen        ? "öppet"
                        : p.status == ProblemStatus::kMonitored ? "bevakas"
                                                                : "avslutat"});
  }
  an.blocks.push_back(Paragraph{"Identifierade problem:", false});
  an.blocks.push_back(prt);
  d.sections.push_back(std::move(an));

  // The plan: every action traced to the problems it answers.
  Section plan;
  plan.heading = "4. Åtgärdsplan";
  auto all = internal::StoreOf(sys).ListActions();
  if (!all) return Fail(all);
  std::vector<Action> actions;
  for (const auto& a : *all) {
    if (ActiveIn(a, year) || IsOpen(a.status)) actions.push_back(a);
  }
  Table tt;
  tt.name = "Åtgärdsplan";
  tt.columns = {"Problem", "Insats", "Ägare", "Typ", "Status", "Uppföljning"};
  tt.numeric = {false, false, false, false, false, false};
  std::set<int64_t> traced;
  for (const auto& p : *problems) {
    for (const auto& a : actions) {
      if (std::find(a.problems.begin(), a.problems.end(), p.id) == a.problems.end()) continue;
      const Organisation* o = cat->OrgById(a.owner);
      tt.rows.push_back({"#" + std::to_string(p.id.value) + " " + p.title,
                         "#" + std::to_string(a.id.value) + " " + a.title, o ? o->name : "",
                         docs::PreventionSv(a.prevention) + ", " + docs::HorizonSv(a.horizon),
                         docs::ActionStatusSv(a.status), a.follow_up});
      traced.insert(a.id.value);
    }
  }
  for (const auto& a : actions) {
    if (traced.count(a.id.value)) continue;
    const Organisation* o = cat->OrgById(a.owner);
    tt.rows.push_back({"(inget kopplat problem)", "#" + std::to_string(a.id.value) + " " + a.title,
                       o ? o->name : "",
                       docs::PreventionSv(a.prevention) + ", " + docs::HorizonSv(a.horizon),
                       docs::ActionStatusSv(a.status), a.follow_up});
  }
  plan.blocks.push_back(
      Paragraph{"Varje insats står vid det problem den ska lösa. Insatser utan kopplat problem bör "
                "kopplas eller motiveras.",
                false});
  plan.blocks.push_back(tt);
  d.sections.push_back(std::move(plan));

  Section follow;
  follow.heading = "5. Uppföljning";
  follow.blocks.push_back(Paragraph{
      "Genomförda och pågående insatser utvärderas före/efter mot jämförelseområden (WDD med 95 % "
      "konfidensintervall, WDQ för grannområden). Bedömningen anger sina förbehåll.",
      false});
  EffectSection(sys, actions, follow);
  d.sections.push_back(std::move(follow));
  d.sources = {"Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete.",
               "Källa: EST-rapporter, problem och insatser registrerade till och med " +
                   FormatDay(ToLocalDay(NowUnix())) + ".",
               docs::kVerdictNote};
  return d;
}

}  // namespace est::app
