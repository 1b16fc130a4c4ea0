// Sign-in and security routes: login (with the login limiter), logout, the caller, a user's own
// password change, the administrators' list of security events; and the helpers: security events
// (store::SecurityEvent + spdlog), the purge of ended sessions.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "app/present.h"
#include "app/sessions.h"
#include "core/password.h"
#include "core/time.h"
#include "http/server_impl.h"

namespace est::http {
namespace {

// How long security events are kept.
constexpr int64_t kSecurityRetentionSeconds = 365 * 24 * 3600;
// The kinds GET /security-events can filter on.
constexpr std::array<std::string_view, 9> kKinds = {
    "login_success", "login_failure",    "lockout",        "logout",       "forbidden",
    "session_limit", "password_changed", "password_reset", "token_failure"};

std::string ClearCookie() {
  return std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

}  // namespace

std::string SafeLogText(std::string_view text) {
  std::string out(text.substr(0, 300));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

Reply RateLimitedReply(int64_t wait_seconds, const std::string& instance) {
  Error e{ErrorCode::kRateLimited,
          "För många misslyckade inloggningar; försök igen om " +
              std::to_string((wait_seconds + 59) / 60) + " minuter",
          {}};
  Reply r;
  r.status = InfoFor(e.code).http_status;
  r.body = ProblemBody(e, instance);
  r.content_type = "application/problem+json";
  r.headers.emplace_back("Retry-After", std::to_string(wait_seconds));
  return r;
}

bool Server::Impl::SecurityEvent(std::string_view kind, const Request& req,
                                 std::string_view login, std::string_view detail) {
  store::SecurityEvent e;
  e.at = NowUnix();
  e.kind = kind;
  e.login = login;
  e.address = req.remote_addr;
  e.detail = detail;
  if (kind == "forbidden") e.detail = req.method + " " + req.path + ": " + e.detail;
  if (e.login.empty()) {
    // A refused request of a logged-in caller: name them (the session is valid by then).
    std::string token = CookieValue(req, kCookie);
    if (!token.empty()) {
      auto session = app::FindSession(sys, Sha256Hex(token), e.at);
      if (session && *session) {
        auto user = app::FindUser(sys, (*session)->user);
        if (user && *user) e.login = (*user)->login;
      }
    }
  }
  bool routine = kind == "login_success" || kind == "logout";
  spdlog::log(routine ? spdlog::level::info : spdlog::level::warn, "security {} login={} ip={} {}",
              kind, SafeLogText(e.login), e.address, SafeLogText(e.detail));
  if (auto s = app::RecordSecurityEvent(sys, e); !s) {
    spdlog::error("security event {} not stored: {}", kind, ToString(s.error()));
    return false;
  }
  return true;
}

void Server::Impl::SyncLimiter(UnixSeconds now) {
  constexpr int64_t kPage = 1000, kMaxPages = 100;  // a storm is read over several calls
  std::lock_guard lock(limiter_sync_mu);
  const UnixSeconds since = now - login_limiter.window_seconds();
  for (int64_t page = 0; page < kMaxPages; ++page) {
    auto events = app::LoginEventsAfter(sys, limiter_seen_id, since, kPage);
    if (!events) {
      spdlog::error("login events not read: {}", ToString(events.error()));
      return;
    }
    for (const store::SecurityEvent& e : *events) {
      if (e.kind == "login_failure") {
        login_limiter.Failed(e.login, e.address, e.at);
      } else {
        login_limiter.Succeeded(e.login, e.address);
      }
      limiter_seen_id = e.id;
    }
    if (static_cast<int64_t>(events->size()) < kPage) return;
  }
}

bool Server::Impl::LoginFailed(const Request& req, const std::string& login,
                               std::string_view detail, UnixSeconds now) {
  bool was_blocked = login_limiter.BlockedFor(login, req.remote_addr, now) > 0;
  if (!SecurityEvent("login_failure", req, login, detail)) {
    return login_limiter.Failed(login, req.remote_addr, now);
  }
  SyncLimiter(now);
  return !was_blocked && login_limiter.BlockedFor(login, req.remote_addr, now) > 0;
}

void Server::Impl::PurgeNow(UnixSeconds now) {
  UnixSeconds last = last_purge.load();
  if (now - last < 600 || !last_purge.compare_exchange_strong(last, now)) return;
  auto purged =
      app::PurgeEnded(sys, now, options.idle_minutes * 60, now - kSecurityRetentionSeconds);
  if (!purged) {
    spdlog::error("purge failed: {}", ToString(purged.error()));
    return;
  }
  if (purged->first > 0 || purged->second > 0) {
    spdlog::info("purged {} ended sessions and {} old security events", purged->first,
                 purged->second);
  }
}

Result<Reply> Server::Impl::Login(const Request& req) {
  auto body = ParseJsonBody(req);
  if (!body) return tl::unexpected(body.error());
  Fields f(*body, "", {"login", "password"});
  auto login = f.Str("login", kMaxLoginChars);
  auto password = f.Str("password");
  f.Require("login", login.has_value());
  f.Require("password", password.has_value());
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Inloggningen är ofullständig", f.errors());
  }
  UnixSeconds now = NowUnix();
  SyncLimiter(now);
  if (int64_t wait = login_limiter.BlockedFor(*login, req.remote_addr, now); wait > 0) {
    // Not stored: the lockout was recorded when it began, and a storm of refused attempts must
    // not grow the table.
    spdlog::info("security login_refused login={} ip={} wait={}s", SafeLogText(*login),
                 req.remote_addr, wait);
    return RateLimitedReply(wait, req.path);
  }
  auto found = app::FindLogin(sys, *login);
  if (!found) return tl::unexpected(found.error());
  // An unknown or disabled account is checked against a dummy hash: the same cost either way.
  const std::string* hash = *found && !(*found)->first.disabled ? &(*found)->second : nullptr;
  if (!VerifyLoginPassword(*password, hash)) {
    bool blocked =
        LoginFailed(req, *login, hash ? "fel lösenord" : "okänt eller avstängt konto", now);
    if (blocked) {
      SecurityEvent(
          "lockout", req, *login,
          "för många misslyckade inloggningar; spärrad i " +
              std::to_string((login_limiter.BlockedFor(*login, req.remote_addr, now) + 59) / 60) +
              " minuter");
    }
    return MakeError(ErrorCode::kUnauthenticated, "Fel användarnamn eller lösenord");
  }
  PurgeNow(now);
  std::string token = RandomToken();
  store::Session session{Sha256Hex(token),
                         (*found)->first.id,
                         RandomToken(),
                         now + options.session_hours * 3600,
                         now,
                         now};
  auto ended = app::StartSession(sys, session, options.max_sessions_per_user);
  if (!ended) return tl::unexpected(ended.error());
  if (SecurityEvent("login_success", req, *login, "")) {
    SyncLimiter(now);
  } else {
    login_limiter.Succeeded(*login, req.remote_addr);
  }
  if (*ended > 0) {
    SecurityEvent("session_limit", req, *login,
                  std::to_string(*ended) + " äldsta sessioner avslutade (högst " +
                      std::to_string(options.max_sessions_per_user) + " per användare)");
  }
  auto cat = sys.catalog();
  Reply r = JsonReply(
      {{"user", app::UserJson((*found)->first, *cat)}, {"csrf_token", session.csrf_token}});
  std::string cookie = std::string(kCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(options.session_hours * 3600);
  if (options.secure_cookies) cookie += "; Secure";
  r.headers.emplace_back("Set-Cookie", cookie);
  return r;
}

void Server::Impl::SecurityRoutes() {
  Post("/api/v1/auth/login", Wrap([this](const Request& req) { return Login(req); }));
  Post("/api/v1/auth/logout",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         (void)app::EndSession(sys, Sha256Hex(CookieValue(req, kCookie)));
         SecurityEvent("logout", req, c.user.login, "");
         Reply r;
         r.status = 204;
         r.headers.emplace_back("Set-Cookie", std::string(kCookie) +
                                                  "=; Path=/; HttpOnly; SameSite=Strict; "
                                                  "Max-Age=0");
         return r;
       }));
  Get("/api/v1/auth/me", Authed([this](const Request&, const Caller& c) {
        return Result<Reply>(
            JsonReply({{"user", app::UserJson(c.user, *sys.catalog())}, {"csrf_token", c.csrf}}));
      }));

  Post("/api/v1/auth/password",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"current_password", "password"});
         auto current = f.Str("current_password");
         auto password = f.Str("password");
         f.Require("current_password", current.has_value());
         f.Require("password", password.has_value());
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Lösenordsbytet är ofullständigt",
                            f.errors());
         }
         // A stolen session must not become a way to guess the password: the login's limit.
         UnixSeconds now = NowUnix();
         SyncLimiter(now);
         if (int64_t wait = login_limiter.BlockedFor(c.user.login, req.remote_addr, now);
             wait > 0) {
           return RateLimitedReply(wait, req.path);
         }
         auto changed = sys.ChangeOwnPassword(c.user.id, *current, *password, c.actor());
         if (!changed) {
           if (changed.error().code == ErrorCode::kForbidden) {
             LoginFailed(req, c.user.login, "fel nuvarande lösenord vid lösenordsbyte", now);
           }
           return tl::unexpected(changed.error());
         }
         SecurityEvent("password_changed", req, c.user.login, "");
         // Every session of the user ended with the change, this one too.
         Reply r;
         r.status = 204;
         r.headers.emplace_back("Set-Cookie", ClearCookie());
         return r;
       }));

  Get("/api/v1/security-events",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        if (!c.Is({Role::kAdmin}))
          return Forbidden("Bara administratörer ser säkerhetshändelserna");
        auto before = IntParam(req, "before", 0, 0, INT64_MAX);
        if (!before) return tl::unexpected(before.error());
        auto limit = IntParam(req, "limit", 200, 1, 1000);
        if (!limit) return tl::unexpected(limit.error());
        std::string kind = req.has_param("kind") ? req.get_param_value("kind") : "";
        if (!kind.empty() &&
            std::find(kKinds.begin(), kKinds.end(), std::string_view(kind)) == kKinds.end()) {
          std::string known;
          for (auto k : kKinds) known += (known.empty() ? "" : ", ") + std::string(k);
          return MakeError(ErrorCode::kInvalidArgument, "Okänd händelsetyp",
                           {{"kind", "måste vara en av " + known}});
        }
        auto list = app::ListSecurityEvents(sys, *before, *limit, kind);
        if (!list) return tl::unexpected(list.error());
        json items = json::array();
        for (const auto& e : *list) {
          items.push_back(app::SecurityEventJson(e));
        }
        return JsonReply({{"items", items}});
      }));

  // Personal API tokens: an administrator manages everyone's, every user their own.
  auto LoginOf = [this](UserId id) -> std::string {
    auto u = app::FindUser(sys, id);
    return u && *u ? (*u)->login : "";
  };
  Get("/api/v1/tokens", Authed([this, LoginOf](const Request&, const Caller& c) -> Result<Reply> {
        const bool admin = c.Is({Role::kAdmin});
        auto list = app::ListApiTokens(sys, admin ? std::nullopt : std::optional(c.user.id));
        if (!list) return tl::unexpected(list.error());
        json items = json::array();
        const UnixSeconds now = NowUnix();
        for (const auto& t : *list) items.push_back(app::ApiTokenJson(t, LoginOf(t.user), now));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/tokens", Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"login", "name", "expires_days"});
         std::string login = f.Str("login", kMaxLoginChars).value_or(c.user.login);
         std::string name = f.Str("name", 100).value_or("");
         int days = f.Int("expires_days").value_or(365);
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Nyckeln kan inte skapas", f.errors());
         }
         if (login != c.user.login && !c.Is({Role::kAdmin})) {
           return Forbidden("Bara administratörer skapar nycklar åt andra");
         }
         auto made = app::CreateApiToken(sys, login, name, days, c.actor());
         if (!made) return tl::unexpected(made.error());
         json out = app::ApiTokenJson(made->record, login, NowUnix());
         out["token"] = made->token;  // shown this once
         return JsonReply(out, 201);
       }));
  Post(R"(/api/v1/tokens/(\d+)/revoke)",
       Authed([this, LoginOf](const Request& req, const Caller& c) -> Result<Reply> {
         auto id = PathId(req);
         if (!id) return tl::unexpected(id.error());
         auto mine = app::ListApiTokens(sys, c.user.id);
         if (!mine) return tl::unexpected(mine.error());
         const bool own = std::any_of(mine->begin(), mine->end(),
                                      [&](const store::ApiToken& t) { return t.id == *id; });
         if (!own && !c.Is({Role::kAdmin})) {
           return MakeError(ErrorCode::kNotFound, "Nyckeln finns inte",
                            {{"id", "ingen egen nyckel har id " + std::to_string(*id)}});
         }
         auto revoked = app::RevokeApiToken(sys, *id, c.actor());
         if (!revoked) return tl::unexpected(revoked.error());
         return JsonReply(app::ApiTokenJson(*revoked, LoginOf(revoked->user), NowUnix()));
       }));
}

}  // namespace est::http
