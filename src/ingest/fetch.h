// Hämtning: one HTTP(S) GET of a feed another system publishes (the police's events), as
// untrusted bytes for the parsers of this module. cpp-httplib's client (Debian's
// libcpp-httplib-dev, with OpenSSL).
//
// Contract: the URL is http:// or https:// with a host (else kInvalidArgument on field "url");
// the answer must be 200 within `timeout_s` for connecting and for each read, and at most
// `max_bytes` long (else the transfer is stopped: kInvalidArgument naming the limit); a host that
// cannot be reached or another status is kUnavailable naming the host and what happened.
// Redirects are followed (at most the library's default). Over HTTPS the server's certificate is
// verified (Debian's CA bundle). Never throws.
#ifndef EST_INGEST_FETCH_H_
#define EST_INGEST_FETCH_H_

#include <cstddef>
#include <string>

#include "core/error.h"

namespace est::ingest {

struct FetchOptions {
  int timeout_s = 30;
  size_t max_bytes = 32u << 20;
  // The police's API asks for a User-Agent that says who calls.
  std::string user_agent = "EST (kommunal samordning for trygghet)";
};

Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options = {});

}  // namespace est::ingest

#endif  // EST_INGEST_FETCH_H_
