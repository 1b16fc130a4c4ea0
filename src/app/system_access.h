// Private to the app module: how the use cases outside system.cc reach the store and the write
// lock. The http and cli modules never include this header (tests/deps_test.py checks it); they
// call the use cases in app/*.h instead.
//
//   Read:  internal::StoreOf(sys).ListActions()         — no lock; the store is thread-safe.
//          (Also the writes outside the catalog and the engine: sessions, security events.)
//   Write: internal::WriteLock lock(sys);
//          internal::Access::Writer(sys).CreateMeeting(...) — serialised with every other write.
//
// clang's -Wthread-safety (preset clang-tsa) proves that Writer is called with the lock held.
#ifndef EST_APP_SYSTEM_ACCESS_H_
#define EST_APP_SYSTEM_ACCESS_H_

#include "app/system.h"
#include "core/mutex.h"

namespace est::app::internal {

// Friend of System (system.h). Writer REQUIRES the write lock (WriteLock).
struct Access {
  static store::Store& StoreOf(const System& sys) { return *sys.store_; }
  static store::Store& Writer(System& sys) EST_REQUIRES(sys.write_mu_) { return *sys.write_store_; }
  // The engine, to append what the use case stored (the same lock).
  static analysis::Engine& EngineWriter(System& sys) EST_REQUIRES(sys.write_mu_) {
    return *sys.write_engine_;
  }
  // After a change of the settings or the address register (the same lock).
  static Status RefreshSettings(System& sys) EST_REQUIRES(sys.write_mu_) {
    return sys.RefreshSettings();
  }
  static Status RefreshAddresses(System& sys) EST_REQUIRES(sys.write_mu_) {
    return sys.RefreshAddresses();
  }
  static Mutex& WriteMutex(System& sys) EST_RETURN_CAPABILITY(sys.write_mu_) {
    return sys.write_mu_;
  }
};

// The store for reads, and for writes that touch neither the catalog nor the engine (sessions,
// security events): any thread, no lock.
inline store::Store& StoreOf(const System& sys) { return Access::StoreOf(sys); }

// Holds the system's write lock: one writer at a time, so the store, the catalog snapshot and the
// engine change together. Not reentrant: a use case holding it must not call a System method
// that writes (those take it themselves).
class EST_SCOPED_CAPABILITY WriteLock {
 public:
  explicit WriteLock(System& sys) EST_ACQUIRE(sys.write_mu_) : mu_(Access::WriteMutex(sys)) {
    mu_.Lock();
  }
  ~WriteLock() EST_RELEASE() { mu_.Unlock(); }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace est::app::internal

#endif  // EST_APP_SYSTEM_ACCESS_H_
