// One GET of a published feed (fetch.h).
#include "ingest/fetch.h"

#include <httplib.h>

#include <filesystem>

namespace est::ingest {

namespace {
constexpr const char* kCaBundle = "/etc/ssl/certs/ca-certificates.crt";
}  // namespace

Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options) {
  auto bad_url = [&](const std::string& why) -> Result<std::string> {
    return MakeError(ErrorCode::kInvalidArgument, "Ogiltig adress: " + url, {{"url", why}});
  };
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return bad_url("måste börja med http:// eller https://");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return bad_url("måste börja med http:// eller https://");
  }
  size_t path_start = url.find('/', scheme_end + 3);
  std::string host_port =
      url.substr(scheme_end + 3, path_start == std::string::npos ? std::string::npos
                                                                 : path_start - scheme_end - 3);
  if (host_port.empty() || host_port.find_first_of(" @") != std::string::npos) {
    return bad_url("saknar värd (t.ex. https://polisen.se/api/events)");
  }
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  try {
    httplib::Client client(scheme + "://" + host_port);
    if (!client.is_valid()) return bad_url("värden \"" + host_port + "\" går inte att använda");
    client.set_connection_timeout(options.timeout_s, 0);
    client.set_read_timeout(options.timeout_s, 0);
    client.set_follow_location(true);
    // HTTPS: the server's certificate is verified against Debian's CA bundle (ca-certificates).
    if (scheme == "https") {
      std::error_code ec;
      if (std::filesystem::exists(kCaBundle, ec)) client.set_ca_cert_path(kCaBundle);
    }
    httplib::Headers headers = {{"User-Agent", options.user_agent},
                                {"Accept", "application/json"}};
    std::string body;
    bool too_big = false;
    auto res = client.Get(
        path, headers,
        [&](const httplib::Response&) { return true; },
        [&](const char* data, size_t len) {
          if (body.size() + len > options.max_bytes) {
            too_big = true;
            return false;
          }
          body.append(data, len);
          return true;
        });
    if (too_big) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Svaret från " + host_port + " är större än " +
                           std::to_string(options.max_bytes >> 20) + " MB",
                       {{"url", "svaret är för stort"}});
    }
    if (!res) {
      return MakeError(ErrorCode::kUnavailable,
                       "Kunde inte hämta från " + host_port + ": " + httplib::to_string(res.error()),
                       {{"url", "värden " + host_port + " svarar inte"}});
    }
    if (res->status != 200) {
      return MakeError(ErrorCode::kUnavailable,
                       host_port + " svarade " + std::to_string(res->status) + " på " + path,
                       {{"url", "svarade " + std::to_string(res->status)}});
    }
    return body;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kUnavailable, "Kunde inte hämta från " + host_port + ": " + e.what(),
                     {{"url", "hämtningen misslyckades"}});
  }
}

}  // namespace est::ingest
