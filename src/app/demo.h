// `est demo`: a plausible municipality around the real Sollentuna boundary, so that every screen
// and command has real-looking content out of the box. Deterministic for a given seed.
#ifndef EST_APP_DEMO_H_
#define EST_APP_DEMO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "app/system.h"

namespace est::app {

struct DemoOptions {
  uint64_t seed = 1;
  int years = 3;                             // history length, ending yesterday
  double reports_per_day = 9.0;              // average
  std::string password = "demo-losen-2026";  // for every demo account
};

struct DemoAccount {
  std::string login;
  std::string role;
  std::string org;
};

struct DemoSummary {
  int areas = 0;
  int organisations = 0;
  int places = 0;
  int64_t reports = 0;
  int64_t checkins = 0;
  int problems = 0;
  int meetings = 0;
  int actions = 0;
  std::vector<DemoAccount> accounts;
};

// Fills an empty database. Fails with kConflict when the database already holds areas or reports.
Result<DemoSummary> CreateDemo(System& system, const DemoOptions& options,
                               const ProgressFn& progress = nullptr);

}  // namespace est::app

#endif  // EST_APP_DEMO_H_
