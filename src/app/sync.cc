// Following the database (system.h CatchUp, StartFollowing): several `est serve` on one
// PostgreSQL, or a server and the command line on one SQLite file, each keep their engine and
// catalog current from the store's change feed (store.h ChangeStore). Every change has an audit
// entry and writers are serialised by the database, so the audit seq orders them all: a system
// that has applied everything up to seq S reads the entries after S, takes the report ids their
// inserts name, the reports stamped by an update after S, the check-ins and whether the
// configuration changed, and applies them under the write lock (so a local write, whose engine
// rows follow its commit under the same lock, is never applied twice).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "app/system.h"
#include "app/address_index.h"
#include "core/time.h"

namespace est::app {

struct System::Follower {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
  ~Follower() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
    if (thread.joinable()) thread.join();
  }
};

System::System() = default;
System::~System() { follower_.reset(); }

namespace {

struct Pending {
  std::vector<std::pair<int64_t, int64_t>> inserted;  // id ranges
  std::vector<CheckIn> checkins;
  bool configuration = false;
  bool settings = false;
  bool addresses = false;
};

void Collect(const store::AuditEntry& e, Pending& p) {
  if (e.entity == "report") {
    if (e.action == "create") {
      try {
        const int64_t id = std::stoll(e.entity_id);
        p.inserted.emplace_back(id, id);
      } catch (const std::exception&) {
      }
    } else if (e.action == "import") {
      auto j = nlohmann::json::parse(e.after, nullptr, false);
      if (j.is_object() && j.contains("first_id") && j.contains("last_id")) {
        p.inserted.emplace_back(j["first_id"].get<int64_t>(), j["last_id"].get<int64_t>());
      }
    }
    // Edits, reviews and moves are found by the seq they were stamped with.
  } else if (e.entity == "checkin") {
    auto j = nlohmann::json::parse(e.after, nullptr, false);
    if (j.is_object() && j.contains("org") && j.contains("area") && j.contains("week")) {
      auto week = ParseIsoWeek(j["week"].get<std::string>());
      if (week) {
        CheckIn c;
        c.org = OrgId{j["org"].get<int64_t>()};
        c.area = AreaId{j["area"].get<int64_t>()};
        c.week = *week;
        c.nothing_to_report = j.value("nothing_to_report", false);
        p.checkins.push_back(c);
      }
    }
  } else if (e.entity == "organisation" || e.entity == "category" || e.entity == "area" ||
             e.entity == "place") {
    p.configuration = true;
  } else if (e.entity == "setting") {
    p.settings = true;
  } else if (e.entity == "addresses") {
    p.addresses = true;
  }
}

}  // namespace

Result<int64_t> System::CatchUp() {
  MutexLock lock(write_mu_);
  auto last = write_store_->LastChange();
  if (!last) return Fail(last);
  if (*last <= applied_seq_) return int64_t{0};
  Pending pending;
  int64_t read = 0;
  for (int64_t after = applied_seq_; after < *last;) {
    auto page = write_store_->ListAudit(after, 10000);
    if (!page) return Fail(page);
    if (page->empty()) break;
    for (const store::AuditEntry& e : *page) {
      if (e.seq > *last) break;
      Collect(e, pending);
      after = e.seq;
      ++read;
    }
  }
  int64_t applied = 0;
  // Configuration first: new areas and categories are known before the reports naming them.
  if (pending.configuration) {
    if (auto s = RefreshCatalog(); !s) return Fail(s);
    ++applied;
  }
  if (pending.settings) {
    if (auto s = RefreshSettings(); !s) return Fail(s);
    ++applied;
  }
  if (pending.addresses) {
    if (auto s = RefreshAddresses(); !s) return Fail(s);
    ++applied;
  }
  analysis::Engine& engine = *write_engine_;
  auto apply = [&](std::span<const Report> batch) {
    for (const Report& r : batch) {
      engine.Update(r);  // an upsert: inserts what is new, rewrites what changed
      ++applied;
    }
  };
  for (const auto& [lo, hi] : pending.inserted) {
    // This system's own inserts are in the engine already (they follow their commit under this
    // lock): skip a range whose ends are there.
    if (engine.Contains(ReportId{lo}) && engine.Contains(ReportId{hi})) continue;
    if (auto s = write_store_->ForEachReportInRange(lo, hi, apply); !s) return Fail(s);
  }
  if (auto s = write_store_->ForEachReportUpdatedAfter(applied_seq_, apply); !s) return Fail(s);
  for (const CheckIn& c : pending.checkins) engine.AddCheckIn(c);
  applied += static_cast<int64_t>(pending.checkins.size());
  applied_seq_ = *last;
  if (applied > 0) followed_changes_.fetch_add(1);
  return read;
}

Status System::StartFollowing(int poll_ms) {
  if (follower_) return {};
  auto listener = store_->ListenForChanges();
  if (!listener) return Fail(listener);
  follower_ = std::make_unique<Follower>();
  Follower* f = follower_.get();
  std::shared_ptr<store::ChangeListener> l(std::move(*listener));
  f->thread = std::thread([this, f, l, poll_ms] {
    for (;;) {
      {
        std::lock_guard lock(f->mu);
        if (f->stop) return;
      }
      // Told of a commit, or a timeout: catch up either way (a missed notification costs at most
      // one poll interval). Waits in slices so that a stop is seen within 200 ms.
      const int slice = std::min(poll_ms, 200);
      bool heard = false;
      for (int waited = 0; waited < poll_ms && !heard; waited += slice) {
        auto w = l->Wait(slice);
        heard = w && *w;
        std::lock_guard lock(f->mu);
        if (f->stop) return;
      }
      (void)CatchUp();  // an error (the database away) is tried again on the next round
    }
  });
  return {};
}

}  // namespace est::app
