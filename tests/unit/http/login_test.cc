// The login route on the real server (in process, port 0): an unknown login costs a password
// verification like a known one, and an over-long login is refused before anything else.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/system.h"
#include "core/password.h"
#include "http/server.h"
#include "running_server.h"

namespace est::http {
namespace {

using nlohmann::json;

class LoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sys = app::System::Open(":memory:");
    ASSERT_TRUE(sys) << ToString(sys.error());
    sys_ = std::move(*sys);
    server_.Start(*sys_);
    port_ = server_.port();
  }
  httplib::Result Login(const std::string& login, const std::string& password) {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c.Post("/api/v1/auth/login", json{{"login", login}, {"password", password}}.dump(),
                  "application/json");
  }

  std::unique_ptr<app::System> sys_;
  RunningServer server_;
  int port_ = 0;
};

TEST_F(LoginTest, UnknownLoginStillVerifiesAPassword) {
  uint64_t before = PasswordVerificationCount();
  auto r = Login("finns-inte", "Trygghet-Sollentuna-49!");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
  EXPECT_EQ(PasswordVerificationCount(), before + 1);
}

TEST_F(LoginTest, OverlongLoginIsRefusedWith400NamingLogin) {
  uint64_t before = PasswordVerificationCount();
  auto r = Login(std::string(1 << 20, 'x'), "Trygghet-Sollentuna-49!");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body.substr(0, 200);
  json p = json::parse(r->body);
  ASSERT_EQ(p["errors"].size(), 1u) << r->body;
  EXPECT_EQ(p["errors"][0]["field"], "login");
  EXPECT_EQ(p["errors"][0]["reason"], "får vara högst 200 tecken");
  EXPECT_EQ(PasswordVerificationCount(), before);  // refused before the account lookup
}

}  // namespace
}  // namespace est::http
