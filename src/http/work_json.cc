// JSON → inputs for meetings, problems and actions.
#include "http/work_json.h"

#include "http/fields.h"

namespace est::http {
namespace {

Status Finish(Fields& f, int* version, const char* what) {
  if (version) {
    auto v = f.Int("version");
    f.Require("version", v.has_value());
    if (v) *version = *v;
  }
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " är ogiltigt", f.errors());
  }
  return {};
}

std::set<std::string> With(std::set<std::string> fields, bool versioned) {
  if (versioned) fields.insert("version");
  return fields;
}

}  // namespace

Result<app::MeetingInput> MeetingInputFromJson(const json& body, int* version) {
  Fields f(body, "",
           With({"held_on", "kind", "period", "title", "minutes", "attendees", "focus_areas",
                 "focus_places", "decisions"},
                version != nullptr));
  app::MeetingInput in;
  in.held_on = f.Str("held_on");
  in.kind = f.Str("kind");
  in.period = f.Str("period");
  in.title = f.Str("title", kMaxMeetingTitleChars);
  in.minutes = f.Str("minutes", kMaxMinutesChars);
  in.attendees = f.StrList("attendees");
  in.focus_areas = f.StrList("focus_areas");
  in.focus_places = f.StrList("focus_places");
  if (auto list = f.ObjList("decisions")) {
    in.decisions.emplace();
    for (size_t i = 0; i < list->size(); ++i) {
      Fields d(*(*list)[i], "decisions[" + std::to_string(i) + "].", {"number", "text", "owner"});
      app::DecisionInput di;
      if (auto n = d.Int("number")) di.number = *n;
      di.text = d.Str("text", kMaxNoteChars).value_or("");
      di.owner = d.Str("owner").value_or("");
      f.Merge(d);
      in.decisions->push_back(std::move(di));
    }
  }
  if (auto s = Finish(f, version, "Mötet"); !s) return tl::unexpected(s.error());
  return in;
}

Result<app::ProblemInput> ProblemInputFromJson(const json& body, int* version) {
  Fields f(body, "",
           With({"title", "description", "status", "areas", "places", "categories", "reports"},
                version != nullptr));
  app::ProblemInput in;
  in.title = f.Str("title", kMaxTitleChars);
  in.description = f.Str("description", kMaxDescriptionChars);
  in.status = f.Str("status");
  in.areas = f.StrList("areas");
  in.places = f.StrList("places");
  in.categories = f.StrList("categories");
  in.reports = f.IntList("reports");
  if (auto s = Finish(f, version, "Problemet"); !s) return tl::unexpected(s.error());
  return in;
}

Result<app::ActionInput> ActionInputFromJson(const json& body, int* version) {
  Fields f(body, "",
           With({"title",    "description", "prevention", "horizon", "owner",
                 "start",    "end",         "follow_up",  "status",  "indicator",
                 "result",   "partners",    "areas",      "places",  "indicator_categories",
                 "problems", "meeting",     "decision",   "cost",    "controls"},
                version != nullptr));
  app::ActionInput in;
  in.title = f.Str("title", kMaxTitleChars);
  in.description = f.Str("description", kMaxDescriptionChars);
  in.prevention = f.Str("prevention");
  in.horizon = f.Str("horizon");
  in.owner = f.Str("owner");
  in.start = f.Str("start");
  in.end = f.Str("end");
  in.follow_up = f.Str("follow_up");
  in.status = f.Str("status");
  in.indicator = f.Str("indicator", kMaxIndicatorChars);
  in.result = f.Str("result", kMaxResultChars);
  in.partners = f.StrList("partners");
  in.areas = f.StrList("areas");
  in.places = f.StrList("places");
  in.indicator_categories = f.StrList("indicator_categories");
  in.controls = f.StrList("controls");
  in.problems = f.IntList("problems");
  if (auto m = f.Int("meeting")) in.meeting = *m;
  if (auto d = f.Int("decision")) in.decision = *d;
  in.cost = f.Num("cost");
  if (auto s = Finish(f, version, "Insatsen"); !s) return tl::unexpected(s.error());
  return in;
}

}  // namespace est::http
