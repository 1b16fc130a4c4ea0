#include "app/sessions.h"

#include "app/system_access.h"
#include "core/password.h"

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

Result<NewApiToken> CreateApiToken(const System& sys, const std::string& login,
                                   const std::string& name, int expires_days,
                                   const store::Actor& actor) {
  std::vector<FieldError> errors;
  auto user = internal::StoreOf(sys).FindLogin(login);
  if (!user) return Fail(user);
  if (!*user) {
    errors.push_back({"login", "ingen användare heter \"" + login + "\""});
  } else if ((*user)->first.disabled) {
    errors.push_back({"login", "kontot är avstängt"});
  }
  std::string label = name.empty() ? "API-nyckel" : name;
  if (label.size() > 100) errors.push_back({"name", "högst 100 tecken"});
  if (expires_days < 0 || expires_days > 3650) {
    errors.push_back({"expires_days", "måste vara 0 (aldrig) eller 1–3650 dagar"});
  }
  if (!errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Nyckeln kan inte skapas", std::move(errors));
  }
  const UnixSeconds now = NowUnix();
  NewApiToken out;
  out.token = std::string(kApiTokenPrefix) + RandomToken(32);
  store::ApiToken t;
  t.user = (*user)->first.id;
  t.name = label;
  t.token_hash = Sha256Hex(out.token);
  t.prefix = out.token.substr(0, kApiTokenPrefix.size() + 6);
  t.created_at = now;
  t.expires_at = expires_days ? now + int64_t{expires_days} * 86400 : 0;
  auto stored = internal::StoreOf(sys).CreateApiToken(t, actor);
  if (!stored) return Fail(stored);
  out.record = std::move(*stored);
  return out;
}

Result<std::vector<store::ApiToken>> ListApiTokens(const System& sys, std::optional<UserId> user) {
  return internal::StoreOf(sys).ListApiTokens(user);
}

Result<store::ApiToken> RevokeApiToken(const System& sys, int64_t id, const store::Actor& actor) {
  return internal::StoreOf(sys).RevokeApiToken(id, NowUnix(), actor);
}

Result<std::optional<store::ApiToken>> FindApiToken(const System& sys, const std::string& token,
                                                    UnixSeconds now) {
  if (token.size() != kApiTokenPrefix.size() + 64 || token.rfind(kApiTokenPrefix, 0) != 0) {
    return std::optional<store::ApiToken>();
  }
  return internal::StoreOf(sys).FindApiToken(Sha256Hex(token), now);
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
