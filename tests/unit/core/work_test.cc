// Text forms of the work enumerations and the calendar-day check.
#include "core/work.h"

#include <gtest/gtest.h>

namespace est {
namespace {

TEST(Work, DayText) {
  EXPECT_TRUE(IsDayText("2026-11-25"));
  EXPECT_TRUE(IsDayText("2028-02-29"));
  EXPECT_FALSE(IsDayText("2026-02-29"));
  EXPECT_FALSE(IsDayText("2026-13-01"));
  EXPECT_FALSE(IsDayText("2026-1-01"));
  EXPECT_FALSE(IsDayText("26-11-2025"));
  EXPECT_FALSE(IsDayText(""));
}

TEST(Work, EnumsParseSwedishAndCanonical) {
  EXPECT_EQ(*ParseActionStatus("pågår"), ActionStatus::kOngoing);
  EXPECT_EQ(*ParseActionStatus("done"), ActionStatus::kDone);
  EXPECT_EQ(ActionStatusText(ActionStatus::kCancelled), "cancelled");
  EXPECT_EQ(*ParseHorizon("långsiktig"), Horizon::kLongTerm);
  EXPECT_EQ(HorizonText(Horizon::kEventDriven), "event");
  EXPECT_EQ(*ParsePrevention("situationell"), Prevention::kSituational);
  EXPECT_EQ(*ParseMeetingKind("vecka"), MeetingKind::kWeekly);
  EXPECT_EQ(MeetingKindText(MeetingKind::kYearly), "yearly");
  EXPECT_EQ(*ParseProblemStatus("bevakas"), ProblemStatus::kMonitored);
  auto bad = ParseActionStatus("kanske");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields[0].field, "status");
  EXPECT_NE(bad.error().fields[0].reason.find("planned"), std::string::npos);
  EXPECT_TRUE(IsOpen(ActionStatus::kPlanned));
  EXPECT_FALSE(IsOpen(ActionStatus::kDone));
}

}  // namespace
}  // namespace est
