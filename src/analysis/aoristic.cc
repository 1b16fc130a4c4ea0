#include "analysis/aoristic.h"

#include <algorithm>
#include <cstdint>

namespace est::analysis {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

// Stockholm local wall-clock seconds of instant t.
int64_t Local(UnixSeconds t) { return t + UtcOffsetSeconds(t); }

size_t HourIndex(int64_t local) {
  const int64_t day = FloorDiv(local, kSecondsPerDay);
  const int weekday = IsoWeekday(static_cast<LocalDay>(day)) - 1;
  const int hour = static_cast<int>((local - day * kSecondsPerDay) / 3600);
  return static_cast<size_t>(weekday * 24 + hour);
}

}  // namespace

void AddAoristic(HourProfile& profile, UnixSeconds start, int duration_minutes) {
  if (duration_minutes <= 0) {
    profile[HourIndex(Local(start))] += 1.0;
    return;
  }
  if (duration_minutes >= kMinutesPerWeek) {
    for (double& h : profile) h += 1.0 / kHoursPerWeek;
    return;
  }
  const int64_t total = int64_t{duration_minutes} * 60;
  const UnixSeconds end = start + total;
  double added = 0;
  for (UnixSeconds t = start; t < end;) {
    // Walk real time to the next local hour boundary. Stockholm's offsets (since 1900) are whole
    // hours and change at whole UTC hours, so a piece never straddles a change of offset; the
    // offset is looked up again for every piece, which is what skips the missing spring hour and
    // visits the repeated autumn hour twice.
    const int64_t local = Local(t);
    const UnixSeconds next = t + (3600 - (local - FloorDiv(local, 3600) * 3600));
    const UnixSeconds piece_end = std::min(next, end);
    // The last piece takes what is left, so that one event adds exactly 1 in its own order.
    const double w = piece_end == end
                         ? 1.0 - added
                         : static_cast<double>(piece_end - t) / static_cast<double>(total);
    profile[HourIndex(local)] += w;
    added += w;
    t = piece_end;
  }
}

}  // namespace est::analysis
