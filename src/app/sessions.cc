#include "app/sessions.h"

#include "app/system_access.h"

namespace est::app {

Result<std::optional<store::Session>> FindSession(const System& sys, const std::string& token_hash,
                                                  UnixSeconds now, int idle_seconds) {
  return internal::StoreOf(sys).FindSession(token_hash, now, idle_seconds);
}

Result<int> StartSession(const System& sys, const store::Session& session, int max_per_user) {
  return internal::StoreOf(sys).CreateSession(session, max_per_user);
}

Status EndSession(const System& sys, const std::string& token_hash) {
  return internal::StoreOf(sys).DeleteSession(token_hash);
}

Result<std::optional<User>> FindUser(const System& sys, UserId id) {
  return internal::StoreOf(sys).GetUser(id);
}

Result<std::optional<std::pair<User, std::string>>> FindLogin(const System& sys,
                                                              const std::string& login) {
  return internal::StoreOf(sys).FindLogin(login);
}

Status RecordSecurityEvent(const System& sys, const store::SecurityEvent& event) {
  return internal::StoreOf(sys).RecordSecurityEvent(event);
}

Result<std::vector<store::SecurityEvent>> LoginEventsAfter(const System& sys, int64_t after_id,
                                                           UnixSeconds since, int64_t limit) {
  return internal::StoreOf(sys).LoginEventsAfter(after_id, since, limit);
}

Result<std::vector<store::SecurityEvent>> ListSecurityEvents(const System& sys, int64_t before_id,
                                                             int64_t limit,
                                                             const std::string& kind) {
  return internal::StoreOf(sys).ListSecurityEvents(before_id, limit, kind);
}

Result<std::pair<int64_t, int64_t>> PurgeEnded(const System& sys, UnixSeconds now, int idle_seconds,
                                               UnixSeconds events_before) {
  auto sessions = internal::StoreOf(sys).PurgeSessions(now, idle_seconds);
  auto events = internal::StoreOf(sys).PurgeSecurityEvents(events_before);
  if (!sessions) return tl::unexpected(sessions.error());
  if (!events) return tl::unexpected(events.error());
  return std::pair<int64_t, int64_t>{*sessions, *events};
}

}  // namespace est::app
