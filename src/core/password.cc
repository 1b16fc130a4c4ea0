// libsodium-backed password hashing and tokens.
#include "core/password.h"

#include <pwquality.h>
#include <sodium.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "core/text.h"

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

namespace {


// Words that pwquality's English dictionary does not know but that nobody should build on.
constexpr const char* kForbiddenWords = "lösenord losenord password";

// libpwquality's verdict in Swedish; "" when it accepts the password. cracklib keeps static
// state, hence the mutex; the settings are the library's defaults (not /etc/security), so the
// rule is the same on every machine.
std::string QualityProblem(const std::string& password, const std::string& login,
                           const std::string* old_password) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  pwquality_settings_t* settings = pwquality_default_settings();
  if (!settings) return "kunde inte kontrolleras (slut på minne)";
  // Our own length rule counts characters; pwquality's (bytes, with credits) is kept low.
  pwquality_set_int_value(settings, PWQ_SETTING_MIN_LENGTH, 6);
  pwquality_set_str_value(settings, PWQ_SETTING_BAD_WORDS, kForbiddenWords);
  // No auxiliary error: we give our own reasons (and an aux text would have to be freed).
  int score =
      pwquality_check(settings, password.c_str(), old_password ? old_password->c_str() : nullptr,
                      login.c_str(), nullptr);
  pwquality_free_settings(settings);
  if (score >= 0) return "";
  switch (score) {
    case PWQ_ERROR_CRACKLIB_CHECK:
      return "bygger på ett ordboksord eller är för enkelt eller systematiskt";
    case PWQ_ERROR_BAD_WORDS:
      return "innehåller ett ord som inte får användas (t.ex. lösenord)";
    case PWQ_ERROR_USER_CHECK:
    case PWQ_ERROR_GECOS_CHECK:
      return "får inte innehålla användarnamnet";
    case PWQ_ERROR_PALINDROME:
      return "får inte vara ett palindrom";
    case PWQ_ERROR_SAME_PASSWORD:
    case PWQ_ERROR_TOO_SIMILAR:
    case PWQ_ERROR_CASE_CHANGES_ONLY:
    case PWQ_ERROR_ROTATED:
      return "liknar det nuvarande lösenordet för mycket";
    case PWQ_ERROR_MAX_CONSECUTIVE:
    case PWQ_ERROR_MAX_CLASS_REPEAT:
    case PWQ_ERROR_MAX_SEQUENCE:
      return "har för många upprepade tecken eller tecken i följd";
    case PWQ_ERROR_EMPTY_PASSWORD:
      return "saknas";
    default:
      return "är för svagt; välj en längre fras med flera ord";
  }
}

}  // namespace

std::vector<FieldError> ValidateNewPassword(std::string_view password, std::string_view login,
                                            const std::string* old_password) {
  std::vector<FieldError> errors;
  size_t chars = Utf8Length(password);
  if (chars < kMinPasswordChars) {
    errors.push_back(
        {"password", "måste ha minst " + std::to_string(kMinPasswordChars) + " tecken"});
    return errors;
  }
  if (chars > 200) {
    errors.push_back({"password", "får ha högst 200 tecken"});
    return errors;
  }
  if (password.find('\0') != std::string_view::npos) {
    errors.push_back({"password", "får inte innehålla tecknet NUL"});
    return errors;
  }
  std::string problem = QualityProblem(std::string(password), std::string(login), old_password);
  if (!problem.empty()) errors.push_back({"password", std::move(problem)});
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
