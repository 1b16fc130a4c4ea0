// What SQLite itself allows on this machine: 1 M rows inserted in one transaction into a fresh
// WAL database with synchronous=FULL (as the store runs), prepared statement, no parsing, commit
// included. Arguments: the number of extra integer columns beside (org, source id), and how the
// (org, source id) unique index that makes a re-import skip stored reports is kept: 0 none, 1 on
// the table while rows arrive in file order (random keys), 2 on the table with the rows arriving
// in key order, 3 built after the insert inside the same transaction (docs/performance.md).
//
//   build/bench/sqlite_floor_bench
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

bool Exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

void BM_SqliteRowInsert(benchmark::State& state) {
  const int columns = static_cast<int>(state.range(0));
  const int mode = static_cast<int>(state.range(1));
  const bool index = mode == 1 || mode == 2;
  constexpr int kRows = 1'000'000;
  std::vector<std::string> source_ids(kRows);
  std::vector<int64_t> orgs(kRows);
  std::mt19937 keys(1);
  for (int i = 0; i < kRows; ++i) {
    source_ids[static_cast<size_t>(i)] = "g" + std::to_string(i);
    orgs[static_cast<size_t>(i)] = 1 + static_cast<int64_t>(keys() % 30);
  }
  std::vector<size_t> order(kRows);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (mode == 2) {
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return orgs[a] != orgs[b] ? orgs[a] < orgs[b] : source_ids[a] < source_ids[b];
    });
  }
  const fs::path path =
      fs::temp_directory_path() / ("est_sqlite_floor_" + std::to_string(getpid()) + ".db");
  int64_t inserted = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      state.SkipWithError("cannot open the database");
      return;
    }
    std::string table = "CREATE TABLE t(id INTEGER PRIMARY KEY, org INTEGER NOT NULL, sid TEXT";
    std::string insert = "INSERT INTO t VALUES (NULL, ?, ?";
    for (int k = 0; k < columns; ++k) {
      table += ", c" + std::to_string(k) + " INTEGER NOT NULL";
      insert += ", ?";
    }
    table += ")";
    insert += ")";
    bool ok = Exec(db, "PRAGMA journal_mode=WAL") && Exec(db, "PRAGMA synchronous=FULL") &&
              Exec(db, "PRAGMA cache_size=-262144") && Exec(db, table);
    if (index) {
      ok = ok && Exec(db, "CREATE UNIQUE INDEX u ON t(org, sid) WHERE sid IS NOT NULL");
      insert += " ON CONFLICT(org, sid) WHERE sid IS NOT NULL DO NOTHING";
    }
    sqlite3_stmt* stmt = nullptr;
    ok = ok && sqlite3_prepare_v2(db, insert.c_str(), -1, &stmt, nullptr) == SQLITE_OK;
    if (!ok) {
      sqlite3_close(db);
      state.SkipWithError("cannot prepare the table");
      return;
    }
    state.ResumeTiming();
    ok = Exec(db, "BEGIN");
    for (int k = 0; k < kRows && ok; ++k) {
      const size_t i = order[static_cast<size_t>(k)];
      sqlite3_bind_int64(stmt, 1, orgs[i]);
      const std::string& sid = source_ids[i];
      sqlite3_bind_text(stmt, 2, sid.data(), static_cast<int>(sid.size()), SQLITE_STATIC);
      for (int c = 0; c < columns; ++c) {
        sqlite3_bind_int64(stmt, 3 + c, static_cast<int64_t>(i) * 7 + c);
      }
      ok = sqlite3_step(stmt) == SQLITE_DONE;
      sqlite3_reset(stmt);
    }
    if (mode == 3) ok = ok && Exec(db, "CREATE UNIQUE INDEX u ON t(org, sid) WHERE sid IS NOT NULL");
    ok = ok && Exec(db, "COMMIT");
    state.PauseTiming();
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (!ok) {
      state.SkipWithError("insert failed");
      return;
    }
    inserted += kRows;
    state.ResumeTiming();
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(inserted), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SqliteRowInsert)
    ->ArgNames({"int_columns", "source_index"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({0, 3})
    ->Args({20, 0})
    ->Args({20, 1})
    ->Args({20, 2})
    ->Args({20, 3})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
