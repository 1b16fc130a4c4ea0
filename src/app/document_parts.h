// Private to the document builders (documents.cc, documents_year.cc): Swedish number formats and
// the shared pieces — change columns, area maps, action tables, the weekly/monthly charts.
#ifndef EST_APP_DOCUMENT_PARTS_H_
#define EST_APP_DOCUMENT_PARTS_H_

#include <map>
#include <string>
#include <vector>

#include "app/analyses.h"
#include "app/system.h"
#include "core/period.h"
#include "core/work.h"
#include "report/document.h"

namespace est::app::docs {

// "12 345", "3,5", "−4" (Swedish: space as thousands separator, decimal comma, minus sign).
std::string Num(double v, int digits = 0);
// "+12 %" / "−8 %" / "–" (base 0). Never shown alone: next to it goes the exact test's verdict
// (ChangeCells, ChangeSentence).
std::string Percent(int64_t now, int64_t base);
// The exact-test verdict of now against base for the periods' lengths: "ökning", "minskning", "".
std::string Signal(int64_t now, double now_days, int64_t base, double base_days);
// "1 insats" / "3 insatser" / "1 234 rapporter": the count with the singular or plural noun.
std::string Count(int64_t n, const std::string& singular, const std::string& plural);
// The exact test's p-value as text: "0,21", "0,052", "0,004", "< 0,001".
std::string PText(double p);

// The change columns of a table, in this order: "Förändring" (percent), "Bedömning" (the exact
// test's verdict: "ökning", "minskning" or "normal variation"), "p (exakt test)" and
// "z (storleksmått)" (Wheeler's z, an effect size, never the verdict). ChangeColumns appends the
// headers and their numeric flags; ChangeCells the four cells of one comparison. The lengths are
// those ComputeChange takes (the current period's elapsed days, the base period's days).
void ChangeColumns(report::Table& t);
std::vector<std::string> ChangeCells(int64_t now, double now_days, int64_t base, double base_days);
// The source note that says how changes are judged (for Document::sources).
inline constexpr const char* kVerdictNote =
    "Bedömning: exakt villkorat binomialtest för Poissonantal på 1 %-nivån (ökning, minskning "
    "eller normal variation) med sitt p-värde; procent visas bara bredvid testet. Wheelers "
    "z = 2(√C − √P·tC/tP) är ett storleksmått, inte bedömningen. En period som pågår räknas "
    "hittills, och jämförelseperioderna räknas fram till samma tidpunkt.";
// The change in running text, with its verdict: "+12 %, en signifikant ökning (exakt test,
// p < 0,001)" or "+150 %, inom normal variation (exakt test, p = 0,21)".
std::string ChangeSentence(int64_t now, double now_days, int64_t base, double base_days);

// "Sollentuna" (the root area's name) or "Kommunen".
std::string MunicipalityName(const app::Catalog& catalog);
std::string Subtitle(const app::Catalog& catalog);
std::string NowText();

// Counts per area × category of a period (the engine's lägesbild, no coverage).
Result<analysis::Lagesbild> Picture(const System& sys, const Period& p,
                                    const std::vector<std::string>& orgs = {});

// Table of the municipality's totals per category: count, previous, change, last year, signal.
report::Table CategoryTable(const analysis::Lagesbild& lb, const app::Catalog& catalog,
                            bool against_last_year);
// Table of the level-1 areas' totals (rate per 1 000 inhabitants where known).
report::Table AreaTable(const analysis::Lagesbild& lb, const app::Catalog& catalog,
                        bool against_last_year);
// A map of the level-1 areas coloured by `values` (by area id), the municipality outlined,
// with optional points (SWEREF 99 TM).
Result<report::MapFigure> AreaMap(System& sys, const std::map<int64_t, double>& values,
                                  const std::string& title, const std::string& legend,
                                  const std::vector<std::pair<double, double>>& points = {});
// Reports per level-1 area in the lägesbild.
std::map<int64_t, double> AreaTotals(const analysis::Lagesbild& lb, const app::Catalog& c);

// Monthly counts of a year against the year before, as a line chart, followed by a note when a
// month is running. Only months that have ended (as of `today`) get a point: the running month is
// not drawn as a drop (it is told in the note, "hittills"), months that have not begun are left
// out instead of drawn as 0.
Result<std::vector<report::Block>> MonthChart(const System& sys, int year,
                                              const std::vector<std::string>& orgs,
                                              const std::string& title, LocalDay today);
// Weekly counts as a line chart with the same week a year earlier; weeks that have not ended by
// `today` get no point on the current line (a running or future week is not drawn as a drop).
// REQUIRES: series from ComputeSeries.
report::Chart WeekChart(const SeriesResult& series, const std::string& title,
                        const std::string& last_year_name, LocalDay today);

// Actions as a table: #, title, owner, prevention, horizon, status, start, follow-up, cost.
report::Table ActionTable(const std::vector<Action>& actions, const app::Catalog& catalog,
                          const std::string& name);
std::string ActionStatusSv(ActionStatus s);
std::string PreventionSv(Prevention p);
std::string HorizonSv(Horizon h);

}  // namespace est::app::docs

#endif  // EST_APP_DOCUMENT_PARTS_H_
