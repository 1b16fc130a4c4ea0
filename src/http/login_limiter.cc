// The login limiter's bounded tables.
#include "http/login_limiter.h"

#include <algorithm>
#include <iterator>

#include "core/password.h"

namespace est::http {

std::string LoginLimiter::PairKey(std::string_view login, std::string_view address) {
  // The separator cannot occur in an address, so distinct pairs give distinct texts.
  std::string text;
  text.reserve(login.size() + address.size() + 1);
  text.append(address).append("\n").append(login);
  return Sha256Hex(text);
}

std::string LoginLimiter::AddressKey(std::string_view address) { return Sha256Hex(address); }

void LoginLimiter::Expire(std::vector<UnixSeconds>& times, UnixSeconds now) const {
  std::erase_if(times, [&](UnixSeconds t) { return t < now - options_.window_seconds; });
}

int64_t LoginLimiter::BlockedFor(Table& table, const std::string& key, UnixSeconds now) {
  auto it = table.failures.find(key);
  if (it == table.failures.end()) return 0;
  std::vector<UnixSeconds>& times = it->second;
  Expire(times, now);
  if (times.empty()) {
    table.failures.erase(it);
    return 0;
  }
  int max = std::max(table.max, 1);
  if (static_cast<int>(times.size()) < max) return 0;
  // The block ends when the failure that completed the count leaves the window: a time t is
  // kept while t >= now - window.
  UnixSeconds deciding = times[times.size() - static_cast<size_t>(max)];
  return std::max<int64_t>(deciding + options_.window_seconds + 1 - now, 1);
}

int64_t LoginLimiter::BlockedFor(std::string_view login, std::string_view address,
                                 UnixSeconds now) {
  std::string pair = PairKey(login, address);
  std::string addr = AddressKey(address);
  std::lock_guard lock(mu_);
  return std::max(BlockedFor(pairs_, pair, now), BlockedFor(addresses_, addr, now));
}

void LoginLimiter::MakeRoom(Table& table, UnixSeconds now) {
  auto& failures = table.failures;
  if (failures.size() < options_.max_entries) return;
  for (auto it = failures.begin(); it != failures.end();) {
    Expire(it->second, now);
    it = it->second.empty() ? failures.erase(it) : std::next(it);
  }
  if (failures.size() < options_.max_entries || failures.empty()) return;
  auto oldest = std::min_element(
      failures.begin(), failures.end(),
      [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
  failures.erase(oldest);
}

bool LoginLimiter::Failed(Table& table, std::string key, UnixSeconds now) {
  auto it = table.failures.find(key);
  if (it == table.failures.end()) {
    MakeRoom(table, now);
    it = table.failures.emplace(std::move(key), std::vector<UnixSeconds>{}).first;
  }
  std::vector<UnixSeconds>& times = it->second;
  Expire(times, now);
  size_t keep = static_cast<size_t>(std::max(table.max, 1));
  bool was_blocked = times.size() >= keep;
  // Replayed events from several servers may come slightly out of time order: keep the list
  // ascending.
  times.insert(std::upper_bound(times.begin(), times.end(), now), now);
  // Concurrent requests may all pass Blocked(); only the newest failures matter.
  if (times.size() > keep) times.erase(times.begin(), times.end() - static_cast<ptrdiff_t>(keep));
  return !was_blocked && times.size() >= keep;
}

bool LoginLimiter::Failed(std::string_view login, std::string_view address, UnixSeconds now) {
  std::string pair = PairKey(login, address);
  std::string addr = AddressKey(address);
  std::lock_guard lock(mu_);
  bool pair_started = Failed(pairs_, std::move(pair), now);
  bool address_started = Failed(addresses_, std::move(addr), now);
  return pair_started || address_started;
}

void LoginLimiter::Succeeded(std::string_view login, std::string_view address) {
  std::string key = PairKey(login, address);
  std::lock_guard lock(mu_);
  pairs_.failures.erase(key);
}

size_t LoginLimiter::size() const {
  std::lock_guard lock(mu_);
  return pairs_.failures.size();
}

size_t LoginLimiter::address_size() const {
  std::lock_guard lock(mu_);
  return addresses_.failures.size();
}

}  // namespace est::http
