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
#include "core/model.h"
#include "ingest/catalog.h"
#include "store/store.h"

namespace est::app {

// Reports per area including every descendant area (key 0 = outside every area), from the
// store's per-deepest-area counts.
std::map<int64_t, int64_t> SubtreeReportCounts(
    const ingest::Catalog& catalog, const std::vector<std::pair<int64_t, int64_t>>& direct);

nlohmann::json ReportJson(const Report& r, const ingest::Catalog& catalog);
nlohmann::json OrgJson(const Organisation& o, const ingest::Catalog& catalog);
nlohmann::json UserJson(const User& u, const ingest::Catalog& catalog);
// One security event (API and `est security-events --format json`).
nlohmann::json SecurityEventJson(const store::SecurityEvent& e);
nlohmann::json CategoryJson(const Category& c);
nlohmann::json AreaJson(const Area& a, const ingest::Catalog& catalog, int64_t report_count);
nlohmann::json PlaceJson(const Place& p, const ingest::Catalog& catalog);
nlohmann::json CheckInJson(const CheckIn& c, const ingest::Catalog& catalog);
nlohmann::json PeriodJson(const Period& p);
nlohmann::json LagesbildJson(const analysis::Lagesbild& lb, const ingest::Catalog& catalog);

// Lägesbild rows per area × category (no total rows), CSV with a header line.
std::string LagesbildCsv(const analysis::Lagesbild& lb, const ingest::Catalog& catalog);
// A readable table for the terminal (Swedish headings), with coverage per area.
std::string LagesbildTable(const analysis::Lagesbild& lb, const ingest::Catalog& catalog);

// The change figures shown beside each count: absolute change, percent (only when the base is at
// least 1), the rate-adjusted Wheeler z, and the exact conditional (binomial) test's p-value with
// its verdict at α = 0.01 (analysis/change.h; Wheeler's |z| ≥ 3 alone gives ~3–9 % false alarms
// when both counts are random, so the verdict comes from the exact test).
struct Change {
  int64_t diff = 0;
  std::optional<double> percent;
  double z = 0;
  double p = 1;
  std::string signal;  // "ökning", "minskning" or "" (within normal variation)
};
// The days are the lengths the counts were gathered over (Lagesbild::days*: a running period and
// its comparisons cut at the same instant). A zero length (a period not begun) gives no test:
// p = 1 and no signal.
Change ComputeChange(int64_t current, double current_days, int64_t base, double base_days);

// "vecka 49 2026, hittills t.o.m. mån 08:00" for a running period (English: "so far, through Mon
// 08:00"); the plain label for a whole one.
std::string PeriodShownLabel(const analysis::Lagesbild& lb, bool english = false);

}  // namespace est::app

#endif  // EST_APP_PRESENT_H_
