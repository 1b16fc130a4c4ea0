// Authentication and the handler wrappers: the session cookie, CSRF, personal API tokens
// (Authorization: Bearer, no CSRF: a browser never sends one by itself), the catch-all that turns a
// stray exception into a 500 with the request id, and the reply cache for authenticated GETs.
#include <spdlog/spdlog.h>

#include "app/sessions.h"
#include "core/password.h"
#include "http/server_impl.h"

namespace est::http {

std::string CookieValue(const Request& req, const std::string& name) {
  std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    std::string part =
        cookies.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

Result<Caller> Server::Impl::AuthenticateBearer(const Request& req, const std::string& header) {
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    return MakeError(ErrorCode::kUnauthenticated, "Authorization måste vara \"Bearer NYCKEL\"",
                     {{"Authorization", "bara Bearer med en personlig API-nyckel stöds"}});
  }
  std::string token = header.substr(kBearer.size());
  while (!token.empty() && token.back() == ' ') token.pop_back();
  auto found = app::FindApiToken(sys, token, NowUnix());
  if (!found) return tl::unexpected(found.error());
  if (!*found) {
    SecurityEvent("token_failure", req, "", "okänd, återkallad eller utgången API-nyckel");
    return MakeError(ErrorCode::kUnauthenticated,
                     "API-nyckeln är okänd, återkallad eller har gått ut",
                     {{"Authorization", "ogiltig nyckel"}});
  }
  auto user = app::FindUser(sys, (*found)->user);
  if (!user) return tl::unexpected(user.error());
  if (!*user || (*user)->disabled) {
    return MakeError(ErrorCode::kUnauthenticated, "Kontot är avstängt");
  }
  return Caller{**user, ""};
}

Result<Caller> Server::Impl::Authenticate(const Request& req, bool state_changing) {
  if (std::string header = req.get_header_value("Authorization"); !header.empty()) {
    return AuthenticateBearer(req, header);
  }
  std::string token = CookieValue(req, kCookie);
  if (token.empty()) {
    return MakeError(ErrorCode::kUnauthenticated, "Logga in först (POST /api/v1/auth/login)");
  }
  auto session =
      app::FindSession(sys, Sha256Hex(token), NowUnix(), options.idle_minutes * 60);
  if (!session) return tl::unexpected(session.error());
  if (!*session) {
    return MakeError(ErrorCode::kUnauthenticated, "Sessionen har gått ut; logga in igen");
  }
  auto user = app::FindUser(sys, (*session)->user);
  if (!user) return tl::unexpected(user.error());
  if (!*user || (*user)->disabled) {
    return MakeError(ErrorCode::kUnauthenticated, "Kontot är avstängt");
  }
  if (state_changing) {
    std::string sent = req.get_header_value("X-CSRF-Token");
    if (sent.empty() || !ConstantTimeEquals(sent, (*session)->csrf_token)) {
      return MakeError(ErrorCode::kForbidden,
                       "CSRF-token saknas eller är fel (skicka X-CSRF-Token från inloggningen)",
                       {{"X-CSRF-Token", "saknas eller stämmer inte"}});
    }
  }
  return Caller{**user, (*session)->csrf_token};
}

Reply Server::Impl::ToReply(const Request& req, Result<Reply> r, int64_t id) {
  if (r) return std::move(*r);
  const ErrorInfo& info = InfoFor(r.error().code);
  Reply out;
  out.status = info.http_status;
  out.content_type = "application/problem+json";
  out.body = ProblemBody(r.error(), req.path);
  if (r.error().code == ErrorCode::kForbidden) {
    SecurityEvent("forbidden", req, "", r.error().detail);
  }
  if (info.http_status >= 500) {
    spdlog::error("request {} {} {}: {}", id, req.method, req.path, ToString(r.error()));
  }
  return out;
}

Server::Impl::Handler Server::Impl::Wrap(OpenHandler h) {
  return [this, h](const Request& req) {
    int64_t id = ++request_seq;
    Result<Reply> r = MakeError(ErrorCode::kInternal, "Internt fel");
    try {
      r = h(req);
    } catch (const std::exception& e) {
      spdlog::error("request {} {} {} threw: {}", id, req.method, req.path, e.what());
      r = MakeError(ErrorCode::kInternal,
                    "Internt fel (begäran " + std::to_string(id) + "); se serverloggen");
    }
    return ToReply(req, std::move(r), id);
  };
}

Server::Impl::Handler Server::Impl::Authed(AuthedHandler h) {
  return Wrap([this, h](const Request& req) -> Result<Reply> {
    bool changing = req.method != "GET" && req.method != "HEAD";
    auto caller = Authenticate(req, changing);
    if (!caller) return tl::unexpected(caller.error());
    if (changing || !Cacheable(req.path)) return h(req, *caller);
    const std::string key = CacheKey(req, *caller);
    if (auto hit = cache.Find(key)) return hit->reply;
    auto r = h(req, *caller);
    if (!r || r->status != 200) return r;
    return cache.Put(key, std::move(*r))->reply;
  });
}

}  // namespace est::http
