// Domain types of the work that follows the picture: meetings (möten), problems (problem) and
// actions (insatser). Plain values with no I/O, like core/model.h.
//
// The EST cycle: the weekly meeting reads the lägesbild, records who attended, picks focus areas
// and places, and takes decisions; a decision can become an action owned by one organisation; an
// action answers one or more problems (behaviour + place + time) and is followed up until closed.
#ifndef EST_CORE_WORK_H_
#define EST_CORE_WORK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace est {

struct MeetingTag {};
struct ProblemTag {};
struct ActionTag {};
using MeetingId = Id<MeetingTag>;
using ProblemId = Id<ProblemTag>;
using ActionId = Id<ActionTag>;

// A calendar day as "YYYY-MM-DD" (local Swedish date); empty = not set.
using DayText = std::string;

// True when `s` is a valid calendar date "YYYY-MM-DD".
bool IsDayText(std::string_view s);

enum class MeetingKind { kWeekly, kTertial, kYearly, kOther };
std::string_view MeetingKindText(MeetingKind k);  // "weekly", "tertial", "yearly", "other"
Result<MeetingKind> ParseMeetingKind(
    std::string_view s);  // also "vecka", "tertial", "år", "övrigt"

// Beslut: one decision of a meeting; `action` is set once an action was created from it.
struct Decision {
  int64_t number = 0;  // 1, 2, ... within the meeting
  std::string text;
  std::optional<OrgId> owner;  // proposed owner organisation
  std::optional<ActionId> action;
};

// Möte: the weekly EST meeting (or the tertial / yearly analysis meeting).
struct Meeting {
  MeetingId id;
  DayText held_on;
  MeetingKind kind = MeetingKind::kWeekly;
  std::string period;  // the picture it reviewed, e.g. "2026-W48"
  std::string title;
  std::vector<OrgId> attendees;
  std::vector<AreaId> focus_areas;  // for the coming period
  std::vector<PlaceId> focus_places;
  std::string minutes;  // scrubbed free text
  std::vector<Decision> decisions;
  int version = 1;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

enum class ProblemStatus { kOpen, kMonitored, kClosed };
std::string_view ProblemStatusText(ProblemStatus s);  // "open", "monitored", "closed"
Result<ProblemStatus> ParseProblemStatus(std::string_view s);

// Problem: a named, recurring pattern written as behaviour, place and time ("samlingar vid torget
// 21–24 fre–lör med smällare mot fönster"), with the reports that show it.
struct Problem {
  ProblemId id;
  std::string title;
  std::string description;
  std::vector<AreaId> areas;
  std::vector<PlaceId> places;
  std::vector<CategoryId> categories;
  std::vector<ReportId> reports;
  ProblemStatus status = ProblemStatus::kOpen;
  int version = 1;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

enum class Prevention { kSocial, kSituational };
std::string_view PreventionText(Prevention p);           // "social", "situational"
Result<Prevention> ParsePrevention(std::string_view s);  // also "social", "situationell"

enum class Horizon { kEventDriven, kLongTerm };
std::string_view HorizonText(Horizon h);           // "event", "long_term"
Result<Horizon> ParseHorizon(std::string_view s);  // also "händelsestyrd", "långsiktig"

enum class ActionStatus { kPlanned, kOngoing, kDone, kCancelled };
std::string_view ActionStatusText(ActionStatus s);  // "planned", "ongoing", "done", "cancelled"
Result<ActionStatus> ParseActionStatus(std::string_view s);
bool IsOpen(ActionStatus s);  // planned or ongoing

// Insats: what an organisation does about a problem, followed up until it is closed.
struct Action {
  ActionId id;
  std::string title;
  std::string description;
  Prevention prevention = Prevention::kSituational;
  Horizon horizon = Horizon::kLongTerm;
  OrgId owner;
  std::vector<OrgId> partners;
  std::vector<AreaId> areas;
  std::vector<PlaceId> places;
  std::vector<ProblemId> problems;
  std::optional<MeetingId> meeting;  // the meeting whose decision created it
  int64_t decision = 0;              // that decision's number (0 = created directly)
  DayText start, end, follow_up;
  ActionStatus status = ActionStatus::kPlanned;
  std::optional<double> cost;  // SEK
  // The indicator it should move: report counts of these categories in its areas.
  std::vector<CategoryId> indicator_categories;
  std::string indicator;  // free-text name of the indicator, e.g. "skadegörelse per vecka"
  // Frozen when the action starts: reports per week in the areas over the 52 weeks before start.
  std::optional<double> baseline;
  std::string result;  // what came of it, written at follow-up
  // Comparison areas for the evaluation chosen by the user; empty = the system proposes them.
  std::vector<AreaId> controls;
  int version = 1;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

}  // namespace est

#endif  // EST_CORE_WORK_H_
