#include "geo/geojson.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <utility>

#include "geo/crs.h"
#include "geo/validate.h"

namespace est::geo {

namespace {

using Json = nlohmann::json;
using Position = std::array<double, 2>;
// A polygon as read from the file, still in source coordinates: rings[0] is the outer ring.
using RawPolygon = std::vector<std::vector<Position>>;

constexpr size_t kMaxFieldErrors = 100;

std::string NumberText(const Json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  // Shortest representation that reads back exactly: 2.5, 3, 107053.89017359806.
  return fmt::format("{}", v.get<double>());
}

std::string ValueText(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return NumberText(v);
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string RingName(size_t part, size_t ring, bool multi) {
  std::string s = multi ? fmt::format("del {}, ", part + 1) : "";
  if (ring == 0) return s + "ytterringen";
  return s + fmt::format("hål {}", ring);
}

// Reads GeoJSON "coordinates" of one polygon. Returns a Swedish reason on failure.
std::optional<std::string> ReadPolygonCoords(const Json& rings, size_t part, bool multi,
                                             RawPolygon& out) {
  const std::string prefix = multi ? fmt::format("del {}: ", part + 1) : "";
  if (!rings.is_array()) return prefix + "polygonen är inte en lista av ringar";
  if (rings.empty()) return prefix + "polygonen har inga ringar";
  for (size_t r = 0; r < rings.size(); ++r) {
    const std::string name = RingName(part, r, multi);
    const Json& ring = rings[r];
    if (!ring.is_array()) return name + " är inte en lista av positioner";
    std::vector<Position> pts;
    pts.reserve(ring.size());
    for (size_t k = 0; k < ring.size(); ++k) {
      const Json& pos = ring[k];
      if (!pos.is_array() || pos.size() < 2) {
        return fmt::format("{}, position {}: en position måste vara [x, y], inte {}", name, k + 1,
                           ValueText(pos));
      }
      if (!pos[0].is_number() || !pos[1].is_number()) {
        return fmt::format("{}, position {}: koordinaten är inte ett tal ({})", name, k + 1,
                           ValueText(pos));
      }
      pts.push_back({pos[0].get<double>(), pos[1].get<double>()});
    }
    if (pts.size() < 4) {
      return fmt::format("{} har bara {} positioner; minst 4 krävs (första = sista)", name,
                         pts.size());
    }
    if (pts.front() != pts.back()) {
      return fmt::format(
          "{} är inte sluten: första positionen [{}, {}] skiljer sig från sista "
          "[{}, {}]",
          name, pts.front()[0], pts.front()[1], pts.back()[0], pts.back()[1]);
    }
    out.push_back(std::move(pts));
  }
  return std::nullopt;
}

// Reads a Polygon or MultiPolygon geometry object in source coordinates.
std::optional<std::string> ReadGeometry(const Json& geom, std::vector<RawPolygon>& out,
                                        bool& multi) {
  if (geom.is_null()) return std::string("saknar geometri");
  if (!geom.is_object()) return std::string("\"geometry\" är inte ett objekt");
  auto type_it = geom.find("type");
  if (type_it == geom.end() || !type_it->is_string()) {
    return std::string("geometrin saknar \"type\"");
  }
  const std::string type = type_it->get<std::string>();
  if (type != "Polygon" && type != "MultiPolygon") {
    return fmt::format("geometritypen \"{}\" stöds inte; endast Polygon och MultiPolygon", type);
  }
  auto coords = geom.find("coordinates");
  if (coords == geom.end() || !coords->is_array()) {
    return std::string("\"coordinates\" saknas eller är inte en lista");
  }
  multi = type == "MultiPolygon";
  if (!multi) {
    RawPolygon poly;
    if (auto err = ReadPolygonCoords(*coords, 0, false, poly)) return err;
    out.push_back(std::move(poly));
    return std::nullopt;
  }
  if (coords->empty()) return std::string("MultiPolygon utan delar");
  for (size_t i = 0; i < coords->size(); ++i) {
    RawPolygon poly;
    if (auto err = ReadPolygonCoords((*coords)[i], i, true, poly)) return err;
    out.push_back(std::move(poly));
  }
  return std::nullopt;
}

// Projects raw polygons with `project`; checks every position against Sweden's envelope when
// `check_sweden`. Returns a Swedish reason on failure.
std::optional<std::string> Project(const std::vector<RawPolygon>& raw, bool multi, int epsg,
                                   bool check_sweden, MultiPolygon& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    Polygon poly;
    for (size_t r = 0; r < raw[i].size(); ++r) {
      Ring ring;
      ring.pts.reserve(raw[i][r].size());
      for (size_t k = 0; k < raw[i][r].size(); ++k) {
        const auto [x, y] = raw[i][r][k];
        const std::string where = fmt::format("{}, position {}", RingName(i, r, multi), k + 1);
        Sweref99Point p{x, y};
        if (epsg != kEpsgSweref99Tm) {
          auto t = ToSweref(epsg, x, y);
          if (!t) {
            return fmt::format(
                "{}: koordinaten ({}, {}) kunde inte transformeras från EPSG:{} och ligger "
                "alltså inte i Sverige — fel koordinatsystem? Ange rätt med --crs",
                where, x, y, epsg);
          }
          p = *t;
        }
        if (check_sweden && !InSwedenEnvelope(p)) {
          std::string hint;
          if (epsg == kEpsgWgs84) {
            auto swapped = ToSweref(epsg, y, x);
            if (swapped && InSwedenEnvelope(*swapped)) {
              hint = " (longitud och latitud verkar vara omkastade)";
            }
          }
          return fmt::format(
              "{}: koordinaten ({}, {}) ligger utanför Sverige — fel "
              "koordinatsystem? filen tolkades som EPSG:{}{}",
              where, x, y, epsg, hint);
        }
        ring.pts.push_back(p);
      }
      if (r == 0) {
        poly.outer = std::move(ring);
      } else {
        poly.holes.push_back(std::move(ring));
      }
    }
    out.parts.push_back(std::move(poly));
  }
  return std::nullopt;
}

tl::unexpected<Error> JsonError(const Json::exception& e, std::string_view text) {
  std::string what = e.what();
  if (auto pos = what.find("error while parsing"); pos != std::string::npos) {
    what = what.substr(pos);
  } else if (auto colon = what.find("] "); colon != std::string::npos) {
    what = what.substr(colon + 2);
  }
  if (const auto* pe = dynamic_cast<const Json::parse_error*>(&e)) {
    // nlohmann counts bytes from 1; idx is the 0-based offset of the offending byte.
    const size_t byte = std::min(pe->byte, text.size() + 1);
    const size_t idx = byte > 0 ? byte - 1 : 0;
    const std::string_view before = text.substr(0, std::min(idx, text.size()));
    const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    const size_t last_nl = before.rfind('\n');
    const size_t column = last_nl == std::string_view::npos ? idx + 1 : idx - last_nl;
    return InvalidField("geojson", fmt::format("ogiltig JSON vid byte {} (rad {}, kolumn {}) "
                                               "[JSON: {}]",
                                               idx, line, column, what));
  }
  return InvalidField("geojson", fmt::format("ogiltig JSON [JSON: {}]", what));
}

// The file's CRS from its "crs" member (GeoJSON 2008), or 4326 when absent.
Result<int> FileCrs(const Json& root) {
  auto it = root.find("crs");
  if (it == root.end() || it->is_null()) return kEpsgWgs84;
  const Json& crs = *it;
  if (crs.is_object()) {
    auto props = crs.find("properties");
    if (props != crs.end() && props->is_object()) {
      auto name = props->find("name");
      if (name != props->end() && name->is_string()) return ParseCrsName(name->get<std::string>());
      auto code = props->find("code");  // {"type": "EPSG", "properties": {"code": 3006}}
      if (code != props->end() && code->is_number_integer()) return code->get<int>();
    }
  }
  return InvalidField("crs", fmt::format("\"crs\" kan inte tolkas: {}", ValueText(crs)));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "features[3] (id: 40, namn: Tureberg)"; the name comes from a property called name/namn or
// ending in _name/_namn (kom_namn).
std::string FeatureLabel(size_t index, const std::string& id,
                         const std::map<std::string, std::string>& props) {
  std::string name;
  int best = 0;
  for (const auto& [key, value] : props) {
    if (value.empty()) continue;
    const std::string k = Lower(key);
    int rank = 0;
    if (k == "name" || k == "namn") {
      rank = 2;
    } else if (k.ends_with("_namn") || k.ends_with("_name")) {
      rank = 1;
    }
    if (rank > best) {
      best = rank;
      name = value;
    }
  }
  std::string label = fmt::format("features[{}]", index);
  if (!id.empty() && !name.empty()) return fmt::format("{} (id: {}, namn: {})", label, id, name);
  if (!id.empty()) return fmt::format("{} (id: {})", label, id);
  if (!name.empty()) return fmt::format("{} (namn: {})", label, name);
  return label;
}

// Rounds to `decimals` places and prints the shortest text that reads back to the rounded value.
void AppendNumber(std::string& out, double v, double scale) {
  double r = std::round(v * scale) / scale;
  if (r == 0) r = 0;  // no "-0"
  fmt::format_to(std::back_inserter(out), "{}", r);
}

void AppendRing(std::string& out, const Ring& ring, bool want_ccw, bool wgs84) {
  const bool ccw = SignedArea(ring) >= 0;
  std::vector<Sweref99Point> pts = ring.pts;
  if (ccw != want_ccw) std::reverse(pts.begin(), pts.end());
  out += '[';
  for (size_t i = 0; i < pts.size(); ++i) {
    if (i > 0) out += ',';
    out += '[';
    if (wgs84) {
      const Wgs84Point w = ToWgs84(pts[i]);
      AppendNumber(out, w.lon, 1e6);
      out += ',';
      AppendNumber(out, w.lat, 1e6);
    } else {
      AppendNumber(out, pts[i].e, 1e2);
      out += ',';
      AppendNumber(out, pts[i].n, 1e2);
    }
    out += ']';
  }
  out += ']';
}

void AppendPolygon(std::string& out, const Polygon& p, bool wgs84) {
  out += '[';
  AppendRing(out, p.outer, /*want_ccw=*/true, wgs84);
  for (const Ring& h : p.holes) {
    out += ',';
    AppendRing(out, h, /*want_ccw=*/false, wgs84);
  }
  out += ']';
}

}  // namespace

Result<std::vector<AreaFeature>> ParseAreaCollection(std::string_view geojson_text,
                                                     const AreaParseOptions& options) {
  Json root;
  try {
    root = Json::parse(geojson_text.begin(), geojson_text.end());
  } catch (const Json::exception& e) {
    return JsonError(e, geojson_text);
  }
  if (!root.is_object()) {
    return InvalidField("geojson", "filen är inte ett GeoJSON-objekt (FeatureCollection)");
  }
  auto type = root.find("type");
  if (type == root.end() || !type->is_string() || type->get<std::string>() != "FeatureCollection") {
    const std::string got =
        type != root.end() && type->is_string() ? type->get<std::string>() : "saknas";
    return InvalidField("geojson",
                        fmt::format("filen är inte en FeatureCollection (type: {})", got));
  }
  auto features = root.find("features");
  if (features == root.end() || !features->is_array()) {
    return InvalidField("geojson", "FeatureCollection saknar listan \"features\"");
  }

  int epsg = kEpsgWgs84;
  if (options.crs_override) {
    epsg = *options.crs_override;
  } else {
    auto file_crs = FileCrs(root);
    if (!file_crs) return tl::unexpected<Error>(file_crs.error());
    epsg = *file_crs;
  }
  if (auto ok = CheckEpsg(epsg); !ok) return tl::unexpected<Error>(ok.error());

  std::vector<AreaFeature> out;
  std::vector<FieldError> errors;
  size_t bad = 0;
  for (size_t i = 0; i < features->size(); ++i) {
    const Json& f = (*features)[i];
    AreaFeature area;
    area.index = static_cast<int>(i);
    area.source_epsg = epsg;
    std::optional<std::string> reason;
    if (!f.is_object()) {
      reason = "är inte ett objekt";
    } else {
      if (auto props = f.find("properties"); props != f.end() && props->is_object()) {
        for (const auto& [key, value] : props->items()) area.properties[key] = ValueText(value);
      }
      if (auto id = f.find("id"); id != f.end() && !id->is_null()) {
        area.id = ValueText(*id);
      } else if (auto pid = area.properties.find("id"); pid != area.properties.end()) {
        area.id = pid->second;
      }
      auto ftype = f.find("type");
      auto geom = f.find("geometry");
      if (ftype == f.end() || !ftype->is_string() || ftype->get<std::string>() != "Feature") {
        reason = "är inte en Feature (\"type\": \"Feature\" saknas)";
      } else if (geom == f.end()) {
        reason = "saknar geometri";
      } else {
        std::vector<RawPolygon> raw;
        bool multi = false;
        reason = ReadGeometry(*geom, raw, multi);
        if (!reason) reason = Project(raw, multi, epsg, /*check_sweden=*/true, area.geometry);
        if (!reason) {
          if (auto valid = ValidateGeometry(area.geometry); !valid) {
            reason = valid.error().fields.empty() ? valid.error().detail
                                                  : valid.error().fields.front().reason;
          }
        }
      }
    }
    if (reason) {
      ++bad;
      if (errors.size() < kMaxFieldErrors) {
        errors.push_back({FeatureLabel(i, area.id, area.properties), std::move(*reason)});
      }
      continue;
    }
    out.push_back(std::move(area));
  }
  if (bad > 0) {
    if (bad > errors.size()) {
      errors.push_back({"features", fmt::format("ytterligare {} ogiltiga områden visas inte",
                                                bad - errors.size())});
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} av {} områden i GeoJSON-filen är ogiltiga (tolkad som "
                                 "EPSG:{})",
                                 bad, features->size(), epsg),
                     std::move(errors));
  }
  return out;
}

std::string ToGeoJsonGeometry(const MultiPolygon& m, bool wgs84) {
  std::string out;
  if (m.parts.size() == 1) {
    out = R"({"type":"Polygon","coordinates":)";
    AppendPolygon(out, m.parts.front(), wgs84);
  } else {
    out = R"({"type":"MultiPolygon","coordinates":[)";
    for (size_t i = 0; i < m.parts.size(); ++i) {
      if (i > 0) out += ',';
      AppendPolygon(out, m.parts[i], wgs84);
    }
    out += ']';
  }
  out += '}';
  return out;
}

Result<MultiPolygon> ParseGeometrySweref(std::string_view geometry_json) {
  Json geom;
  try {
    geom = Json::parse(geometry_json.begin(), geometry_json.end());
  } catch (const Json::exception& e) {
    auto err = JsonError(e, geometry_json);
    return InvalidField("geometry", err.value().fields.front().reason);
  }
  // An empty MultiPolygon is what ToGeoJsonGeometry writes for an empty geometry.
  if (geom.is_object() && geom.contains("type") && geom["type"] == "MultiPolygon" &&
      geom.contains("coordinates") && geom["coordinates"] == Json::array()) {
    return MultiPolygon{};
  }
  std::vector<RawPolygon> raw;
  bool multi = false;
  if (auto reason = ReadGeometry(geom, raw, multi)) return InvalidField("geometry", *reason);
  MultiPolygon m;
  if (auto reason = Project(raw, multi, kEpsgSweref99Tm, /*check_sweden=*/false, m)) {
    return InvalidField("geometry", *reason);
  }
  return m;
}

}  // namespace est::geo
