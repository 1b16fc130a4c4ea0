#include "http/transport.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

namespace est::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

// A problem+json body (RFC 9457) for a refusal the transport makes itself.
std::string ProblemText(int status, const std::string& title, const std::string& detail,
                        const std::string& field, const std::string& reason,
                        const std::string& instance) {
  nlohmann::json errors = nlohmann::json::array();
  if (!field.empty()) errors.push_back({{"field", field}, {"reason", reason}});
  nlohmann::json j = {{"type", "about:blank"}, {"title", title},         {"status", status},
                      {"detail", detail},      {"instance", instance}, {"errors", errors}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply Refusal(int status, const std::string& detail, const std::string& field,
              const std::string& reason, const std::string& instance = "") {
  static const std::map<int, std::string> kTitles = {
      {400, "Ogiltig begäran"},          {408, "Begäran tog för lång tid"},
      {413, "Begäran är för stor"},      {431, "Huvudena är för stora"},
      {500, "Internt fel"},              {501, "Stöds inte"},
      {503, "Tjänsten är överbelastad"}, {505, "HTTP-versionen stöds inte"}};
  auto it = kTitles.find(status);
  Reply r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = ProblemText(status, it == kTitles.end() ? "Fel" : it->second, detail, field, reason,
                       instance);
  return r;
}

// Swedish words for the parser's refusals.
Reply ParseRefusal(const error_code& ec) {
  if (ec == bhttp::error::header_limit) {
    return Refusal(431, "Begärans huvuden är för stora", "headers", "högst 16 kB");
  }
  if (ec == bhttp::error::body_limit) {
    return Refusal(413, "Begäran är för stor", "body", "för stor");
  }
  if (ec == bhttp::error::bad_line_ending) {
    return Refusal(400, "Felaktigt radslut i begäran (bara CRLF är tillåtet)", "headers",
                   "ensamt CR eller LF");
  }
  // Boost 1.74 (Debian's default, which GDAL's headers pull in) has no multiple_content_length;
  // OnHeader counts the fields itself, so both versions refuse a repeated Content-Length.
#if BOOST_VERSION >= 107600
  if (ec == bhttp::error::multiple_content_length) {
    return Refusal(400, "Content-Length är ogiltig eller motsägelsefull", "Content-Length",
                   "ogiltig eller angiven flera gånger");
  }
#endif
  if (ec == bhttp::error::bad_content_length) {
    return Refusal(400, "Content-Length är ogiltig eller motsägelsefull", "Content-Length",
                   "ogiltig eller angiven flera gånger");
  }
  if (ec == bhttp::error::bad_transfer_encoding) {
    return Refusal(400, "Transfer-Encoding är ogiltig", "Transfer-Encoding", "ogiltig");
  }
  if (ec == bhttp::error::bad_version) {
    return Refusal(505, "Bara HTTP/1.0 och HTTP/1.1 stöds", "version", "stöds inte");
  }
  if (ec == bhttp::error::bad_method) {
    return Refusal(400, "Ogiltig metod i begäran", "method", "ogiltig");
  }
  if (ec == bhttp::error::bad_target) {
    return Refusal(400, "Ogiltig adress i begäran", "path", "ogiltig");
  }
  if (ec == bhttp::error::bad_field || ec == bhttp::error::bad_value) {
    return Refusal(400, "Ogiltigt huvud i begäran", "headers", "ogiltigt fältnamn eller värde");
  }
  if (ec == bhttp::error::bad_chunk || ec == bhttp::error::bad_chunk_extension) {
    return Refusal(400, "Ogiltig chunkad kropp", "body", "ogiltig chunk");
  }
  return Refusal(400, "Begäran kunde inte tolkas", "request", ec.message());
}

size_t CountField(const bhttp::fields& f, bhttp::field name) {
  auto range = f.equal_range(name);
  return static_cast<size_t>(std::distance(range.first, range.second));
}

}  // namespace

class Session;

// The I/O context and the handler pool outlive everything that refers to them (Impl, sessions,
// pending handlers): Transport destroys them last, which also destroys handlers still queued.
struct Transport::Owned {
  explicit Owned(int threads) : pool(static_cast<size_t>(std::max(1, threads))) {}
  net::io_context ioc;
  net::thread_pool pool;  // joined before the context goes
};

struct Transport::Impl : std::enable_shared_from_this<Transport::Impl> {
  TransportOptions opt;
  Handler handler;
  InlinePredicate inline_handler;
  net::io_context& ioc;
  net::thread_pool& pool;
  tcp::acceptor acceptor{ioc};
  net::steady_timer retry_timer{ioc};
  net::steady_timer grace_timer{ioc};
  std::atomic<size_t> queued{0};
  std::atomic<size_t> live{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::map<Session*, std::weak_ptr<Session>> sessions;

  Impl(TransportOptions o, Handler h, InlinePredicate p, Owned& owned)
      : opt(std::move(o)),
        handler(std::move(h)),
        inline_handler(std::move(p)),
        ioc(owned.ioc),
        pool(owned.pool) {}

  void DoAccept();
  void Register(const std::shared_ptr<Session>& s);
  void Unregister(Session* s);
  void BeginStop();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Transport::Impl> t, tcp::socket socket)
      : t_(std::move(t)), stream_(std::move(socket)) {
    error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() {
    t_->Unregister(this);
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  // On the session's strand: close the connection if it waits for a request (shutdown).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void WaitForRequest() {
    if (t_->stopping) return Close();
    if (buffer_.size() > 0) return ReadHeader();
    idle_ = true;
    stream_.expires_after(t_->opt.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->idle_ = false;
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(t_->opt.max_header_bytes));
    parser_->body_limit(t_->opt.max_body_bytes);
    stream_.expires_after(t_->opt.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::eof ||
        ec == net::error::connection_reset) {
      return Close();
    }
    if (ec) return Refuse(ParseRefusal(ec));
    const auto& msg = parser_->get();
    const std::string target(msg.target());
    if (msg.version() != 11 && msg.version() != 10) {
      return Refuse(Refusal(505, "Bara HTTP/1.0 och HTTP/1.1 stöds", "version", "stöds inte",
                            target));
    }
    size_t hosts = CountField(msg, bhttp::field::host);
    if (hosts > 1 || (hosts == 0 && msg.version() == 11)) {
      return Refuse(Refusal(400, hosts ? "Host får bara anges en gång" : "Host-huvud saknas",
                            "Host", hosts ? "angiven flera gånger" : "saknas (krävs i HTTP/1.1)",
                            target));
    }
    if (CountField(msg, bhttp::field::content_length) > 1 ||
        msg[bhttp::field::content_length].find(',') != beast::string_view::npos) {
      return Refuse(Refusal(400, "Content-Length får bara anges en gång", "Content-Length",
                            "angiven flera gånger", target));
    }
    if (CountField(msg, bhttp::field::transfer_encoding) > 0 && !parser_->chunked()) {
      return Refuse(Refusal(501, "Bara Transfer-Encoding: chunked stöds", "Transfer-Encoding",
                            "stöds inte", target));
    }
    if (auto len = parser_->content_length(); len && *len > t_->opt.max_body_bytes) {
      return Refuse(Refusal(413, "Begäran är för stor", "body",
                            "högst " + std::to_string(t_->opt.max_body_bytes) + " byte", target));
    }
    if (parser_->is_done()) return OnRequest();
    if (beast::iequals(msg[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       msg.version());
      stream_.expires_after(t_->opt.write_timeout);
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](error_code wec, size_t) {
                           if (wec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(t_->opt.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](error_code ec, size_t) {
      if (ec == beast::error::timeout || ec == net::error::eof ||
          ec == bhttp::error::partial_message || ec == net::error::connection_reset) {
        return self->Close();
      }
      if (ec) return self->Refuse(ParseRefusal(ec));
      self->OnRequest();
    });
  }

  void OnRequest() {
    stream_.expires_never();
    auto msg = parser_->release();
    parser_.reset();
    keep_alive_ = msg.keep_alive();
    auto req = std::make_shared<Request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    req->remote_addr = remote_;
    req->headers.reserve(16);
    for (const auto& f : msg) {
      req->headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    req->body = std::move(msg.body());
    head_ = msg.method() == bhttp::verb::head;
    if (auto ok = ParseTarget(req->target, *req); !ok) {
      const Error& e = ok.error();
      return Refuse(Refusal(400, "Ogiltig adress i begäran", e.fields.empty() ? "path" : e.fields[0].field,
                            e.fields.empty() ? e.detail : e.fields[0].reason, req->target));
    }
    if (t_->inline_handler && t_->inline_handler(*req)) return Write(Call(*req));
    if (t_->queued.load() >= t_->opt.max_queue) {
      Reply busy = Refusal(503, "Servern är överbelastad; försök igen om en stund", "", "",
                           req->target);
      busy.headers.emplace_back("Retry-After", "1");
      return Write(std::move(busy));
    }
    ++t_->queued;
    net::post(t_->pool, [self = shared_from_this(), req,
                         guard = net::make_work_guard(t_->ioc)]() mutable {
      --self->t_->queued;
      auto reply = std::make_shared<Reply>(self->Call(*req));
      net::post(self->stream_.get_executor(),
                [self, reply]() mutable { self->Write(std::move(*reply)); });
    });
  }

  Reply Call(Request& req) {
    try {
      return t_->handler(req);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: handler threw: {}", req.method, req.path, e.what());
    } catch (...) {
      spdlog::error("{} {}: handler threw", req.method, req.path);
    }
    return Refusal(500, "Internt fel; se serverloggen", "", "", req.target);
  }

  // Answers a request that cannot be read further, then closes lingering: the rest of what the
  // client sends is read and dropped for a while, so it reads the answer instead of a reset.
  void Refuse(Reply r) {
    keep_alive_ = false;
    head_ = false;
    linger_ = true;
    Write(std::move(r));
  }

  void Linger() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(std::chrono::seconds(5));
    LingerRead();
  }
  void LingerRead() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(64 * 1024),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kMaxLinger) return self->Close();
                              self->LingerRead();
                            });
  }
  static constexpr size_t kMaxLinger = 64 * 1024 * 1024;

  void Write(Reply r) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    if (r.status != 304 && r.status != 204) {
      res->set(bhttp::field::content_type, r.content_type);
    }
    for (auto& [k, v] : r.headers) res->insert(k, v);
    const bool keep = keep_alive_ && !t_->stopping;
    res->keep_alive(keep);
    if (r.status == 304 || r.status == 204) {
      // No body and no Content-Length of a body that is not sent.
    } else if (head_) {
      res->content_length(r.body.size());
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    stream_.expires_after(t_->opt.write_timeout);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](error_code ec, size_t) {
      if (ec) return self->Close();
      if (!res->keep_alive()) return self->linger_ ? self->Linger() : self->Close();
      self->WaitForRequest();
    });
  }

  void Close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  std::shared_ptr<Transport::Impl> t_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{64 * 1024};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  bool idle_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  bool linger_ = false;
  size_t lingered_ = 0;
};

void Transport::Impl::Register(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(sessions_mu);
  sessions.emplace(s.get(), s);
}

void Transport::Impl::Unregister(Session* s) {
  bool last = false;
  {
    std::lock_guard lock(sessions_mu);
    sessions.erase(s);
    last = sessions.empty();
  }
  --live;
  if (last && stopping) {
    net::post(ioc, [self = shared_from_this()] { self->grace_timer.cancel(); });
  }
}

void Transport::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc), [self = shared_from_this()](error_code ec,
                                                                          tcp::socket socket) {
    if (self->stopping || !self->acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors (EMFILE) or a transient error: try again shortly, never spin.
      if (ec != net::error::operation_aborted) spdlog::warn("accept: {}", ec.message());
      self->retry_timer.expires_after(std::chrono::milliseconds(50));
      self->retry_timer.async_wait([self](error_code) {
        if (!self->stopping) self->DoAccept();
      });
      return;
    }
    error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    if (self->live.load() >= self->opt.max_connections) {
      static const std::string kFull =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
          "Retry-After: 1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
      socket.non_blocking(true, opt_ec);
      socket.write_some(net::buffer(kFull), opt_ec);
      socket.close(opt_ec);
    } else {
      ++self->live;
      auto s = std::make_shared<Session>(self, std::move(socket));
      self->Register(s);
      s->Start();
    }
    self->DoAccept();
  });
}

void Transport::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  net::post(ioc, [self = shared_from_this()] {
    error_code ec;
    self->acceptor.close(ec);
    self->retry_timer.cancel();
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(self->sessions_mu);
      for (auto& [raw, weak] : self->sessions) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
    }
    for (auto& s : open) s->CloseIfIdle();
    if (open.empty()) return;
    // Requests in flight get the grace period; then everything stops.
    self->grace_timer.expires_after(self->opt.shutdown_grace);
    self->grace_timer.async_wait([self](error_code wec) {
      if (!wec) self->ioc.stop();
    });
  });
}

Transport::Transport(TransportOptions options, Handler handler, InlinePredicate inline_handler)
    : owned_(std::make_unique<Owned>(options.handler_threads)),
      impl_(std::make_shared<Impl>(std::move(options), std::move(handler),
                                   std::move(inline_handler), *owned_)) {}

Transport::~Transport() {
  Stop();
  owned_->pool.join();
  impl_.reset();
  owned_.reset();
}

Result<int> Transport::Bind() {
  // Every connection is a descriptor: take the hard limit so thousands of clients fit.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  auto& a = impl_->acceptor;
  error_code ec;
  auto address = net::ip::make_address(impl_->opt.bind, ec);
  std::string where = impl_->opt.bind + ":" + std::to_string(impl_->opt.port);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, "Ogiltig adress att lyssna på: " + where);
  tcp::endpoint ep(address, static_cast<unsigned short>(impl_->opt.port));
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code close_ec;
    a.close(close_ec);
    return MakeError(ErrorCode::kUnavailable,
                     "Kan inte lyssna på " + where + " (" + ec.message() + "; upptagen port?)");
  }
  return static_cast<int>(a.local_endpoint().port());
}

void Transport::Run() {
  if (!impl_->acceptor.is_open()) return;
  impl_->DoAccept();
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->opt.io_threads; ++i) {
    extra.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : extra) t.join();
}

void Transport::Stop() { impl_->BeginStop(); }

size_t Transport::connections() const { return impl_->live.load(); }

}  // namespace est::http
