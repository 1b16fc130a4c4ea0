// Passwords and tokens: argon2id hashes and random tokens from libsodium.
//
// Thread-safe. Hash cost is libsodium's "interactive" level by default; setting the environment
// variable EST_FAST_PASSWORD_HASH=1 selects the minimum cost (tests only).
#ifndef EST_CORE_PASSWORD_H_
#define EST_CORE_PASSWORD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace est {

// An argon2id hash string ("$argon2id$v=19$..."). Fails only when out of memory.
Result<std::string> HashPassword(std::string_view password);
// Constant-time check of a password against a stored hash.
bool VerifyPassword(std::string_view password, const std::string& hash);
// The login check: `password` against `hash`, or, when `hash` is null (unknown or disabled
// account), against a dummy hash of the same cost made once per process, so that an unknown login
// takes as long as a known one and the answer time does not reveal which accounts exist. True only
// when `hash` is given and matches.
bool VerifyLoginPassword(std::string_view password, const std::string* hash);
// The number of password verifications this process has run (for tests).
uint64_t PasswordVerificationCount();
// The rules for a password being set (new account, change, reset): at least 12 and at most 200
// characters (Unicode code points), and libpwquality's checks with the system defaults: the
// cracklib dictionary, palindromes and systematic sequences, the login name in some form
// (`login`), a small list of forbidden words ("lösenord", "password"), and — when
// `old_password` is given — too much likeness to it. Stored hashes are never re-checked, so an
// existing account keeps its password. Returns the problems, each naming the field "password",
// with the reason in Swedish; empty = accepted. Thread-safe (libpwquality runs under a mutex).
std::vector<FieldError> ValidateNewPassword(std::string_view password, std::string_view login,
                                            const std::string* old_password = nullptr);
// The minimum length of a new password, in characters.
inline constexpr size_t kMinPasswordChars = 12;
// `bytes` random bytes from the CSPRNG, hex-encoded.
std::string RandomToken(size_t bytes = 32);
// SHA-256 of text, hex-encoded (stores session tokens without the raw value).
std::string Sha256Hex(std::string_view text);
// Constant-time string equality.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace est

#endif  // EST_CORE_PASSWORD_H_
