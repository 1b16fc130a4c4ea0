#include "analysis/priority.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <utility>

namespace est::analysis {
namespace {

// Swedish number: decimal comma and a real minus sign ("−3,4").
std::string Number(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string s(buf);
  std::replace(s.begin(), s.end(), '.', ',');
  // Only a value that rounds to something non-zero keeps its sign.
  if (value < 0 && s.find_first_not_of("0,") != std::string::npos) s = "\u2212" + s;
  return s;
}

double MaxOf(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, x);
  return m;
}

double Scaled(double value, double max) { return max > 0 ? value / max : 0.0; }

// One component of a score for one area.
struct Part {
  double weight = 0;
  double value = 0;  // 0–1
  bool known = true;
  std::string reason;  // empty: nothing worth saying
};

double Score(const std::vector<Part>& parts) {
  double sum = 0, weights = 0;
  for (const Part& p : parts) {
    if (!p.known) continue;
    sum += p.weight * p.value;
    weights += p.weight;
  }
  return weights > 0 ? sum / weights : 0.0;
}

// Reasons of the contributing parts, largest contribution first (stable for equal ones).
void AppendReasons(std::vector<Part> parts, std::vector<std::string>& out) {
  std::stable_sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) {
    return a.weight * a.value > b.weight * b.value;
  });
  for (const Part& p : parts) {
    if (p.known && p.weight * p.value > 0 && !p.reason.empty()) out.push_back(p.reason);
  }
}

Status ValidateWeights(const PriorityWeights& w) {
  const std::pair<double, const char*> all[] = {
      {w.severity_rate, "severity_rate"},
      {w.trend, "trend"},
      {w.hotspots, "hotspots"},
      {w.vulnerable, "vulnerable"},
      {w.survey, "survey"},
      {w.concentration, "concentration"},
      {w.reporting_orgs, "reporting_orgs"},
      {w.open_actions, "open_actions"},
  };
  for (const auto& [value, name] : all) {
    if (!std::isfinite(value) || value < 0) {
      return InvalidField(std::string("weights.") + name, "vikten måste vara 0 eller större");
    }
  }
  if (w.severity_rate + w.trend + w.hotspots + w.vulnerable + w.survey <= 0) {
    return InvalidField("weights", "minst en vikt för behov måste vara större än 0");
  }
  if (w.concentration + w.reporting_orgs + w.open_actions <= 0) {
    return InvalidField("weights", "minst en vikt för påverkansmöjlighet måste vara större än 0");
  }
  return {};
}

Status ValidateArea(const AreaPriorityInput& a, size_t i) {
  const std::string at = "areas[" + std::to_string(i) + "].";
  auto bad = [&](const char* field, const char* reason) {
    return InvalidField(at + field, reason);
  };
  if (a.population && !(*a.population >= 0)) return bad("population", "får inte vara negativ");
  if (!(a.severity_weighted >= 0) || !std::isfinite(a.severity_weighted)) {
    return bad("severity_weighted", "får inte vara negativ");
  }
  if (a.count < 0) return bad("count", "får inte vara negativt");
  if (a.previous < 0) return bad("previous", "får inte vara negativt");
  if (a.trend < -1 || a.trend > 1) return bad("trend", "måste vara -1, 0 eller 1");
  if (a.hotspot_cells < 0) return bad("hotspot_cells", "får inte vara negativt");
  if (a.vulnerable < 0 || a.vulnerable > 2) return bad("vulnerable", "måste vara 0, 1 eller 2");
  if (a.survey_unsafe && !(*a.survey_unsafe >= 0)) {
    return bad("survey_unsafe", "får inte vara negativt");
  }
  if (!(a.top10_share >= 0 && a.top10_share <= 1)) {
    return bad("top10_share", "måste ligga mellan 0 och 1");
  }
  if (a.reporting_orgs < 0) return bad("reporting_orgs", "får inte vara negativt");
  if (a.open_actions && *a.open_actions < 0) return bad("open_actions", "får inte vara negativt");
  return {};
}

// Ranks 1..n by `score` descending, ties by code.
std::vector<int> Ranks(const std::vector<AreaPriorityInput>& areas,
                       const std::vector<double>& score) {
  std::vector<size_t> order(areas.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (score[a] != score[b]) return score[a] > score[b];
    return areas[a].code < areas[b].code;
  });
  std::vector<int> rank(areas.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<int>(r + 1);
  return rank;
}

}  // namespace

Result<std::vector<AreaPriority>> RankAreas(const std::vector<AreaPriorityInput>& areas,
                                            const PriorityWeights& w) {
  if (auto s = ValidateWeights(w); !s) return tl::unexpected(s.error());
  for (size_t i = 0; i < areas.size(); ++i) {
    if (auto s = ValidateArea(areas[i], i); !s) return tl::unexpected(s.error());
  }
  const size_t n = areas.size();

  // Rates only when every area has inhabitants: rates and counts are never mixed.
  const bool per_capita = std::all_of(areas.begin(), areas.end(), [](const AreaPriorityInput& a) {
    return a.population && *a.population > 0;
  });
  std::vector<double> severity(n), hotspots(n), survey(n), orgs(n), actions(n);
  for (size_t i = 0; i < n; ++i) {
    const AreaPriorityInput& a = areas[i];
    severity[i] = per_capita ? a.severity_weighted * 1000.0 / *a.population : a.severity_weighted;
    hotspots[i] = a.hotspot_cells;
    survey[i] = a.survey_unsafe.value_or(0);
    orgs[i] = a.reporting_orgs;
    actions[i] = a.open_actions.value_or(0);
  }
  const double max_severity = MaxOf(severity), max_hotspots = MaxOf(hotspots),
               max_survey = MaxOf(survey), max_orgs = MaxOf(orgs), max_actions = MaxOf(actions);

  std::vector<AreaPriority> out(n);
  std::vector<double> need(n), influence(n);
  for (size_t i = 0; i < n; ++i) {
    const AreaPriorityInput& a = areas[i];
    AreaPriority& r = out[i];
    r.code = a.code;
    r.name = a.name;

    std::vector<Part> need_parts;
    {
      Part p{w.severity_rate, Scaled(severity[i], max_severity), true, {}};
      const std::string what = per_capita ? "allvarlighetsviktade rapporter per 1 000 invånare"
                                          : "allvarlighetsviktade rapporter";
      if (severity[i] == max_severity) {
        p.reason = "Flest " + what + " (" + Number(severity[i], 1) + ")";
      } else {
        std::string cap = what;
        cap[0] = 'A';
        p.reason = cap + ": " + Number(severity[i], 1) +
                   " (högst bland områdena: " + Number(max_severity, 1) + ")";
      }
      need_parts.push_back(std::move(p));
    }
    need_parts.push_back({w.trend, a.trend > 0 ? 1.0 : 0.0, true,
                          "Signifikant ökning mot förra perioden: " + std::to_string(a.previous) +
                              " → " + std::to_string(a.count) +
                              " rapporter (exakt test; storleksmått z = " + Number(a.trend_z, 1) +
                              ")"});
    need_parts.push_back(
        {w.hotspots, Scaled(hotspots[i], max_hotspots), true,
         a.hotspot_cells == 1
             ? "1 ihållande eller intensifierad hotspotcell"
             : std::to_string(a.hotspot_cells) + " ihållande eller intensifierade hotspotceller"});
    need_parts.push_back({w.vulnerable, a.vulnerable / 2.0, true,
                          a.vulnerable == 2 ? "Polisens lista: särskilt utsatt område"
                                            : "Polisens lista: utsatt område"});
    {
      Part p{w.survey, Scaled(survey[i], max_survey), a.survey_unsafe.has_value(), {}};
      if (survey[i] == max_survey) {
        p.reason = "Högst otrygghet i trygghetsmätningen (index " + Number(survey[i], 1) + ")";
      } else {
        p.reason = "Otrygghet i trygghetsmätningen: index " + Number(survey[i], 1) +
                   " (högst bland områdena: " + Number(max_survey, 1) + ")";
      }
      need_parts.push_back(std::move(p));
    }

    std::vector<Part> influence_parts;
    influence_parts.push_back({w.concentration, a.top10_share, true,
                               "Koncentrerat: " + Number(100.0 * a.top10_share, 0) +
                                   " % av rapporterna på de 10 % mest drabbade platserna"});
    influence_parts.push_back({w.reporting_orgs, Scaled(orgs[i], max_orgs), true,
                               a.reporting_orgs == 1 ? "1 aktiv rapporterande organisation"
                                                     : std::to_string(a.reporting_orgs) +
                                                           " aktiva rapporterande organisationer"});
    if (a.open_actions) {
      influence_parts.push_back(
          {w.open_actions, Scaled(actions[i], max_actions), true,
           *a.open_actions == 1
               ? "1 pågående åtgärd att bygga vidare på"
               : std::to_string(*a.open_actions) + " pågående åtgärder att bygga vidare på"});
    } else {
      influence_parts.push_back({w.open_actions, 0, false, {}});
    }

    need[i] = r.need = Score(need_parts);
    influence[i] = r.influence = Score(influence_parts);
    AppendReasons(need_parts, r.reasons);
    if (a.trend < 0) {
      r.reasons.push_back("Signifikant minskning mot förra perioden: " +
                          std::to_string(a.previous) + " → " + std::to_string(a.count) +
                          " rapporter (exakt test; storleksmått z = " + Number(a.trend_z, 1) + ")");
    }
    AppendReasons(influence_parts, r.reasons);
  }

  const std::vector<int> need_rank = Ranks(areas, need);
  const std::vector<int> influence_rank = Ranks(areas, influence);
  for (size_t i = 0; i < n; ++i) {
    out[i].need_rank = need_rank[i];
    out[i].influence_rank = influence_rank[i];
  }
  std::sort(out.begin(), out.end(),
            [](const AreaPriority& a, const AreaPriority& b) { return a.need_rank < b.need_rank; });
  return out;
}

}  // namespace est::analysis
