// The login limiter's bounded table.
#include "http/login_limiter.h"

#include <algorithm>
#include <iterator>

#include "core/password.h"

namespace est::http {

std::string LoginLimiter::Key(std::string_view login, std::string_view address) {
  // The separator cannot occur in an address, so distinct pairs give distinct texts.
  std::string text;
  text.reserve(login.size() + address.size() + 1);
  text.append(address).append("\n").append(login);
  return Sha256Hex(text);
}

void LoginLimiter::Expire(std::vector<UnixSeconds>& times, UnixSeconds now) const {
  std::erase_if(times, [&](UnixSeconds t) { return t < now - options_.window_seconds; });
}

bool LoginLimiter::Blocked(std::string_view login, std::string_view address, UnixSeconds now) {
  std::string key = Key(login, address);
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  Expire(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= options_.max_failures;
}

void LoginLimiter::MakeRoom(UnixSeconds now) {
  if (failures_.size() < options_.max_entries) return;
  for (auto it = failures_.begin(); it != failures_.end();) {
    Expire(it->second, now);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
  if (failures_.size() < options_.max_entries) return;
  auto oldest = std::min_element(
      failures_.begin(), failures_.end(),
      [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
  failures_.erase(oldest);
}

void LoginLimiter::Failed(std::string_view login, std::string_view address, UnixSeconds now) {
  std::string key = Key(login, address);
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    MakeRoom(now);
    it = failures_.emplace(std::move(key), std::vector<UnixSeconds>{}).first;
  }
  std::vector<UnixSeconds>& times = it->second;
  Expire(times, now);
  times.push_back(now);
  // Concurrent requests may all pass Blocked(); only the newest failures matter.
  size_t keep = static_cast<size_t>(std::max(options_.max_failures, 1));
  if (times.size() > keep) times.erase(times.begin(), times.end() - static_cast<ptrdiff_t>(keep));
}

void LoginLimiter::Succeeded(std::string_view login, std::string_view address) {
  std::string key = Key(login, address);
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

size_t LoginLimiter::size() const {
  std::lock_guard lock(mu_);
  return failures_.size();
}

}  // namespace est::http
