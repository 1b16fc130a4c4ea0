// Helpers for the geo unit tests: test data files and ASCII maps.
#ifndef EST_TESTS_UNIT_GEO_GEO_TEST_UTIL_H_
#define EST_TESTS_UNIT_GEO_GEO_TEST_UTIL_H_

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "geo/point.h"
#include "geo/polygon.h"

namespace est::geo::testing {

inline std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(EST_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An ASCII map in SWEREF 99 TM: every character is `metres` wide and high, north is up, and the
// bottom-left character sits at `origin`. Returns the position of every letter (and digit) on it;
// other characters ('-', '|', '.', ' ') are just drawing.
inline std::map<char, Sweref99Point> ParseAsciiMap(std::string_view map, double metres,
                                                   Sweref99Point origin = {674000, 6580000}) {
  std::vector<std::string_view> lines;
  while (!map.empty()) {
    const size_t nl = map.find('\n');
    lines.push_back(map.substr(0, nl));
    map = nl == std::string_view::npos ? std::string_view() : map.substr(nl + 1);
  }
  while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string_view::npos) {
    lines.pop_back();
  }
  std::map<char, Sweref99Point> out;
  for (size_t row = 0; row < lines.size(); ++row) {
    const double n = origin.n + static_cast<double>(lines.size() - 1 - row) * metres;
    for (size_t col = 0; col < lines[row].size(); ++col) {
      const char c = lines[row][col];
      if (std::isalnum(static_cast<unsigned char>(c))) {
        out[c] = {origin.e + static_cast<double>(col) * metres, n};
      }
    }
  }
  return out;
}

// A closed ring through the named map nodes, e.g. Loop(nodes, "ABCD").
inline Ring Loop(const std::map<char, Sweref99Point>& nodes, std::string_view names) {
  Ring r;
  for (char c : names) r.pts.push_back(nodes.at(c));
  r.pts.push_back(nodes.at(names.front()));
  return r;
}

// An axis-aligned rectangle polygon.
inline Polygon Rect(double min_e, double min_n, double max_e, double max_n) {
  return Polygon{
      Ring{{{min_e, min_n}, {max_e, min_n}, {max_e, max_n}, {min_e, max_n}, {min_e, min_n}}}, {}};
}

}  // namespace est::geo::testing

#endif  // EST_TESTS_UNIT_GEO_GEO_TEST_UTIL_H_
