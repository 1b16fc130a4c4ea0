// Aoristic hour × weekday profile: point events, partial hours, midnight and week wrap, spans
// longer than a week, and the two DST nights (the spread is over real instants, not local hour
// labels).
#include "analysis/aoristic.h"

#include <gtest/gtest.h>

#include <numeric>

#include "core/time.h"

namespace est::analysis {
namespace {

// Instants in the week of Monday 2026-11-16, which is CET (+01:00) throughout.
UnixSeconds At(int weekday, int hour, int minute = 0) {
  return *ParseTimestamp("2026-11-16T00:00:00+01:00") + weekday * 86400 + hour * 3600 + minute * 60;
}
constexpr size_t Hour(int weekday, int hour) { return static_cast<size_t>(weekday * 24 + hour); }
constexpr int kSunday = 6;

double Sum(const HourProfile& p) { return std::accumulate(p.begin(), p.end(), 0.0); }

TEST(Aoristic, PointEventCountsFullyInItsHour) {
  HourProfile p{};
  AddAoristic(p, At(2, 14, 37), 0);  // Wednesday 14:37
  EXPECT_DOUBLE_EQ(p[Hour(2, 14)], 1.0);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
  AddAoristic(p, At(2, 14, 0), -5);  // negative duration: a point event
  EXPECT_DOUBLE_EQ(p[Hour(2, 14)], 2.0);
}

// Tuesday 10:45 for 90 minutes: 15 min in 10h, 60 in 11h, 15 in 12h.
TEST(Aoristic, PartialFirstAndLastHoursProRata) {
  HourProfile p{};
  AddAoristic(p, At(1, 10, 45), 90);
  EXPECT_DOUBLE_EQ(p[Hour(1, 10)], 15.0 / 90.0);
  EXPECT_DOUBLE_EQ(p[Hour(1, 11)], 60.0 / 90.0);
  EXPECT_NEAR(p[Hour(1, 12)], 15.0 / 90.0, 1e-15);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

TEST(Aoristic, WithinOneHour) {
  HourProfile p{};
  AddAoristic(p, At(4, 23, 10), 30);  // Friday 23:10–23:40
  EXPECT_DOUBLE_EQ(p[Hour(4, 23)], 1.0);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

// Friday 22:00 to Saturday 06:00 (8 hours): 1/8 in each of Fri 22, 23 and Sat 0..5.
TEST(Aoristic, AcrossMidnight) {
  HourProfile p{};
  AddAoristic(p, At(4, 22), 8 * 60);
  for (size_t h : {Hour(4, 22), Hour(4, 23), Hour(5, 0), Hour(5, 1), Hour(5, 2), Hour(5, 3),
                   Hour(5, 4), Hour(5, 5)}) {
    EXPECT_NEAR(p[h], 0.125, 1e-15) << h;
  }
  EXPECT_DOUBLE_EQ(p[Hour(5, 6)], 0.0);
  EXPECT_DOUBLE_EQ(p[Hour(4, 21)], 0.0);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

// Sunday 23:30 for 60 minutes: half in Sunday 23h, half in Monday 0h.
TEST(Aoristic, WrapsSundayToMonday) {
  HourProfile p{};
  AddAoristic(p, At(kSunday, 23, 30), 60);
  EXPECT_DOUBLE_EQ(p[167], 0.5);
  EXPECT_DOUBLE_EQ(p[0], 0.5);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

TEST(Aoristic, LongerThanAWeekIsOneFullSpread) {
  for (int duration : {kMinutesPerWeek, kMinutesPerWeek + 1, 3 * kMinutesPerWeek}) {
    HourProfile p{};
    AddAoristic(p, At(3, 5, 17), duration);
    for (double w : p) EXPECT_DOUBLE_EQ(w, 1.0 / 168.0);
    EXPECT_NEAR(Sum(p), 1.0, 1e-12);
  }
  // One minute short of a week starting at Monday 00:00: the last hour is one minute short.
  HourProfile p{};
  AddAoristic(p, At(0, 0), kMinutesPerWeek - 1);
  EXPECT_DOUBLE_EQ(p[0], 60.0 / (kMinutesPerWeek - 1));
  EXPECT_NEAR(p[167], 59.0 / (kMinutesPerWeek - 1), 1e-12);
  EXPECT_NEAR(Sum(p), 1.0, 1e-12);
}

TEST(Aoristic, EveryEventAddsOne) {
  HourProfile p{};
  int events = 0;
  // Starts over the whole of 2026, both DST nights included.
  const UnixSeconds first = *ParseTimestamp("2026-01-01T00:00:00+01:00");
  for (UnixSeconds start = first; start < first + 365 * 86400; start += 397 * 60 + 13) {
    for (int duration : {0, 1, 59, 61, 601, 2999, 9000}) {
      AddAoristic(p, start, duration);
      ++events;
    }
  }
  EXPECT_NEAR(Sum(p), events, 1e-6);
}

// Spring forward, Sunday 2026-03-29: 02:00 CET is followed by 03:00 CEST. An event from
// Sunday 00:00 to 05:00 local time lasts four real hours, one each in 00, 01, 03 and 04; the hour
// 02, which does not exist that night, gets nothing. (Walking local labels from 00:00 for 240
// minutes put a quarter on 02 and nothing on 04.)
TEST(Aoristic, SpringNightHasNoShareOnTheMissingHour) {
  const UnixSeconds from = *ParseTimestamp("2026-03-29T00:00:00+01:00");
  const UnixSeconds to = *ParseTimestamp("2026-03-29T05:00:00+02:00");
  ASSERT_EQ(to - from, 4 * 3600);
  HourProfile p{};
  AddAoristic(p, from, static_cast<int>((to - from) / 60));
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 0)], 0.25);
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 1)], 0.25);
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 2)], 0.0) << "02:00–03:00 does not exist on this night";
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 3)], 0.25);
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 4)], 0.25);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

// Fall back, Sunday 2026-10-25: 03:00 CEST is followed by 02:00 CET, so 02:00–03:00 happens
// twice. An event from Sunday 00:00 to 04:00 local time lasts five real hours; the hour 02 holds
// two of them and gets 2/5, the others 1/5 each. (Walking local labels gave 02 only 1/5, half its
// share, and put 1/5 on 04.)
TEST(Aoristic, AutumnNightRepeatedHourGetsItsFullShare) {
  const UnixSeconds from = *ParseTimestamp("2026-10-25T00:00:00+02:00");
  const UnixSeconds to = *ParseTimestamp("2026-10-25T04:00:00+01:00");
  ASSERT_EQ(to - from, 5 * 3600);
  HourProfile p{};
  AddAoristic(p, from, static_cast<int>((to - from) / 60));
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 0)], 0.2);
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 1)], 0.2);
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 2)], 0.4) << "both occurrences of 02:00–03:00";
  EXPECT_NEAR(p[Hour(kSunday, 3)], 0.2, 1e-15);
  EXPECT_DOUBLE_EQ(p[Hour(kSunday, 4)], 0.0);
  EXPECT_NEAR(Sum(p), 1.0, 1e-15);
  // A point event in the second 02:30 (CET) also lands on 02.
  HourProfile q{};
  AddAoristic(q, *ParseTimestamp("2026-10-25T02:30:00+01:00"), 0);
  EXPECT_DOUBLE_EQ(q[Hour(kSunday, 2)], 1.0);
}

}  // namespace
}  // namespace est::analysis
