// Polisens händelser in EST: the police's events feed imported as reports beside the partners'
// (source "police"), and the editable mapping of the police's event types onto EST categories.
//
// Contract (docs/import-format.md "Police events"):
// - Each event is placed by its municipality only, as an area-only report of the EST area with
//   the municipality's code (or, at level 0, its name): the feed's coordinates are the
//   municipality's or county's centroid, never the incident. An event of a municipality this
//   database does not hold is left out (counted in `other_places`). A county-level event of a
//   county holding one of the database's municipalities is stored without an area and counted
//   apart (`county_level`): it is in no municipality's figures.
// - The time is the event's own (from its name), the source id its event id: importing the same
//   feed again adds nothing.
// - A type maps to a category (the coordinator's choice, else the default that ships with EST),
//   or to nothing (summaries, traffic accidents: not imported, counted in `not_imported`). A type
//   with neither refuses the whole import, listing the types, unless `create_missing`, which
//   creates a category per type (flagged for review) and maps the type to it.
// - The events are shown in the lägesbild and lists beside partner reports (a query may leave
//   them out) and never count in coverage or in hotspots (engine.h LagesbildQuery::police).
#ifndef EST_APP_POLICE_H_
#define EST_APP_POLICE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/system.h"
#include "core/error.h"

namespace est::app {

struct PoliceImportOptions {
  std::string org;  // organisation (code or name); "" = the one organisation of kind polis
  bool create_missing = false;
};

struct PoliceImportResult {
  int64_t events = 0;           // in the file
  int64_t inserted = 0;         // new reports
  int64_t already_present = 0;  // event ids stored before
  int64_t in_municipality = 0;  // placed in one of the database's municipalities
  int64_t county_level = 0;     // stored without a municipality, counted apart
  int64_t other_places = 0;     // in municipalities or counties outside this database: left out
  int64_t not_imported = 0;     // of types mapped to nothing
  std::map<std::string, int64_t> by_type;        // imported events per police type
  std::vector<std::string> created_categories;  // --create-missing
};

Result<PoliceImportResult> ImportPoliceEvents(System& sys, std::string_view json_text,
                                              const PoliceImportOptions& options,
                                              const store::Actor& actor);

// One GET of the feed at `url` (ingest/fetch.h: http or https, 30 s timeouts, 32 MB at most),
// then ImportPoliceEvents. Errors of the transfer name the host.
Result<PoliceImportResult> FetchPoliceEvents(System& sys, const std::string& url,
                                             const PoliceImportOptions& options,
                                             const store::Actor& actor);

// The mapping as it applies now: every type with a default or a stored choice, by type.
struct PoliceTypeRow {
  std::string type;
  std::string category;  // code; "" = not imported
  bool is_default = true;  // false = the coordinator's choice
};
Result<std::vector<PoliceTypeRow>> ListPoliceTypes(const System& sys);
// Sets the category of police types (code or name; "" = do not import). Errors name the type.
Status SetPoliceTypes(System& sys, const std::map<std::string, std::string>& choices,
                      const store::Actor& actor);

}  // namespace est::app

#endif  // EST_APP_POLICE_H_
