// Shared fixtures of the app tests: square areas in SWEREF 99 TM as GeoJSON, and a temporary
// database path per test. Header-only; every test binary of tests/unit/app includes it.
#ifndef EST_TESTS_UNIT_APP_FIXTURES_H_
#define EST_TESTS_UNIT_APP_FIXTURES_H_

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace est::app::testing {

// A GeoJSON feature: the square with lower-left corner (e, n) and side `size` metres, code = name
// = `code`, under `parent` (empty = none), with `population` when it is above 0.
inline std::string Square(const std::string& code, double e, double n, double size,
                          const std::string& parent, int population = 0) {
  auto pt = [](double x, double y) {
    return "[" + std::to_string(x) + "," + std::to_string(y) + "]";
  };
  std::string props = "\"code\":\"" + code + "\",\"name\":\"" + code + "\"";
  if (!parent.empty()) props += ",\"parent\":\"" + parent + "\"";
  if (population > 0) props += ",\"population\":" + std::to_string(population);
  return "{\"type\":\"Feature\",\"properties\":{" + props +
         "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" + pt(e, n) + "," +
         pt(e + size, n) + "," + pt(e + size, n + size) + "," + pt(e, n + size) + "," + pt(e, n) +
         "]]}}";
}

// A FeatureCollection in EPSG:3006 of the given features.
inline std::string Sweref99Collection(const std::vector<std::string>& features) {
  std::string s =
      "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
      "\"urn:ogc:def:crs:EPSG::3006\"}},\"features\":[";
  for (size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
  return s + "]}";
}

// A fresh path in the temp folder, unique per process and call: "<prefix>_<pid>_<n>.db".
inline std::string TempDbPath(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return (std::filesystem::temp_directory_path() /
          (prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db"))
      .string();
}

}  // namespace est::app::testing

#endif  // EST_TESTS_UNIT_APP_FIXTURES_H_
