// The HTTP server: JSON API under /api/v1 (docs/openapi.yaml) and the static web files.
//
// Transport only: each handler parses the request into typed input, checks role and
// organisation, calls the app layer and maps the result (or Error) to JSON / problem+json.
// Transport types (Boost.Beast) never leave src/http.
#ifndef EST_HTTP_SERVER_H_
#define EST_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/basemap.h"
#include "app/system.h"
#include "core/error.h"

namespace est::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;      // 0 = any free port
  std::string web_dir;  // built front-end (web/dist); "" = the built-in start page
  size_t max_body_bytes = 32 * 1024 * 1024;
  bool secure_cookies = true;  // "Secure" on the session cookie
  int threads = 8;     // handler pool
  int io_threads = 2;  // event loop threads (connections never hold a thread)
  size_t max_connections = 10000;
  int header_timeout_s = 10;  // a request's header, from its first byte
  int idle_timeout_s = 30;    // a kept-alive connection waiting for its next request
  int body_timeout_s = 60;
  int session_hours = 12;          // absolute limit of a session
  int idle_minutes = 30;           // a session unused this long ends; 0 = no idle limit
  int max_sessions_per_user = 10;  // a new login ends the user's oldest beyond this; 0 = no cap
  // Behind a reverse proxy: take the client address from X-Forwarded-For and TLS from
  // X-Forwarded-Proto (only when the proxy is the sole way in).
  bool trust_proxy = false;
  // est serve --basemap URL --basemap-attribution TEXT: wins over the administrator's setting
  // (app/basemap.h); checked with app::ParseBasemap before the server starts.
  app::Basemap basemap;
};

class Server {
 public:
  Server(app::System& system, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket; returns the bound port.
  Result<int> Bind();
  // Every API route as (lower-case method, path with {id} placeholders), for the check that
  // docs/openapi.yaml describes them all.
  std::vector<std::pair<std::string, std::string>> routes() const;
  // Serves until Stop() (blocks).
  void Run();
  // Thread-safe; makes Run() return after answering the requests in flight.
  void Stop();
  // Open connections now.
  size_t connections() const;
  // Bytes held by the reply cache.
  size_t reply_cache_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace est::http

#endif  // EST_HTTP_SERVER_H_
