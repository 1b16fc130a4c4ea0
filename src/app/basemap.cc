// The basemap (basemap.h).
#include "app/basemap.h"

#include <cctype>
#include <charconv>

#include "app/system_access.h"
#include "core/text.h"

namespace est::app {
namespace {

constexpr const char* kUrlKey = "basemap.url";
constexpr const char* kAttributionKey = "basemap.attribution";
constexpr const char* kMaxZoomKey = "basemap.max_zoom";

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
}

// scheme://host[:port] of a URL whose scheme is http or https; "" if it has none.
struct Origin {
  std::string scheme, host, port;
};
std::optional<Origin> OriginOf(const std::string& url) {
  Origin o;
  size_t rest = 0;
  if (url.rfind("https://", 0) == 0) {
    o.scheme = "https";
    rest = 8;
  } else if (url.rfind("http://", 0) == 0) {
    o.scheme = "http";
    rest = 7;
  } else {
    return std::nullopt;
  }
  const size_t end = url.find_first_of("/?#", rest);
  std::string authority = url.substr(rest, end == std::string::npos ? std::string::npos : end - rest);
  if (const size_t colon = authority.rfind(':'); colon != std::string::npos) {
    o.port = authority.substr(colon + 1);
    authority.resize(colon);
  }
  o.host = authority;
  return o;
}

bool ValidHost(std::string host) {
  if (host.rfind("{s}.", 0) == 0) host = host.substr(4);
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
  }
  return true;
}

}  // namespace

Result<Basemap> ParseBasemap(const std::string& url_in, const std::string& attribution,
                             std::optional<int> max_zoom) {
  Basemap b;
  if (max_zoom && (*max_zoom < 1 || *max_zoom > 22)) {
    return InvalidField("max_zoom", "största zoomnivån ska vara 1–22");
  }
  b.max_zoom = max_zoom.value_or(19);
  std::string url = url_in;
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.pop_back();
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.front()))) url.erase(0, 1);
  if (url.empty()) return b;
  if (url.size() > 2000) return InvalidField("url", "adressen är längre än 2000 tecken");
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
        c == '`') {
      return InvalidField("url", "adressen får inte innehålla mellanslag, citattecken eller <>");
    }
  }
  auto origin = OriginOf(url);
  if (!origin) return InvalidField("url", "adressen ska börja med https:// (eller http://)");
  if (!ValidHost(origin->host)) {
    return InvalidField("url", "värdnamnet \"" + origin->host + "\" är inte giltigt");
  }
  if (!origin->port.empty()) {
    int port = 0;
    auto [p, ec] = std::from_chars(origin->port.data(), origin->port.data() + origin->port.size(), port);
    if (ec != std::errc() || p != origin->port.data() + origin->port.size() || port < 1 ||
        port > 65535) {
      return InvalidField("url", "portnumret \"" + origin->port + "\" är inte giltigt");
    }
  }
  // WMTS REST template → XYZ.
  ReplaceAll(url, "{TileMatrix}", "{z}");
  ReplaceAll(url, "{TileCol}", "{x}");
  ReplaceAll(url, "{TileRow}", "{y}");
  for (size_t p = url.find('{'); p != std::string::npos; p = url.find('{', p + 1)) {
    const size_t q = url.find('}', p);
    if (q == std::string::npos) return InvalidField("url", "en { saknar sin }");
    const std::string name = url.substr(p, q - p + 1);
    if (name != "{z}" && name != "{x}" && name != "{y}" && name != "{-y}" && name != "{s}" &&
        name != "{r}") {
      return InvalidField("url", "okänd platshållare " + name +
                                     " (tillåtna: {z} {x} {y} {-y} {s} {r}, och WMTS "
                                     "{TileMatrix} {TileCol} {TileRow}); ersätt övriga med "
                                     "sina värden");
    }
    if (name == "{s}" && url.find("{s}") != origin->scheme.size() + 3) {
      return InvalidField("url", "{s} får bara stå först i värdnamnet ({s}.exempel.se)");
    }
  }
  if (url.find("{z}") == std::string::npos || url.find("{x}") == std::string::npos ||
      (url.find("{y}") == std::string::npos && url.find("{-y}") == std::string::npos)) {
    return InvalidField("url", "adressen ska innehålla {z}, {x} och {y} (eller WMTS "
                               "{TileMatrix}, {TileCol}, {TileRow})");
  }
  std::string attr = attribution;
  while (!attr.empty() && std::isspace(static_cast<unsigned char>(attr.back()))) attr.pop_back();
  while (!attr.empty() && std::isspace(static_cast<unsigned char>(attr.front()))) attr.erase(0, 1);
  if (attr.empty()) {
    return InvalidField("attribution",
                        "ange kartans upphov, t.ex. \"© OpenStreetMap-bidragsgivare\" – "
                        "kartleverantörens villkor kräver det");
  }
  if (Utf8Length(attr) > 300) return InvalidField("attribution", "högst 300 tecken");
  if (attr.find_first_of("<>\r\n") != std::string::npos) {
    return InvalidField("attribution", "en rad vanlig text, utan < och >");
  }
  b.url = std::move(url);
  b.attribution = std::move(attr);
  return b;
}

std::string BasemapOrigin(const Basemap& basemap) {
  auto o = OriginOf(basemap.url);
  if (!o) return "";
  std::string host = o->host;
  if (host.rfind("{s}.", 0) == 0) host = "*." + host.substr(4);
  return o->scheme + "://" + host + (o->port.empty() ? "" : ":" + o->port);
}

Basemap CurrentBasemap(const System& sys, const Basemap& server) {
  if (!server.url.empty()) {
    Basemap b = server;
    b.source = "server";
    return b;
  }
  const auto settings = sys.settings();
  Basemap b;
  auto get = [&](const char* k) -> std::string {
    auto it = settings->find(k);
    return it == settings->end() ? "" : it->second;
  };
  b.url = get(kUrlKey);
  if (b.url.empty()) return b;
  b.attribution = get(kAttributionKey);
  const std::string z = get(kMaxZoomKey);
  int zoom = 0;
  if (auto [p, ec] = std::from_chars(z.data(), z.data() + z.size(), zoom); ec == std::errc()) {
    b.max_zoom = zoom;
  }
  b.source = "settings";
  return b;
}

Status SetBasemap(System& sys, const std::string& url, const std::string& attribution,
                  std::optional<int> max_zoom, const store::Actor& actor) {
  auto b = ParseBasemap(url, attribution, max_zoom);
  if (!b) return tl::unexpected(b.error());
  const bool none = b->url.empty();
  internal::WriteLock lock(sys);
  auto s = internal::Access::Writer(sys).SetSettings(
      {{kUrlKey, b->url},
       {kAttributionKey, none ? "" : b->attribution},
       {kMaxZoomKey, none ? "" : std::to_string(b->max_zoom)}},
      actor);
  if (!s) return s;
  return internal::Access::RefreshSettings(sys);
}

}  // namespace est::app
