// Role × route: every route of the server's own route table has an expected answer for the
// anonymous caller and each role, and the real server (in process, on the demo municipality)
// gives it. A route added without a rule here fails the test, as does a rule for a route that no
// longer exists.
//
// Expectation letters, in the order anonymous, reporter, org lead, viewer, coordinator, admin:
//   U  401: must log in first
//   F  403 (or 404 for an object the role may not know exists)
//   A  let through the role check: anything but 401/403 and never a 5xx (an empty body may be
//      a 400, id 1 may be a 404)
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/system.h"
#include "http/server.h"
#include "running_server.h"

namespace est::http {
namespace {

using nlohmann::json;

const char* const kRoles[] = {"anonym", "rapportor.hem", "chef.bun", "lasare", "samordnare",
                              "admin"};

// "METHOD path" → expectations (see the header).
const std::map<std::string, std::string>& Rules() {
  static const std::map<std::string, std::string> rules = {
#include "route_rules.inc"
  };
  return rules;
}

class RouteMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/est-matrix-XXXXXX";
    dir_ = mkdtemp(tmpl);
    db_ = dir_ + "/est.db";
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    pid_t pid = fork();
    if (pid == 0) {
      execl(EST_BINARY, EST_BINARY, "--db", db_.c_str(), "demo", nullptr);
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    auto sys = app::System::Open(db_);
    ASSERT_TRUE(sys) << ToString(sys.error());
    sys_ = std::move(*sys).release();
    running_ = new RunningServer();
    running_->Start(*sys_);
    server_ = &running_->server();
    port_ = running_->port();
  }
  static void TearDownTestSuite() {
    delete running_;
    delete sys_;
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  struct Login {
    std::string cookie;
    std::string csrf;
  };
  static Login LogIn(const std::string& login) {
    if (login == "anonym") return {};
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Post("/api/v1/auth/login",
                    json{{"login", login}, {"password", "demo-losen-2026"}}.dump(),
                    "application/json");
    if (!r || r->status != 200) return {};
    std::string cookie = r->get_header_value("Set-Cookie");
    return {cookie.substr(0, cookie.find(';')), json::parse(r->body).value("csrf_token", "")};
  }

  static int Call(const std::string& method, const std::string& path, const Login& who) {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    httplib::Headers h;
    if (!who.cookie.empty()) h.emplace("Cookie", who.cookie);
    if (!who.csrf.empty()) h.emplace("X-CSRF-Token", who.csrf);
    auto status = [](const httplib::Result& r) { return r ? r->status : -1; };
    if (method == "get") return status(c.Get(path, h));
    if (method == "post") return status(c.Post(path, h, "{}", "application/json"));
    if (method == "patch") return status(c.Patch(path, h, "{}", "application/json"));
    return -1;
  }

  static inline std::string dir_, db_;
  static inline app::System* sys_ = nullptr;
  static inline RunningServer* running_ = nullptr;
  static inline Server* server_ = nullptr;
  static inline int port_ = 0;
};

bool Meets(char rule, int status) {
  switch (rule) {
    case 'U':
      return status == 401;
    case 'F':
      return status == 403 || status == 404;
    case 'A':
      return status != 401 && status != 403 && status >= 200 && status < 500;
  }
  return false;
}

TEST_F(RouteMatrixTest, EveryRouteHasARuleAndEveryRoleGetsIt) {
  std::set<std::string> seen;
  std::string table;  // the actual statuses, printed when something is off
  int failures = 0;
  std::vector<Login> logins;
  for (const char* role : kRoles) logins.push_back(LogIn(role));
  for (size_t i = 1; i < logins.size(); ++i) ASSERT_FALSE(logins[i].cookie.empty()) << kRoles[i];
  for (const auto& [method, doc] : server_->routes()) {
    std::string key = method + " " + doc;
    seen.insert(key);
    std::string path = doc;
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "1");
    std::string statuses;
    auto rule = Rules().find(key);
    for (size_t r = 0; r < logins.size(); ++r) {
      // Logging out ends the session: use one of its own.
      Login who = key == "post /api/v1/auth/logout" ? LogIn(kRoles[r]) : logins[r];
      int status = Call(method, path, who);
      statuses += (r ? " " : "") + std::to_string(status);
      EXPECT_LT(status, 500) << key << " as " << kRoles[r];
      if (rule != Rules().end() && rule->second.size() == logins.size() &&
          !Meets(rule->second[r], status)) {
        ADD_FAILURE() << key << " as " << kRoles[r] << ": expected " << rule->second[r]
                      << ", got " << status;
        ++failures;
      }
    }
    if (rule == Rules().end()) {
      ADD_FAILURE() << "no rule for the route " << key
                    << " (add it to tests/unit/http/route_rules.inc)";
      ++failures;
    } else if (rule->second.size() != logins.size()) {
      ADD_FAILURE() << "rule for " << key << " needs " << logins.size() << " letters";
    }
    table += "  " + key + " → " + statuses + "\n";
  }
  for (const auto& [key, rule] : Rules()) {
    EXPECT_TRUE(seen.count(key)) << "a rule for a route the server does not have: " << key;
  }
  if (failures) std::cerr << "actual statuses (anonym reporter orglead viewer coordinator admin):\n"
                          << table;
}

}  // namespace
}  // namespace est::http
