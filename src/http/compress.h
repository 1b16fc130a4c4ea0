// gzip for responses (zlib): which replies are worth compressing and the compression itself.
#ifndef EST_HTTP_COMPRESS_H_
#define EST_HTTP_COMPRESS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "http/request.h"

namespace est::http {

// Bodies smaller than this are sent as they are (the header would eat the gain).
inline constexpr size_t kGzipMinBytes = 1024;

// Whether the request's Accept-Encoding allows gzip (a "gzip;q=0" refuses it).
bool AcceptsGzip(const Request& req);
// Text types (JSON, CSV, HTML, CSS, JavaScript, SVG, YAML, GeoJSON) compress well; images and
// archives do not.
bool Compressible(std::string_view content_type);
// The gzip member (RFC 1952) of `data` at zlib's level 6.
std::string Gzip(std::string_view data);

}  // namespace est::http

#endif  // EST_HTTP_COMPRESS_H_
