// The rules for a new password (ValidateNewPassword): length in characters, libpwquality's
// dictionary and login checks, the forbidden words, likeness to the old password.
#include "core/password.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace est {
namespace {

struct Case {
  const char* password;
  const char* login;
  const char* reason;  // "" = accepted
};

TEST(ValidateNewPassword, Table) {
  const std::vector<Case> cases = {
      {"Trygghet-Sollentuna-49!", "rapportor.hem", ""},
      {"sommarregn-tureberg-7", "admin", ""},
      {"demo-losen-2026", "samordnare", ""},                // the demo accounts' password passes
      {"Kort-lösen1", "anna", "måste ha minst 12 tecken"},  // 11 characters
      // 11 characters but 22 bytes: characters are counted, not bytes.
      {"åäöåäöåäöåä", "anna", "måste ha minst 12 tecken"},
      {"abbreviations", "anna", "bygger på ett ordboksord eller är för enkelt eller systematiskt"},
      {"1234567890123", "anna", "bygger på ett ordboksord eller är för enkelt eller systematiskt"},
      {"samordnare-2026", "samordnare", "får inte innehålla användarnamnet"},
      {"losenord-123", "anna", "innehåller ett ord som inte får användas (t.ex. lösenord)"},
      {"Password1234", "anna", "innehåller ett ord som inte får användas (t.ex. lösenord)"},
      {"Lösenord-Tureberg-9", "anna", "innehåller ett ord som inte får användas (t.ex. lösenord)"},
      {"aaaaaaaaaaaaaa", "anna", "får inte vara ett palindrom"},
  };
  for (const Case& c : cases) {
    auto errors = ValidateNewPassword(c.password, c.login);
    if (std::string(c.reason).empty()) {
      EXPECT_TRUE(errors.empty()) << c.password << ": " << (errors.empty() ? "" : errors[0].reason);
      continue;
    }
    ASSERT_EQ(errors.size(), 1u) << c.password;
    EXPECT_EQ(errors[0].field, "password") << c.password;
    EXPECT_EQ(errors[0].reason, c.reason) << c.password;
  }
}

TEST(ValidateNewPassword, TooLongAndNulAreRefused) {
  auto long_one = ValidateNewPassword(std::string(201, 'x'), "anna");
  ASSERT_EQ(long_one.size(), 1u);
  EXPECT_EQ(long_one[0].reason, "får ha högst 200 tecken");
  auto nul = ValidateNewPassword(std::string("Trygghet-\0-Sollentuna", 21), "anna");
  ASSERT_EQ(nul.size(), 1u);
  EXPECT_EQ(nul[0].reason, "får inte innehålla tecknet NUL");
}

TEST(ValidateNewPassword, ANewPasswordMustDifferFromTheOld) {
  std::string old = "Trygghet-Sollentuna-49!";
  auto same = ValidateNewPassword(old, "anna", &old);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].reason, "liknar det nuvarande lösenordet för mycket");
  EXPECT_TRUE(ValidateNewPassword("Kvällssol-över-Edsviken-8", "anna", &old).empty());
}

}  // namespace
}  // namespace est
