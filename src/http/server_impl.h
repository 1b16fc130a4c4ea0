// Private to the http module: the server's state and the helpers its route files share.
// server.cc: dispatch (routing, headers, revalidation, compression) and the route groups;
// auth.cc: authentication (session cookie, CSRF) and the handler wrappers; params.h: request
// parameters; routes_*.cc: one file per resource (security: login, sessions, security events;
// config: organisations, users, categories, areas, places, audit; reports: reports and
// check-ins; analysis: lägesbild and the analyses; work: meetings, problems, actions, documents,
// feedback; context: surveys, the police list, safety, the 2030 goal).
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
#include "http/params.h"
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
};

inline tl::unexpected<Error> Forbidden(std::string detail) {
  return MakeError(ErrorCode::kForbidden, std::move(detail));
}

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
  // Fed from the database's login events (SyncLimiter), not from this process alone, so that the
  // limits hold across every server on one database.
  LoginLimiter login_limiter;
  std::mutex limiter_sync_mu;
  int64_t limiter_seen_id = 0;  // GUARDED_BY(limiter_sync_mu): the last login event replayed
  std::atomic<UnixSeconds> last_purge{0};
  // Residents' reports from the public page (routes_public.cc): every attempt counts, at most
  // 10 an hour from one client address (this server's memory: per server, not shared).
  LoginLimiter citizen_limiter{LoginLimiter::Options{10, 10, 3600, 10000}};

  Impl(app::System& s, ServerOptions o) : sys(s), options(std::move(o)) {}

  // The caller of a request (auth.cc): the session cookie → the session (stored as SHA-256 only)
  // → an enabled user; with `state_changing`, the X-CSRF-Token header compared in constant time.
  // kUnauthenticated without a valid session, kForbidden naming X-CSRF-Token.
  Result<Caller> Authenticate(const Request& req, bool state_changing);
  // Authorization: Bearer with a personal API token (app::FindApiToken): 401 when unknown,
  // revoked or expired (recorded as a security event "token_failure").
  Result<Caller> AuthenticateBearer(const Request& req, const std::string& header);

  using AuthedHandler = std::function<Result<Reply>(const Request&, const Caller&)>;
  using OpenHandler = std::function<Result<Reply>(const Request&)>;
  using Handler = std::function<Reply(const Request&)>;

  // The reply for a handler's result: an Error becomes problem+json with its status.
  Reply ToReply(const Request& req, Result<Reply> r, int64_t id);
  // A handler for anyone: a thrown exception becomes a logged 500 naming the request id.
  Handler Wrap(OpenHandler h);
  // A handler for a signed-in caller (Authenticate); cacheable GET replies go through the cache.
  Handler Authed(AuthedHandler h);

  // GET replies that depend only on the caller, the target, the data and the clock's minute:
  // every authenticated GET except sessions, the audit trail and security events (written by
  // requests that are not data writes).
  static bool Cacheable(const std::string& path) {
    for (const char* p :
         {"/api/v1/auth/", "/api/v1/audit", "/api/v1/security-events", "/api/v1/tokens"}) {
      if (path.rfind(p, 0) == 0) return false;
    }
    return true;
  }
  std::string CacheKey(const Request& req, const Caller& c) const {
    // followed_changes: what other servers wrote, applied here (app/sync.cc).
    return std::to_string(data_version.load()) + "." + std::to_string(sys.followed_changes()) +
           "|" + std::to_string(NowUnix() / 60) + "|" +
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
  // (never a password). A failure to store it is logged, never the request's failure; returns
  // whether it was stored.
  bool SecurityEvent(std::string_view kind, const Request& req, std::string_view login,
                     std::string_view detail);
  // Deletes ended sessions and security events past retention, at most every ten minutes.
  void PurgeNow(UnixSeconds now);
  // Replays into login_limiter the login failures and successes stored since the last call, by
  // this server or any other on the database (those of the limiter's window only).
  void SyncLimiter(UnixSeconds now);
  // After a login failure: records it and returns true when it starts a block (the moment to
  // record a lockout). Counted in the limiter from the database when it was stored, directly
  // when the store refused it.
  bool LoginFailed(const Request& req, const std::string& login, std::string_view detail,
                   UnixSeconds now);

  // The route table, one group per resource (routes_*.cc), in this order.
  void Routes();
  // The create, read and update routes of one piece of the weekly work (routes_work.cc).
  template <class Resource>
  void AddWorkResource(const Resource& r);
  void SecurityRoutes();  // routes_security.cc: login, logout, me, own password, security events
  void ConfigRoutes();    // routes_config.cc: organisations, users, categories, areas, places,
                          // addresses, the basemap
  void ReportRoutes();    // routes_reports.cc: reports, import, check-ins
  void AnalysisRoutes();  // routes_analysis.cc: lägesbild, hotspots, emerging, heat, ...
  void AuditRoutes();     // routes_config.cc: the audit trail
  void WorkRoutes();      // routes_work.cc: meetings, agenda, problems, actions, documents, feedback
  void ContextRoutes();   // routes_context.cc: surveys, the police list, safety, the 2030 goal
  void OgcRoutes();       // routes_ogc.cc: OGC API – Features at /ogcapi
  void Open311Routes();   // routes_open311.cc: Open311 GeoReport v2 at /open311/v2
  void PublicRoutes();    // routes_public.cc: the public lägesbild, residents' reports
  // An Open311 caller: the API token in `api_key` (query, or the posted `form`) or Bearer.
  Result<Caller> Open311Caller(const Request& req, const Request& form);

  Result<Reply> Login(const Request& req);
  Result<Reply> CreateReport(const Request& req, const Caller& c);
  Result<Reply> ListReports(const Request& req, const Caller& c);
  Result<Reply> ExportReports(const Request& req, const Caller& c, const std::string& format);
  Result<Reply> PatchReport(const Request& req, const Caller& c);
  Result<Reply> ImportReports(const Request& req, const Caller& c);
  Result<Reply> Lagesbild(const Request& req, const Caller& c);
};

}  // namespace est::http

#endif  // EST_HTTP_SERVER_IMPL_H_
