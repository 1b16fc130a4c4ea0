// The report form's address search (app::AddressIndex) over a synthetic register of 100 000
// addresses: 2 500 streets of Swedish-looking names (å/ä/ö included) with 1–79 numbers each,
// some with letters. Measures building the index and one search per query kind: the broadest
// two-letter prefix, a street prefix, a street with its number, and a folded query without
// diacritics. The target is ≤ 20 ms per search (docs/performance.md).
//
//   build/bench/address_bench
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "app/address_index.h"

namespace {

using est::Address;
using est::app::AddressIndex;

std::vector<Address> Register(size_t target) {
  static const char* kFirst[] = {"Malm", "Björk", "Sjö", "Tall", "Gran", "Ek", "Häll", "Åker",
                                 "Lund", "Berg", "Mosse", "Kvarn", "Smed", "Präst", "Skol",
                                 "Kyrk", "Torp", "Ängs", "Ström", "Rön", "Hassel", "Lönn",
                                 "Asp", "Sten", "Vall"};
  static const char* kMiddle[] = {"", "by", "vik", "ö", "dal", "hem", "sta", "holm", "näs",
                                  "backa"};
  static const char* kLast[] = {"vägen", "gatan", "stigen", "gränd", "backe", "allén", "torget",
                                "plan", "slingan", "kroken"};
  static const char* kLocality[] = {"Sollentuna", "Upplands Väsby", "Täby", "Järfälla",
                                    "Sundbyberg"};
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> numbers(1, 79), letter(0, 9);
  std::uniform_real_distribution<double> e(650000, 690000), n(6570000, 6610000);
  std::vector<Address> out;
  for (const char* f : kFirst) {
    for (const char* m : kMiddle) {
      for (const char* l : kLast) {
        const std::string street = std::string(f) + m + l;
        const int count = numbers(rng);
        const char* locality = kLocality[out.size() % 5];
        const double e0 = e(rng), n0 = n(rng);
        for (int i = 1; i <= count && out.size() < target; ++i) {
          Address a;
          a.street = street;
          a.number = std::to_string(i) + (letter(rng) == 0 ? "A" : "");
          a.postcode = "191 40";
          a.locality = locality;
          a.e = e0 + i * 15;
          a.n = n0 + i * 5;
          out.push_back(std::move(a));
        }
      }
    }
  }
  // Fill up to the target with numbered copies in a second range of numbers.
  for (size_t i = 0; out.size() < target; ++i) {
    Address a = out[i];
    a.number = std::to_string(100 + static_cast<int>(i % 900));
    out.push_back(std::move(a));
  }
  return out;
}

const AddressIndex& Index() {
  static const AddressIndex idx(Register(100000));
  return idx;
}

void BM_Build(benchmark::State& state) {
  const auto rows = Register(100000);
  for (auto _ : state) {
    AddressIndex idx(rows);
    benchmark::DoNotOptimize(idx.size());
  }
  state.counters["addresses"] = static_cast<double>(rows.size());
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond);

void Search(benchmark::State& state, const std::string& query) {
  const AddressIndex& idx = Index();
  size_t hits = 0;
  for (auto _ : state) {
    auto r = idx.Search(query, 8);
    hits = r.size();
    benchmark::DoNotOptimize(r.data());
  }
  state.counters["hits"] = static_cast<double>(hits);
  state.counters["addresses"] = static_cast<double>(idx.size());
}

void BM_Search(benchmark::State& state, const char* query) { Search(state, query); }
BENCHMARK_CAPTURE(BM_Search, two_letters, "ma")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, street_prefix, "malmv")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, street_number, "Malmvägen 3")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, folded, "angsbyvagen 12")->Unit(benchmark::kMicrosecond);

// "Malmvägen 3, <its locality's start>": the locality narrows after the comma.
void BM_SearchWithLocality(benchmark::State& state) {
  const auto first = Index().Search("Malmvägen 3", 1);
  Search(state, "malmvagen 3, " + first.at(0).address->locality.substr(0, 4));
}
BENCHMARK(BM_SearchWithLocality)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, no_match, "finns inte")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
