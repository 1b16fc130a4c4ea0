// Error values shared by every module.
//
// Domain errors are values, not exceptions: functions return Result<T> (tl::expected<T, Error>).
// An Error carries a code (which decides HTTP status, problem+json type and CLI exit code, see
// error.cc), a human-readable detail in Swedish (shown to municipal users) and, for validation
// failures, one FieldError per offending field with its path ("location.lon", "line 12: severity").
#ifndef EST_CORE_ERROR_H_
#define EST_CORE_ERROR_H_

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace est {

enum class ErrorCode {
  kInvalidArgument,   // bad input: 400 / exit 2
  kNotFound,          // 404 / exit 1
  kConflict,          // 409 / exit 1
  kUnauthenticated,   // 401 / exit 1
  kForbidden,         // 403 / exit 1
  kPayloadTooLarge,   // 413 / exit 2
  kUnsupportedMedia,  // 415 / exit 2
  kRateLimited,       // 429 / exit 1
  kUnavailable,       // 503 / exit 1
  kInternal,          // 500 / exit 1
};

// One offending field: `field` is a path such as "location.lon" or "rad 12, kolumn severity";
// `reason` says why in plain Swedish.
struct FieldError {
  std::string field;
  std::string reason;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  std::vector<FieldError> fields;
};

template <class T>
using Result = tl::expected<T, Error>;

// Result<void> for operations that only succeed or fail.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string detail,
                                       std::vector<FieldError> fields = {}) {
  return tl::unexpected<Error>(Error{code, std::move(detail), std::move(fields)});
}

inline tl::unexpected<Error> InvalidField(std::string field, std::string reason) {
  std::string detail = "Ogiltigt värde i " + field + ": " + reason;
  return MakeError(ErrorCode::kInvalidArgument, std::move(detail),
                   {FieldError{std::move(field), std::move(reason)}});
}

// The error of a failed Result passed on as the error of another: `if (!r) return Fail(r);`.
// REQUIRES: !r. Generic in E so that a module's own, more specialised Fail(const Result<T>&)
// still wins where one is declared (src/store/store_impl.h has one until the store's rewrite).
template <class T, class E>
tl::unexpected<E> Fail(const tl::expected<T, E>& r) {
  return tl::unexpected<E>(r.error());
}

// The one table that maps an error code to its outward forms.
struct ErrorInfo {
  int http_status;
  std::string_view type;   // problem+json "type" (a URN under our namespace)
  std::string_view title;  // problem+json "title" (Swedish)
  int exit_code;           // CLI exit code
};
const ErrorInfo& InfoFor(ErrorCode code);

// "400 Ogiltig indata: <detail>\n  fält: orsak" — for logs and the CLI.
std::string ToString(const Error& error);

}  // namespace est

#endif  // EST_CORE_ERROR_H_
