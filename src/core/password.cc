// libsodium-backed password hashing and tokens.
#include "core/password.h"

#include <sodium.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace est {
namespace {

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no CSPRNG: refuse to run rather than be insecure
  });
}

bool FastHash() {
  const char* v = std::getenv("EST_FAST_PASSWORD_HASH");
  return v && std::string_view(v) == "1";
}

std::string Hex(const unsigned char* data, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

std::atomic<uint64_t> verifications{0};

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  InitOnce();
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops =
      FastHash() ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = FastHash() ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorCode::kInternal, "Lösenordet kunde inte hashas (slut på minne)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  InitOnce();
  verifications.fetch_add(1, std::memory_order_relaxed);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool VerifyLoginPassword(std::string_view password, const std::string* hash) {
  if (hash) return VerifyPassword(password, *hash);
  // Made once, at the cost new hashes get (EST_FAST_PASSWORD_HASH included), from a random
  // password nobody knows; if hashing fails (out of memory), an empty hash fails at once.
  static const std::string dummy = HashPassword(RandomToken(16)).value_or("");
  VerifyPassword(password, dummy);
  return false;
}

uint64_t PasswordVerificationCount() { return verifications.load(std::memory_order_relaxed); }

std::vector<FieldError> ValidateNewPassword(std::string_view password) {
  std::vector<FieldError> errors;
  if (password.size() < 10) errors.push_back({"password", "måste ha minst 10 tecken"});
  if (password.size() > 200) errors.push_back({"password", "får ha högst 200 tecken"});
  return errors;
}

std::string RandomToken(size_t bytes) {
  InitOnce();
  std::string buf(bytes, '\0');
  randombytes_buf(buf.data(), bytes);
  return Hex(reinterpret_cast<const unsigned char*>(buf.data()), bytes);
}

std::string Sha256Hex(std::string_view text) {
  InitOnce();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return Hex(out, sizeof out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  InitOnce();
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace est
