// System: opening the store, loading the engine, and the catalog snapshot. The use cases are in
// configuration.cc, reports.cc, import.cc and queries.cc. Every write: validate completely first,
// then one store transaction, then update the catalog snapshot and the engine, under write_mu_.
// A rejected request returns before anything is written.
#include "app/system.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "app/address_index.h"
#include "app/use_case_util.h"
#include "core/password.h"
#include "core/text.h"
#include "geo/area_index.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/validate.h"
#include "ingest/scrub.h"

namespace est::app {

Result<std::unique_ptr<System>> System::Open(const std::string& db_path,
                                             const ProgressFn& progress) {
  auto store = store::Store::Open(db_path);
  if (!store) return Fail(store);
  std::unique_ptr<System> sys(new System());
  sys->store_ = std::move(*store);
  // Nobody else sees the system yet; the lock is for the analysis (and costs nothing).
  MutexLock lock(sys->write_mu_);
  sys->write_store_ = sys->store_.get();
  sys->write_engine_ = &sys->engine_;
  // The change feed position before the load: a change committed meanwhile is applied again by
  // the first CatchUp, which changes nothing for what the load already read.
  auto seq = sys->store_->LastChange();
  if (!seq) return Fail(seq);
  sys->applied_seq_ = *seq;
  if (auto s = sys->RefreshCatalog(); !s) return tl::unexpected(s.error());
  if (auto s = sys->RefreshSettings(); !s) return tl::unexpected(s.error());
  if (auto s = sys->RefreshAddresses(); !s) return tl::unexpected(s.error());
  auto total = sys->store_->ReportCountUpperBound();
  if (!total) return Fail(total);
  // Read on every core (the SQLite scan is most of the start-up); batches are appended under the
  // engine's lock, progress is reported from one batch at a time.
  int64_t loaded = 0, last_shown = 0;
  std::mutex progress_mu;
  const int parts = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // The batches arrive on the store's reader threads, which append under the engine's own lock.
  analysis::Engine& loading = *sys->write_engine_;
  auto st = sys->store_->ForEachReportForEngine(
      [&](std::span<const Report> batch) {
        loading.AppendBatch(batch);
        std::lock_guard lock(progress_mu);
        loaded += static_cast<int64_t>(batch.size());
        if (progress && loaded - last_shown >= 200000) {
          last_shown = loaded;
          progress(loaded, std::max(*total, loaded), "rapporter inlästa");
        }
      },
      parts);
  if (!st) return tl::unexpected(st.error());
  sys->write_engine_->Compact();
  if (progress) progress(loaded, std::max(*total, loaded), "rapporter inlästa");
  auto checkins = sys->store_->ListCheckIns();
  if (!checkins) return Fail(checkins);
  for (const CheckIn& c : *checkins) sys->write_engine_->AddCheckIn(c);
  return sys;
}

std::shared_ptr<const app::Catalog> System::catalog() const {
  MutexLock lock(catalog_mu_);
  return catalog_;
}

std::shared_ptr<const Settings> System::settings() const {
  MutexLock lock(catalog_mu_);
  return settings_;
}

std::shared_ptr<const AddressIndex> System::addresses() const {
  MutexLock lock(catalog_mu_);
  return addresses_;
}

Status System::RefreshSettings() {
  auto rows = store_->ListSettings();
  if (!rows) return Fail(rows);
  auto next = std::make_shared<Settings>(rows->begin(), rows->end());
  MutexLock lock(catalog_mu_);
  settings_ = std::move(next);
  return {};
}

Status System::RefreshAddresses() {
  auto rows = store_->ListAddresses();
  if (!rows) return Fail(rows);
  auto next = std::make_shared<const AddressIndex>(std::move(*rows));
  MutexLock lock(catalog_mu_);
  addresses_ = std::move(next);
  return {};
}

Status System::RefreshCatalog() {
  auto orgs = store_->ListOrganisations();
  if (!orgs) return Fail(orgs);
  auto cats = store_->ListCategories();
  if (!cats) return Fail(cats);
  auto places = store_->ListPlaces();
  if (!places) return Fail(places);
  auto geoms = store_->AllAreaGeometries();
  if (!geoms) return Fail(geoms);
  std::vector<Area> areas;
  std::vector<geo::AreaIndex::Entry> entries;
  for (auto& g : *geoms) {
    areas.push_back(g.area);
    entries.push_back({g.area.id.value, g.area.level, std::move(g.geometry)});
  }
  auto index = std::make_shared<geo::AreaIndex>(geo::AreaIndex::Build(std::move(entries)));
  write_engine_->SetAreas(areas);
  write_engine_->SetCategories(*cats);
  auto cat = std::make_shared<const app::Catalog>(std::move(*orgs), std::move(*cats),
                                                  std::move(*places), std::move(areas), index);
  MutexLock lock(catalog_mu_);
  catalog_ = std::move(cat);
  return {};
}

}  // namespace est::app
