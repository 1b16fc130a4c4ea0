// Utvärdering: the before/after evaluation of an action (insats) in its areas against comparison
// areas, with the Weighted Displacement Difference (analysis/evaluation.h: estimate, variance,
// 95 % interval, z), the Weighted Displacement Quotient for the ring of neighbouring areas, and a
// plain-language Swedish verdict that names its caveats.
//
// Periods: "after" runs from the action's start to its end (or to yesterday while it runs, capped
// at yesterday); "before" is the same number of days just before the start. Counts are reports of
// the action's indicator categories (all categories when it names none) in the areas and their
// sub-areas, rejected and duplicate reports excluded.
//
// Comparison areas: the user's (Action::controls) or, when none are set, proposed: areas at the
// same level as the treated ones that neither are treated nor touch them (more than 5 m apart),
// with the before-period count closest to the treated areas' (on a log scale), at most three.
// Their counts are summed and then scaled to the treated areas' before level (ScaledWdd), so a
// trend common to the region is not read as an effect; the verdict names the scale.
// The buffer for the WDQ: the areas at the same level that touch the treated ones.
#ifndef EST_APP_EVALUATION_H_
#define EST_APP_EVALUATION_H_

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/evaluation.h"
#include "app/system.h"
#include "core/period.h"
#include "core/work.h"

namespace est::app {

struct Evaluation {
  Period before{}, after{};
  std::vector<AreaId> treated, controls, buffer;
  bool controls_proposed = false;          // true: chosen by the system
  analysis::WddCounts counts;              // treated, control, and the buffer as displacement area
  analysis::WddResult wdd;                 // treated vs control (no displacement term)
  std::optional<analysis::WdqResult> wdq;  // empty without a buffer or with zero control counts
  bool preliminary = false;                // the follow-up date has not come yet
  std::string verdict;                     // Swedish, one or two sentences
  std::vector<std::string> caveats;        // Swedish
};

// Errors: kInvalidArgument (field "start") when the action has no start date or has run fewer
// than 7 days; (field "areas") when it has no areas; (field "controls") when no comparison area
// can be found.
Result<Evaluation> EvaluateAction(System& sys, const Action& action);

nlohmann::json EvaluationJson(const Evaluation& e, const app::Catalog& catalog);

// The one JSON shape of a WDD, in the API (evaluation's "wdd") and `est wdd --format json`:
// method ("scaled" or "plain"), estimate, variance, se, ci_low, ci_high, ci95 ([ci_low, ci_high],
// the CLI's original field), z, p, scale, scale_displacement, expected_treated_after.
nlohmann::json WddJson(const analysis::WddResult& r);

}  // namespace est::app

#endif  // EST_APP_EVALUATION_H_
