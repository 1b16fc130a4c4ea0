// Private to the app module: the small helpers the use-case files share.
#ifndef EST_APP_USE_CASE_UTIL_H_
#define EST_APP_USE_CASE_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace est::app {

// kInvalidArgument with `detail` and one FieldError per problem.
inline tl::unexpected<Error> Invalid(std::string detail, std::vector<FieldError> fields) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(detail), std::move(fields));
}

}  // namespace est::app

#endif  // EST_APP_USE_CASE_UTIL_H_
