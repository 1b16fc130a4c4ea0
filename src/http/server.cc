// The HTTP server: the route table (one group per resource, routes_*.cc) and the dispatch of a
// request — routing (404, 405 with Allow), static files, security headers, If-None-Match and
// gzip. Authentication is auth.cc, parameters params.h, the transport transport.h.
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "http/compress.h"
#include "http/server_impl.h"

namespace est::http {

extern const char* const kOpenApiYaml;

using nlohmann::json;

std::string ProblemBody(const Error& e, const std::string& instance) {
  const ErrorInfo& info = InfoFor(e.code);
  json errors = json::array();
  for (const FieldError& f : e.fields) errors.push_back({{"field", f.field}, {"reason", f.reason}});
  json j = {{"type", info.type},  {"title", info.title},  {"status", info.http_status},
            {"detail", e.detail}, {"instance", instance}, {"errors", errors}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Reply TextReply(std::string body, const char* type) {
  Reply r;
  r.body = std::move(body);
  r.content_type = type;
  return r;
}

namespace {

const char* kStartPage = R"html(<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>EST – Effektiv samordning för trygghet</title>
<link rel="stylesheet" href="/start.css"></head>
<body><main>
<h1>EST – Effektiv samordning för trygghet</h1>
<p>Servern är igång. Webbgränssnittet byggs från <code>web/</code>; tills det finns används API:t direkt.</p>
<h2>API</h2>
<ul>
<li><code>POST /api/v1/auth/login</code> med <code>{"login": "...", "password": "..."}</code> loggar in (sessionskaka och CSRF-token).</li>
<li><code>GET /api/v1/lagesbild?period=2026-W47</code> – veckans lägesbild.</li>
<li><code>POST /api/v1/reports</code> – ny rapport.</li>
<li>Hela beskrivningen: <a href="/api/v1/openapi.yaml">openapi.yaml</a>.</li>
</ul>
</main></body></html>
)html";

const char* kStartCss =
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}code{background:#f1f1f1;padding:0 .2rem}";

}  // namespace

// ---- routes ----

void Server::Impl::Routes() {
  // Anonymous: says that the server is up and nothing else.
  Get("/api/v1/health",
      Wrap([](const Request&) -> Result<Reply> { return JsonReply({{"status", "ok"}}); }));
  Get("/api/v1/openapi.yaml", Wrap([](const Request&) -> Result<Reply> {
        return TextReply(kOpenApiYaml, "application/yaml; charset=utf-8");
      }));
  SecurityRoutes();
  ConfigRoutes();
  ReportRoutes();
  AnalysisRoutes();
  AuditRoutes();
  WorkRoutes();
  ContextRoutes();
  OgcRoutes();
  Open311Routes();
  PublicRoutes();

  if (!options.web_dir.empty()) static_files = std::make_unique<StaticFiles>(options.web_dir);
}

// ---- dispatch: routing, static files, headers, revalidation, compression ----

Reply Server::Impl::Static(const Request& req) {
  if (static_files) {
    if (auto r = static_files->Serve(req)) return std::move(*r);
  } else if (req.method == "GET" || req.method == "HEAD") {
    if (req.path == "/") return TextReply(kStartPage, "text/html; charset=utf-8");
    if (req.path == "/start.css") return TextReply(kStartCss, "text/css; charset=utf-8");
  }
  return ToReply(req, MakeError(ErrorCode::kNotFound, "Adressen finns inte: " + req.path), 0);
}

Reply Server::Impl::Dispatch(Request& req) {
  if (options.trust_proxy) {
    // Behind a reverse proxy: the client's address and scheme as the proxy tells them.
    std::string fwd = req.get_header_value("X-Forwarded-For");
    if (!fwd.empty()) {
      size_t comma = fwd.rfind(',');
      std::string last = comma == std::string::npos ? fwd : fwd.substr(comma + 1);
      size_t b = last.find_first_not_of(' ');
      if (b != std::string::npos) req.remote_addr = last.substr(b);
    }
    if (req.get_header_value("X-Forwarded-Proto") == "https") req.tls = true;
  }
  const bool api = IsApiPath(req.path);
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  Reply r;
  if (req.has_header("Range")) {
    r = ToReply(req,
                MakeError(ErrorCode::kInvalidArgument, "Range-huvuden stöds inte",
                          {{"Range", "stöds inte"}}),
                0);
    r.status = 416;
  } else {
    const Route* found = nullptr;
    std::string allow;
    std::vector<std::string> groups;
    for (const Route& route : route_table) {
      bool hit = route.literal ? route.pattern == req.path
                               : api && MatchRoutePattern(route.pattern, req.path, groups);
      if (!hit) continue;
      if (route.method == method) {
        found = &route;
        req.matches.assign({req.path});
        if (!route.literal) req.matches.insert(req.matches.end(), groups.begin(), groups.end());
        break;
      }
      allow += (allow.empty() ? "" : ", ") + route.method;
    }
    if (found) {
      r = found->handler(req);
    } else if (!allow.empty()) {
      r = ToReply(req,
                  MakeError(ErrorCode::kInvalidArgument,
                            req.method + " stöds inte för " + req.path + " (tillåtet: " + allow +
                                ")",
                            {{"method", "tillåtet: " + allow}}),
                  0);
      r.status = 405;
      r.set_header("Allow", allow);
    } else if (api) {
      r = ToReply(req, MakeError(ErrorCode::kNotFound, "Adressen finns inte: " + req.path), 0);
    } else {
      r = Static(req);
    }
  }
  // An accepted write makes every cached reply stale.
  if (method != "GET" && r.status < 400 && req.path.rfind("/api/v1/auth/", 0) != 0) {
    ++data_version;
    cache.Clear();
  }

  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("X-Frame-Options", "DENY");
  r.set_header("Referrer-Policy", "same-origin");
  // Images from this server, and the basemap's tiles from its host only (app/basemap.h).
  std::string img_src = "'self' data:";
  if (const std::string tiles = app::BasemapOrigin(app::CurrentBasemap(sys, options.basemap));
      !tiles.empty()) {
    img_src += " " + tiles;
  }
  r.set_header("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img_src +
                   "; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                   "form-action 'self'");
  if (req.tls) r.set_header("Strict-Transport-Security", "max-age=31536000");
  const std::string etag = r.header("ETag");
  if (r.header("Cache-Control").empty()) {
    if (api) {
      // Revalidated with the ETag; never stored without one.
      r.set_header("Cache-Control", etag.empty() ? "no-store" : "private, no-cache");
    } else if (req.path.rfind("/assets/", 0) == 0) {
      r.set_header("Cache-Control", "public, max-age=31536000, immutable");
    } else {
      r.set_header("Cache-Control", "no-cache");
    }
  }
  if (r.status == 200 && !etag.empty() &&
      EtagMatches(req.get_header_value("If-None-Match"), etag)) {
    r.status = 304;
    r.body.clear();
    r.gzip_body.reset();
    return r;
  }
  if (r.status != 304 && Compressible(r.content_type)) {
    r.set_header("Vary", "Accept-Encoding");
    if (r.body.size() >= kGzipMinBytes && AcceptsGzip(req)) {
      r.body = r.gzip_body ? *r.gzip_body : Gzip(r.body);
      r.gzip_body.reset();
      r.set_header("Content-Encoding", "gzip");
      if (!etag.empty() && etag.rfind("W/", 0) != 0) r.set_header("ETag", "W/" + etag);
    }
  }
  return r;
}

Server::Server(app::System& system, ServerOptions options)
    : impl_(std::make_unique<Impl>(system, std::move(options))) {
  impl_->Routes();
  TransportOptions t;
  t.bind = impl_->options.bind;
  t.port = impl_->options.port;
  t.max_body_bytes = impl_->options.max_body_bytes;
  t.handler_threads = impl_->options.threads;
  t.io_threads = impl_->options.io_threads;
  t.max_connections = impl_->options.max_connections;
  t.header_timeout = std::chrono::seconds(impl_->options.header_timeout_s);
  t.idle_timeout = std::chrono::seconds(impl_->options.idle_timeout_s);
  t.body_timeout = std::chrono::seconds(impl_->options.body_timeout_s);
  Impl* impl = impl_.get();
  impl_->transport = std::make_unique<Transport>(
      t, [impl](Request& req) { return impl->Dispatch(req); },
      // Cheap enough for the I/O thread: the health check and the static files.
      [](const Request& req) {
        return req.path == "/api/v1/health" || !IsApiPath(req.path);
      });
}

Server::~Server() { Stop(); }

Result<int> Server::Bind() { return impl_->transport->Bind(); }

std::vector<std::pair<std::string, std::string>> Server::routes() const { return impl_->routes; }

void Server::Run() { impl_->transport->Run(); }

void Server::Stop() { impl_->transport->Stop(); }

size_t Server::connections() const { return impl_->transport->connections(); }
size_t Server::reply_cache_bytes() const { return impl_->cache.bytes(); }

}  // namespace est::http
