// The login limiter: blocks after the failures in the window, forgets on success, and holds a
// bounded table whatever logins are sent.
#include "http/login_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace est::http {
namespace {

constexpr UnixSeconds kT0 = 1'800'000'000;

TEST(LoginLimiter, BlocksAfterMaxFailuresWithinTheWindow) {
  LoginLimiter limiter({.max_failures = 3, .window_seconds = 60, .max_entries = 100});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.Blocked("anna", "10.0.0.1", kT0 + i));
    limiter.Failed("anna", "10.0.0.1", kT0 + i);
  }
  EXPECT_TRUE(limiter.Blocked("anna", "10.0.0.1", kT0 + 3));
  EXPECT_FALSE(limiter.Blocked("anna", "10.0.0.2", kT0 + 3));  // another address
  EXPECT_FALSE(limiter.Blocked("bertil", "10.0.0.1", kT0 + 3));
  EXPECT_FALSE(limiter.Blocked("anna", "10.0.0.1", kT0 + 61));  // the first failure expired
}

TEST(LoginLimiter, SuccessForgetsTheFailures) {
  LoginLimiter limiter({.max_failures = 2, .window_seconds = 60, .max_entries = 100});
  limiter.Failed("anna", "10.0.0.1", kT0);
  limiter.Succeeded("anna", "10.0.0.1");
  EXPECT_EQ(limiter.size(), 0u);
  limiter.Failed("anna", "10.0.0.1", kT0 + 1);
  EXPECT_FALSE(limiter.Blocked("anna", "10.0.0.1", kT0 + 2));
}

TEST(LoginLimiter, ManyDistinctLoginsStayWithinTheBound) {
  LoginLimiter limiter({.max_failures = 10, .window_seconds = 900, .max_entries = 1000});
  for (int i = 0; i < 5000; ++i) {
    limiter.Failed("user" + std::to_string(i), "10.0.0.1", kT0 + i / 100);
    ASSERT_LE(limiter.size(), 1000u);
  }
  EXPECT_EQ(limiter.size(), 1000u);
  // The newest pairs are the ones kept.
  for (int f = 1; f < 10; ++f) limiter.Failed("user4999", "10.0.0.1", kT0 + 49);
  EXPECT_TRUE(limiter.Blocked("user4999", "10.0.0.1", kT0 + 49));
}

TEST(LoginLimiter, ExpiredEntriesAreDroppedFirst) {
  LoginLimiter limiter({.max_failures = 2, .window_seconds = 60, .max_entries = 10});
  for (int i = 0; i < 10; ++i) limiter.Failed("old" + std::to_string(i), "10.0.0.1", kT0);
  limiter.Failed("blocked", "10.0.0.9", kT0 + 100);
  limiter.Failed("blocked", "10.0.0.9", kT0 + 100);
  limiter.Failed("new", "10.0.0.1", kT0 + 100);
  EXPECT_EQ(limiter.size(), 2u);  // the ten expired pairs went when the table was full
  EXPECT_TRUE(limiter.Blocked("blocked", "10.0.0.9", kT0 + 101));
}

TEST(LoginLimiter, HugeLoginNamesDoNotGrowAnEntry) {
  LoginLimiter limiter;
  std::string huge(1 << 20, 'x');
  limiter.Failed(huge, "10.0.0.1", kT0);
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_FALSE(limiter.Blocked(huge, "10.0.0.1", kT0));
}

TEST(LoginLimiter, BlockedForGivesTheSecondsUntilTheBlockEnds) {
  LoginLimiter limiter({.max_failures = 3, .window_seconds = 60, .max_entries = 100});
  EXPECT_EQ(limiter.BlockedFor("anna", "10.0.0.1", kT0), 0);
  EXPECT_FALSE(limiter.Failed("anna", "10.0.0.1", kT0));
  EXPECT_FALSE(limiter.Failed("anna", "10.0.0.1", kT0 + 10));
  EXPECT_TRUE(limiter.Failed("anna", "10.0.0.1", kT0 + 20));  // this one starts the block
  // The failure at kT0 leaves the window after kT0 + 60.
  EXPECT_EQ(limiter.BlockedFor("anna", "10.0.0.1", kT0 + 20), 41);
  EXPECT_EQ(limiter.BlockedFor("anna", "10.0.0.1", kT0 + 60), 1);
  EXPECT_EQ(limiter.BlockedFor("anna", "10.0.0.1", kT0 + 61), 0);
  // A failure while blocked (a concurrent request) does not start a second block.
  limiter.Failed("anna", "10.0.0.1", kT0 + 20);
  EXPECT_FALSE(limiter.Failed("anna", "10.0.0.1", kT0 + 21));
}

// Failures replayed from several servers may arrive slightly out of time order; the block still
// ends when the failure that completed the count leaves the window.
TEST(LoginLimiter, FailuresOutOfTimeOrderKeepTheBlockExact) {
  LoginLimiter limiter({.max_failures = 3, .max_address_failures = 50, .window_seconds = 100});
  EXPECT_FALSE(limiter.Failed("anna", "10.0.0.1", 1010));
  EXPECT_FALSE(limiter.Failed("anna", "10.0.0.1", 1000));  // another server's, older
  EXPECT_TRUE(limiter.Failed("anna", "10.0.0.1", 1020));
  // The oldest of the three newest is 1000: blocked until it leaves the window at 1101.
  EXPECT_EQ(limiter.BlockedFor("anna", "10.0.0.1", 1050), 1101 - 1050);
  EXPECT_EQ(limiter.BlockedFor("anna", "10.0.0.1", 1101), 0);
}

TEST(LoginLimiter, AnAddressWithTooManyFailuresIsBlockedForEveryLogin) {
  LoginLimiter limiter(
      {.max_failures = 3, .max_address_failures = 5, .window_seconds = 60, .max_entries = 100});
  bool started = false;
  for (int i = 0; i < 5; ++i) started = limiter.Failed("user" + std::to_string(i), "10.0.0.1", kT0);
  EXPECT_TRUE(started);  // the fifth failure blocks the address
  EXPECT_TRUE(limiter.Blocked("someone-else", "10.0.0.1", kT0 + 1));
  EXPECT_EQ(limiter.BlockedFor("someone-else", "10.0.0.1", kT0 + 1), 60);
  EXPECT_FALSE(limiter.Blocked("someone-else", "10.0.0.2", kT0 + 1));  // other addresses are free
  // A success forgets its pair, never the address: logging in to an account of one's own does
  // not reset the count.
  limiter.Succeeded("user4", "10.0.0.1");
  EXPECT_TRUE(limiter.Blocked("user4", "10.0.0.1", kT0 + 1));
  EXPECT_FALSE(limiter.Blocked("user4", "10.0.0.1", kT0 + 61));
}

TEST(LoginLimiter, ManyAddressesStayWithinTheBound) {
  LoginLimiter limiter({.max_failures = 10, .window_seconds = 900, .max_entries = 100});
  for (int i = 0; i < 1000; ++i) {
    limiter.Failed("anna", "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), kT0);
    ASSERT_LE(limiter.address_size(), 100u);
    ASSERT_LE(limiter.size(), 100u);
  }
}

}  // namespace
}  // namespace est::http
