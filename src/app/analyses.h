// Spatial and temporal analyses of the lägesbild as use cases: hotspots (Gi*), emerging hotspots,
// the heat surface (KDE), the hour × weekday profile, the weekly series with its baseline band,
// concentration and the priority ranking of areas. Each takes the same filters as the lägesbild
// (LagesbildParams), reads the analysis engine only, and never writes.
// For a limited params.audience, hotspots, emerging, heat, profile and concentration apply the
// disclosure rule of app/disclosure.h (errors kInvalidArgument naming "cell", "from"/"to" or
// "period"); the series and the priority ranking are per area and category (the priority's
// hot-cell count comes from the emerging analysis under the same rule).
#ifndef EST_APP_ANALYSES_H_
#define EST_APP_ANALYSES_H_

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "analysis/change.h"
#include "analysis/concentration.h"
#include "analysis/emerging.h"
#include "analysis/hotspots.h"
#include "analysis/kde.h"
#include "analysis/priority.h"
#include "app/system.h"

namespace est::app {

struct GridParams {
  double cell_m = 250;
  double band_m = 354;
  // "areas": the cells whose square overlaps an area's interior; "bbox": every cell of the areas'
  // box (System::StudyGridFor).
  std::string extent = "areas";
};

struct HotspotResult {
  analysis::LagesbildQuery query;
  GridParams grid;
  size_t study_cells = 0;
  std::vector<analysis::GiStarCell> cells;
  DisclosureNote disclosure;  // app/disclosure.h
};
Result<HotspotResult> ComputeHotspots(const System& sys, const LagesbildParams& params,
                                      const GridParams& grid);

struct EmergingParams {
  int periods = 26;      // number of time steps
  int bin_weeks = 4;     // length of a step in weeks ("4w")
  std::string end_week;  // last step ends with this ISO week; "" = the last complete week
};
struct EmergingResult {
  std::vector<Period> steps;
  size_t study_cells = 0;
  std::vector<analysis::EmergingCell> cells;
  DisclosureNote disclosure;
};
Result<EmergingResult> ComputeEmerging(const System& sys, const LagesbildParams& params,
                                       const GridParams& grid, const EmergingParams& emerging);

struct HeatResult {
  double bandwidth_m = 0;
  std::vector<analysis::KdeCell> cells;  // only cells with density > 0
  double cell_m = 250;
  DisclosureNote disclosure;
};
// bandwidth_m <= 0: the default (spatial Silverman rule, at least one cell).
Result<HeatResult> ComputeHeat(const System& sys, const LagesbildParams& params, double cell_m,
                               double bandwidth_m);

// Hour × weekday (index = (weekday − 1) · 24 + hour, Monday first), aoristic weights.
Result<std::array<double, 168>> ComputeProfile(const System& sys, const LagesbildParams& params);

struct SeriesPoint {
  std::string week;
  int64_t count = 0;
  int64_t last_year = 0;  // same ISO week a year earlier (week 53 → week 52)
  bool running = false;   // the week holds "now": its count is so far, not a week's
};
struct SeriesResult {
  std::vector<SeriesPoint> points;
  // For the last week against the `baseline_weeks` weeks before it. A running last week is never
  // "below" (the week has not happened yet); "above" stands, since its count can only grow.
  analysis::BaselineBand band;
  int baseline_weeks = 12;
};
Result<SeriesResult> ComputeSeries(const System& sys, const LagesbildParams& params, int weeks,
                                   int baseline_weeks);

struct ConcentrationParams {
  double cell_m = 250;
};
Result<analysis::ConcentrationResult> ComputeConcentration(const System& sys,
                                                           const LagesbildParams& params,
                                                           double cell_m);

// The survey indicator the priority ranking reads as "survey trygghet" (share feeling unsafe).
inline constexpr const char* kPrioritySurveyIndicator = "andel_otrygga";

// Ranking of the areas at `level` (default 1: the districts) for the period. Besides the reports
// it reads the police's list (newest year up to the period's), the latest "andel_otrygga" survey
// value of each area up to the period's year, and the ongoing actions in each area.
Result<std::vector<analysis::AreaPriority>> ComputePriority(const System& sys,
                                                            const LagesbildParams& params,
                                                            int level,
                                                            const analysis::PriorityWeights& w);

// Outward forms.
std::string HotspotsCsv(const HotspotResult& r);
std::string HotspotsGeoJson(const HotspotResult& r);
nlohmann::json HotspotsJson(const HotspotResult& r);
std::string EmergingCsv(const EmergingResult& r);
std::string EmergingGeoJson(const EmergingResult& r, double cell_m);
std::string HeatGeoJson(const HeatResult& r);
nlohmann::json ProfileJson(const std::array<double, 168>& profile);
nlohmann::json SeriesJson(const SeriesResult& r);
nlohmann::json ConcentrationJson(const analysis::ConcentrationResult& r);
nlohmann::json PriorityJson(const std::vector<analysis::AreaPriority>& r);

// "4w" → 4. Error names the field "bin".
Result<int> ParseBinWeeks(const std::string& text);

}  // namespace est::app

#endif  // EST_APP_ANALYSES_H_
