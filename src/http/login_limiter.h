// The login limiter: at most `max_failures` failed logins per login name and client address, and
// at most `max_address_failures` per client address whatever the logins, within a sliding window;
// then the pair (or the whole address) is refused (429) until enough of its failures have left
// the window. A success forgets the failures of its pair but not of its address, so an attacker
// cannot reset the address's count by logging in to an account of their own.
//
// The memory is bounded whatever the callers send: an entry is keyed by a SHA-256 (64 bytes, not
// the login text), holds at most its table's maximum of times, and each of the two tables holds
// at most `max_entries` entries — when one is full, expired entries are purged first and then the
// entry with the oldest latest failure is evicted.
//
// Thread-safe (one internal mutex).
#ifndef EST_HTTP_LOGIN_LIMITER_H_
#define EST_HTTP_LOGIN_LIMITER_H_

#include <cstddef>
#include <cstdint>
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
    int max_address_failures = 50;
    int window_seconds = 15 * 60;
    size_t max_entries = 10000;
  };
  LoginLimiter() : LoginLimiter(Options{}) {}
  explicit LoginLimiter(Options options) : options_(options) {}

  // The seconds until `login` from `address` may try again at `now` (for Retry-After): 0 when
  // neither the pair nor the address is blocked.
  int64_t BlockedFor(std::string_view login, std::string_view address, UnixSeconds now);
  bool Blocked(std::string_view login, std::string_view address, UnixSeconds now) {
    return BlockedFor(login, address, now) > 0;
  }
  // Records a failed login at `now`. True when this failure starts a block (of the pair or of
  // the address): the moment to record a lockout.
  bool Failed(std::string_view login, std::string_view address, UnixSeconds now);
  // Forgets the failures of a pair after a successful login (the address's stay).
  void Succeeded(std::string_view login, std::string_view address);
  int window_seconds() const { return options_.window_seconds; }
  // The number of login/address pairs held (for tests and monitoring).
  size_t size() const;
  // The number of addresses held.
  size_t address_size() const;

 private:
  // Failure times per key, each list ascending and at most `max` long.
  struct Table {
    int max = 0;
    std::unordered_map<std::string, std::vector<UnixSeconds>> failures;
  };
  static std::string PairKey(std::string_view login, std::string_view address);
  static std::string AddressKey(std::string_view address);
  // Drops the failures before the window; REQUIRES: mu_ held.
  void Expire(std::vector<UnixSeconds>& times, UnixSeconds now) const;
  // Seconds until the key's block ends, 0 when not blocked; REQUIRES: mu_ held.
  int64_t BlockedFor(Table& table, const std::string& key, UnixSeconds now);
  // Records a failure; true when it starts a block; REQUIRES: mu_ held.
  bool Failed(Table& table, std::string key, UnixSeconds now);
  // Makes room for one more entry; REQUIRES: mu_ held.
  void MakeRoom(Table& table, UnixSeconds now);

  const Options options_;
  mutable std::mutex mu_;
  Table pairs_{options_.max_failures, {}};              // GUARDED_BY(mu_)
  Table addresses_{options_.max_address_failures, {}};  // GUARDED_BY(mu_)
};

}  // namespace est::http

#endif  // EST_HTTP_LOGIN_LIMITER_H_
