// Meetings, problems, actions and the agenda: validation of inputs against the catalog, the
// frozen baseline of an action, and their JSON forms.
#include "app/work.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/change.h"
#include "app/analyses.h"
#include "app/coverage.h"
#include "app/present.h"
#include "app/system_access.h"
#include "app/use_case_util.h"
#include "core/period.h"
#include "core/text.h"
#include "core/time.h"
#include "geo/area_index.h"
#include "geo/crs.h"
#include "ingest/scrub.h"

namespace est::app {
namespace {

using nlohmann::json;

// Collects field errors while an input is resolved against the catalog.
class Resolver {
 public:
  explicit Resolver(const app::Catalog& c) : c_(c) {}

  std::vector<OrgId> Orgs(const std::string& field, const std::vector<std::string>& codes) {
    std::vector<OrgId> out;
    for (size_t i = 0; i < codes.size(); ++i) {
      const Organisation* o = c_.FindOrg(codes[i]);
      if (!o) {
        Add(field + "[" + std::to_string(i) + "]", "okänd organisation \"" + codes[i] + "\"");
      } else if (std::find(out.begin(), out.end(), o->id) == out.end()) {
        out.push_back(o->id);
      }
    }
    return out;
  }
  std::optional<OrgId> Org(const std::string& field, const std::string& code) {
    const Organisation* o = c_.FindOrg(code);
    if (!o) {
      Add(field, "okänd organisation \"" + code + "\"");
      return std::nullopt;
    }
    return o->id;
  }
  std::vector<AreaId> Areas(const std::string& field, const std::vector<std::string>& codes) {
    std::vector<AreaId> out;
    for (size_t i = 0; i < codes.size(); ++i) {
      const Area* a = c_.FindArea(codes[i]);
      if (!a) {
        Add(field + "[" + std::to_string(i) + "]", "okänt område \"" + codes[i] + "\"");
      } else if (std::find(out.begin(), out.end(), a->id) == out.end()) {
        out.push_back(a->id);
      }
    }
    return out;
  }
  std::vector<PlaceId> Places(const std::string& field, const std::vector<std::string>& names) {
    std::vector<PlaceId> out;
    for (size_t i = 0; i < names.size(); ++i) {
      const Place* p = c_.FindPlace(names[i]);
      if (!p) {
        for (const auto& x : c_.places()) {
          if (std::to_string(x.id.value) == names[i]) p = &x;
        }
      }
      if (!p) {
        Add(field + "[" + std::to_string(i) + "]", "okänd plats \"" + names[i] + "\"");
      } else if (std::find(out.begin(), out.end(), p->id) == out.end()) {
        out.push_back(p->id);
      }
    }
    return out;
  }
  std::vector<CategoryId> Categories(const std::string& field,
                                     const std::vector<std::string>& codes) {
    std::vector<CategoryId> out;
    for (size_t i = 0; i < codes.size(); ++i) {
      const Category* k = c_.FindCategory(codes[i]);
      if (!k) {
        Add(field + "[" + std::to_string(i) + "]", "okänd kategori \"" + codes[i] + "\"");
      } else if (std::find(out.begin(), out.end(), k->id) == out.end()) {
        out.push_back(k->id);
      }
    }
    return out;
  }
  // A required or optional one-line text of at most `max` characters.
  void Text(const std::string& field, const std::string& value, size_t max, bool required) {
    if (required && value.find_first_not_of(" \t\r\n") == std::string::npos) {
      Add(field, "måste fyllas i");
    }
    size_t chars = Utf8Length(value);
    if (chars > max) Add(field, "får vara högst " + std::to_string(max) + " tecken");
  }
  void Day(const std::string& field, const std::string& value) {
    if (!value.empty() && !IsDayText(value)) Add(field, "måste vara ett datum som 2026-11-24");
  }
  void Add(std::string field, std::string reason) {
    errors_.push_back({std::move(field), std::move(reason)});
  }
  std::vector<FieldError>& errors() { return errors_; }

 private:
  const app::Catalog& c_;
  std::vector<FieldError> errors_;
};

// Free text is scrubbed with the catalog's place and organisation names kept (ingest/scrub.h).
std::string Scrub(const app::Catalog& cat, const std::string& s) {
  return ingest::ScrubPersonalData(s, cat.scrub_exclusions()).text;
}

// Applies `in` to `m` (a stored meeting, or a default one on create).
Status ApplyMeeting(const app::Catalog& cat, const MeetingInput& in, Meeting& m) {
  Resolver r(cat);
  if (in.held_on) {
    r.Day("held_on", *in.held_on);
    m.held_on = *in.held_on;
  }
  if (m.held_on.empty()) r.Add("held_on", "måste fyllas i");
  if (in.kind) {
    if (auto k = ParseMeetingKind(*in.kind)) {
      m.kind = *k;
    } else {
      r.Add("kind", k.error().fields[0].reason);
    }
  }
  if (in.period) {
    auto p = ParsePeriod(*in.period);
    if (!p) {
      r.Add("period", "måste vara en period som 2026-W47, 2026-11 eller 2026-T3");
    } else {
      m.period = p->label();
    }
  }
  if (m.period.empty() && IsDayText(m.held_on)) {
    // The Tuesday meeting reads the week that just ended.
    LocalDay d = ParseDay(m.held_on).value_or(LocalDay{});
    m.period = FormatIsoWeek(ToIsoWeek(d - 7));
  }
  if (in.title) {
    r.Text("title", *in.title, 200, false);
    m.title = Scrub(cat, *in.title);
  }
  if (in.minutes) {
    r.Text("minutes", *in.minutes, 20000, false);
    m.minutes = Scrub(cat, *in.minutes);
  }
  if (in.attendees) m.attendees = r.Orgs("attendees", *in.attendees);
  if (in.focus_areas) m.focus_areas = r.Areas("focus_areas", *in.focus_areas);
  if (in.focus_places) m.focus_places = r.Places("focus_places", *in.focus_places);
  if (in.decisions) {
    std::vector<Decision> next;
    int64_t max_number = 0;
    for (const auto& d : m.decisions) max_number = std::max(max_number, d.number);
    std::set<int64_t> kept;
    for (size_t i = 0; i < in.decisions->size(); ++i) {
      const DecisionInput& di = (*in.decisions)[i];
      std::string field = "decisions[" + std::to_string(i) + "]";
      r.Text(field + ".text", di.text, 2000, true);
      Decision d;
      if (di.number) {
        auto it = std::find_if(m.decisions.begin(), m.decisions.end(),
                               [&](const Decision& x) { return x.number == *di.number; });
        if (it == m.decisions.end()) {
          r.Add(field + ".number", "mötet har inget beslut nummer " + std::to_string(*di.number));
          continue;
        }
        d = *it;
        kept.insert(d.number);
      } else {
        d.number = ++max_number;
      }
      d.text = Scrub(cat, di.text);
      d.owner.reset();
      if (!di.owner.empty()) d.owner = r.Org(field + ".owner", di.owner);
      next.push_back(std::move(d));
    }
    for (const auto& d : m.decisions) {
      if (d.action && !kept.count(d.number)) {
        r.Add("decisions",
              "beslut " + std::to_string(d.number) + " har blivit en insats och kan inte tas bort");
      }
    }
    m.decisions = std::move(next);
  }
  if (!r.errors().empty()) return Invalid("Mötet är ogiltigt", std::move(r.errors()));
  return {};
}

Status ApplyProblem(System& sys, const ProblemInput& in, Problem& p) {
  auto cat = sys.catalog();
  Resolver r(*cat);
  if (in.title) p.title = Scrub(*cat, *in.title);
  r.Text("title", p.title, 300, true);
  if (in.description) {
    r.Text("description", *in.description, 4000, false);
    p.description = Scrub(*cat, *in.description);
  }
  if (in.status) {
    if (auto s = ParseProblemStatus(*in.status)) {
      p.status = *s;
    } else {
      r.Add("status", s.error().fields[0].reason);
    }
  }
  if (in.areas) p.areas = r.Areas("areas", *in.areas);
  if (in.places) p.places = r.Places("places", *in.places);
  if (in.categories) p.categories = r.Categories("categories", *in.categories);
  if (in.reports) {
    p.reports.clear();
    for (size_t i = 0; i < in.reports->size(); ++i) {
      ReportId id{(*in.reports)[i]};
      auto rep = internal::StoreOf(sys).GetReport(id);
      if (!rep) return tl::unexpected(rep.error());
      if (!*rep) {
        r.Add("reports[" + std::to_string(i) + "]",
              "rapport " + std::to_string(id.value) + " finns inte");
      } else if (std::find(p.reports.begin(), p.reports.end(), id) == p.reports.end()) {
        p.reports.push_back(id);
      }
    }
  }
  if (!r.errors().empty()) return Invalid("Problemet är ogiltigt", std::move(r.errors()));
  return {};
}

Status ApplyAction(System& sys, const ActionInput& in, Action& a) {
  auto cat = sys.catalog();
  Resolver r(*cat);
  if (in.title) a.title = Scrub(*cat, *in.title);
  r.Text("title", a.title, 300, true);
  if (in.description) {
    r.Text("description", *in.description, 4000, false);
    a.description = Scrub(*cat, *in.description);
  }
  if (in.prevention) {
    if (auto v = ParsePrevention(*in.prevention)) {
      a.prevention = *v;
    } else {
      r.Add("prevention", v.error().fields[0].reason);
    }
  }
  if (in.horizon) {
    if (auto v = ParseHorizon(*in.horizon)) {
      a.horizon = *v;
    } else {
      r.Add("horizon", v.error().fields[0].reason);
    }
  }
  if (in.status) {
    if (auto v = ParseActionStatus(*in.status)) {
      a.status = *v;
    } else {
      r.Add("status", v.error().fields[0].reason);
    }
  }
  if (in.owner) {
    if (auto o = r.Org("owner", *in.owner)) a.owner = *o;
  } else if (a.owner.value == 0) {
    r.Add("owner", "ange vilken organisation som äger insatsen");
  }
  if (in.partners) a.partners = r.Orgs("partners", *in.partners);
  if (in.areas) a.areas = r.Areas("areas", *in.areas);
  if (in.places) a.places = r.Places("places", *in.places);
  if (in.controls) a.controls = r.Areas("controls", *in.controls);
  if (in.indicator_categories) {
    a.indicator_categories = r.Categories("indicator_categories", *in.indicator_categories);
  }
  if (in.indicator) {
    r.Text("indicator", *in.indicator, 300, false);
    a.indicator = Scrub(*cat, *in.indicator);
  }
  if (in.result) {
    r.Text("result", *in.result, 4000, false);
    a.result = Scrub(*cat, *in.result);
  }
  for (auto [field, src, dst] :
       {std::tuple{"start", &in.start, &a.start}, std::tuple{"end", &in.end, &a.end},
        std::tuple{"follow_up", &in.follow_up, &a.follow_up}}) {
    if (*src) {
      r.Day(field, **src);
      *dst = **src;
    }
  }
  for (size_t i = 0; i < a.controls.size(); ++i) {
    if (std::find(a.areas.begin(), a.areas.end(), a.controls[i]) != a.areas.end()) {
      r.Add("controls[" + std::to_string(i) + "]",
            "är ett av insatsens egna områden; välj ett jämförelseområde utanför insatsen");
    }
  }
  if (!a.start.empty() && !a.end.empty() && IsDayText(a.start) && IsDayText(a.end) &&
      a.end < a.start) {
    r.Add("end", "slutar före start (" + a.start + ")");
  }
  if (in.cost) {
    if (!std::isfinite(*in.cost) || *in.cost < 0) {
      r.Add("cost", "måste vara ett belopp ≥ 0 kronor");
    } else {
      a.cost = *in.cost;
    }
  }
  if (in.problems) {
    a.problems.clear();
    for (size_t i = 0; i < in.problems->size(); ++i) {
      ProblemId id{(*in.problems)[i]};
      auto p = internal::StoreOf(sys).GetProblem(id);
      if (!p) return tl::unexpected(p.error());
      if (!*p) {
        r.Add("problems[" + std::to_string(i) + "]",
              "problem " + std::to_string(id.value) + " finns inte");
      } else if (std::find(a.problems.begin(), a.problems.end(), id) == a.problems.end()) {
        a.problems.push_back(id);
      }
    }
  }
  if (!r.errors().empty()) return Invalid("Insatsen är ogiltig", std::move(r.errors()));
  return {};
}

// Reports per week in the action's areas and indicator categories over the 52 weeks before its
// start (or today when it has no start date).
Result<double> ComputeBaseline(const System& sys, const Action& a) {
  auto cat = sys.catalog();
  LocalDay start = IsDayText(a.start) ? ParseDay(a.start).value_or(ToLocalDay(NowUnix()))
                                      : ToLocalDay(NowUnix());
  LagesbildParams params;
  params.from = FormatDay(start - 364);
  params.to = FormatDay(start - 1);
  for (AreaId id : a.areas) {
    if (const Area* x = cat->AreaById(id)) params.areas.push_back(x->code);
  }
  for (CategoryId id : a.indicator_categories) {
    if (const Category* x = cat->CategoryById(id)) params.categories.push_back(x->code);
  }
  auto lb = sys.ComputeLagesbild(params);
  if (!lb) return Fail(lb);
  return std::round(static_cast<double>(lb->total) / 52.0 * 100) / 100;
}

json IdList(const auto& ids, const auto& lookup) {
  json out = json::array();
  for (const auto& id : ids) out.push_back(lookup(id));
  return out;
}

}  // namespace

DayText TodayText() { return FormatDay(ToLocalDay(NowUnix())); }

Result<Meeting> CreateMeeting(System& sys, const MeetingInput& in, const store::Actor& actor) {
  Meeting m;
  MeetingInput with_day = in;
  if (!with_day.held_on) with_day.held_on = TodayText();
  if (auto s = ApplyMeeting(*sys.catalog(), with_day, m); !s) return tl::unexpected(s.error());
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).CreateMeeting(m, actor);
}

Result<Meeting> UpdateMeeting(System& sys, MeetingId id, const MeetingInput& in,
                              int expected_version, const store::Actor& actor) {
  auto cur = internal::StoreOf(sys).GetMeeting(id);
  if (!cur) return Fail(cur);
  if (!*cur) return MakeError(ErrorCode::kNotFound, "Mötet finns inte");
  Meeting m = **cur;
  if (auto s = ApplyMeeting(*sys.catalog(), in, m); !s) return tl::unexpected(s.error());
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).UpdateMeeting(m, expected_version, actor);
}

Result<Problem> CreateProblem(System& sys, const ProblemInput& in, const store::Actor& actor) {
  Problem p;
  if (auto s = ApplyProblem(sys, in, p); !s) return tl::unexpected(s.error());
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).CreateProblem(p, actor);
}

Result<Problem> UpdateProblem(System& sys, ProblemId id, const ProblemInput& in,
                              int expected_version, const store::Actor& actor) {
  auto cur = internal::StoreOf(sys).GetProblem(id);
  if (!cur) return Fail(cur);
  if (!*cur) return MakeError(ErrorCode::kNotFound, "Problemet finns inte");
  Problem p = **cur;
  if (auto s = ApplyProblem(sys, in, p); !s) return tl::unexpected(s.error());
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).UpdateProblem(p, expected_version, actor);
}

Result<Action> CreateAction(System& sys, const ActionInput& in, const store::Actor& actor) {
  Action a;
  if (auto s = ApplyAction(sys, in, a); !s) return tl::unexpected(s.error());
  if (in.meeting) {
    a.meeting = MeetingId{*in.meeting};
    if (!in.decision) {
      return Invalid("Insatsen är ogiltig", {{"decision", "ange beslutets nummer i mötet"}});
    }
    a.decision = *in.decision;
  }
  if (a.status == ActionStatus::kOngoing) {
    auto b = ComputeBaseline(sys, a);
    if (!b) return Fail(b);
    a.baseline = *b;
  }
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).CreateAction(a, actor);
}

ActionRights ActionRightsOf(const User& user, const Action& action) {
  if (user.role == Role::kCoordinator || user.role == Role::kAdmin) return ActionRights::kAll;
  if (user.role == Role::kOrgLead && user.org && *user.org == action.owner) {
    return ActionRights::kStatusAndResult;
  }
  return ActionRights::kNone;
}

namespace {

template <class T>
bool SameSet(std::vector<T> a, std::vector<T> b) {
  auto less = [](const T& x, const T& y) { return x.value < y.value; };
  std::sort(a.begin(), a.end(), less);
  std::sort(b.begin(), b.end(), less);
  return a == b;
}

// The fields an organisation lead sent with a value other than the stored one: `changed` is the
// stored action with the input applied. Lists compare as sets (order is not a change).
std::vector<FieldError> FieldsBeyondLead(const ActionInput& in, const Action& stored,
                                         const Action& changed) {
  const std::string reason = "får bara ändras av samordnare och administratörer";
  std::vector<FieldError> out;
  auto check = [&](const char* field, bool present, bool same) {
    if (present && !same) out.push_back({field, reason});
  };
  check("title", in.title.has_value(), changed.title == stored.title);
  check("description", in.description.has_value(), changed.description == stored.description);
  check("prevention", in.prevention.has_value(), changed.prevention == stored.prevention);
  check("horizon", in.horizon.has_value(), changed.horizon == stored.horizon);
  check("owner", in.owner.has_value(), changed.owner == stored.owner);
  check("start", in.start.has_value(), changed.start == stored.start);
  check("end", in.end.has_value(), changed.end == stored.end);
  check("follow_up", in.follow_up.has_value(), changed.follow_up == stored.follow_up);
  check("indicator", in.indicator.has_value(), changed.indicator == stored.indicator);
  check("partners", in.partners.has_value(), SameSet(changed.partners, stored.partners));
  check("areas", in.areas.has_value(), SameSet(changed.areas, stored.areas));
  check("places", in.places.has_value(), SameSet(changed.places, stored.places));
  check("indicator_categories", in.indicator_categories.has_value(),
        SameSet(changed.indicator_categories, stored.indicator_categories));
  check("controls", in.controls.has_value(), SameSet(changed.controls, stored.controls));
  check("problems", in.problems.has_value(), SameSet(changed.problems, stored.problems));
  check("cost", in.cost.has_value(), changed.cost == stored.cost);
  return out;
}

}  // namespace

Result<Action> UpdateAction(System& sys, ActionId id, const ActionInput& in, int expected_version,
                            const store::Actor& actor, ActionRights rights) {
  auto cur = internal::StoreOf(sys).GetAction(id);
  if (!cur) return Fail(cur);
  if (!*cur) return MakeError(ErrorCode::kNotFound, "Insatsen finns inte");
  if (rights == ActionRights::kNone) {
    return MakeError(ErrorCode::kForbidden,
                     "Bara samordnare, administratörer och den ägande organisationens ledning "
                     "ändrar insatsen");
  }
  if (in.meeting || in.decision) {
    return Invalid("Insatsen är ogiltig",
                   {{in.meeting ? "meeting" : "decision", "kan bara anges när insatsen skapas"}});
  }
  Action a = **cur;
  if (auto s = ApplyAction(sys, in, a); !s) return tl::unexpected(s.error());
  if (rights == ActionRights::kStatusAndResult) {
    auto beyond = FieldsBeyondLead(in, **cur, a);
    if (!beyond.empty()) {
      return MakeError(ErrorCode::kForbidden,
                       "Som organisationsansvarig ändrar du bara status och resultat för "
                       "insatsen; övriga fält ändrar samordnaren",
                       std::move(beyond));
    }
    // Write nothing else, not even a list in another order.
    Action only = **cur;
    only.status = a.status;
    only.result = a.result;
    a = std::move(only);
  }
  // The baseline is frozen once, when the action starts; later edits never move it.
  if (!a.baseline && a.status != ActionStatus::kPlanned) {
    auto b = ComputeBaseline(sys, a);
    if (!b) return Fail(b);
    a.baseline = *b;
  }
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).UpdateAction(a, expected_version, actor);
}

Result<Agenda> ComputeAgenda(System& sys, const std::string& period, const Audience& audience) {
  auto cat = sys.catalog();
  LagesbildParams params;
  params.period = period;
  params.audience = audience;
  auto lb = sys.ComputeLagesbild(params);
  if (!lb) return Fail(lb);
  Agenda out;
  out.period = lb->period;
  out.total = lb->total;
  out.total_previous = lb->total_previous;
  for (const auto& row : lb->rows) {
    analysis::Change prev =
        analysis::ComputeChange(row.count, lb->days, row.previous, lb->days_previous);
    analysis::Change last =
        analysis::ComputeChange(row.count, lb->days, row.last_year, lb->days_last_year);
    const analysis::Change* pick = nullptr;
    std::string against;
    if (!prev.signal.empty() && (last.signal.empty() || prev.p <= last.p)) {
      pick = &prev;
      against = "previous";
    } else if (!last.signal.empty()) {
      pick = &last;
      against = "last_year";
    }
    if (!pick) continue;
    out.changes.push_back({row.area(), row.category(), row.count, row.previous, row.last_year,
                           against, pick->signal, pick->p});
  }
  std::stable_sort(out.changes.begin(), out.changes.end(),
                   [](const AgendaChange& a, const AgendaChange& b) { return a.p < b.p; });
  if (out.changes.size() > 15) out.changes.resize(15);

  auto hot = ComputeHotspots(sys, params, GridParams{});
  if (!hot) return Fail(hot);
  for (const auto& c : hot->cells) {
    if (!c.significant_fdr || c.gi_star <= 0 || c.count == 0) continue;
    AgendaHotspot h{c.ix, c.iy, hot->grid.cell_m, c.count, c.local_sum, c.gi_star, std::nullopt};
    geo::Sweref99Point centre{(c.ix + 0.5) * h.cell_m, (c.iy + 0.5) * h.cell_m};
    if (auto a = cat->index().Locate(centre)) h.area = AreaId{*a};
    out.hotspots.push_back(h);
  }
  std::sort(out.hotspots.begin(), out.hotspots.end(),
            [](const AgendaHotspot& a, const AgendaHotspot& b) { return a.gi_star > b.gi_star; });
  if (out.hotspots.size() > 10) out.hotspots.resize(10);

  auto actions = internal::StoreOf(sys).ListActions();
  if (!actions) return Fail(actions);
  for (auto& a : *actions) {
    if (IsOpen(a.status)) out.open_actions.push_back(std::move(a));
  }
  auto problems = internal::StoreOf(sys).ListProblems();
  if (!problems) return Fail(problems);
  for (auto& p : *problems) {
    if (p.status != ProblemStatus::kClosed) out.open_problems.push_back(std::move(p));
  }
  std::map<int64_t, std::vector<AreaId>> silent;
  for (const auto& c : lb->coverage) {
    for (OrgId o : c.silent) silent[o.value].push_back(c.area);
  }
  for (auto& [org, areas] : silent) out.silent.emplace_back(OrgId{org}, std::move(areas));
  // The lägesbild's coverage figure (app/coverage.h), so the meeting shows what the picture shows.
  out.coverage_share = TotalCoverage(*lb, *cat).share.value_or(1.0);
  return out;
}

json MeetingJson(const Meeting& m, const app::Catalog& c) {
  auto org = [&](OrgId id) {
    const Organisation* o = c.OrgById(id);
    return o ? json{{"code", o->code}, {"name", o->name}} : json(nullptr);
  };
  auto area = [&](AreaId id) {
    const Area* a = c.AreaById(id);
    return a ? json{{"code", a->code}, {"name", a->name}} : json(nullptr);
  };
  auto place = [&](PlaceId id) {
    for (const auto& p : c.places()) {
      if (p.id == id) return json{{"id", p.id.value}, {"name", p.name}};
    }
    return json{{"id", id.value}, {"name", ""}};
  };
  json decisions = json::array();
  for (const auto& d : m.decisions) {
    decisions.push_back({{"number", d.number},
                         {"text", d.text},
                         {"owner", d.owner ? org(*d.owner) : json(nullptr)},
                         {"action", d.action ? json(d.action->value) : json(nullptr)}});
  }
  auto period = ParsePeriod(m.period);
  return {{"id", m.id.value},
          {"held_on", m.held_on},
          {"kind", MeetingKindText(m.kind)},
          {"period", m.period},
          {"period_label", period ? period->label_sv() : m.period},
          {"title", m.title},
          {"attendees", IdList(m.attendees, org)},
          {"focus_areas", IdList(m.focus_areas, area)},
          {"focus_places", IdList(m.focus_places, place)},
          {"minutes", m.minutes},
          {"decisions", decisions},
          {"version", m.version},
          {"created_at", FormatTimestamp(m.created_at)},
          {"updated_at", FormatTimestamp(m.updated_at)}};
}

json ProblemJson(const Problem& p, const app::Catalog& c) {
  auto area = [&](AreaId id) {
    const Area* a = c.AreaById(id);
    return a ? json{{"code", a->code}, {"name", a->name}} : json(nullptr);
  };
  auto category = [&](CategoryId id) {
    const Category* k = c.CategoryById(id);
    return k ? json{{"code", k->code}, {"name", k->name_sv}} : json(nullptr);
  };
  auto place = [&](PlaceId id) {
    for (const auto& x : c.places()) {
      if (x.id == id) return json{{"id", x.id.value}, {"name", x.name}};
    }
    return json{{"id", id.value}, {"name", ""}};
  };
  return {{"id", p.id.value},
          {"title", p.title},
          {"description", p.description},
          {"status", ProblemStatusText(p.status)},
          {"areas", IdList(p.areas, area)},
          {"places", IdList(p.places, place)},
          {"categories", IdList(p.categories, category)},
          {"reports", IdList(p.reports, [](ReportId id) { return id.value; })},
          {"version", p.version},
          {"created_at", FormatTimestamp(p.created_at)},
          {"updated_at", FormatTimestamp(p.updated_at)}};
}

json ActionJson(const Action& a, const app::Catalog& c, const DayText& today) {
  auto org = [&](OrgId id) {
    const Organisation* o = c.OrgById(id);
    return o ? json{{"code", o->code}, {"name", o->name}} : json(nullptr);
  };
  auto area = [&](AreaId id) {
    const Area* x = c.AreaById(id);
    return x ? json{{"code", x->code}, {"name", x->name}} : json(nullptr);
  };
  auto category = [&](CategoryId id) {
    const Category* k = c.CategoryById(id);
    return k ? json{{"code", k->code}, {"name", k->name_sv}} : json(nullptr);
  };
  auto place = [&](PlaceId id) {
    for (const auto& x : c.places()) {
      if (x.id == id) return json{{"id", x.id.value}, {"name", x.name}};
    }
    return json{{"id", id.value}, {"name", ""}};
  };
  bool overdue = IsOpen(a.status) && !a.follow_up.empty() && a.follow_up < today;
  return {{"id", a.id.value},
          {"title", a.title},
          {"description", a.description},
          {"prevention", PreventionText(a.prevention)},
          {"horizon", HorizonText(a.horizon)},
          {"owner", org(a.owner)},
          {"partners", IdList(a.partners, org)},
          {"areas", IdList(a.areas, area)},
          {"places", IdList(a.places, place)},
          {"problems", IdList(a.problems, [](ProblemId id) { return id.value; })},
          {"meeting", a.meeting ? json(a.meeting->value) : json(nullptr)},
          {"decision", a.decision ? json(a.decision) : json(nullptr)},
          {"start", a.start},
          {"end", a.end},
          {"follow_up", a.follow_up},
          {"overdue", overdue},
          {"status", ActionStatusText(a.status)},
          {"cost", a.cost ? json(*a.cost) : json(nullptr)},
          {"indicator", a.indicator},
          {"indicator_categories", IdList(a.indicator_categories, category)},
          {"baseline", a.baseline ? json(*a.baseline) : json(nullptr)},
          {"result", a.result},
          {"controls", IdList(a.controls, area)},
          {"version", a.version},
          {"created_at", FormatTimestamp(a.created_at)},
          {"updated_at", FormatTimestamp(a.updated_at)}};
}

json AgendaJson(const Agenda& a, const app::Catalog& c, const DayText& today) {
  auto area = [&](const std::optional<AreaId>& id) {
    const Area* x = id ? c.AreaById(*id) : nullptr;
    return x ? json{{"code", x->code}, {"name", x->name}} : json(nullptr);
  };
  json changes = json::array();
  for (const auto& ch : a.changes) {
    const Category* k = ch.category ? c.CategoryById(*ch.category) : nullptr;
    changes.push_back(
        {{"area", area(ch.area)},
         {"category", k ? json{{"code", k->code}, {"name", k->name_sv}} : json(nullptr)},
         {"count", ch.count},
         {"previous", ch.previous},
         {"last_year", ch.last_year},
         {"against", ch.against},
         {"signal", ch.signal},
         {"p", ch.p}});
  }
  json hotspots = json::array();
  for (const auto& h : a.hotspots) {
    geo::Wgs84Point w =
        geo::ToWgs84(geo::Sweref99Point{(h.ix + 0.5) * h.cell_m, (h.iy + 0.5) * h.cell_m});
    hotspots.push_back({{"ix", h.ix},
                        {"iy", h.iy},
                        {"cell_m", h.cell_m},
                        {"count", h.count},
                        {"local_sum", h.local_sum},
                        {"gi_star", std::round(h.gi_star * 100) / 100},
                        {"lon", std::round(w.lon * 1e6) / 1e6},
                        {"lat", std::round(w.lat * 1e6) / 1e6},
                        {"area", area(h.area)}});
  }
  json actions = json::array();
  for (const auto& x : a.open_actions) actions.push_back(ActionJson(x, c, today));
  json problems = json::array();
  for (const auto& p : a.open_problems) problems.push_back(ProblemJson(p, c));
  json silent = json::array();
  for (const auto& [org, areas] : a.silent) {
    const Organisation* o = c.OrgById(org);
    json as = json::array();
    for (AreaId id : areas) as.push_back(area(id));
    silent.push_back(
        {{"org", o ? json{{"code", o->code}, {"name", o->name}} : json(nullptr)}, {"areas", as}});
  }
  return {{"period", PeriodJson(a.period)},
          {"total", a.total},
          {"total_previous", a.total_previous},
          {"coverage_share", std::round(a.coverage_share * 1000) / 1000},
          {"changes", changes},
          {"hotspots", hotspots},
          {"open_actions", actions},
          {"open_problems", problems},
          {"silent", silent}};
}

}  // namespace est::app
