// Outward forms of results, shared by the HTTP API and the CLI so both say the same thing:
// JSON objects for reports, areas, organisations, categories and the lägesbild; the lägesbild as
// CSV (contract: one row per area × category, columns area_code,area_name,category,count,
// previous,last_year first) and as a plain-text table.
#ifndef EST_APP_PRESENT_H_
#define EST_APP_PRESENT_H_

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "analysis/engine.h"
#include "app/addresses.h"
#include "app/basemap.h"
#include "app/catalog.h"
#include "app/system.h"
#include "core/context.h"
#include "core/model.h"
#include "store/store.h"

namespace est::app {

// Reports per area including every descendant area (key 0 = outside every area), from the
// store's per-deepest-area counts.
std::map<int64_t, int64_t> SubtreeReportCounts(
    const app::Catalog& catalog, const std::vector<std::pair<int64_t, int64_t>>& direct);

nlohmann::json ReportJson(const Report& r, const app::Catalog& catalog);
// The export of reports (est reports list, GET /api/v1/reports?format=csv|geojson). The CSV's
// columns are a contract: id,source_id,occurred_from,occurred_to,area_code,category,org,severity,
// count,status,source,lon,lat,area_only,description (lon/lat WGS84, empty for a report placed
// only by its area). The GeoJSON feature has the same properties and a Point, or null geometry.
std::string ReportCsvHeader();
std::string ReportCsvRow(const Report& r, const app::Catalog& catalog);
std::string ReportGeoJsonFeature(const Report& r, const app::Catalog& catalog);
nlohmann::json OrgJson(const Organisation& o, const app::Catalog& catalog);
nlohmann::json UserJson(const User& u, const app::Catalog& catalog);
// One security event (API and `est security-events --format json`).
nlohmann::json SecurityEventJson(const store::SecurityEvent& e);
// A personal API token as listed (never its hash): id, login, name, prefix, times, active.
nlohmann::json ApiTokenJson(const store::ApiToken& t, const std::string& login, UnixSeconds now);
// The audit trail (GET /audit) and the history of one entity (GET .../history: each change with
// its before and after as JSON).
nlohmann::json AuditEntryJson(const store::AuditEntry& e);
nlohmann::json HistoryEntryJson(const store::AuditEntry& e);
// A published document in the list (GET /documents, without its data).
nlohmann::json StoredDocumentJson(const store::StoredDocument& d);
nlohmann::json SurveyJson(const SurveyResult& r, const app::Catalog& catalog);
// The answer of a CSV import of reports (POST /reports/import): counts, created entries and the
// rejected rows with their errors.
nlohmann::json CsvImportJson(const CsvImportResult& r);
nlohmann::json CategoryJson(const Category& c);
nlohmann::json AreaJson(const Area& a, const app::Catalog& catalog, int64_t report_count);
nlohmann::json PlaceJson(const Place& p, const app::Catalog& catalog);
// An address of the place search (GET /api/v1/addresses): label, street, number, postcode,
// locality, lon, lat (WGS 84), area_code, street_only.
nlohmann::json AddressMatchJson(const AddressMatch& m);
// The basemap in force (GET /api/v1/basemap): url (null without one), attribution, max_zoom,
// source ("server", "settings" or null).
nlohmann::json BasemapJson(const Basemap& b);
nlohmann::json CheckInJson(const CheckIn& c, const app::Catalog& catalog);
nlohmann::json PeriodJson(const Period& p);
nlohmann::json LagesbildJson(const analysis::Lagesbild& lb, const app::Catalog& catalog);

// Lägesbild rows per area × category (no total rows), CSV with a header line.
std::string LagesbildCsv(const analysis::Lagesbild& lb, const app::Catalog& catalog);
// A readable table for the terminal (Swedish headings), with coverage per area.
std::string LagesbildTable(const analysis::Lagesbild& lb, const app::Catalog& catalog);

// "vecka 49 2026, hittills t.o.m. mån 08:00" for a running period (English: "so far, through Mon
// 08:00"); the plain label for a whole one.
std::string PeriodShownLabel(const analysis::Lagesbild& lb, bool english = false);

}  // namespace est::app

#endif  // EST_APP_PRESENT_H_
