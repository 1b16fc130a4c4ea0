// The analysis engine: compact in-memory columns of every report, and the lägesbild computed as
// a scan over them (DESIGN.md §9). Loaded from the store at start, appended on every accepted
// write and updated on every edit, so answers never go stale. Nothing here writes to the store.
//
// Thread-safe: readers share, writers (Append/Update/Set*) are exclusive.
#ifndef EST_ANALYSIS_ENGINE_H_
#define EST_ANALYSIS_ENGINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/period.h"

namespace est::analysis {

class StudyGrid;

// A period and the filters that every query shares (lägesbild, points, profiles, series).
struct LagesbildQuery {
  Period period{};
  std::vector<AreaId> areas;  // restrict to these areas and their descendants; empty = all
  std::vector<CategoryId> categories;
  std::vector<OrgId> orgs;
  std::optional<Dimension> dimension;
  bool coverage = true;  // compute coverage (scans the 12 weeks before the period too)
  // Count the police's events (source police, est import polisen) beside partner reports. They
  // are never in coverage (not a partner's weekly reporting) and never in spatial cells (they
  // are placed by their municipality only).
  bool police = true;
  // A running period's cut (core/period.h RunningCutMinutes): when set, only reports that start
  // within the first cut_minutes of wall-clock time after the period's first midnight count —
  // in the period and, by the same offset from their own first midnight, in the previous period
  // and the same period last year. nullopt = whole periods.
  std::optional<int32_t> cut_minutes;
};

// One counted report as seen by spatial and temporal analyses.
struct EnginePoint {
  int32_t e;  // SWEREF 99 TM decimetres, floored (e / 10.0 is the easting in metres)
  int32_t n;
  LocalDay day;
  uint16_t minute;  // minute of the local day the report started
  uint16_t span;    // duration in minutes (0 = a point in time), capped at 65535
  uint16_t category;
  uint16_t area;  // deepest area id, 0 = outside
  uint16_t org;
  uint8_t severity;
  // Placed only by its area (bara område): e/n are not a position; spatial analyses skip it.
  bool area_only;
};

// One area × category (category empty = all categories of the filter) with the counts of reports
// in the period, the previous period and the same period a year earlier. Compact (20 bytes): a
// national lägesbild has ~10^5 rows, and writing them is most of its cost.
struct LagesbildRow {
  int32_t area_id = 0;      // 0 = outside every area
  int32_t category_id = 0;  // 0 = the area's total over the filter's categories
  int32_t count = 0;
  int32_t previous = 0;
  int32_t last_year = 0;

  std::optional<AreaId> area() const {
    return area_id ? std::optional<AreaId>(AreaId{area_id}) : std::nullopt;
  }
  std::optional<CategoryId> category() const {
    return category_id ? std::optional<CategoryId>(CategoryId{category_id}) : std::nullopt;
  }
};

// Täckning: who spoke for an area in the period. An organisation is expected when it reported or
// checked in for the area during the 12 weeks before the period; silent = expected but neither
// reported nor checked in now. `expected` counts every organisation that is expected or spoke now
// (so reported + checked_in never exceed it and share = spoke / expected stays within 100 %).
struct CoverageRow {
  AreaId area;
  std::vector<OrgId> reported;
  std::vector<OrgId> checked_in;
  std::vector<OrgId> silent;
  int expected = 0;
};

struct Lagesbild {
  Period period{};
  Period previous{};
  Period last_year{};
  // The query's cut (running period) and the days each count was gathered over (ExposureDays):
  // the lengths a change test compares.
  std::optional<int32_t> cut_minutes;
  double days = 0, days_previous = 0, days_last_year = 0;
  std::vector<LagesbildRow> rows;  // area-major; within an area the total row comes first
  int64_t total = 0, total_previous = 0, total_last_year = 0;
  int64_t outside = 0;  // reports of the period outside every area (included in total)
  std::vector<CoverageRow> coverage;
  int64_t reports_scanned = 0;
};

// A report as the engine keeps it: the columns of one row, 32 bytes. Made by Engine::RowOf
// without the engine's lock, so that a bulk import prepares its rows on the worker threads and
// holds these instead of its reports until they are committed.
struct EngineRow {
  int64_t id = 0;     // the report's id; 0 = not stored (skipped by AppendRows)
  uint32_t week = 0;  // ISO weeks since the engine's base Monday
  uint8_t dow = 0;    // 0 = Monday
  uint8_t flags = 0;  // severity and the excluded bit (rejected, duplicate)
  uint16_t area = 0, category = 0, org = 0;
  uint16_t minute = 0;   // local minute of day
  uint16_t span = 0;     // minutes to occurred_to
  int32_t e = 0, n = 0;  // SWEREF 99 TM, decimetres (floored)
};

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reference data. Areas give the tree used to roll counts up to every ancestor.
  void SetAreas(const std::vector<Area>& areas);
  void SetCategories(const std::vector<Category>& categories);

  // Adds a report (ignored if its id is already present: use Update).
  void Append(const Report& report);
  // Append for many reports under one lock (bulk load). Reports without an id (0: not stored,
  // such as an import's already-present rows) are skipped.
  void AppendBatch(std::span<const Report> reports);
  // The same for rows made by RowOf (rows with id 0 are skipped).
  void AppendRows(std::span<const EngineRow> rows);
  static EngineRow RowOf(const Report& report);
  // Replaces the stored columns of an existing report (status, category, place, area ...).
  void Update(const Report& report);
  // True when a report with this id is in the engine.
  bool Contains(ReportId id) const;
  void AddCheckIn(const CheckIn& checkin);
  // Releases spare capacity after a bulk load.
  void Compact();

  size_t size() const;
  // Approximate bytes held per report by the columns.
  double bytes_per_report() const;

  // Computes the lägesbild. Rejected and duplicate reports are not counted.
  Lagesbild Compute(const LagesbildQuery& query) const;

  // Calls fn for every counted report in the query's period that passes its filters (area-only
  // reports included, marked: a spatial use must skip them).
  void ForEachPoint(const LagesbildQuery& query,
                    const std::function<void(const EnginePoint&)>& fn) const;

  // Counted reports of the query (period and filters) per study cell, in grid order; reports
  // outside the study grid and reports placed only by their area are not counted. The cell of a
  // report is floor(E / cell_m), floor(N / cell_m) of its stored position (geo contract of `est
  // hotspots`).
  std::vector<double> CountPerCell(const LagesbildQuery& query, const StudyGrid& grid) const;

  // Counted reports per ISO week for `weeks` weeks starting at the Monday `first_monday`,
  // with the query's filters (its period is ignored).
  std::vector<int64_t> WeeklyCounts(const LagesbildQuery& query, LocalDay first_monday,
                                    int weeks) const;

  // The first and last day holding any report (nullopt when empty).
  std::optional<std::pair<LocalDay, LocalDay>> DayRange() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace est::analysis

#endif  // EST_ANALYSIS_ENGINE_H_
