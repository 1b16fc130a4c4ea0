// Other information beside the reports, as use cases: importing survey results (CSV) and the
// police's list of vulnerable areas (GeoJSON in EPSG:3006, optionally with the attribute table as
// CSV); säkerhet and trygghet side by side per area with a classification; and the 2030 goal
// ("inga utsatta områden 2030") with each listed area's indicators and their trend.
#ifndef EST_APP_CONTEXT_H_
#define EST_APP_CONTEXT_H_

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/system.h"
#include "core/context.h"

namespace est::app {

struct SurveyImportResult {
  int64_t rows = 0;
  int64_t inserted = 0;  // new (area, indicator, period, source); the rest replaced old values
};
// CSV columns (by name, any order; ',' or ';'): area (code), indicator, period (a period label:
// 2025, 2025-T1, 2025-11 ...), source, value (decimal point or comma), n (optional, respondents).
// All-or-nothing: every bad row is listed ("rad 3, kolumn area": reason) and nothing is stored.
Result<SurveyImportResult> ImportSurveysCsv(System& sys, std::string_view csv,
                                            const store::Actor& actor);

struct VulnerableImportResult {
  int year = 0;
  std::vector<VulnerableArea> kept;  // intersecting the municipality
  std::vector<std::string> outside;  // names of listed areas outside it
};
// `geojson`: the police's FeatureCollection (uso_YYYY.geojson; its crs member or --crs decides
// the CRS, EPSG:3006 for the police's file) with properties SPECIALOMRADES_ID (the area's key;
// OBJECTID when absent — OMRADESKOD is the local police area and shared), NAMN, KATEGORI,
// AKTUALITET_START. `attributes_csv` (optional): the attribute table; the row with the feature's
// key fills NAMN, KATEGORI and AKTUALITET_START where the feature lacks them. A key twice in
// the file or the table is an error naming both features (rows).
// Only areas that overlap the municipality (the level-0 area) are kept; the list of `year`
// is replaced. Errors name the feature and property.
Result<VulnerableImportResult> ImportVulnerableAreas(System& sys, std::string_view geojson,
                                                     int year,
                                                     std::optional<std::string_view> attributes_csv,
                                                     const store::Actor& actor);

// Säkerhet and trygghet side by side for the areas at level 1 in `year`.
struct SafetyRow {
  AreaId area;
  int64_t incidents = 0;         // reports in the year
  std::optional<double> rate;    // per 1 000 inhabitants
  double z_incident = 0;         // Poisson z of the area's count against its population share
  std::optional<double> survey;  // the indicator's value
  std::optional<int64_t> n;
  std::optional<double> z_survey;  // proportion z with n, else standardised across areas
  std::string klass;  // "båda höga", "hög otrygghet, låg brottslighet", "låg otrygghet, hög
                      // brottslighet", "inom normalvariation", "" without survey
};
struct SafetyComparison {
  int year = 0;
  std::string indicator, source;
  std::vector<std::string> indicators;  // every survey indicator in store
  std::vector<SafetyRow> rows;
};
// The latest year any survey result covers (0 when none).
int LatestSurveyYear(System& sys);

// indicator "" = the first indicator with values for the year. Errors: kInvalidArgument "year".
Result<SafetyComparison> CompareSafety(System& sys, int year, const std::string& indicator);

// The 2030 goal: each area on the latest list that overlaps the municipality.
struct GoalArea {
  VulnerableArea listing;
  std::vector<int> years_listed;  // every imported year that lists it
  struct YearCount {
    int year;
    int64_t count;
    int64_t sakerhet, trygghet;
    bool partial;  // the current year, to date
  };
  std::vector<YearCount> counts;      // the last three full years and this year to date
  std::string trend;                  // signal of the last full year against the one before
  std::vector<SurveyResult> surveys;  // of the linked area or its nearest ancestor with any
  std::optional<AreaId> survey_area;  // the area those surveys describe
};
struct GoalStatus {
  int latest_year = 0;  // 0 = no list imported
  int years_left = 0;   // to 2030
  std::vector<GoalArea> areas;
};
Result<GoalStatus> ComputeGoal(System& sys);

nlohmann::json SafetyJson(const SafetyComparison& s, const app::Catalog& catalog);
nlohmann::json GoalJson(const GoalStatus& g, const app::Catalog& catalog);
nlohmann::json VulnerableJson(const VulnerableArea& v, const app::Catalog& catalog);

// Vulnerable status (0 none, 1 utsatt, 2 särskilt utsatt) of each area in the newest list of a
// year ≤ `year`: the linked area and its ancestors take the highest category within them.
std::map<int64_t, int> VulnerableStatus(const std::vector<VulnerableArea>& list,
                                        const app::Catalog& catalog, int year);

}  // namespace est::app

#endif  // EST_APP_CONTEXT_H_
