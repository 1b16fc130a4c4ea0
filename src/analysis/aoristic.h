// Aoristisk viktning: the hour × weekday profile of reports whose exact time is unknown ("between
// Friday 22:00 and Saturday 06:00"). Each event spreads a weight of 1 evenly over the real
// instants it may have happened at (Ratcliffe 2002), so a long uncertain interval does not pile
// onto its start hour; each instant counts in the Europe/Stockholm weekday and hour it falls in.
//
// Why instants and not local hour labels: on the spring-forward night (last Sunday of March) the
// local hour 02:00–03:00 does not exist, and on the autumn night (last Sunday of October) it
// happens twice. Walking wall-clock labels from the start put a share on the missing hour in
// spring and gave the repeated hour half its share in autumn.
//
// Pure function of its arguments (the time zone rules come from core/time.h); thread-safe.
#ifndef EST_ANALYSIS_AORISTIC_H_
#define EST_ANALYSIS_AORISTIC_H_

#include <array>

#include "core/time.h"

namespace est::analysis {

inline constexpr int kMinutesPerWeek = 7 * 24 * 60;
inline constexpr int kHoursPerWeek = 7 * 24;

// Index of the profile: weekday · 24 + hour in Stockholm local time, weekday 0 = Monday (ISO), so
// index 0 is Monday 00:00–01:00 and 167 is Sunday 23:00–24:00. On the autumn night index
// Sunday 02 covers both occurrences of 02:00–03:00 (two real hours); on the spring night it gets
// nothing from that Sunday.
using HourProfile = std::array<double, kHoursPerWeek>;

// Adds one event that started at instant `start` and may have happened at any instant during the
// following `duration_minutes` real minutes, i.e. in [start, start + duration · 60 s).
//  - duration 0 (a point event): weight 1 in the local hour of `start`.
//  - 0 < duration < one week: each local weekday × hour gets (seconds of the interval that fall
//    in it) / duration, so partial first and last hours count pro rata and the interval wraps
//    Sunday → Monday.
//  - duration >= one week: the time is unknown within the week, weight 1/168 in every hour.
// The weights added for one event sum to 1 (to rounding; the last piece takes the remainder).
// REQUIRES: duration_minutes >= 0 (a negative duration is treated as a point event).
void AddAoristic(HourProfile& profile, UnixSeconds start, int duration_minutes);

}  // namespace est::analysis

#endif  // EST_ANALYSIS_AORISTIC_H_
