// The login limiter: at most `max_failures` failed logins per login name and client address within
// a sliding window; then the pair is refused (429) until its oldest failure leaves the window.
//
// The memory is bounded whatever the callers send: an entry is keyed by the SHA-256 of login and
// address (64 bytes, not the login text), holds at most `max_failures` times, and the table holds
// at most `max_entries` entries — when it is full, expired entries are purged first and then the
// entry with the oldest latest failure is evicted.
//
// Thread-safe (one internal mutex).
#ifndef EST_HTTP_LOGIN_LIMITER_H_
#define EST_HTTP_LOGIN_LIMITER_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.h"

namespace est::http {

class LoginLimiter {
 public:
  struct Options {
    int max_failures = 10;
    int window_seconds = 15 * 60;
    size_t max_entries = 10000;
  };
  LoginLimiter() : LoginLimiter(Options{}) {}
  explicit LoginLimiter(Options options) : options_(options) {}

  // True when `login` from `address` has `max_failures` failures within the window before `now`.
  bool Blocked(std::string_view login, std::string_view address, UnixSeconds now);
  // Records a failed login at `now`.
  void Failed(std::string_view login, std::string_view address, UnixSeconds now);
  // Forgets the failures of a pair after a successful login.
  void Succeeded(std::string_view login, std::string_view address);
  // The number of login/address pairs held (for tests and monitoring).
  size_t size() const;

 private:
  static std::string Key(std::string_view login, std::string_view address);
  // Drops the failures before the window; REQUIRES: mu_ held.
  void Expire(std::vector<UnixSeconds>& times, UnixSeconds now) const;
  // Makes room for one more entry; REQUIRES: mu_ held.
  void MakeRoom(UnixSeconds now);

  const Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<UnixSeconds>> failures_;  // GUARDED_BY(mu_)
};

}  // namespace est::http

#endif  // EST_HTTP_LOGIN_LIMITER_H_
