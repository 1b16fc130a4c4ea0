// Use cases of the work after the picture: meetings (möten) with attendance, focus and decisions;
// problems; actions (insatser) decided in a meeting or created directly; and the meeting agenda
// built from the lägesbild (significant changes, hotspots, open and overdue actions, silent
// reporters). Inputs name organisations, areas and categories by code (places by name or id);
// unknown references are errors that name the field.
//
// Thread-safe as System: writes are serialised by the store; reads use the catalog snapshot.
#ifndef EST_APP_WORK_H_
#define EST_APP_WORK_H_

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/system.h"
#include "core/work.h"

namespace est::app {

// Fields left empty are kept as they are on update; on create they take their defaults.
struct DecisionInput {
  std::optional<int64_t> number;  // keep a stored decision (its action link stays); empty = new
  std::string text;
  std::string owner;  // organisation code, "" = none
};
struct MeetingInput {
  std::optional<std::string> held_on;  // YYYY-MM-DD, default today
  std::optional<std::string> kind;     // weekly (default), tertial, yearly, other
  std::optional<std::string> period;   // default: the ISO week before held_on
  std::optional<std::string> title;
  std::optional<std::string> minutes;
  std::optional<std::vector<std::string>> attendees;     // organisation codes
  std::optional<std::vector<std::string>> focus_areas;   // area codes
  std::optional<std::vector<std::string>> focus_places;  // place names or ids
  std::optional<std::vector<DecisionInput>> decisions;   // replaces the list
};

struct ProblemInput {
  std::optional<std::string> title, description, status;
  std::optional<std::vector<std::string>> areas, places, categories;
  std::optional<std::vector<int64_t>> reports;
};

struct ActionInput {
  std::optional<std::string> title, description, prevention, horizon, owner;
  std::optional<std::string> start, end, follow_up, status, indicator, result;
  std::optional<std::vector<std::string>> partners, areas, places, indicator_categories;
  std::optional<std::vector<std::string>> controls;  // comparison areas for the evaluation
  std::optional<std::vector<int64_t>> problems;
  std::optional<int64_t> meeting, decision;  // only on create: the decision it carries out
  std::optional<double> cost;
};

Result<Meeting> CreateMeeting(System& sys, const MeetingInput& in, const store::Actor& actor);
Result<Meeting> UpdateMeeting(System& sys, MeetingId id, const MeetingInput& in,
                              int expected_version, const store::Actor& actor);
Result<Problem> CreateProblem(System& sys, const ProblemInput& in, const store::Actor& actor);
Result<Problem> UpdateProblem(System& sys, ProblemId id, const ProblemInput& in,
                              int expected_version, const store::Actor& actor);
// When the action starts (status becomes ongoing, or is created ongoing) its baseline is frozen:
// reports per week in its areas and indicator categories over the 52 weeks before its start.
Result<Action> CreateAction(System& sys, const ActionInput& in, const store::Actor& actor);
// Who may change which fields of an action: coordinators and administrators every field; the
// organisation lead (org_lead) of the owner organisation its status and result (the user guide,
// "Insatser och utvärdering"); everyone else nothing.
enum class ActionRights { kNone, kStatusAndResult, kAll };
ActionRights ActionRightsOf(const User& user, const Action& action);

// With kStatusAndResult, a field other than status and result that is present in `in` and,
// resolved, differs from the stored value is kForbidden naming every such field (a form that sends
// the stored values back unchanged passes); nothing but status and result is ever written.
// kNone is kForbidden. Invalid values are kInvalidArgument first.
Result<Action> UpdateAction(System& sys, ActionId id, const ActionInput& in, int expected_version,
                            const store::Actor& actor, ActionRights rights = ActionRights::kAll);

// The agenda of a meeting that reviews `period`.
struct AgendaChange {
  std::optional<AreaId> area;
  std::optional<CategoryId> category;
  int64_t count = 0, previous = 0, last_year = 0;
  std::string against;  // "previous" or "last_year": the comparison that flagged it
  std::string signal;   // "ökning" / "minskning"
  double p = 1;
};
struct AgendaHotspot {
  int32_t ix = 0, iy = 0;
  double cell_m = 250;
  int64_t count = 0;
  double local_sum = 0;
  double gi_star = 0;
  std::optional<AreaId> area;  // the area holding the cell's centre
};
struct Agenda {
  Period period{};
  std::vector<AgendaChange> changes;    // significant, largest first
  std::vector<AgendaHotspot> hotspots;  // hot at 99 % after FDR, strongest first (at most 10)
  std::vector<Action> open_actions;     // planned or ongoing, by follow-up date
  std::vector<Problem> open_problems;
  std::vector<std::pair<OrgId, std::vector<AreaId>>> silent;  // organisations silent in areas
  int64_t total = 0, total_previous = 0;
  double coverage_share = 0;  // TotalCoverage (app/coverage.h); 1 when nobody is expected
};
// today: for "overdue" (follow-up before today). REQUIRES: period parses (error names "period").
// The hot cells follow app/disclosure.h for a limited `audience`.
Result<Agenda> ComputeAgenda(System& sys, const std::string& period,
                             const Audience& audience = Audience{});

// Outward forms (codes and names, as the rest of the API). `today` marks overdue follow-ups.
nlohmann::json MeetingJson(const Meeting& m, const app::Catalog& catalog);
nlohmann::json ProblemJson(const Problem& p, const app::Catalog& catalog);
nlohmann::json ActionJson(const Action& a, const app::Catalog& catalog, const DayText& today);
nlohmann::json AgendaJson(const Agenda& a, const app::Catalog& catalog, const DayText& today);

// Today's date in Stockholm as YYYY-MM-DD.
DayText TodayText();

}  // namespace est::app

#endif  // EST_APP_WORK_H_
