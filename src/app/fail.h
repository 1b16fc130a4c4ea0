// Private to the app module: passes an error of one Result on as the error of another.
#ifndef EST_APP_FAIL_H_
#define EST_APP_FAIL_H_

#include "core/error.h"

namespace est::app {

template <class T>
tl::unexpected<Error> Fail(const Result<T>& r) {
  return tl::unexpected(r.error());
}

}  // namespace est::app

#endif  // EST_APP_FAIL_H_
