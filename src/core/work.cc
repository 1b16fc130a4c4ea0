// Text forms of the work enumerations (meetings, problems, actions).
#include "core/work.h"

#include <array>
#include <cctype>
#include <utility>

#include "core/enum_text.h"

namespace est {
namespace {

constexpr std::array<std::pair<std::string_view, MeetingKind>, 8> kMeetingKinds{{
    {"weekly", MeetingKind::kWeekly},
    {"tertial", MeetingKind::kTertial},
    {"yearly", MeetingKind::kYearly},
    {"other", MeetingKind::kOther},
    {"vecka", MeetingKind::kWeekly},
    {"veckomöte", MeetingKind::kWeekly},
    {"år", MeetingKind::kYearly},
    {"övrigt", MeetingKind::kOther},
}};
constexpr std::array<std::pair<std::string_view, ProblemStatus>, 6> kProblemStatuses{{
    {"open", ProblemStatus::kOpen},
    {"monitored", ProblemStatus::kMonitored},
    {"closed", ProblemStatus::kClosed},
    {"öppet", ProblemStatus::kOpen},
    {"bevakas", ProblemStatus::kMonitored},
    {"avslutat", ProblemStatus::kClosed},
}};
constexpr std::array<std::pair<std::string_view, Prevention>, 3> kPreventions{{
    {"social", Prevention::kSocial},
    {"situational", Prevention::kSituational},
    {"situationell", Prevention::kSituational},
}};
constexpr std::array<std::pair<std::string_view, Horizon>, 4> kHorizons{{
    {"event", Horizon::kEventDriven},
    {"long_term", Horizon::kLongTerm},
    {"händelsestyrd", Horizon::kEventDriven},
    {"långsiktig", Horizon::kLongTerm},
}};
constexpr std::array<std::pair<std::string_view, ActionStatus>, 8> kActionStatuses{{
    {"planned", ActionStatus::kPlanned},
    {"ongoing", ActionStatus::kOngoing},
    {"done", ActionStatus::kDone},
    {"cancelled", ActionStatus::kCancelled},
    {"planerad", ActionStatus::kPlanned},
    {"pågår", ActionStatus::kOngoing},
    {"klar", ActionStatus::kDone},
    {"avbruten", ActionStatus::kCancelled},
}};

}  // namespace

bool IsDayText(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

std::string_view MeetingKindText(MeetingKind k) { return EnumText(k, kMeetingKinds); }
Result<MeetingKind> ParseMeetingKind(std::string_view s) {
  return ParseEnum("kind", s, kMeetingKinds);
}
std::string_view ProblemStatusText(ProblemStatus s) { return EnumText(s, kProblemStatuses); }
Result<ProblemStatus> ParseProblemStatus(std::string_view s) {
  return ParseEnum("status", s, kProblemStatuses);
}
std::string_view PreventionText(Prevention p) { return EnumText(p, kPreventions); }
Result<Prevention> ParsePrevention(std::string_view s) {
  return ParseEnum("prevention", s, kPreventions);
}
std::string_view HorizonText(Horizon h) { return EnumText(h, kHorizons); }
Result<Horizon> ParseHorizon(std::string_view s) { return ParseEnum("horizon", s, kHorizons); }
std::string_view ActionStatusText(ActionStatus s) { return EnumText(s, kActionStatuses); }
Result<ActionStatus> ParseActionStatus(std::string_view s) {
  return ParseEnum("status", s, kActionStatuses);
}
bool IsOpen(ActionStatus s) { return s == ActionStatus::kPlanned || s == ActionStatus::kOngoing; }

}  // namespace est
