// A test suite that shares one real `est serve` on a seeded municipality (est_harness.h
// SeedMunicipality) and logs in as its accounts. Derived suites may seed more by declaring their
// own `static void Seed(const std::string& db)`.
#ifndef EST_TESTS_INTEGRATION_SEEDED_SERVER_H_
#define EST_TESTS_INTEGRATION_SEEDED_SERVER_H_

#include <gtest/gtest.h>

#include <exception>
#include <string>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {

template <class Derived>
class SeededServerTest : public ::testing::Test {
 protected:
  static void Seed(const std::string& db) { SeedMunicipality(db); }
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->Database();
    // gtest reports an exception here as a failed suite but marks its tests skipped, which CTest
    // counts as passing: keep the reason and fail every test with it (SetUp).
    try {
      Derived::Seed(db_);
      server_ = new Server(db_);
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << "the suite's seed failed: " << setup_error_;
  }
  // A scratch file beside the database (the database may be a PostgreSQL URL).
  static std::string ScratchFile(const std::string& name) { return dir_->File(name); }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  // A session logged in as `login` (every seeded account has the password
  // "Trygghet-Sollentuna-49!").
  Session As(const std::string& login) {
    Session s(server_->port());
    auto r = s.Login(login, "Trygghet-Sollentuna-49!");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    return s;
  }
  static inline TempDir* dir_ = nullptr;
  static inline std::string db_;
  static inline Server* server_ = nullptr;
  static inline std::string setup_error_;
};

}  // namespace est::testing

#endif  // EST_TESTS_INTEGRATION_SEEDED_SERVER_H_
