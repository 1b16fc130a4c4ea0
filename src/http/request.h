// The transport-neutral HTTP request and reply the routes see. Whatever carries the bytes (the
// event-driven transport in transport.h, a test) fills a Request; the routes answer with a Reply.
// Header names compare case-insensitively; the query is decoded into params.
#ifndef EST_HTTP_REQUEST_H_
#define EST_HTTP_REQUEST_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace est::http {

struct Request {
  std::string method;  // "GET", "POST", … as sent (HEAD is answered as GET without a body)
  std::string target;  // as sent: path and query, percent-encoded
  std::string path;    // decoded path, no query
  std::multimap<std::string, std::string> params;  // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<std::string> matches;  // [0] the path, [1…] a route pattern's groups
  std::string remote_addr;
  bool tls = false;  // arrived over TLS (directly or as told by a trusted proxy)

  // The first value of header `name` (any case), "" when absent.
  std::string get_header_value(std::string_view name) const;
  bool has_header(std::string_view name) const;
  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  // The first value of parameter `name`, "" when absent.
  std::string get_param_value(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  // The body already gzipped (a cached reply's), used when the client accepts gzip.
  std::shared_ptr<const std::string> gzip_body;

  // The value of header `name` (any case), "" when absent.
  std::string header(std::string_view name) const;
  void set_header(std::string name, std::string value);
};

// Splits a request target ("/api/v1/x?a=1&b=%C3%A5") into the decoded path and parameters.
// Refused (kInvalidArgument naming "path" or the parameter): not origin-form, a bad %-escape,
// a decoded NUL or other control character, text that is not UTF-8, a path segment "..".
Result<void> ParseTarget(std::string_view target, Request& out);

// Whether `path` matches a route pattern whose only special part is "(\\d+)" (one or more
// digits, captured into `groups`). Linear in the path: no regex runs on what a client sends.
bool MatchRoutePattern(std::string_view pattern, std::string_view path,
                       std::vector<std::string>& groups);

// A path the routes answer (the API, OGC API – Features, Open311) rather than the static files.
inline bool IsApiPath(std::string_view path) {
  return path.rfind("/api/", 0) == 0 || path == "/ogcapi" || path.rfind("/ogcapi/", 0) == 0 ||
         path.rfind("/open311/", 0) == 0;
}

// "http(s)://HOST" of a request as the client addressed it (its Host header; TLS as told), for
// the absolute links of OGC API and Open311 replies.
std::string OriginOf(const Request& req);

// Case-insensitive ASCII comparison of header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

}  // namespace est::http

#endif  // EST_HTTP_REQUEST_H_
