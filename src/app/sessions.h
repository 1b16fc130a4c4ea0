// Sign-in use cases: sessions (token stored only as SHA-256), personal API tokens for machine
// clients (likewise), login look-up, security events and their retention. The HTTP layer's authentication (http/auth.cc) and login route, and `est user
// password` / `est security-events`, call these instead of the store.
//
// Sessions and security events are not part of the catalog or the engine, so they do not take the
// system's write lock: a login is never queued behind a long import. Thread-safe (the store is).
#ifndef EST_APP_SESSIONS_H_
#define EST_APP_SESSIONS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/system.h"
#include "core/error.h"
#include "core/model.h"
#include "core/time.h"

namespace est::app {

// The live session of a token hash (store::Store::FindSession: before it expires and, when
// `idle_seconds` > 0, used within them; marks it used). Empty when there is none.
Result<std::optional<store::Session>> FindSession(const System& sys, const std::string& token_hash,
                                                  UnixSeconds now, int idle_seconds = 0);
// Starts a session; with `max_per_user` > 0 the user's oldest sessions beyond it end. Returns how
// many ended.
Result<int> StartSession(const System& sys, const store::Session& session, int max_per_user);
Status EndSession(const System& sys, const std::string& token_hash);

// Personal API tokens ("est_" and 64 hex digits; `Authorization: Bearer TOKEN`). Create checks
// that `login` is an enabled user, the name (at most 100 characters; default "API-nyckel") and
// `expires_days` (0 = never, else 1–3650); the token itself is returned once, only its SHA-256
// stored. Errors name the field.
struct NewApiToken {
  std::string token;
  store::ApiToken record;
};
Result<NewApiToken> CreateApiToken(const System& sys, const std::string& login,
                                   const std::string& name, int expires_days,
                                   const store::Actor& actor);
Result<std::vector<store::ApiToken>> ListApiTokens(const System& sys,
                                                   std::optional<UserId> user = std::nullopt);
Result<store::ApiToken> RevokeApiToken(const System& sys, int64_t id, const store::Actor& actor);
// The live token for the raw `token` (anything that is not one of ours is simply not found).
Result<std::optional<store::ApiToken>> FindApiToken(const System& sys, const std::string& token,
                                                    UnixSeconds now);
inline constexpr std::string_view kApiTokenPrefix = "est_";

// The user with `id`, empty when there is none.
Result<std::optional<User>> FindUser(const System& sys, UserId id);
// The user with `login` and its password hash, empty when there is none.
Result<std::optional<std::pair<User, std::string>>> FindLogin(const System& sys,
                                                              const std::string& login);

Status RecordSecurityEvent(const System& sys, const store::SecurityEvent& event);
// Newest first: ids below `before_id` (0 = from the newest), at most `limit`, of `kind` if given.
Result<std::vector<store::SecurityEvent>> ListSecurityEvents(const System& sys, int64_t before_id,
                                                             int64_t limit,
                                                             const std::string& kind = "");
// Oldest first: login successes and failures after `after_id` from `since` on (at most `limit`),
// for the login limiter shared by every server on the database.
Result<std::vector<store::SecurityEvent>> LoginEventsAfter(const System& sys, int64_t after_id,
                                                           UnixSeconds since, int64_t limit);
// Deletes the sessions ended by `now` and the security events from before `events_before`;
// returns how many of each.
Result<std::pair<int64_t, int64_t>> PurgeEnded(const System& sys, UnixSeconds now, int idle_seconds,
                                               UnixSeconds events_before);

}  // namespace est::app

#endif  // EST_APP_SESSIONS_H_
