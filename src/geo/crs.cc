#include "geo/crs.h"

#include <fmt/format.h>
#include <proj.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <mutex>
#include <string>
#include <unordered_map>

namespace est::geo {

struct CrsTransformer::Impl {
  // PROJ objects are not thread-safe; every PJ_CONTEXT/PJ pair is used under `mu`.
  std::mutex mu;
  PJ_CONTEXT* ctx = nullptr;
  PJ* pj = nullptr;

  ~Impl() {
    if (pj != nullptr) proj_destroy(pj);
    if (ctx != nullptr) proj_context_destroy(ctx);
  }
};

namespace {

tl::unexpected<Error> CrsError(int epsg, std::string_view why) {
  return InvalidField("crs",
                      fmt::format("okänt eller ej stött koordinatsystem EPSG:{} ({})", epsg, why));
}

bool IsSupportedType(PJ_TYPE t) {
  return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
         t == PJ_TYPE_PROJECTED_CRS;
}

}  // namespace

CrsTransformer::CrsTransformer(int source_epsg, std::unique_ptr<Impl> impl)
    : source_epsg_(source_epsg), impl_(std::move(impl)) {}
CrsTransformer::CrsTransformer(CrsTransformer&&) noexcept = default;
CrsTransformer& CrsTransformer::operator=(CrsTransformer&&) noexcept = default;
CrsTransformer::~CrsTransformer() = default;

Result<CrsTransformer> CrsTransformer::Create(int source_epsg) {
  if (source_epsg <= 0) return CrsError(source_epsg, "ogiltig kod");
  auto impl = std::make_unique<Impl>();
  impl->ctx = proj_context_create();
  if (impl->ctx == nullptr) {
    return MakeError(ErrorCode::kInternal, "PROJ kunde inte initieras");
  }
  // Keep PROJ quiet on stderr; failures are reported through our own errors.
  proj_log_level(impl->ctx, PJ_LOG_NONE);
  const std::string source = fmt::format("EPSG:{}", source_epsg);
  PJ* src = proj_create(impl->ctx, source.c_str());
  if (src == nullptr) return CrsError(source_epsg, "koden finns inte i PROJ:s databas");
  const PJ_TYPE type = proj_get_type(src);
  proj_destroy(src);
  if (!IsSupportedType(type)) {
    return CrsError(source_epsg, "inte ett geografiskt eller projicerat koordinatsystem");
  }
  PJ* raw = proj_create_crs_to_crs(impl->ctx, source.c_str(), "EPSG:3006", nullptr);
  if (raw == nullptr) return CrsError(source_epsg, "ingen transformation till EPSG:3006");
  // Force x/y = lon/lat resp. easting/northing on both sides, whatever the registry's axis order.
  impl->pj = proj_normalize_for_visualization(impl->ctx, raw);
  proj_destroy(raw);
  if (impl->pj == nullptr) return CrsError(source_epsg, "axelordningen kunde inte normaliseras");
  return CrsTransformer(source_epsg, std::move(impl));
}

Result<Sweref99Point> CrsTransformer::ToSweref(double x, double y) const {
  if (!std::isfinite(x) || !std::isfinite(y)) {
    return InvalidField("koordinat", "koordinaten är inte ett ändligt tal");
  }
  PJ_COORD out;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    proj_errno_reset(impl_->pj);
    out = proj_trans(impl_->pj, PJ_FWD, proj_coord(x, y, 0, 0));
  }
  if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y)) {
    return InvalidField("koordinat", fmt::format("koordinaten ({}, {}) kunde inte transformeras "
                                                 "från EPSG:{} till EPSG:3006",
                                                 x, y, source_epsg_));
  }
  return Sweref99Point{out.xy.x, out.xy.y};
}

Result<std::pair<double, double>> CrsTransformer::FromSweref(Sweref99Point p) const {
  if (!std::isfinite(p.e) || !std::isfinite(p.n)) {
    return InvalidField("koordinat", "koordinaten är inte ett ändligt tal");
  }
  PJ_COORD out;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    proj_errno_reset(impl_->pj);
    out = proj_trans(impl_->pj, PJ_INV, proj_coord(p.e, p.n, 0, 0));
  }
  if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y)) {
    return InvalidField("koordinat",
                        fmt::format("koordinaten E {}, N {} kunde inte transformeras till EPSG:{}",
                                    p.e, p.n, source_epsg_));
  }
  return std::make_pair(out.xy.x, out.xy.y);
}

namespace {

// One transformer per EPSG code and thread; failures are cached too so that a file full of
// positions in an unknown CRS does not hit the PROJ database once per position.
const Result<CrsTransformer>& CachedTransformer(int epsg) {
  thread_local std::unordered_map<int, Result<CrsTransformer>> cache;
  auto it = cache.find(epsg);
  if (it == cache.end()) it = cache.emplace(epsg, CrsTransformer::Create(epsg)).first;
  return it->second;
}

}  // namespace

Result<Sweref99Point> ToSweref(int source_epsg, double x, double y) {
  const Result<CrsTransformer>& t = CachedTransformer(source_epsg);
  if (!t) return tl::unexpected<Error>(t.error());
  return t->ToSweref(x, y);
}

Status CheckEpsg(int epsg) {
  const Result<CrsTransformer>& t = CachedTransformer(epsg);
  if (!t) return tl::unexpected<Error>(t.error());
  return {};
}

Wgs84Point ToWgs84(Sweref99Point p) {
  const Result<CrsTransformer>& t = CachedTransformer(kEpsgWgs84);
  const double nan = std::nan("");
  if (!t) return {nan, nan};
  auto r = t->FromSweref(p);
  if (!r) return {nan, nan};
  return {r->first, r->second};
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ParseCode(std::string_view s, int& out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && out > 0;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<int> ParseCrsName(std::string_view s) {
  const std::string original(s);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  const std::string lower = Lower(s);
  std::string_view v = lower;

  if (v == "crs84" || v == "ogc:crs84" || v == "urn:ogc:def:crs:ogc:1.3:crs84" ||
      v == "urn:ogc:def:crs:ogc::crs84" || v == "http://www.opengis.net/def/crs/ogc/1.3/crs84" ||
      v == "https://www.opengis.net/def/crs/ogc/1.3/crs84") {
    return kEpsgWgs84;
  }
  int code = 0;
  if (ParseCode(v, code)) return code;
  if (StartsWith(v, "epsg:") && ParseCode(v.substr(5), code)) return code;
  // urn:ogc:def:crs:EPSG:<version>:<code>, the version usually empty.
  if (StartsWith(v, "urn:ogc:def:crs:epsg:")) {
    std::string_view rest = v.substr(21);
    const size_t colon = rest.find(':');
    if (colon != std::string_view::npos && ParseCode(rest.substr(colon + 1), code)) return code;
  }
  for (std::string_view prefix :
       {"http://www.opengis.net/def/crs/epsg/", "https://www.opengis.net/def/crs/epsg/"}) {
    if (StartsWith(v, prefix)) {
      std::string_view rest = v.substr(prefix.size());  // "<version>/<code>"
      const size_t slash = rest.find('/');
      if (slash != std::string_view::npos && ParseCode(rest.substr(slash + 1), code)) return code;
    }
  }
  return InvalidField("crs", fmt::format("okänt koordinatsystem \"{}\"; ange t.ex. EPSG:3006 eller "
                                         "EPSG:4326",
                                         original));
}

}  // namespace est::geo
