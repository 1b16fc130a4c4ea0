// The real server in this process on a free loopback port, serving on its own thread until the
// object goes (Stop, then join). Shared by the in-process HTTP tests.
#ifndef EST_TESTS_UNIT_HTTP_RUNNING_SERVER_H_
#define EST_TESTS_UNIT_HTTP_RUNNING_SERVER_H_

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "app/system.h"
#include "http/server.h"

namespace est::http {

class RunningServer {
 public:
  // Options for a test: port 0, no Secure cookie, two handler threads.
  static ServerOptions TestOptions() {
    ServerOptions o;
    o.port = 0;
    o.secure_cookies = false;
    o.threads = 2;
    return o;
  }
  // Binds and starts; a failure to bind is a test failure (port() is then 0).
  void Start(app::System& sys, const ServerOptions& options = TestOptions()) {
    server_ = std::make_unique<Server>(sys, options);
    auto port = server_->Bind();
    ASSERT_TRUE(port) << ToString(port.error());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~RunningServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  Server& server() { return *server_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace est::http

#endif  // EST_TESTS_UNIT_HTTP_RUNNING_SERVER_H_
