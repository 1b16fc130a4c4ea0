#include "analysis/aoristic.h"

#include <algorithm>

namespace est::analysis {

void AddAoristic(HourProfile& profile, int start_minute_of_week, int duration_minutes) {
  int minute = start_minute_of_week % kMinutesPerWeek;
  if (minute < 0) minute += kMinutesPerWeek;
  if (duration_minutes <= 0) {
    profile[static_cast<size_t>(minute / 60)] += 1.0;
    return;
  }
  if (duration_minutes >= kMinutesPerWeek) {
    for (double& h : profile) h += 1.0 / kHoursPerWeek;
    return;
  }
  const double total = static_cast<double>(duration_minutes);
  int remaining = duration_minutes;
  double added = 0;
  while (remaining > 0) {
    const int hour = minute / 60;
    const int in_hour = std::min(60 - minute % 60, remaining);
    remaining -= in_hour;
    // The last piece takes what is left, so that one event adds exactly 1 in its own order.
    const double w = remaining == 0 ? 1.0 - added : in_hour / total;
    profile[static_cast<size_t>(hour)] += w;
    added += w;
    minute = (minute + in_hour) % kMinutesPerWeek;
  }
}

}  // namespace est::analysis
