// The police's events feed: the event time from `name` (year from the publication, across New
// Year), the place from `location.name` or the last part of `name`, county-level events, and
// errors that name the event.
#include "ingest/police_events.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace est::ingest {
namespace {

UnixSeconds At(const char* text) { return *ParseTimestamp(text); }

TEST(PoliceEventsTest, TimeComesFromTheNameInStockholmTime) {
  // Published 2026-08-22 19:51 CEST; the event happened at 17.59 that day.
  auto t = PoliceEventTime("22 augusti 17.59, Brand, Kävlinge", At("2026-08-22 19:51:41 +02:00"));
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ(*t, At("2026-08-22T17:59:00+02:00"));
  // A one-digit day, winter time.
  t = PoliceEventTime("6 januari 08.05, Stöld, Sollentuna", At("2026-01-06 9:00:00 +01:00"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, At("2026-01-06T08:05:00+01:00"));
}

TEST(PoliceEventsTest, AnEventOfDecemberPublishedInJanuaryIsOfTheYearBefore) {
  auto t = PoliceEventTime("31 december 23.40, Brand, Umeå", At("2027-01-01 0:12:00 +01:00"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, At("2026-12-31T23:40:00+01:00"));
  // Published minutes before the event's time (the clocks differ): the next year, not a year ago.
  t = PoliceEventTime("01 januari 00.10, Brand, Umeå", At("2026-12-31 23:59:00 +01:00"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, At("2027-01-01T00:10:00+01:00"));
}

TEST(PoliceEventsTest, AnUnreadableNameSaysWhat) {
  UnixSeconds pub = At("2026-08-22 19:51:41 +02:00");
  auto month = PoliceEventTime("22 augusto 17.59, Brand, Kävlinge", pub);
  ASSERT_FALSE(month);
  EXPECT_NE(month.error().detail.find("okänd månad"), std::string::npos);
  auto clock = PoliceEventTime("22 augusti 25.10, Brand, Kävlinge", pub);
  ASSERT_FALSE(clock);
  EXPECT_NE(clock.error().detail.find("klockslaget"), std::string::npos);
  auto day = PoliceEventTime("31 juni 10.00, Brand, Kävlinge", pub);
  ASSERT_FALSE(day);
  EXPECT_FALSE(PoliceEventTime("Brand i Kävlinge", pub));
}

TEST(PoliceEventsTest, PlaceFromLocationOrTheLastPartOfTheName) {
  auto p = ParsePoliceEvents(R"([
    {"id": 1, "datetime": "2025-06-07 7:32:06 +02:00", "name": "01 juni 00.40, Bedrägeri, Sollentuna",
     "summary": "s", "url": "/a", "type": "Bedrägeri", "location": {"name": "Sollentuna", "gps": "59.4,17.9"}},
    {"id": 2, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 11.48, Trafikolycka, personskada, Hjo",
     "summary": "", "url": "/b", "type": "Trafikolycka, personskada", "location": {"name": "Västra Götalands län", "gps": "58,13"}},
    {"id": 3, "datetime": "2026-08-22 07:10:00 +02:00", "name": "22 augusti 07.10, Fylleri, Stockholms län",
     "summary": "", "url": "/c", "type": "Fylleri", "location": {"name": "Stockholms län", "gps": "59,18"}},
    {"id": 4, "datetime": "2026-08-22 07:10:00 +02:00", "name": "22 augusti 07.10, Övrigt, Ingenstans",
     "summary": "", "url": "/d", "type": "Övrigt", "location": {"name": "Ingenstans", "gps": "59,18"}}
  ])");
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_TRUE(p->invalid.empty());
  ASSERT_EQ(p->events.size(), 4u);
  EXPECT_EQ(p->events[0].municipality, "0163");
  EXPECT_EQ(p->events[0].county, "01");
  EXPECT_EQ(p->events[0].occurred, At("2025-06-01T00:40:00+02:00"));
  EXPECT_EQ(p->events[1].municipality, "1497");  // Hjo, from the name: location is the county
  EXPECT_EQ(p->events[1].type, "Trafikolycka, personskada");
  EXPECT_EQ(p->events[2].municipality, "");  // county-level
  EXPECT_EQ(p->events[2].county, "01");
  EXPECT_EQ(p->events[3].municipality, "");
  EXPECT_EQ(p->events[3].county, "");
}

TEST(PoliceEventsTest, ErrorsNameTheEventAndField) {
  auto p = ParsePoliceEvents(R"([
    {"id": 7, "datetime": "igår", "name": "22 augusti 17.59, Brand, Kävlinge", "type": "Brand"},
    {"id": 8, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge"},
    {"datetime": "2026-08-22 19:51:41 +02:00"},
    "x",
    {"id": 9, "datetime": "2026-08-22 19:51:41 +02:00", "name": "nånting", "type": "Brand"}
  ])");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->events.empty());
  ASSERT_EQ(p->invalid.size(), 5u);
  EXPECT_EQ(p->invalid[0].error.field, "händelse[0] (id 7).datetime");
  EXPECT_EQ(p->invalid[1].error.field, "händelse[1] (id 8).type");
  EXPECT_EQ(p->invalid[2].error.field, "händelse[2].id");
  EXPECT_EQ(p->invalid[3].error.field, "händelse[3]");
  EXPECT_EQ(p->invalid[4].error.field, "händelse[4] (id 9).name");
  EXPECT_FALSE(ParsePoliceEvents("{\"id\": 1}"));
  EXPECT_FALSE(ParsePoliceEvents("[{"));
}

TEST(PoliceEventsTest, TheMunicipalityTableHasAllOfSweden) {
  EXPECT_EQ(SwedishMunicipalities().size(), 290u);
  ASSERT_NE(FindMunicipality("upplands väsby"), nullptr);
  EXPECT_EQ(FindMunicipality("Upplands Väsby")->code, "0114");
  EXPECT_EQ(FindMunicipality("Sollentuna kommun")->code, "0163");
  EXPECT_EQ(FindCounty("Skåne län"), "12");
  EXPECT_EQ(FindCounty("Stockholm län"), "01");
  EXPECT_EQ(FindCounty("Sollentuna"), "");
}

}  // namespace
}  // namespace est::ingest
