// Document generation on the demo municipality (3 years, ~10 600 reports, problems, meetings,
// actions with evaluations, surveys, the police list): build the document from the engine and
// the store, then render it. One benchmark per kind and format.
//
//   build/bench/documents_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/demo.h"
#include "app/documents.h"
#include "app/system.h"
#include "core/time.h"
#include "report/writers.h"

namespace {

namespace fs = std::filesystem;

est::app::System& Demo() {
  static std::unique_ptr<est::app::System> sys = [] {
    setenv("EST_FAST_PASSWORD_HASH", "1", 0);
    fs::path dir = fs::temp_directory_path() / ("est_documents_bench_" + std::to_string(getpid()));
    fs::create_directories(dir);
    auto s = est::app::System::Open((dir / "demo.db").string());
    if (!s) std::abort();
    if (!est::app::CreateDemo(**s, {})) std::abort();
    return std::move(*s);
  }();
  return *sys;
}

est::app::DocumentRequest Request(int kind) {
  int year = est::CivilFromDay(est::ToLocalDay(est::NowUnix())).year;
  switch (kind) {
    case 0:
      return {"weekly", "", 0, ""};
    case 1:
      return {"analysis", std::to_string(year) + "-T2", 0, ""};
    case 2:
      return {"annual", "", year, "tfn"};
    case 3:
      return {"municipality", "", year, ""};
    default:
      return {"statutory", "", year, ""};
  }
}

void BM_Document(benchmark::State& state) {
  auto& sys = Demo();
  auto req = Request(static_cast<int>(state.range(0)));
  auto format = static_cast<est::report::Format>(state.range(1));
  size_t bytes = 0;
  for (auto _ : state) {
    auto doc = est::app::BuildDocument(sys, req);
    if (!doc) state.SkipWithError(doc.error().detail.c_str());
    auto out = est::report::Render(*doc, format);
    if (!out) state.SkipWithError(out.error().detail.c_str());
    bytes = out->size();
    benchmark::DoNotOptimize(out->data());
  }
  state.SetLabel(req.kind + "." + std::string(est::report::Extension(format)));
  state.counters["kB"] = static_cast<double>(bytes) / 1024.0;
}
BENCHMARK(BM_Document)
    ->ArgsProduct({{0, 1, 2, 3, 4}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

}  // namespace

BENCHMARK_MAIN();
