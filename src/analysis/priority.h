// Prioritering: ranking of areas for the tertial or quarter analysis (DESIGN.md §5 "Priority"),
// by need and by possibility to influence, each rank with its reasons in plain Swedish.
//
// Method. Every component is first put on a 0–1 scale so that the weights mean what they say:
//  - unbounded quantities (severity-weighted rate, hotspot cells, survey index, reporting
//    organisations, open actions) are divided by their maximum across the ranked areas, so the
//    area with the most gets 1 and an area with none gets 0 (no z-scores: they make "none"
//    depend on the other areas and can go negative);
//  - quantities that are already shares or levels are used as they are: significant increase
//    1 (a decrease or no change 0), vulnerable-area status 0 / 0.5 / 1, top-10 % share.
// A score is the weighted mean of the components known for the area:
//   score = Σ_k w_k · c_k / Σ_k w_k   over the components k the area has a value for,
// so a missing survey or action count is "unknown", not "safe", and scores stay in [0, 1].
//
// Pure function of its arguments; thread-safe.
#ifndef EST_ANALYSIS_PRIORITY_H_
#define EST_ANALYSIS_PRIORITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace est::analysis {

// What is known about one area for the period.
struct AreaPriorityInput {
  std::string code, name;
  // Inhabitants. The severity component is a rate per 1 000 inhabitants when every ranked area
  // has a population above 0; otherwise it is the severity-weighted count for all areas (rates
  // and counts are never mixed), and the reason says so.
  std::optional<double> population;
  double severity_weighted = 0;  // Σ severity-weighted reports in the period
  int64_t count = 0;             // reports in the period (shown in the trend reason)
  int64_t previous = 0;          // reports in the previous period (shown in the trend reason)
  int trend = 0;                 // ChangeTest::direction: +1, 0 or −1
  double trend_z = 0;            // ChangeTest::z, shown in the trend reason
  int hotspot_cells = 0;         // persistent or intensifying hotspot cells in the area
  int vulnerable = 0;            // Polisens lista: 0 none, 1 utsatt, 2 särskilt utsatt
  std::optional<double> survey_unsafe;  // trygghet survey index, higher = more unsafe
  // Possibility to influence.
  double top10_share = 0;           // ConcentrationResult::top10_share over the area's places
  int reporting_orgs = 0;           // organisations that reported in the area in the period
  std::optional<int> open_actions;  // ongoing actions: a collaboration to build on
};

// Weights of the components (configuration). Only their ratios within each score matter. The
// defaults put severity first, then the two signs of an active problem (significant increase,
// hotspots), then the police list and the survey (slower, area-level signals); for influence,
// concentration first (a problem on a few places can be met with place-based work), then the
// number of organisations present, then existing actions.
struct PriorityWeights {
  // Need.
  double severity_rate = 0.35;
  double trend = 0.20;
  double hotspots = 0.20;
  double vulnerable = 0.15;
  double survey = 0.10;
  // Possibility to influence.
  double concentration = 0.50;
  double reporting_orgs = 0.30;
  double open_actions = 0.20;
};

struct AreaPriority {
  std::string code, name;
  double need = 0;       // [0, 1]
  double influence = 0;  // [0, 1]
  int need_rank = 0;     // 1 = greatest need; ties broken by code
  int influence_rank = 0;
  // Plain Swedish. First the need components that contribute, largest contribution first; then
  // a significant decrease, if any (shown, but it adds no need); then the influence components,
  // largest contribution first. Examples:
  //   "Flest allvarlighetsviktade rapporter per 1 000 invånare (12,4)"
  //   "Signifikant ökning mot förra perioden: 12 → 30 rapporter (z = 3,4)"
  //   "Polisens lista: utsatt område"
  //   "Koncentrerat: 64 % av rapporterna på de 10 % mest drabbade platserna"
  std::vector<std::string> reasons;
};

// Ranks `areas`. The result holds one entry per area, ordered by need rank.
// Errors: kInvalidArgument, with the field path ("areas[2].vulnerable", "weights.trend"), when a
// weight is negative or not finite, all need or all influence weights are 0, trend is not −1/0/1,
// vulnerable is not 0/1/2, top10_share is outside [0, 1], or a count, population or index is
// negative.
Result<std::vector<AreaPriority>> RankAreas(const std::vector<AreaPriorityInput>& areas,
                                            const PriorityWeights& weights = {});

}  // namespace est::analysis

#endif  // EST_ANALYSIS_PRIORITY_H_
