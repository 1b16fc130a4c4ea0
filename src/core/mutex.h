// A mutex that clang's thread-safety analysis (-Wthread-safety) understands, and the annotation
// macros for what it guards. The macros expand to clang attributes and to nothing on other
// compilers, so GCC builds are unchanged; the `clang-tsa` preset (CMakePresets.json) builds with
// -Wthread-safety -Werror=thread-safety.
//
//   class Counter {
//    public:
//     void Add() EST_EXCLUDES(mu_) { MutexLock lock(mu_); ++n_; }
//    private:
//     Mutex mu_;
//     int n_ EST_GUARDED_BY(mu_) = 0;
//   };
//
// Thread safety: Mutex and MutexLock are what make other classes thread-safe; neither is copyable.
#ifndef EST_CORE_MUTEX_H_
#define EST_CORE_MUTEX_H_

#include <mutex>

#if defined(__clang__)
#define EST_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define EST_THREAD_ANNOTATION(x)
#endif

#define EST_CAPABILITY(x) EST_THREAD_ANNOTATION(capability(x))
#define EST_SCOPED_CAPABILITY EST_THREAD_ANNOTATION(scoped_lockable)
#define EST_GUARDED_BY(x) EST_THREAD_ANNOTATION(guarded_by(x))
#define EST_PT_GUARDED_BY(x) EST_THREAD_ANNOTATION(pt_guarded_by(x))
#define EST_REQUIRES(...) EST_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EST_ACQUIRE(...) EST_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define EST_RELEASE(...) EST_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define EST_EXCLUDES(...) EST_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define EST_RETURN_CAPABILITY(x) EST_THREAD_ANNOTATION(lock_returned(x))
#define EST_NO_THREAD_SAFETY_ANALYSIS EST_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace est {

// std::mutex as a capability.
class EST_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() EST_ACQUIRE() { mu_.lock(); }
  void Unlock() EST_RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// Holds `mu` for its lifetime (std::lock_guard for Mutex).
class EST_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) EST_ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() EST_RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace est

#endif  // EST_CORE_MUTEX_H_
