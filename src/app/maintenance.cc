#include "app/maintenance.h"

#include <nlohmann/json.hpp>

#include "app/present.h"

namespace est::app {

Status BackupDatabase(const std::string& db, const std::string& file) {
  auto store = store::Store::Open(db);
  if (!store) return tl::unexpected(store.error());
  return (*store)->Backup(file);
}

Status RestoreDatabase(const std::string& file, const std::string& db) {
  if (auto s = store::RestoreBackup(file, db); !s) return s;
  auto store = store::Store::Open(db);
  if (!store) return tl::unexpected(store.error());
  return (*store)->VerifyAudit();
}

namespace {

// The default lägesbild of a database, as the API would present it.
Result<std::pair<std::string, std::string>> DefaultLagesbild(const std::string& db) {
  auto sys = System::Open(db);
  if (!sys) return tl::unexpected(sys.error());
  LagesbildParams params;
  auto lb = (*sys)->ComputeLagesbild(params);
  if (!lb) return tl::unexpected(lb.error());
  nlohmann::json j = LagesbildJson(*lb, *(*sys)->catalog());
  std::string period;
  if (j.contains("period") && j["period"].is_object() && j["period"].contains("label")) {
    period = j["period"]["label"].get<std::string>();
  }
  return std::make_pair(period, j.dump());
}

}  // namespace

Result<MigrationCheck> MigrateDatabase(const std::string& from, const std::string& to,
                                       const ProgressFn& progress) {
  MigrationCheck check;
  {
    auto src = store::Store::Open(from);
    if (!src) return tl::unexpected(src.error());
    auto dst = store::Store::Open(to);
    if (!dst) return tl::unexpected(dst.error());
    auto counts = (*src)->CountRows();
    if (!counts) return tl::unexpected(counts.error());
    int64_t total = 0;
    for (const auto& c : *counts) total += c.rows;
    int64_t before = 0;  // rows of the tables already done
    std::string current;
    int64_t current_rows = 0;
    auto on_progress = [&](const std::string& table, int64_t rows) {
      if (table != current) {
        before += current_rows;
        current = table;
      }
      current_rows = rows;
      if (progress) progress(before + rows, total, "rader kopierade (" + table + ")");
    };
    if (auto s = (*src)->CopyTo(**dst, on_progress); !s) return tl::unexpected(s.error());
    auto a = (*src)->CountRows();
    auto b = (*dst)->CountRows();
    if (!a) return tl::unexpected(a.error());
    if (!b) return tl::unexpected(b.error());
    check.source = *a;
    check.target = *b;
    check.audit_ok = static_cast<bool>((*dst)->VerifyAudit());
  }
  auto lb_from = DefaultLagesbild(from);
  if (!lb_from) return tl::unexpected(lb_from.error());
  auto lb_to = DefaultLagesbild(to);
  if (!lb_to) return tl::unexpected(lb_to.error());
  check.period = lb_from->first;
  check.lagesbild_equal = lb_from->second == lb_to->second;

  std::string differs;
  for (size_t i = 0; i < check.source.size(); ++i) {
    if (i >= check.target.size() || check.target[i].rows != check.source[i].rows) {
      differs += " " + check.source[i].table;
    }
  }
  if (!differs.empty()) {
    // The copy is of one moment; a source written meanwhile has more rows now.
    return MakeError(ErrorCode::kInternal,
                     "Antalet rader skiljer sig mellan källan och kopian i:" + differs +
                         " (skrev någon i källan under flytten? stoppa servern först)");
  }
  if (!check.audit_ok) {
    return MakeError(ErrorCode::kInternal, "Granskningsloggens kedja är bruten i kopian");
  }
  if (!check.lagesbild_equal) {
    return MakeError(
        ErrorCode::kInternal,
        "Lägesbilden skiljer sig mellan källan och kopian (period " + check.period + ")");
  }
  return check;
}

}  // namespace est::app
