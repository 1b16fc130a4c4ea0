// Hostile-input hardening of authentication on the real server (in process, port 0, a fixed
// clock): Retry-After and the per-address limit, idle timeout and the per-user session cap, the
// security events and who may read them, password rules on creation, reset and change.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/system.h"
#include "app/system_access.h"
#include "core/password.h"
#include "core/time.h"
#include "http/server.h"
#include "running_server.h"

namespace est::http {
namespace {

using nlohmann::json;

constexpr UnixSeconds kT0 = 1'800'000'000;
constexpr const char* kPassword = "Trygghet-Sollentuna-49!";

// One client with its own cookie and CSRF token.
class Client {
 public:
  explicit Client(int port) : c_("127.0.0.1", port) { c_.set_read_timeout(30, 0); }
  httplib::Result Login(const std::string& login, const std::string& password) {
    auto r = c_.Post("/api/v1/auth/login", json{{"login", login}, {"password", password}}.dump(),
                     "application/json");
    if (r && r->status == 200) {
      std::string set = r->get_header_value("Set-Cookie");
      cookie_ = set.substr(0, set.find(';'));
      csrf_ = json::parse(r->body)["csrf_token"];
    }
    return r;
  }
  httplib::Headers Headers() const {
    httplib::Headers h;
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    if (!csrf_.empty()) h.emplace("X-CSRF-Token", csrf_);
    return h;
  }
  httplib::Result Get(const std::string& path) { return c_.Get(path.c_str(), Headers()); }
  httplib::Result Post(const std::string& path, const json& body) {
    return c_.Post(path.c_str(), Headers(), body.dump(), "application/json");
  }
  httplib::Result Patch(const std::string& path, const json& body) {
    return c_.Patch(path.c_str(), Headers(), body.dump(), "application/json");
  }

 private:
  httplib::Client c_;
  std::string cookie_;
  std::string csrf_;
};

// The field names of a problem+json answer's errors.
std::string Fields(const httplib::Result& r) {
  std::string out;
  json problem = json::parse(r->body);  // kept alive for the loop
  for (const auto& e : problem["errors"]) out += e["field"].get<std::string>() + ";";
  return out;
}

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetFixedNow(kT0);
    auto sys = app::System::Open(":memory:");
    ASSERT_TRUE(sys) << ToString(sys.error());
    sys_ = std::move(*sys);
    for (auto [login, role] : {std::pair{"admin", Role::kAdmin}, {"lasare", Role::kViewer}}) {
      User u;
      u.login = login;
      u.role = role;
      ASSERT_TRUE(sys_->CreateUser(u, kPassword, {std::nullopt, "test"}));
    }
    ServerOptions options = RunningServer::TestOptions();
    options.idle_minutes = 30;
    options.max_sessions_per_user = 3;
    server_ = std::make_unique<RunningServer>();
    server_->Start(*sys_, options);
    port_ = server_->port();
  }
  void TearDown() override {
    server_.reset();
    SetFixedNow(std::nullopt);
  }
  // The security events as the admin sees them, newest first.
  json Events(const std::string& query = "") {
    Client admin(port_);
    EXPECT_EQ(admin.Login("admin", kPassword)->status, 200);
    auto r = admin.Get("/api/v1/security-events" + query);
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body)["items"];
  }

  std::unique_ptr<app::System> sys_;
  std::unique_ptr<RunningServer> server_;
  int port_ = 0;
};

TEST_F(SecurityTest, TheLoginLimitAnswers429WithRetryAfter) {
  Client c(port_);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.Login("lasare", "fel-fel-fel-fel")->status, 401);
  SetFixedNow(kT0 + 100);
  auto r = c.Login("lasare", kPassword);  // even the right password waits
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429) << r->body;
  EXPECT_EQ(r->get_header_value("Retry-After"), "801");  // 15 min after the first failure, + 1
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_NE(r->body.find("försök igen om 14 minuter"), std::string::npos) << r->body;
  SetFixedNow(kT0 + 901);
  EXPECT_EQ(c.Login("lasare", kPassword)->status, 200);
}

TEST_F(SecurityTest, FiftyFailuresFromOneAddressBlockEveryLoginFromIt) {
  Client c(port_);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(c.Login("gissning" + std::to_string(i), "fel-fel-fel-fel")->status, 401);
  }
  auto r = c.Login("lasare", kPassword);
  EXPECT_EQ(r->status, 429) << r->body;
  EXPECT_EQ(r->get_header_value("Retry-After"), "901");
  SetFixedNow(kT0 + 901);  // the admin reads the events from the same address
  auto lockouts = Events("?kind=lockout");
  ASSERT_EQ(lockouts.size(), 1u) << lockouts.dump();
  EXPECT_EQ(lockouts[0]["login"], "gissning49");
  EXPECT_EQ(lockouts[0]["address"], "127.0.0.1");
}

TEST_F(SecurityTest, AnIdleSessionEndsAfterThirtyMinutesAndAUsedOneLives) {
  Client c(port_);
  ASSERT_EQ(c.Login("lasare", kPassword)->status, 200);
  SetFixedNow(kT0 + 29 * 60);
  EXPECT_EQ(c.Get("/api/v1/auth/me")->status, 200);  // used: the idle time starts again
  SetFixedNow(kT0 + 58 * 60);
  EXPECT_EQ(c.Get("/api/v1/auth/me")->status, 200);
  SetFixedNow(kT0 + 88 * 60 + 1);
  auto r = c.Get("/api/v1/auth/me");
  EXPECT_EQ(r->status, 401) << r->body;
}

TEST_F(SecurityTest, TheTwelveHourLimitHoldsForABusySession) {
  Client c(port_);
  ASSERT_EQ(c.Login("lasare", kPassword)->status, 200);
  for (int m = 20; m < 12 * 60; m += 20) {
    SetFixedNow(kT0 + m * 60);
    ASSERT_EQ(c.Get("/api/v1/auth/me")->status, 200) << m;
  }
  SetFixedNow(kT0 + 12 * 3600);
  EXPECT_EQ(c.Get("/api/v1/auth/me")->status, 401);
}

TEST_F(SecurityTest, ALoginBeyondTheCapEndsTheOldestSession) {
  Client first(port_), second(port_), third(port_), fourth(port_);
  ASSERT_EQ(first.Login("lasare", kPassword)->status, 200);
  SetFixedNow(kT0 + 1);
  ASSERT_EQ(second.Login("lasare", kPassword)->status, 200);
  ASSERT_EQ(third.Login("lasare", kPassword)->status, 200);
  ASSERT_EQ(fourth.Login("lasare", kPassword)->status, 200);
  EXPECT_EQ(first.Get("/api/v1/auth/me")->status, 401);
  EXPECT_EQ(second.Get("/api/v1/auth/me")->status, 200);
  EXPECT_EQ(fourth.Get("/api/v1/auth/me")->status, 200);
  auto limit = Events("?kind=session_limit");
  ASSERT_EQ(limit.size(), 1u);
  EXPECT_EQ(limit[0]["login"], "lasare");
}

TEST_F(SecurityTest, LoginsLogoutsAndRefusalsAreSecurityEventsOnlyAdminsRead) {
  Client viewer(port_);
  EXPECT_EQ(viewer.Login("lasare", "hemligt-fel-123")->status, 401);
  EXPECT_EQ(viewer.Login("finns-inte", "hemligt-fel-456")->status, 401);
  ASSERT_EQ(viewer.Login("lasare", kPassword)->status, 200);
  auto refused = viewer.Get("/api/v1/security-events");
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(viewer.Get("/api/v1/users")->status, 403);
  EXPECT_EQ(viewer.Post("/api/v1/auth/logout", json::object())->status, 204);

  json events = Events();
  std::string kinds;
  for (const auto& e : events) kinds += e["kind"].get<std::string>() + ",";
  // Newest first; the admin's own login for reading them comes first.
  EXPECT_EQ(kinds,
            "login_success,logout,forbidden,forbidden,login_success,login_failure,login_failure,");
  EXPECT_EQ(events[2]["login"], "lasare");  // the caller of a 403 is named
  EXPECT_EQ(events[2]["detail"], "GET /api/v1/users: Bara administratörer ser användarna");
  EXPECT_EQ(events[5]["login"], "finns-inte");
  EXPECT_EQ(events[5]["detail"], "okänt eller avstängt konto");
  EXPECT_EQ(events[5]["address"], "127.0.0.1");
  EXPECT_EQ(events[6]["login"], "lasare");
  EXPECT_EQ(events[6]["detail"], "fel lösenord");
  // Never a password.
  EXPECT_EQ(events.dump().find("hemligt"), std::string::npos);
  EXPECT_EQ(events.dump().find(kPassword), std::string::npos);

  Client admin(port_);
  ASSERT_EQ(admin.Login("admin", kPassword)->status, 200);
  auto bad = admin.Get("/api/v1/security-events?kind=nope");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Fields(bad), "kind;") << bad->body;
  EXPECT_EQ(admin.Get("/api/v1/security-events?limit=0")->status, 400);
}

TEST_F(SecurityTest, ChangingOnesOwnPasswordNeedsTheCurrentOneAndTheRules) {
  Client c(port_);
  ASSERT_EQ(c.Login("lasare", kPassword)->status, 200);
  uint64_t before = PasswordVerificationCount();
  auto wrong = c.Post("/api/v1/auth/password", {{"current_password", "gissat-fel-99"},
                                                {"password", "Kvällssol-över-Edsviken-8"}});
  EXPECT_EQ(wrong->status, 403) << wrong->body;
  EXPECT_EQ(Fields(wrong), "current_password;");
  EXPECT_EQ(PasswordVerificationCount(), before + 1);  // the login's verification
  auto missing = c.Post("/api/v1/auth/password", {{"password", "Kvällssol-över-Edsviken-8"}});
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(Fields(missing), "current_password;");
  auto weak = c.Post("/api/v1/auth/password",
                     {{"current_password", kPassword}, {"password", "lasare-lasare-1"}});
  EXPECT_EQ(weak->status, 400) << weak->body;
  EXPECT_EQ(Fields(weak), "password;");
  EXPECT_NE(weak->body.find("användarnamnet"), std::string::npos) << weak->body;
  auto same =
      c.Post("/api/v1/auth/password", {{"current_password", kPassword}, {"password", kPassword}});
  EXPECT_EQ(same->status, 400);
  EXPECT_EQ(Fields(same), "password;");

  auto ok = c.Post("/api/v1/auth/password",
                   {{"current_password", kPassword}, {"password", "Kvällssol-över-Edsviken-8"}});
  EXPECT_EQ(ok->status, 204) << ok->body;
  EXPECT_EQ(c.Get("/api/v1/auth/me")->status, 401);  // every session ended, this one too
  Client again(port_);
  EXPECT_EQ(again.Login("lasare", kPassword)->status, 401);
  EXPECT_EQ(again.Login("lasare", "Kvällssol-över-Edsviken-8")->status, 200);
  EXPECT_EQ(Events("?kind=password_changed").size(), 1u);
}

TEST_F(SecurityTest, GuessingTheCurrentPasswordCountsTowardsTheLoginLimit) {
  Client c(port_);
  ASSERT_EQ(c.Login("lasare", kPassword)->status, 200);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(
        c.Post("/api/v1/auth/password", {{"current_password", "gissning-" + std::to_string(i)},
                                         {"password", "Kvällssol-över-Edsviken-8"}})
            ->status,
        403);
  }
  auto r = c.Post("/api/v1/auth/password",
                  {{"current_password", kPassword}, {"password", "Kvällssol-över-Edsviken-8"}});
  EXPECT_EQ(r->status, 429) << r->body;
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
}

TEST_F(SecurityTest, NewAndResetPasswordsFollowTheRulesButOldHashesStillWork) {
  // A hash stored before the rules (a 10-character password) still logs in.
  auto hash = HashPassword("kort-1234!");
  ASSERT_TRUE(hash);
  User old;
  old.login = "gammal";
  old.role = Role::kViewer;
  ASSERT_TRUE(app::internal::StoreOf(*sys_).CreateUser(old, *hash, {std::nullopt, "test"}));
  Client g(port_);
  EXPECT_EQ(g.Login("gammal", "kort-1234!")->status, 200);

  Client admin(port_);
  ASSERT_EQ(admin.Login("admin", kPassword)->status, 200);
  auto dict = admin.Post("/api/v1/users",
                         {{"login", "ny"}, {"password", "abbreviations"}, {"role", "viewer"}});
  EXPECT_EQ(dict->status, 400) << dict->body;
  EXPECT_EQ(Fields(dict), "password;");
  EXPECT_NE(dict->body.find("ordboksord"), std::string::npos) << dict->body;
  auto short_one = admin.Post("/api/v1/users",
                              {{"login", "ny"}, {"password", "Kort-lösen1"}, {"role", "viewer"}});
  EXPECT_EQ(short_one->status, 400);
  EXPECT_NE(short_one->body.find("minst 12 tecken"), std::string::npos) << short_one->body;
  auto with_login = admin.Post(
      "/api/v1/users", {{"login", "edsberg"}, {"password", "edsberg-2026-x"}, {"role", "viewer"}});
  EXPECT_EQ(with_login->status, 400);
  EXPECT_EQ(Fields(with_login), "password;");

  auto users = json::parse(admin.Get("/api/v1/users")->body)["items"];
  int64_t id = 0;
  for (const auto& u : users) {
    if (u["login"] == "gammal") id = u["id"];
  }
  auto reset = admin.Patch("/api/v1/users/" + std::to_string(id), {{"password", "losenord-12345"}});
  EXPECT_EQ(reset->status, 400);
  EXPECT_EQ(Fields(reset), "password;");
  EXPECT_EQ(
      admin
          .Patch("/api/v1/users/" + std::to_string(id), {{"password", "Kvällssol-över-Edsviken-8"}})
          ->status,
      200);
  auto resets = Events("?kind=password_reset");
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0]["detail"], "för användaren gammal");
}

}  // namespace
}  // namespace est::http
