// A logged-in HTTP client for the integration tests (cookie + CSRF token) and a checker for
// problem+json answers.
#ifndef EST_TESTS_INTEGRATION_API_CLIENT_H_
#define EST_TESTS_INTEGRATION_API_CLIENT_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace est::testing {

class Session {
 public:
  explicit Session(int port) : client_("127.0.0.1", port) { client_.set_read_timeout(30, 0); }

  httplib::Result Login(const std::string& login, const std::string& password) {
    nlohmann::json body = {{"login", login}, {"password", password}};
    auto r = client_.Post("/api/v1/auth/login", body.dump(), "application/json");
    if (r && r->status == 200) {
      std::string set = r->get_header_value("Set-Cookie");
      cookie_ = set.substr(0, set.find(';'));
      csrf_ = nlohmann::json::parse(r->body)["csrf_token"].get<std::string>();
    }
    return r;
  }
  httplib::Headers Headers(bool with_csrf = true) const {
    httplib::Headers h;
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    if (with_csrf && !csrf_.empty()) h.emplace("X-CSRF-Token", csrf_);
    return h;
  }
  httplib::Result Get(const std::string& path) { return client_.Get(path.c_str(), Headers()); }
  httplib::Result Post(const std::string& path, const nlohmann::json& body, bool with_csrf = true) {
    return client_.Post(path.c_str(), Headers(with_csrf), body.dump(), "application/json");
  }
  httplib::Result PostRaw(const std::string& path, const std::string& body,
                          const std::string& type) {
    return client_.Post(path.c_str(), Headers(), body, type.c_str());
  }
  httplib::Result Patch(const std::string& path, const nlohmann::json& body) {
    return client_.Patch(path.c_str(), Headers(), body.dump(), "application/json");
  }

 private:
  httplib::Client client_;
  std::string cookie_;
  std::string csrf_;
};

inline void ExpectProblem(const httplib::Result& r, int status, const std::string& field) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << r->body;
  nlohmann::json p = nlohmann::json::parse(r->body);
  EXPECT_EQ(p["status"], status);
  EXPECT_FALSE(p["title"].get<std::string>().empty());
  if (!field.empty()) {
    bool found = false;
    for (const auto& e : p["errors"]) found |= e["field"].get<std::string>() == field;
    EXPECT_TRUE(found) << "no error for field " << field << " in " << r->body;
  }
}

}  // namespace est::testing

#endif  // EST_TESTS_INTEGRATION_API_CLIENT_H_
