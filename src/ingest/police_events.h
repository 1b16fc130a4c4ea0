// Polisens händelser: the police's events feed (https://polisen.se/api/events, and the saved dumps
// of it) read into events with their real time and municipality, before any of it is trusted.
//
// Contract, from the real files (REFERENCE.md d1):
// - The input is a JSON array of objects {id, datetime, name, summary, url, type,
//   location{name, gps}}; anything else is an error naming the event's index and id.
// - The event time is in `name` ("06 juni 18.50, Bedrägeri, Sollentuna", Europe/Stockholm
//   local time); `datetime` is the publication time ("2025-06-07 7:32:06 +02:00", the hour not
//   always zero-padded) and gives only the year: the event's year is the latest (of the
//   publication's year, the one after and the one before) that puts the event no more than a day
//   after its publication (an event of 31 December published on 1 January is of the year before).
// - The place is a municipality when `location.name` is one, or else when the last comma part of
//   `name` is one (in the 2026 feed every `location.name` is a county); otherwise the county that
//   either names. `location.gps` is the centroid of that municipality or county, never the
//   incident, and is not used.
#ifndef EST_INGEST_POLICE_EVENTS_H_
#define EST_INGEST_POLICE_EVENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace est::ingest {

// One of Sweden's 290 municipalities (SCB's codes; share/reference/swedish_admin_areas.csv).
struct Municipality {
  std::string code;         // "0163"
  std::string name;         // "Sollentuna"
  std::string county_code;  // "01"
  std::string county_name;  // "Stockholms län"
};
const std::vector<Municipality>& SwedishMunicipalities();
// By name, case and diacritics folded ("sollentuna", "Upplands Väsby"); nullptr when none.
const Municipality* FindMunicipality(std::string_view name);
// The county code of a county name ("Stockholms län", "Stockholm län"); "" when none.
std::string FindCounty(std::string_view name);

struct PoliceEvent {
  int64_t id = 0;
  std::string name;
  std::string type;
  std::string summary;
  std::string url;
  UnixSeconds occurred = 0;   // from `name`
  UnixSeconds published = 0;  // `datetime`
  std::string municipality;   // its code ("0163"), "" when the event is county-level or unknown
  std::string county;         // county code ("01"), "" when unknown
  std::string place;          // the place as the event names it
};

struct PoliceEventError {
  size_t index = 0;
  int64_t id = 0;  // 0 when unknown
  FieldError error;
};

struct PoliceParse {
  std::vector<PoliceEvent> events;
  std::vector<PoliceEventError> invalid;  // events that could not be read, in file order
};

// Reads the feed. A text that is not a JSON array is an error; each event that cannot be read
// is listed in `invalid` with its field ("händelse[3] (id 650297).name") and why.
Result<PoliceParse> ParsePoliceEvents(std::string_view json_text);

// The event time of `name` ("22 augusti 17.59, ...") given the publication time; error naming
// what in `name` is wrong.
Result<UnixSeconds> PoliceEventTime(std::string_view name, UnixSeconds published);

}  // namespace est::ingest

#endif  // EST_INGEST_POLICE_EVENTS_H_
