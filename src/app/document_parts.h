// Private to the document builders (documents.cc, documents_year.cc): Swedish number formats and
// the shared pieces — change columns, area maps, action tables, the weekly/monthly charts.
#ifndef EST_APP_DOCUMENT_PARTS_H_
#define EST_APP_DOCUMENT_PARTS_H_

#include <map>
#include <string>
#include <vector>

#include "app/system.h"
#include "core/period.h"
#include "core/work.h"
#include "report/document.h"

namespace est::app::docs {

// "12 345", "3,5", "−4" (Swedish: space as thousands separator, decimal comma, minus sign).
std::string Num(double v, int digits = 0);
// "+12 %" / "−8 %" / "–" (base 0).
std::string Percent(int64_t now, int64_t base);
// The exact-test verdict of now against base for the periods' lengths: "ökning", "minskning", "".
std::string Signal(int64_t now, int now_days, int64_t base, int base_days);

// "Sollentuna" (the root area's name) or "Kommunen".
std::string MunicipalityName(const ingest::Catalog& catalog);
std::string Subtitle(const ingest::Catalog& catalog);
std::string NowText();

// Counts per area × category of a period (the engine's lägesbild, no coverage).
Result<analysis::Lagesbild> Picture(const System& sys, const Period& p,
                                    const std::vector<std::string>& orgs = {});

// Table of the municipality's totals per category: count, previous, change, last year, signal.
report::Table CategoryTable(const analysis::Lagesbild& lb, const ingest::Catalog& catalog,
                            bool against_last_year);
// Table of the level-1 areas' totals (rate per 1 000 inhabitants where known).
report::Table AreaTable(const analysis::Lagesbild& lb, const ingest::Catalog& catalog,
                        bool against_last_year);
// A map of the level-1 areas coloured by `values` (by area id), the municipality outlined,
// with optional points (SWEREF 99 TM).
Result<report::MapFigure> AreaMap(System& sys, const std::map<int64_t, double>& values,
                                  const std::string& title, const std::string& legend,
                                  const std::vector<std::pair<double, double>>& points = {});
// Reports per level-1 area in the lägesbild.
std::map<int64_t, double> AreaTotals(const analysis::Lagesbild& lb, const ingest::Catalog& c);

// Monthly counts of a year against the year before, as a line chart.
Result<report::Chart> MonthChart(const System& sys, int year, const std::vector<std::string>& orgs,
                                 const std::string& title);

// Actions as a table: #, title, owner, prevention, horizon, status, start, follow-up, cost.
report::Table ActionTable(const std::vector<Action>& actions, const ingest::Catalog& catalog,
                          const std::string& name);
std::string ActionStatusSv(ActionStatus s);
std::string PreventionSv(Prevention p);
std::string HorizonSv(Horizon h);

}  // namespace est::app::docs

#endif  // EST_APP_DOCUMENT_PARTS_H_
