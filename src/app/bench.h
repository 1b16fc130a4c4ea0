// `est bench`: end-to-end figures of the whole pipeline on generated (or given) data, measured
// warm inside one process: CSV import, engine load, point-in-polygon, lägesbild for a week and a
// year, Gi* hotspots, emerging hotspots and memory per report. Figures, never assertions.
#ifndef EST_APP_BENCH_H_
#define EST_APP_BENCH_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "app/system.h"

namespace est::app {

struct BenchOptions {
  int64_t scale = 1'000'000;  // generated reports
  int areas = 6000;           // generated areas (Voronoi cells in a 50 × 55 km region)
  std::string areas_file;     // GeoJSON to import instead of generating (with reports_file)
  std::string reports_file;   // CSV to import instead of generating
  std::optional<int> crs;     // EPSG of the x/y columns of reports_file (as `import --crs`)
  std::string period;         // week to measure; "" = the last complete week
  std::string work_dir;       // where the database and generated files go ("" = a temp dir)
  // The database: "" = work_dir/bench.db (SQLite); a postgresql:// URL of an empty database
  // (the import goes there, and with reuse the engine loads from it).
  std::string database;
  bool keep = false;          // keep work_dir (the generated areas.geojson and reports.csv)
  int repeats = 9;            // medians over this many runs
  bool reuse = false;  // measure work_dir/bench.db of an earlier run: no generation, no import
  uint64_t seed = 1;
};

// Runs the benchmark; returns the figures as JSON (keys import_rows_per_s, engine_load_ms,
// pip_points_per_s, lagesbild_week_ms, lagesbild_year_ms, hotspots_week_ms, bytes_per_report,
// and more).
Result<nlohmann::json> RunBench(const BenchOptions& options, const ProgressFn& progress);

// Writes the generated benchmark data (areas.geojson in EPSG:3006, reports.csv with x/y in
// EPSG:3006) into dir. Used by RunBench and by bench/postgis_compare.sh.
Status GenerateBenchData(const BenchOptions& options, const std::string& dir,
                         const ProgressFn& progress);

}  // namespace est::app

#endif  // EST_APP_BENCH_H_
