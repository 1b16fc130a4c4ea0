// `est demo`, second half: problems, meetings with decisions and actions on top of the demo
// municipality (see demo.h). Deterministic for a given `today`.
#ifndef EST_APP_DEMO_WORK_H_
#define EST_APP_DEMO_WORK_H_

#include "app/system.h"
#include "core/time.h"

namespace est::app {

struct DemoWorkSummary {
  int problems = 0;
  int meetings = 0;
  int actions = 0;
};

// REQUIRES: the demo municipality (areas, organisations, places, reports) exists.
Result<DemoWorkSummary> CreateDemoWork(System& sys, LocalDay today, const store::Actor& actor);

}  // namespace est::app

#endif  // EST_APP_DEMO_WORK_H_
