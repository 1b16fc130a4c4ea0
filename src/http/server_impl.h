// Private to the http module: the server's state and the helpers its route files share
// (server.cc: auth, reports, analyses; work_routes.cc: meetings, problems, actions, documents,
// surveys, the police list, feedback).
#ifndef EST_HTTP_SERVER_IMPL_H_
#define EST_HTTP_SERVER_IMPL_H_

#include <spdlog/spdlog.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/analyses.h"
#include "app/system.h"
#include "core/error.h"
#include "core/password.h"
#include "http/fields.h"
#include "http/login_limiter.h"
#include "http/request.h"
#include "http/response_cache.h"
#include "http/server.h"
#include "http/static_files.h"
#include "http/transport.h"

namespace est::http {

class Transport;
class StaticFiles;

using nlohmann::json;

inline constexpr const char* kCookie = "est_session";

// problem+json text of an error (RFC 9457) for the request path `instance`.
std::string ProblemBody(const Error& e, const std::string& instance);
// The value of cookie `name`, "" when absent.
std::string CookieValue(const Request& req, const std::string& name);

// Text that is not UTF-8 (a query parameter echoed in an error, say) is written with U+FFFD
// instead of making dump() throw.
inline Reply JsonReply(const json& j, int status = 200) {
  Reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// The authenticated caller of a request.
struct Caller {
  User user;
  std::string csrf;
  store::Actor actor() const { return {user.id, user.login}; }
  bool Is(std::initializer_list<Role> roles) const {
    for (Role r : roles) {
      if (user.role == r) return true;
    }
    return false;
  }
  // Reporters and organisation leads act for their own organisation only.
  bool OrgBound() const { return user.role == Role::kReporter || user.role == Role::kOrgLead; }
};

inline tl::unexpected<Error> Forbidden(std::string detail) {
  return MakeError(ErrorCode::kForbidden, std::move(detail));
}

// The id in the path (the first regex group, digits): an error (kInvalidArgument, field "id") when
// it does not fit a 64-bit integer, so 99999999999999999999 is a 400, not a 500.
Result<int64_t> PathId(const Request& req);
// The JSON object of a request body; errors name the body (not JSON, not an object, too deep).
Result<json> ParseJsonBody(const Request& req);
// Every value of a query parameter, comma-separated values split.
std::vector<std::string> ListParam(const Request& req, const std::string& name);
// An integer query parameter in [lo, hi], `def` when absent; the error names the parameter.
Result<int64_t> IntParam(const Request& req, const std::string& name, int64_t def,
                         int64_t lo, int64_t hi);
// The lägesbild filters of a request (period, from, to, area, category, org, dimension).
app::LagesbildParams FilterParams(const Request& req);
Result<double> NumParam(const Request& req, const std::string& name, double def);
Result<app::GridParams> GridFrom(const Request& req);
Reply TextReply(std::string body, const char* type);
// `text` for a log line: control characters (a forged line break, say) become '?'.
std::string SafeLogText(std::string_view text);
// The 429 of the login limiter, with Retry-After: `wait_seconds`.
Reply RateLimitedReply(int64_t wait_seconds, const std::string& instance);

struct Server::Impl {
  app::System& sys;
  ServerOptions options;
  std::unique_ptr<Transport> transport;
  std::unique_ptr<StaticFiles> static_files;  // null without a web folder
  // Read-only API replies, keyed by data version, minute, caller and target (CacheKey).
  ResponseCache cache{64 * 1024 * 1024};
  // Bumped by every accepted write (a non-GET answered below 400): cached replies of an older
  // version are never served again.
  std::atomic<int64_t> data_version{0};
  std::atomic<int64_t> request_seq{0};
  LoginLimiter login_limiter;
  std::atomic<UnixSeconds> last_purge{0};

  Impl(app::System& s, ServerOptions o) : sys(s), options(std::move(o)) {}

  Result<Caller> Authenticate(const Request& req, bool state_changing) {
    std::string token = CookieValue(req, kCookie);
    if (token.empty()) {
      return MakeError(ErrorCode::kUnauthenticated, "Logga in först (POST /api/v1/auth/login)");
    }
    auto session = sys.store().FindSession(Sha256Hex(token), NowUnix(), options.idle_minutes * 60);
    if (!session) return tl::unexpected(session.error());
    if (!*session) {
      return MakeError(ErrorCode::kUnauthenticated, "Sessionen har gått ut; logga in igen");
    }
    auto user = sys.store().GetUser((*session)->user);
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

  using AuthedHandler = std::function<Result<Reply>(const Request&, const Caller&)>;
  using OpenHandler = std::function<Result<Reply>(const Request&)>;
  using Handler = std::function<Reply(const Request&)>;

  // The reply for a handler's result: an Error becomes problem+json with its status.
  Reply ToReply(const Request& req, Result<Reply> r, int64_t id) {
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

  Handler Wrap(OpenHandler h) {
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

  Handler Authed(AuthedHandler h) {
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

  // GET replies that depend only on the caller, the target, the data and the clock's minute:
  // every authenticated GET except sessions, the audit trail and security events (written by
  // requests that are not data writes).
  static bool Cacheable(const std::string& path) {
    for (const char* p : {"/api/v1/auth/", "/api/v1/audit", "/api/v1/security-events"}) {
      if (path.rfind(p, 0) == 0) return false;
    }
    return true;
  }
  std::string CacheKey(const Request& req, const Caller& c) const {
    return std::to_string(data_version.load()) + "|" + std::to_string(NowUnix() / 60) + "|" +
           std::to_string(c.user.id.value) + "|" + req.target;
  }

  // The route table: a literal path or a pattern whose groups are digits ("(\\d+)").
  struct Route {
    std::string method;   // upper case: GET, POST, PATCH
    std::string pattern;  // as registered
    std::string doc;      // with {id} placeholders (docs/openapi.yaml)
    bool literal = true;
    Handler handler;
  };
  std::vector<Route> route_table;
  std::vector<std::pair<std::string, std::string>> routes;  // (lower-case method, doc path)
  void Add(const std::string& method, const std::string& pattern, Handler h) {
    Route r;
    r.method = method;
    for (char& ch : r.method) ch = static_cast<char>(ch - 'a' + 'A');
    r.pattern = pattern;
    r.doc = pattern;
    auto pos = r.doc.find(R"((\d+))");
    if (pos != std::string::npos) r.doc.replace(pos, 5, "{id}");
    r.literal = pattern.find('(') == std::string::npos;
    r.handler = std::move(h);
    routes.emplace_back(method, r.doc);
    route_table.push_back(std::move(r));
  }
  void Get(const std::string& p, Handler h) { Add("get", p, std::move(h)); }
  void Post(const std::string& p, Handler h) { Add("post", p, std::move(h)); }
  void Patch(const std::string& p, Handler h) { Add("patch", p, std::move(h)); }

  // Answers one request: routing (404, 405 with Allow), the static files, security headers.
  // Never throws.
  Reply Dispatch(Request& req);
  Reply Static(const Request& req);

  // Records a security event (store::SecurityEvent) and logs it with spdlog: the kind, the login
  // (when "", the caller's from the session cookie, if any), the client address and `detail`
  // (never a password). A failure to store it is logged, never the request's failure.
  void SecurityEvent(std::string_view kind, const Request& req, std::string_view login,
                     std::string_view detail);
  // Deletes ended sessions and security events past retention, at most every ten minutes.
  void PurgeNow(UnixSeconds now);

  void Routes();
  void SecurityRoutes();  // own password, the security events
  Result<Reply> Login(const Request& req);
  Result<Reply> CreateReport(const Request& req, const Caller& c);
  Result<Reply> ListReports(const Request& req, const Caller& c);
  Result<Reply> PatchReport(const Request& req, const Caller& c);
  Result<Reply> ImportReports(const Request& req, const Caller& c);
  Result<Reply> Lagesbild(const Request& req, const Caller& c);
  void WorkRoutes();     // meetings, agenda, problems, actions, documents
  void ContextRoutes();  // surveys, the police list, säkerhet vs trygghet, the 2030 goal
};

}  // namespace est::http

#endif  // EST_HTTP_SERVER_IMPL_H_
