// Every route the server registers is described in docs/openapi.yaml, and every described path
// exists: the API description cannot drift from the code.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/system.h"
#include "http/server.h"

namespace est::http {
namespace {

// path -> methods, from the "paths:" section of the YAML (two-space path keys, four-space methods).
std::map<std::string, std::set<std::string>> DescribedRoutes() {
  std::ifstream in(std::string(EST_TEST_DATA_DIR) + "/../../docs/openapi.yaml");
  std::map<std::string, std::set<std::string>> out;
  std::string line, current;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      current = line.substr(2, line.size() - 3);
      out[current];
    } else if (line.size() > 5 && line.rfind("    ", 0) == 0 && line[4] != ' ' &&
               line.back() == ':') {
      std::string method = line.substr(4, line.size() - 5);
      if (method == "get" || method == "post" || method == "patch" || method == "put" ||
          method == "delete") {
        out[current].insert(method);
      }
    }
  }
  return out;
}

TEST(OpenApi, EveryRouteIsDescribedAndEveryDescriptionIsARoute) {
  auto sys = app::System::Open(":memory:");
  ASSERT_TRUE(sys) << ToString(sys.error());
  Server server(**sys, ServerOptions{});
  auto described = DescribedRoutes();
  ASSERT_GT(described.size(), 10u) << "could not read docs/openapi.yaml";
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& [method, path] : server.routes()) {
    registered.insert({method, path});
    EXPECT_TRUE(described.count(path) && described[path].count(method))
        << method << " " << path << " is missing from docs/openapi.yaml";
  }
  for (const auto& [path, methods] : described) {
    for (const auto& m : methods) {
      EXPECT_TRUE(registered.count({m, path}))
          << m << " " << path << " is described but not served";
    }
  }
}

}  // namespace
}  // namespace est::http
