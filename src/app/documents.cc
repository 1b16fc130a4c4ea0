// The weekly lägesbild and the tertial/quarter analysis as documents; the dispatch of
// BuildDocument and publishing. The yearly documents are in documents_year.cc.
#include "app/documents.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "app/analyses.h"
#include "app/coverage.h"
#include "app/document_parts.h"
#include "app/present.h"
#include "app/system_access.h"
#include "app/work.h"
#include "core/time.h"

namespace est::app {

// documents_year.cc
Result<report::Document> BuildAnnual(System& sys, int year, const std::string& org);
Result<report::Document> BuildMunicipality(System& sys, int year);
Result<report::Document> BuildStatutory(System& sys, int year);

namespace {

using docs::Num;
using report::Document;
using report::Paragraph;
using report::Section;
using report::Table;

// Hot cells (FDR, z > 0) grouped by the level-1 area holding their centre.
struct HotGroup {
  std::string area;
  int cells = 0;
  int64_t reports = 0;
  double z = 0;
};
std::vector<HotGroup> GroupHotspots(const Agenda& a, const app::Catalog& c) {
  std::map<std::string, HotGroup> by;
  for (const auto& h : a.hotspots) {
    const Area* area = h.area ? c.AreaById(*h.area) : nullptr;
    while (area && area->level > 1 && area->parent) area = c.AreaById(*area->parent);
    std::string name = area ? area->name : "utanför områdena";
    HotGroup& g = by[name];
    g.area = name;
    g.cells += 1;
    g.reports += h.count;
    g.z = std::max(g.z, h.gi_star);
  }
  std::vector<HotGroup> out;
  for (auto& [k, g] : by) out.push_back(g);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.z > y.z; });
  return out;
}

Result<Document> BuildWeekly(System& sys, const std::string& period_text,
                             const Audience& audience) {
  auto cat = sys.catalog();
  std::string week = period_text;
  if (week.empty()) week = FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix()) - 7));
  auto period = ParsePeriod(week);
  if (!period) return InvalidField("period", "måste vara en vecka som 2026-W47");
  if (period->kind != PeriodKind::kWeek) {
    return InvalidField("period", "veckorapporten gäller en ISO-vecka, t.ex. 2026-W47");
  }
  auto agenda = ComputeAgenda(sys, period->label(), audience);
  if (!agenda) return Fail(agenda);
  LagesbildParams params;
  params.period = period->label();
  auto lb = sys.ComputeLagesbild(params);
  if (!lb) return Fail(lb);

  Document d;
  d.kind = "weekly";
  d.title = "Lägesbild " + period->label_sv();
  d.subtitle = docs::Subtitle(*cat);
  d.period = period->label();
  d.generated_at = docs::NowText();

  // Summary.
  Section sum;
  sum.heading = "Sammanfattning";
  const double days = lb->days;
  std::string s =
      "Under " + period->label_sv() + " kom " + docs::Count(lb->total, "rapport", "rapporter") +
      " (" + Num(static_cast<double>(lb->total_previous)) + " veckan före, " +
      Num(static_cast<double>(lb->total_last_year)) + " samma vecka i fjol). Mot veckan före: " +
      docs::ChangeSentence(lb->total, days, lb->total_previous, lb->days_previous) + ".";
  sum.blocks.push_back(Paragraph{s, false});
  const size_t n_changes = agenda->changes.size();
  std::string changes =
      n_changes == 0 ? "Inga områden eller kategorier visar förändringar utöver normal variation."
      : n_changes == 1
          ? "1 förändring är större än slumpen förklarar (exakt test, 1 %-nivån); den står i "
            "tabellen nedan."
          : std::to_string(n_changes) +
                " förändringar är större än slumpen förklarar (exakt test, 1 %-nivån); de står i "
                "tabellen nedan.";
  sum.blocks.push_back(Paragraph{changes, false});
  // The lägesbild's own coverage figure (app/coverage.h), the one the web and the API show.
  const CoverageTotal coverage = TotalCoverage(*lb, *cat);
  const bool low_coverage = coverage.share && *coverage.share < 0.5;
  sum.blocks.push_back(Paragraph{
      coverage.share
          ? "Täckning: " + Num(*coverage.share * 100) + " % (" + std::to_string(coverage.spoke) +
                " av " + docs::Count(coverage.expected, "organisation", "organisationer") +
                " som brukar rapportera i kommunen har rapporterat eller checkat in under "
                "veckan)."
          : "Täckning: ingen organisation har rapporterat eller checkat in under de 12 veckorna "
            "före, så det finns ingen täckning att mäta.",
      low_coverage});
  if (low_coverage) {
    sum.blocks.push_back(Paragraph{
        "Låg täckning: en tyst vecka är inte nödvändigtvis en trygg vecka. Läs siffrorna med "
        "försiktighet.",
        true});
  }
  d.sections.push_back(std::move(sum));

  // Significant changes.
  Section ch;
  ch.heading = "Förändringar att ta upp";
  if (agenda->changes.empty()) {
    ch.blocks.push_back(Paragraph{"Inga signifikanta förändringar denna vecka.", false});
  } else {
    Table t;
    t.name = "Förändringar";
    t.columns = {"Område", "Kategori", "Antal", "Jämfört med", "Bedömning", "p (exakt test)"};
    t.numeric = {false, false, true, false, false, true};
    for (const auto& c : agenda->changes) {
      const Area* a = c.area ? cat->AreaById(*c.area) : nullptr;
      const Category* k = c.category ? cat->CategoryById(*c.category) : nullptr;
      t.rows.push_back({a ? a->name : "utanför områdena", k ? k->name_sv : "alla kategorier",
                        Num(static_cast<double>(c.count)),
                        c.against == "previous"
                            ? "veckan före: " + Num(static_cast<double>(c.previous))
                            : "i fjol: " + Num(static_cast<double>(c.last_year)),
                        c.signal, docs::PText(c.p)});
    }
    ch.blocks.push_back(t);
  }
  d.sections.push_back(std::move(ch));

  Section cats;
  cats.heading = "Per kategori";
  cats.blocks.push_back(docs::CategoryTable(*lb, *cat, false));
  d.sections.push_back(std::move(cats));

  // Areas with the map and the hotspots.
  Section areas;
  areas.heading = "Per område";
  std::vector<std::pair<double, double>> points;
  for (const auto& h : agenda->hotspots) {
    points.emplace_back((h.ix + 0.5) * h.cell_m, (h.iy + 0.5) * h.cell_m);
  }
  auto map =
      docs::AreaMap(sys, docs::AreaTotals(*lb, *cat), "Rapporter per område, " + period->label_sv(),
                    "Rapporter under veckan", points);
  if (!map) return Fail(map);
  // The agenda's hotspots: cells that survive the Benjamini–Hochberg FDR at 5 %.
  map->points_legend = "hotspot (Gi*, FDR 5 %)";
  areas.blocks.push_back(*map);
  areas.blocks.push_back(docs::AreaTable(*lb, *cat, false));
  auto groups = GroupHotspots(*agenda, *cat);
  if (groups.empty()) {
    areas.blocks.push_back(Paragraph{"Inga signifikanta hotspots (Gi*, 250 m-rutor).", false});
  } else {
    std::string h = "Hotspots (Gi*, 250 m-rutor, signifikanta efter FDR): ";
    for (size_t i = 0; i < groups.size(); ++i) {
      h += (i ? "; " : "") + groups[i].area + " " + docs::Count(groups[i].cells, "ruta", "rutor") +
           " med " + docs::Count(groups[i].reports, "rapport", "rapporter");
    }
    areas.blocks.push_back(Paragraph{h + ".", false});
  }
  d.sections.push_back(std::move(areas));

  // The trend.
  Section trend;
  trend.heading = "Utveckling";
  auto series = ComputeSeries(sys, params, 26, 12);
  if (!series) return Fail(series);
  trend.blocks.push_back(docs::WeekChart(*series, "Rapporter per vecka, senaste 26 veckorna",
                                         "Samma vecka i fjol", ToLocalDay(NowUnix())));
  d.sections.push_back(std::move(trend));

  // Actions to follow up.
  Section acts;
  acts.heading = "Öppna insatser";
  if (agenda->open_actions.empty()) {
    acts.blocks.push_back(Paragraph{"Inga öppna insatser.", false});
  } else {
    acts.blocks.push_back(docs::ActionTable(agenda->open_actions, *cat, "Öppna insatser"));
  }
  d.sections.push_back(std::move(acts));

  d.sources = {
      "Källa: rapporter i EST från kommunens samverkansparter, " + period->label_sv() +
          ". Avvisade rapporter och dubbletter räknas inte.",
      docs::kVerdictNote,
      "Hotspots: Getis-Ord Gi* på 250 m-rutnät i SWEREF 99 TM, grannskap 3 × 3 rutor; en ruta "
      "är hotspot när ett exakt test av grannskapets antal klarar Benjamini–Hochbergs "
      "korrigering (högst 5 % falska upptäckter); z visar storleken.",
      "Täckning (samma mått som lägesbilden i webben och API:t): av de organisationer som "
      "rapporterat eller checkat in i kommunen under de 12 veckorna före veckan, andelen som "
      "rapporterat eller checkat in under veckan; varje organisation räknas en gång."};
  return d;
}

Result<Document> BuildAnalysis(System& sys, const std::string& period_text,
                               const Audience& audience) {
  auto cat = sys.catalog();
  std::string label = period_text;
  if (label.empty()) {
    // The last complete tertial.
    CivilDate today = CivilFromDay(ToLocalDay(NowUnix()));
    int t = (today.month - 1) / 4 + 1;
    label = t == 1 ? std::to_string(today.year - 1) + "-T3"
                   : std::to_string(today.year) + "-T" + std::to_string(t - 1);
  }
  auto period = ParsePeriod(label);
  if (!period) return InvalidField("period", "måste vara ett tertial eller kvartal, t.ex. 2026-T3");
  if (period->kind != PeriodKind::kTertial && period->kind != PeriodKind::kQuarter &&
      period->kind != PeriodKind::kMonth && period->kind != PeriodKind::kYear) {
    return InvalidField("period", "analysen gäller ett tertial, kvartal, månad eller år");
  }
  LagesbildParams params;
  params.period = period->label();
  params.audience = audience;
  auto lb = sys.ComputeLagesbild(params);
  if (!lb) return Fail(lb);
  Document d;
  d.kind = "analysis";
  d.title = "Analys " + period->label_sv();
  d.subtitle = docs::Subtitle(*cat);
  d.period = period->label();
  d.generated_at = docs::NowText();

  const double days = lb->days;
  Section sum;
  sum.heading = "Sammanfattning";
  sum.blocks.push_back(Paragraph{
      "Under " + period->label_sv() + " kom " + docs::Count(lb->total, "rapport", "rapporter") +
          ", mot " + Num(static_cast<double>(lb->total_previous)) + " perioden före och " +
          Num(static_cast<double>(lb->total_last_year)) + " samma period i fjol. Mot i fjol: " +
          docs::ChangeSentence(lb->total, days, lb->total_last_year, lb->days_last_year) + ".",
      false});

  // Priority. Its map opens the document (a board sees the picture before the reasons); the
  // table with every area's reasons follows in its own section.
  auto ranking = ComputePriority(sys, params, 1, analysis::PriorityWeights{});
  if (!ranking) return Fail(ranking);
  Section prio;
  prio.heading = "Prioritering av områden";
  prio.blocks.push_back(Paragraph{
      "Områdena rangordnas efter behov (allvarlighetsviktad nivå, signifikanta trender, "
      "hotspots, polisens lista, trygghetsmätningar) och efter möjlighet att påverka "
      "(koncentration till få platser, antal aktörer på plats, pågående insatser). Varje rang "
      "anges med sina skäl.",
      false});
  Table pt;
  pt.name = "Prioritering";
  pt.columns = {"Behov", "Område", "Behovspoäng", "Påverkan", "Skäl"};
  pt.numeric = {true, false, true, true, false};
  std::map<int64_t, double> need;
  for (const auto& r : *ranking) {
    std::string reasons;
    for (size_t i = 0; i < r.reasons.size(); ++i) reasons += (i ? "; " : "") + r.reasons[i];
    pt.rows.push_back({std::to_string(r.need_rank), r.name, Num(r.need, 2),
                       std::to_string(r.influence_rank), reasons});
    if (const Area* a = cat->FindArea(r.code)) need[a->id.value] = r.need;
  }
  prio.blocks.push_back(pt);
  auto map = docs::AreaMap(sys, need, "Behov per område, " + period->label_sv(),
                           "Behovspoäng (mörkare = större behov)");
  if (!map) return Fail(map);
  sum.blocks.push_back(*map);
  Table top;
  top.name = "Störst behov";
  top.columns = {"Behov", "Område", "Behovspoäng", "Påverkan"};
  top.numeric = {true, false, true, true};
  for (size_t i = 0; i < ranking->size() && i < 5; ++i) {
    const auto& r = (*ranking)[i];
    top.rows.push_back(
        {std::to_string(r.need_rank), r.name, Num(r.need, 2), std::to_string(r.influence_rank)});
  }
  if (!top.rows.empty()) {
    sum.blocks.push_back(
        Paragraph{"De fem områdena med störst behov (skälen står under "
                  "Prioritering av områden):",
                  false});
    sum.blocks.push_back(top);
  }
  d.sections.push_back(std::move(sum));
  d.sections.push_back(std::move(prio));

  Section trends;
  trends.heading = "Trender";
  trends.blocks.push_back(docs::CategoryTable(*lb, *cat, true));
  trends.blocks.push_back(docs::AreaTable(*lb, *cat, true));
  auto series = ComputeSeries(sys, params, std::min(52, std::max(4, period->days() / 7 + 1)), 12);
  if (!series) return Fail(series);
  trends.blocks.push_back(
      docs::WeekChart(*series, "Rapporter per vecka under perioden, med samma vecka i fjol",
                      "I fjol", ToLocalDay(NowUnix())));
  d.sections.push_back(std::move(trends));

  // Hotspots over time.
  EmergingParams ep;
  ep.bin_weeks = 4;
  ep.periods = std::max(3, std::min(26, period->days() / 28 + 9));
  IsoWeek end = ToIsoWeek(std::min(period->last, ToLocalDay(NowUnix()) - 7));
  ep.end_week = FormatIsoWeek(end);
  LagesbildParams everywhere;
  everywhere.audience = audience;
  auto emerging = ComputeEmerging(sys, everywhere, GridParams{}, ep);
  if (!emerging) return Fail(emerging);
  std::map<std::string, int> patterns;
  for (const auto& c : emerging->cells) {
    if (c.category == analysis::EmergingCategory::kNoPattern) continue;
    patterns[std::string(analysis::EmergingCategoryLabelSv(c.category, c.hot))] += 1;
  }
  Section hot;
  hot.heading = "Hotspots över tid";
  hot.blocks.push_back(Paragraph{
      "Framväxande hotspots (Gi* per 4-veckorsperiod och Mann–Kendall-trend per ruta) över de " +
          std::to_string(ep.periods) + " senaste perioderna till och med vecka " +
          std::to_string(end.week) + ".",
      false});
  Table ht;
  ht.name = "Hotspotmönster";
  ht.columns = {"Mönster", "Antal rutor"};
  ht.numeric = {false, true};
  for (const auto& [name, n] : patterns) ht.rows.push_back({name, std::to_string(n)});
  if (ht.rows.empty()) {
    hot.blocks.push_back(Paragraph{"Inga hotspotmönster.", false});
  } else {
    hot.blocks.push_back(ht);
  }
  d.sections.push_back(std::move(hot));

  // Problems.
  auto problems = internal::StoreOf(sys).ListProblems();
  if (!problems) return Fail(problems);
  Section pr;
  pr.heading = "Problem under bevakning";
  Table prt;
  prt.name = "Problem";
  prt.columns = {"Problem", "Områden", "Status", "Rapporter"};
  prt.numeric = {false, false, false, true};
  for (const auto& p : *problems) {
    if (p.status == ProblemStatus::kClosed) continue;
    std::string names;
    for (AreaId id : p.areas) {
      if (const Area* a = cat->AreaById(id)) names += (names.empty() ? "" : ", ") + a->name;
    }
    prt.rows.push_back({p.title, names, p.status == ProblemStatus::kOpen ? "öppet" : "bevakas",
                        std::to_string(p.reports.size())});
  }
  if (prt.rows.empty()) {
    pr.blocks.push_back(Paragraph{"Inga öppna problem.", false});
  } else {
    pr.blocks.push_back(prt);
  }
  d.sections.push_back(std::move(pr));
  d.sources = {"Källa: rapporter i EST, " + period->label_sv() + ".",
               "Prioriteringens vikter är konfiguration; skälen anges per område.",
               docs::kVerdictNote};
  return d;
}

}  // namespace

Result<report::Document> BuildDocument(System& sys, const DocumentRequest& req,
                                       const ProgressFn& progress, const Audience& audience) {
  if (progress) progress(0, 0, "bygger dokumentet " + req.kind);
  int year = req.year;
  if (year == 0) year = CivilFromDay(ToLocalDay(NowUnix())).year;
  if (year < 2000 || year > 2100) return InvalidField("year", "måste vara ett år som 2026");
  if (req.kind == "weekly") return BuildWeekly(sys, req.period, audience);
  if (req.kind == "analysis") return BuildAnalysis(sys, req.period, audience);
  if (req.kind == "annual") {
    if (req.org.empty()) return InvalidField("org", "ange organisationens kod (--org)");
    return BuildAnnual(sys, year, req.org);
  }
  if (req.kind == "municipality") return BuildMunicipality(sys, year);
  if (req.kind == "statutory") return BuildStatutory(sys, year);
  return InvalidField("kind",
                      "okänd rapport \"" + req.kind +
                          "\"; välj weekly, analysis, annual, municipality eller statutory");
}

Result<PublishedDocument> PublishDocument(System& sys, const DocumentRequest& req,
                                          const store::Actor& actor) {
  auto doc = BuildDocument(sys, req);
  if (!doc) return Fail(doc);
  store::StoredDocument stored;
  stored.kind = doc->kind;
  stored.period = doc->period;
  stored.org = req.kind == "annual" ? req.org : "";
  report::Document& frozen = *doc;
  Result<store::StoredDocument> saved = MakeError(ErrorCode::kInternal, "");
  {
    internal::WriteLock lock(sys);
    saved = internal::Access::Writer(sys).InsertDocument(
        stored,
        [&frozen](int version) {
          frozen.version = version;
          return report::ToJson(frozen).dump();
        },
        actor);
  }
  if (!saved) return Fail(saved);
  PublishedDocument out;
  out.id = saved->id;
  out.kind = saved->kind;
  out.period = saved->period;
  out.org = saved->org;
  out.version = saved->version;
  out.published_at = FormatTimestamp(saved->published_at);
  out.published_by = saved->published_by;
  out.document = std::move(*doc);
  return out;
}

}  // namespace est::app
