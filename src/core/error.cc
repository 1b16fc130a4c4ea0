// The error table: one place that decides status codes, titles and exit codes.
#include "core/error.h"

namespace est {

const ErrorInfo& InfoFor(ErrorCode code) {
  static const ErrorInfo kInvalid{400, "urn:est:error:invalid-input", "Ogiltig indata", 2};
  static const ErrorInfo kNotFound{404, "urn:est:error:not-found", "Finns inte", 1};
  static const ErrorInfo kConflict{409, "urn:est:error:conflict", "Konflikt", 1};
  static const ErrorInfo kUnauth{401, "urn:est:error:unauthenticated", "Inloggning krävs", 1};
  static const ErrorInfo kForbidden{403, "urn:est:error:forbidden", "Behörighet saknas", 1};
  static const ErrorInfo kTooLarge{413, "urn:est:error:too-large", "För stor begäran", 2};
  static const ErrorInfo kMedia{415, "urn:est:error:unsupported-media-type", "Fel innehållstyp", 2};
  static const ErrorInfo kRate{429, "urn:est:error:rate-limited", "För många försök", 1};
  static const ErrorInfo kUnavail{503, "urn:est:error:unavailable", "Tjänsten är inte tillgänglig",
                                  1};
  static const ErrorInfo kInternal{500, "urn:est:error:internal", "Internt fel", 1};
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return kInvalid;
    case ErrorCode::kNotFound:
      return kNotFound;
    case ErrorCode::kConflict:
      return kConflict;
    case ErrorCode::kUnauthenticated:
      return kUnauth;
    case ErrorCode::kForbidden:
      return kForbidden;
    case ErrorCode::kPayloadTooLarge:
      return kTooLarge;
    case ErrorCode::kUnsupportedMedia:
      return kMedia;
    case ErrorCode::kRateLimited:
      return kRate;
    case ErrorCode::kUnavailable:
      return kUnavail;
    case ErrorCode::kInternal:
      return kInternal;
  }
  return kInternal;
}

std::string ToString(const Error& error) {
  const ErrorInfo& info = InfoFor(error.code);
  std::string out = std::string(info.title) + ": " + error.detail;
  for (const FieldError& f : error.fields) {
    out += "\n  " + f.field + ": " + f.reason;
  }
  return out;
}

}  // namespace est
