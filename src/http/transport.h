// The event-driven HTTP/1.1 transport: Boost.Beast on Asio. Reads requests into http::Request,
// hands them to one handler and writes its Reply; nothing else of HTTP reaches the routes.
//
// Contract:
// - No connection holds a thread while it waits: keep-alive, slow headers and slow bodies cost a
//   socket and a few kB, never a worker. Handlers run on a bounded pool (`handler_threads`,
//   `max_queue` waiting); a request the handler marks cheap (`inline_handler`) is answered on the
//   I/O thread.
// - Deadlines: the next request on a kept-alive connection within `idle_timeout`; its header
//   within `header_timeout` of its first byte; its body within `body_timeout`; each write within
//   `write_timeout`. A connection past a deadline is closed.
// - At most `max_connections` connections; one more is answered 503 and closed. A full handler
//   queue answers 503 with Retry-After.
// - Strict HTTP/1.1: request line and header fields as RFC 9112 (bare CR, bad line endings and
//   conflicting lengths are refused by the parser), exactly one Host, at most one Content-Length,
//   never both Content-Length and Transfer-Encoding, the target in origin-form and decodable
//   (ParseTarget). Every refusal is a problem+json 4xx naming the header and why, then close.
// - Stop() is graceful and thread-safe: no new connections, requests in flight are answered
//   (up to `shutdown_grace`), idle connections are closed, then Run() returns.
#ifndef EST_HTTP_TRANSPORT_H_
#define EST_HTTP_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "http/request.h"

namespace est::http {

struct TransportOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  size_t max_body_bytes = 32 * 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  int io_threads = 2;
  int handler_threads = 8;
  size_t max_queue = 4096;
  size_t max_connections = 10000;
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{60'000};
  std::chrono::milliseconds write_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{10'000};
};

class Transport {
 public:
  using Handler = std::function<Reply(Request&)>;
  using InlinePredicate = std::function<bool(const Request&)>;

  // `handler` must not throw (the transport answers 500 if it does). `inline_handler` (may be
  // empty) says which requests are cheap enough for the I/O thread.
  Transport(TransportOptions options, Handler handler, InlinePredicate inline_handler);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds and listens; returns the bound port. The error names the address.
  Result<int> Bind();
  // Serves until Stop() (blocks; uses `io_threads` threads including the caller's).
  void Run();
  // Thread-safe, idempotent; not async-signal-safe (call it from a thread, not a handler).
  void Stop();
  // Open connections now.
  size_t connections() const;

  struct Owned;  // opaque; named here so transport.cc's connection type can refer to them
  struct Impl;

 private:
  std::unique_ptr<Owned> owned_;
  std::shared_ptr<Impl> impl_;
};

}  // namespace est::http

#endif  // EST_HTTP_TRANSPORT_H_
