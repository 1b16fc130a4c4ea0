// `est demo`, second half: the work that follows the picture — problems linked to real demo
// reports, weekly meetings with attendance, focus and decisions, and actions decided in them
// (some finished and followed up, one overdue), so that the meeting view, the action lists and
// the documents have content out of the box.
#include "app/demo_work.h"

#include <string>
#include <vector>

#include "app/context.h"
#include "app/system_access.h"
#include "app/work.h"
#include "core/time.h"

namespace est::app {

extern const char* const kDemoTurebergGeoJson;  // demo_data.cc (generated)

namespace {

// Up to `limit` report ids of the given categories in the area, from the last `days` days.
Result<std::vector<int64_t>> RecentReports(System& sys, const std::string& area,
                                           const std::vector<std::string>& categories, int days,
                                           int limit) {
  auto cat = sys.catalog();
  store::ReportFilter f;
  f.from = NowUnix() - static_cast<int64_t>(days) * 86400;
  for (const auto& c : categories) {
    if (const Category* k = cat->FindCategory(c)) f.categories.push_back(k->id);
  }
  f.limit = 2000;
  auto list = internal::StoreOf(sys).ListReports(f);
  if (!list) return Fail(list);
  const Area* want = cat->FindArea(area);
  std::vector<int64_t> out;
  for (const auto& r : *list) {
    if (static_cast<int>(out.size()) >= limit) break;
    // The deepest area or any of its ancestors.
    bool inside = false;
    for (const Area* a = r.area ? cat->AreaById(*r.area) : nullptr; a && !inside;
         a = a->parent ? cat->AreaById(*a->parent) : nullptr) {
      inside = want && a->id == want->id;
    }
    if (inside) out.push_back(r.id.value);
  }
  return out;
}

std::string Day(LocalDay d) { return FormatDay(d); }

}  // namespace

Result<DemoWorkSummary> CreateDemoWork(System& sys, LocalDay today, const store::Actor& actor) {
  DemoWorkSummary out;

  // Other information: the police's list (Tureberg, utsatt område since 2018; the same feature
  // for the 2023 and 2025 lists) and two survey indicators per district for the last two years.
  for (int year : {2023, 2025}) {
    auto v = ImportVulnerableAreas(sys, kDemoTurebergGeoJson, year, std::nullopt, actor);
    if (!v) return Fail(v);
  }
  struct SurveySeed {
    const char* area;
    double unsafe;  // share feeling unsafe out late in the own area, %
    double index;   // police problem index 0–6
  };
  const SurveySeed kSurvey[] = {
      {"tureberg", 31, 2.6},  {"rotebro", 24, 2.1},     {"norrviken", 15, 1.4},
      {"haggvik", 17, 1.6},   {"edsberg", 22, 1.9},     {"helenelund", 19, 1.7},
      {"karrdal", 11, 1.1},   {"viby", 9, 0.9},         {"sjoberg", 12, 1.0},
      {"tornskogen", 8, 0.8}, {"landsnora", 10, 0.9},   {"silverdal", 13, 1.2},
      {"vaxmora", 14, 1.3},   {"jarvafaltet", 20, 1.5},
  };
  int survey_year = CivilFromDay(today).year - 1;
  std::string csv = "area;indicator;period;source;value;n\n";
  for (int y : {survey_year - 1, survey_year}) {
    for (const auto& s : kSurvey) {
      double drift = y == survey_year ? 1.0 : 1.06;  // a little less unsafe the later year
      char line[256];
      std::snprintf(line, sizeof line,
                    "%s;andel_otrygga;%d;Polisens trygghetsmätning;%.1f;%d\n"
                    "%s;problemindex;%d;Polisens trygghetsmätning;%.2f;\n",
                    s.area, y, s.unsafe * drift, 280 + static_cast<int>(s.unsafe * 4), s.area, y,
                    s.index * drift);
      csv += line;
    }
  }
  if (auto r = ImportSurveysCsv(sys, csv, actor); !r) return Fail(r);

  // Problems, written as behaviour, place and time.
  struct ProblemSeed {
    const char* title;
    const char* description;
    const char* area;
    std::vector<std::string> places;
    std::vector<std::string> categories;
    const char* status;
  };
  const ProblemSeed kProblems[] = {
      {"Samlingar och skadegörelse vid Turebergs torg fre–lör 21–24",
       "Grupper av unga samlas vid torget och stationsentrén sena fredags- och lördagskvällar; "
       "smällare mot fönster, krossade glas och skadegörelse på busskurer.",
       "tureberg",
       {"Turebergs torg", "Sollentuna station"},
       {"storande_samling", "skadegorelse"},
       "open"},
      {"Klotter i gångtunnlarna vid Sollentuna station nattetid",
       "Återkommande klotter på väggar och elskåp i gång- och cykeltunnlarna, oftast natt mot "
       "lördag och söndag.",
       "tureberg",
       {"Sollentuna station"},
       {"klotter"},
       "open"},
      {"Otrygg gångväg genom Edsbergs slottspark kvällstid",
       "Mörk gångväg med tät vegetation; boende undviker den efter mörkrets inbrott.",
       "edsberg",
       {"Edsbergs slottspark"},
       {"otrygg_plats"},
       "monitored"},
      {"Buskörning med moped på gång- och cykelbanor i Rotebro",
       "Mopeder i hög fart på gc-banor vid Rotebro station och centrum, kvällar april–september.",
       "rotebro",
       {"Rotebro station", "Rotebro centrum"},
       {"buskorning"},
       "open"},
  };
  std::vector<int64_t> problem_ids;
  for (const auto& p : kProblems) {
    auto reports = RecentReports(sys, p.area, p.categories, 120, 12);
    if (!reports) return Fail(reports);
    ProblemInput in;
    in.title = p.title;
    in.description = p.description;
    in.areas = std::vector<std::string>{p.area};
    in.places = p.places;
    in.categories = p.categories;
    in.reports = *reports;
    in.status = p.status;
    auto created = CreateProblem(sys, in, actor);
    if (!created) return Fail(created);
    problem_ids.push_back(created->id.value);
    ++out.problems;
  }

  // The tertial meeting about eight months ago: two long-term actions, since finished.
  LocalDay tuesday = today - ((IsoWeekday(today) + 5) % 7);  // this week's Tuesday or the last
  if (tuesday > today - 1) tuesday -= 7;
  LocalDay tertial_day = tuesday - 7 * 35;
  MeetingInput tertial;
  tertial.held_on = Day(tertial_day);
  tertial.kind = "tertial";
  tertial.period = FormatIsoWeek(ToIsoWeek(tertial_day - 7));
  tertial.title = "Tertialanalys och prioriteringar";
  tertial.attendees = std::vector<std::string>{"ks",  "polis-lpo", "sollentunahem", "sn",
                                               "bun", "tfn",       "centrum",       "attunda"};
  tertial.focus_areas = std::vector<std::string>{"tureberg", "rotebro"};
  tertial.minutes =
      "Genomgång av tertialets lägesbild. Tureberg och Rotebro prioriteras utifrån behov och "
      "möjlighet att påverka. Beslut om belysning i gångtunnlarna och om fältarbete kvällstid.";
  tertial.decisions = std::vector<DecisionInput>{
      {std::nullopt, "Ny belysning och klotterskydd i gångtunnlarna vid Sollentuna station", "tfn"},
      {std::nullopt, "Fältgruppen och nattvandrarna finns vid Turebergs torg fre–lör kvällar",
       "sn"},
  };
  auto t_meeting = CreateMeeting(sys, tertial, actor);
  if (!t_meeting) return Fail(t_meeting);
  ++out.meetings;

  struct ActionSeed {
    int64_t decision;
    const char* title;
    const char* description;
    const char* prevention;
    const char* horizon;
    const char* owner;
    std::vector<std::string> partners, areas, places, indicators;
    std::vector<int64_t> problems;
    int start_offset, end_offset, follow_offset;  // days from the meeting
    const char* status;
    double cost;
    const char* result;
  };
  const ActionSeed kTertialActions[] = {
      {1,
       "Belysning och klotterskydd i gångtunnlarna vid Sollentuna station",
       "LED-armaturer och klotterskyddsbehandling i tre gångtunnlar; snabbsanering inom 24 h.",
       "situational",
       "long_term",
       "tfn",
       {"seom", "trafikforv"},
       {"tureberg"},
       {"Sollentuna station"},
       {"klotter", "skadegorelse"},
       {problem_ids[1]},
       14,
       60,
       180,
       "done",
       420000,
       "Belysningen är uppsatt och tunnlarna behandlade. Klotteranmälningarna i Tureberg har "
       "minskat sedan dess; se utvärderingen."},
      {2,
       "Vuxennärvaro vid Turebergs torg fredag och lördag kväll",
       "Fältgruppen och nattvandrarna finns på plats 20–24; samverkan med väktarna.",
       "social",
       "long_term",
       "sn",
       {"nattvandrarna", "bevakning", "polis-lpo"},
       {"tureberg"},
       {"Turebergs torg"},
       {"storande_samling", "skadegorelse"},
       {problem_ids[0]},
       7,
       0,
       120,
       "ongoing",
       150000,
       ""},
  };
  for (const auto& a : kTertialActions) {
    ActionInput in;
    in.title = a.title;
    in.description = a.description;
    in.prevention = a.prevention;
    in.horizon = a.horizon;
    in.owner = a.owner;
    in.partners = a.partners;
    in.areas = a.areas;
    in.places = a.places;
    in.indicator_categories = a.indicators;
    in.indicator = "Rapporter per vecka i området";
    in.problems = a.problems;
    in.meeting = t_meeting->id.value;
    in.decision = a.decision;
    in.start = Day(tertial_day + a.start_offset);
    if (a.end_offset) in.end = Day(tertial_day + a.end_offset);
    in.follow_up = Day(tertial_day + a.follow_offset);
    in.status = "planned";
    in.cost = a.cost;
    auto created = CreateAction(sys, in, actor);
    if (!created) return Fail(created);
    // It started: the baseline is frozen; then it ran to its status.
    ActionInput step;
    step.status = "ongoing";
    auto started = UpdateAction(sys, created->id, step, created->version, actor);
    if (!started) return Fail(started);
    if (std::string(a.status) != "ongoing") {
      ActionInput done;
      done.status = a.status;
      done.result = a.result;
      auto finished = UpdateAction(sys, created->id, done, started->version, actor);
      if (!finished) return Fail(finished);
    }
    ++out.actions;
  }

  // Weekly meetings of the last six weeks. Each meeting's focus is where its decision acts.
  struct WeeklyDecision {
    const char* text;
    const char* owner;
    const char* area;
    const char* place;
  };
  const WeeklyDecision kDecisions[] = {
      {"Extra städning och tömning av papperskorgar vid Turebergs torg efter helgerna", "tfn",
       "tureberg", "Turebergs torg"},
      {"Polisen prioriterar Rotebro station fredagskvällar under fyra veckor", "polis-lpo",
       "rotebro", "Rotebro station"},
      {"Sollentunahem ser över belysningen i trapphusen på Malmvägen", "sollentunahem", "tureberg",
       "Sollentuna station"},
      {"Trygghetsvandring i Edsbergs slottspark med boende", "ks", "edsberg",
       "Edsbergs slottspark"},
      {"Informationsinsats om mopedregler på skolorna i Rotebro", "bun", "rotebro",
       "Rotebro centrum"},
      {"Följ upp rapporterna om bränder i containrar med brandkåren", "attunda", "tureberg",
       "Turebergs torg"},
  };
  for (int w = 6; w >= 1; --w) {
    LocalDay held = tuesday - 7 * (w - 1);
    const WeeklyDecision& d = kDecisions[6 - w];
    MeetingInput m;
    m.held_on = Day(held);
    m.kind = "weekly";
    m.title = "EST-möte vecka " + std::to_string(ToIsoWeek(held).week);
    m.attendees = std::vector<std::string>{"ks", "polis-lpo", "sollentunahem", "sn", "bevakning"};
    if (w % 2 == 0) m.attendees->push_back("centrum");
    if (w % 3 == 0) m.attendees->push_back("attunda");
    m.focus_areas = std::vector<std::string>{d.area};
    m.focus_places = std::vector<std::string>{d.place};
    m.minutes = "Lägesbilden gicks igenom enligt dagordningen. Öppna insatser följdes upp.";
    m.decisions = std::vector<DecisionInput>{{std::nullopt, d.text, d.owner}};
    auto meeting = CreateMeeting(sys, m, actor);
    if (!meeting) return Fail(meeting);
    ++out.meetings;
    if (w == 5 || w == 4) {
      // Short event-driven actions; the one from five weeks ago has passed its follow-up.
      ActionInput in;
      in.title = d.text;
      in.owner = d.owner;
      in.prevention = w == 5 ? "situational" : "social";
      in.horizon = "event";
      in.areas = m.focus_areas;
      in.places = m.focus_places;
      in.problems = std::vector<int64_t>{w == 5 ? problem_ids[3] : problem_ids[0]};
      in.meeting = meeting->id.value;
      in.decision = 1;
      in.start = Day(held + 3);
      in.follow_up = Day(held + (w == 5 ? 21 : 42));
      in.status = "ongoing";
      auto created = CreateAction(sys, in, actor);
      if (!created) return Fail(created);
      ++out.actions;
    }
  }
  return out;
}

}  // namespace est::app
