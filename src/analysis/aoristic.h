// Aoristisk viktning: the hour × weekday profile of reports whose exact time is unknown ("between
// Friday 22:00 and Saturday 06:00"). Each event spreads a weight of 1 evenly over the minutes it
// may have happened in (Ratcliffe 2002), so a long uncertain interval does not pile onto its
// start hour.
//
// Works on local minutes of the week; the caller converts Europe/Stockholm time (DST included),
// so there is no time-zone code here. Pure function of its arguments; thread-safe.
#ifndef EST_ANALYSIS_AORISTIC_H_
#define EST_ANALYSIS_AORISTIC_H_

#include <array>

namespace est::analysis {

inline constexpr int kMinutesPerWeek = 7 * 24 * 60;
inline constexpr int kHoursPerWeek = 7 * 24;

// Index of the profile: weekday · 24 + hour, weekday 0 = Monday (ISO), so index 0 is
// Monday 00:00–01:00 and 167 is Sunday 23:00–24:00.
using HourProfile = std::array<double, kHoursPerWeek>;

// Adds one event that started at `start_minute_of_week` (0 = Monday 00:00 local time; values
// outside [0, 10080) are taken modulo a week) and may have happened at any time during the
// following `duration_minutes`, i.e. in [start, start + duration).
//  - duration 0 (a point event): weight 1 in the start hour.
//  - 0 < duration < one week: each hour gets (minutes of the interval inside it) / duration, so
//    partial first and last hours count pro rata; the interval wraps Sunday → Monday.
//  - duration >= one week: the time is unknown within the week, weight 1/168 in every hour.
// The weights added for one event sum to 1 (to rounding; the last piece takes the remainder).
// REQUIRES: duration_minutes >= 0 (a negative duration is treated as a point event).
void AddAoristic(HourProfile& profile, int start_minute_of_week, int duration_minutes);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_AORISTIC_H_
