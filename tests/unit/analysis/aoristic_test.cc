// Aoristic hour × weekday profile: point events, partial hours, midnight and week wrap, spans
// longer than a week.
#include "analysis/aoristic.h"

#include <gtest/gtest.h>

#include <numeric>

namespace est::analysis {
namespace {

constexpr int kDay = 24 * 60;
constexpr int Minute(int weekday, int hour, int minute = 0) {
  return weekday * kDay + hour * 60 + minute;
}
constexpr size_t Hour(int weekday, int hour) { return static_cast<size_t>(weekday * 24 + hour); }

double Sum(const HourProfile& p) { return std::accumulate(p.begin(), p.end(), 0.0); }

TEST(Aoristic, PointEventCountsFullyInItsHour) {
  HourProfile p{};
  AddAoristic(p, Minute(2, 14, 37), 0);  // Wednesday 14:37
  EXPECT_DOUBLE_EQ(p[Hour(2, 14)], 1.0);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
  AddAoristic(p, Minute(2, 14, 0), -5);  // negative duration: a point event
  EXPECT_DOUBLE_EQ(p[Hour(2, 14)], 2.0);
}

// Tuesday 10:45 for 90 minutes: 15 min in 10h, 60 in 11h, 15 in 12h.
TEST(Aoristic, PartialFirstAndLastHoursProRata) {
  HourProfile p{};
  AddAoristic(p, Minute(1, 10, 45), 90);
  EXPECT_DOUBLE_EQ(p[Hour(1, 10)], 15.0 / 90.0);
  EXPECT_DOUBLE_EQ(p[Hour(1, 11)], 60.0 / 90.0);
  EXPECT_NEAR(p[Hour(1, 12)], 15.0 / 90.0, 1e-15);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

TEST(Aoristic, WithinOneHour) {
  HourProfile p{};
  AddAoristic(p, Minute(4, 23, 10), 30);  // Friday 23:10–23:40
  EXPECT_DOUBLE_EQ(p[Hour(4, 23)], 1.0);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
}

// Friday 22:00 to Saturday 06:00 (8 hours): 1/8 in each of Fri 22, 23 and Sat 0..5.
TEST(Aoristic, AcrossMidnight) {
  HourProfile p{};
  AddAoristic(p, Minute(4, 22), 8 * 60);
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
  AddAoristic(p, Minute(6, 23, 30), 60);
  EXPECT_DOUBLE_EQ(p[167], 0.5);
  EXPECT_DOUBLE_EQ(p[0], 0.5);
  EXPECT_DOUBLE_EQ(Sum(p), 1.0);
  // A start given past the end of the week is taken modulo a week (and negative as well).
  HourProfile q{};
  AddAoristic(q, kMinutesPerWeek + 30, 0);
  AddAoristic(q, -30, 0);
  EXPECT_DOUBLE_EQ(q[0], 1.0);
  EXPECT_DOUBLE_EQ(q[167], 1.0);
}

TEST(Aoristic, LongerThanAWeekIsOneFullSpread) {
  for (int duration : {kMinutesPerWeek, kMinutesPerWeek + 1, 3 * kMinutesPerWeek}) {
    HourProfile p{};
    AddAoristic(p, Minute(3, 5, 17), duration);
    for (double w : p) EXPECT_DOUBLE_EQ(w, 1.0 / 168.0);
    EXPECT_NEAR(Sum(p), 1.0, 1e-12);
  }
  // One minute short of a week starting at Monday 00:00: the last hour is one minute short.
  HourProfile p{};
  AddAoristic(p, 0, kMinutesPerWeek - 1);
  EXPECT_DOUBLE_EQ(p[0], 60.0 / (kMinutesPerWeek - 1));
  EXPECT_NEAR(p[167], 59.0 / (kMinutesPerWeek - 1), 1e-12);
  EXPECT_NEAR(Sum(p), 1.0, 1e-12);
}

TEST(Aoristic, EveryEventAddsOne) {
  HourProfile p{};
  int events = 0;
  for (int start = 0; start < kMinutesPerWeek; start += 397) {
    for (int duration : {0, 1, 59, 61, 601, 2999, 9000}) {
      AddAoristic(p, start, duration);
      ++events;
    }
  }
  EXPECT_NEAR(Sum(p), events, 1e-9);
}

}  // namespace
}  // namespace est::analysis
