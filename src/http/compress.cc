#include "http/compress.h"

#include <zlib.h>

#include <stdexcept>

namespace est::http {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

bool AcceptsGzip(const Request& req) {
  const std::string v = Lower(req.get_header_value("Accept-Encoding"));
  size_t pos = 0;
  while (pos < v.size()) {
    size_t comma = v.find(',', pos);
    std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? v.size() : comma + 1;
    size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    item = item.substr(b);
    size_t semi = item.find(';');
    std::string coding = item.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ') coding.pop_back();
    if (coding != "gzip" && coding != "*") continue;
    if (semi == std::string::npos) return true;
    size_t q = item.find("q=", semi);
    if (q == std::string::npos) return true;
    return std::strtod(item.c_str() + q + 2, nullptr) > 0;
  }
  return false;
}

bool Compressible(std::string_view content_type) {
  const std::string t = Lower(content_type);
  for (const char* p : {"application/json", "application/geo+json", "application/problem+json",
                        "text/", "application/javascript", "image/svg+xml", "application/yaml",
                        "application/manifest+json"}) {
    if (t.rfind(p, 0) == 0) return true;
  }
  return false;
}

std::string Gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

}  // namespace est::http
