// GIS files in through GDAL/OGR's C API (gis_file.h).
#include "ingest/gis_file.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "ingest/report_csv.h"

namespace est::ingest {
namespace {

using json = nlohmann::json;

void InitGdal() {
  static std::once_flag once;
  // A Shapefile's encoding comes from its .cpg or the DBF's code page; GDAL gives UTF-8.
  std::call_once(once, [] { GDALAllRegister(); });
}

// GDAL's messages go to the Error we return, not to stderr.
struct QuietErrors {
  QuietErrors() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietErrors() { CPLPopErrorHandler(); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
};

std::string GdalReason() {
  std::string m = CPLGetLastErrorMsg();
  return m.empty() ? "okänt fel" : m;
}

std::string BaseName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct DatasetCloser {
  void operator()(void* ds) const { GDALClose(ds); }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

struct SrsCloser {
  void operator()(OGRSpatialReferenceH s) const { OSRDestroySpatialReference(s); }
};
using Srs = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsCloser>;

struct TransformCloser {
  void operator()(OGRCoordinateTransformationH t) const { OCTDestroyCoordinateTransformation(t); }
};
using Transform =
    std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, TransformCloser>;

struct FeatureCloser {
  void operator()(OGRFeatureH f) const { OGR_F_Destroy(f); }
};
using Feature = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureCloser>;

// A zipped Shapefile is read inside the zip.
std::string GdalPath(const std::string& path) {
  if (EndsWith(Lower(path), ".zip")) return "/vsizip/" + path;
  return path;
}

Result<Dataset> Open(const std::string& path) {
  // A file, never a URL or one of GDAL's virtual file systems named by the caller.
  if (path.rfind("/vsi", 0) == 0 || path.find("://") != std::string::npos) {
    return InvalidField("file", "måste vara en fil, inte en adress");
  }
  InitGdal();
  QuietErrors quiet;
  if (EndsWith(Lower(path), ".zip")) {
    // A zipped Shapefile is unpacked as it is read: refuse one that would unpack to more than
    // kMaxUnzippedBytes (a zip bomb), before GDAL reads a byte of it.
    constexpr uint64_t kMaxUnzippedBytes = uint64_t{512} << 20;
    uint64_t total = 0;
    char** entries = VSIReadDirRecursive(GdalPath(path).c_str());
    for (char** e = entries; e && *e; ++e) {
      VSIStatBufL st;
      if (VSIStatL((GdalPath(path) + "/" + *e).c_str(), &st) == 0 && !VSI_ISDIR(st.st_mode)) {
        total += static_cast<uint64_t>(st.st_size);
      }
    }
    CSLDestroy(entries);
    if (total > kMaxUnzippedBytes) {
      return InvalidField("file", "zip-filen packas upp till mer än 512 MB; skicka en mindre fil");
    }
  }
  const char* drivers[] = {"GPKG", "ESRI Shapefile", "GeoJSON", nullptr};
  const char* open_options[] = {nullptr};
  void* ds = GDALOpenEx(GdalPath(path).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                        open_options, nullptr);
  if (!ds) {
    return MakeError(ErrorCode::kInvalidArgument,
                     BaseName(path) + " kunde inte läsas som GeoPackage, Shapefile eller GeoJSON",
                     {{"file", GdalReason()}});
  }
  return Dataset(ds);
}

std::vector<std::string> LayerNames(void* ds) {
  std::vector<std::string> names;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
    names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  }
  return names;
}

Result<OGRLayerH> PickLayer(void* ds, const std::string& path, const std::string& wanted) {
  auto names = LayerNames(ds);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  if (!wanted.empty()) {
    OGRLayerH l = GDALDatasetGetLayerByName(ds, wanted.c_str());
    if (!l) return InvalidField("layer", "\"" + wanted + "\" finns inte i filen (lager: " + list + ")");
    return l;
  }
  if (names.empty()) return InvalidField("file", BaseName(path) + " har inga lager");
  if (names.size() > 1) {
    return InvalidField("layer", "filen har " + std::to_string(names.size()) +
                                     " lager; ange vilket med --layer (" + list + ")");
  }
  return GDALDatasetGetLayer(ds, 0);
}

// The transformation from the layer's CRS (or the override) to WGS 84 lon/lat.
Result<Transform> ToWgs84(OGRLayerH layer, void* ds, const GisReadOptions& options) {
  Srs source;
  if (options.source_epsg) {
    source.reset(OSRNewSpatialReference(nullptr));
    if (OSRImportFromEPSG(source.get(), *options.source_epsg) != OGRERR_NONE) {
      return InvalidField("crs", "EPSG:" + std::to_string(*options.source_epsg) + " är okänt");
    }
  } else if (OGRSpatialReferenceH s = OGR_L_GetSpatialRef(layer)) {
    source.reset(OSRClone(s));
  } else {
    const char* driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    if (std::string(driver) != "GeoJSON") {
      return InvalidField("crs", "filen anger inget koordinatsystem (saknas .prj?); ange det med "
                                 "--crs, t.ex. EPSG:3006");
    }
    source.reset(OSRNewSpatialReference(nullptr));
    OSRImportFromEPSG(source.get(), 4326);
  }
  OSRSetAxisMappingStrategy(source.get(), OAMS_TRADITIONAL_GIS_ORDER);
  Srs target(OSRNewSpatialReference(nullptr));
  OSRImportFromEPSG(target.get(), 4326);
  OSRSetAxisMappingStrategy(target.get(), OAMS_TRADITIONAL_GIS_ORDER);
  Transform t(OCTNewCoordinateTransformation(source.get(), target.get()));
  if (!t) {
    return InvalidField("crs", "koordinatsystemet kan inte räknas om till WGS 84: " + GdalReason());
  }
  return t;
}

std::string Two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

// A field's value as JSON: numbers as numbers, dates and times as ISO 8601, null when unset.
json FieldValue(OGRFeatureH f, int i, OGRFieldType type) {
  if (!OGR_F_IsFieldSetAndNotNull(f, i)) return nullptr;
  switch (type) {
    case OFTInteger:
      return OGR_F_GetFieldAsInteger(f, i);
    case OFTInteger64:
      return static_cast<int64_t>(OGR_F_GetFieldAsInteger64(f, i));
    case OFTReal:
      return OGR_F_GetFieldAsDouble(f, i);
    case OFTDate:
    case OFTDateTime: {
      int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
      float s = 0;
      OGR_F_GetFieldAsDateTimeEx(f, i, &y, &mo, &d, &h, &mi, &s, &tz);
      std::string out = std::to_string(y) + "-" + Two(mo) + "-" + Two(d);
      if (type == OFTDate) return out;
      out += "T" + Two(h) + ":" + Two(mi) + ":" + Two(static_cast<int>(s));
      // GDAL's time zone flag: 100 is UTC, each step of one from it 15 minutes; 0 and 1 unknown
      // or local (left without offset: the importer reads those as Swedish time).
      if (tz == 100) {
        out += "Z";
      } else if (tz > 1) {
        int minutes = (tz - 100) * 15;
        out += (minutes < 0 ? "-" : "+") + Two(std::abs(minutes) / 60) + ":" +
               Two(std::abs(minutes) % 60);
      }
      return out;
    }
    default:
      return std::string(OGR_F_GetFieldAsString(f, i));
  }
}

struct Field {
  std::string name;
  OGRFieldType type;
};

// Calls fn(feature number, feature, its geometry in WGS 84 or null) for every feature.
Status ForEachFeature(const std::string& path, const GisReadOptions& options,
                      std::vector<Field>& fields,
                      const std::function<Status(int, OGRFeatureH, OGRGeometryH)>& fn) {
  auto ds = Open(path);
  if (!ds) return Fail(ds);
  auto layer = PickLayer(ds->get(), path, options.layer);
  if (!layer) return Fail(layer);
  auto ct = ToWgs84(*layer, ds->get(), options);
  if (!ct) return Fail(ct);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(*layer);
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
    fields.push_back({OGR_Fld_GetNameRef(fd), OGR_Fld_GetType(fd)});
  }
  QuietErrors quiet;
  OGR_L_ResetReading(*layer);
  int n = 0;
  while (Feature f{OGR_L_GetNextFeature(*layer)}) {
    ++n;
    OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
    if (g && !OGR_G_IsEmpty(g) && OGR_G_Transform(g, ct->get()) != OGRERR_NONE) {
      return InvalidField("objekt " + std::to_string(n),
                          "koordinaterna kan inte räknas om till WGS 84: " + GdalReason());
    }
    if (g && OGR_G_IsEmpty(g)) g = nullptr;
    if (auto st = fn(n, f.get(), g); !st) return st;
  }
  if (CPLGetLastErrorType() >= CE_Failure) {
    return InvalidField("objekt " + std::to_string(n + 1), "kunde inte läsas: " + GdalReason());
  }
  return {};
}

bool IsCoordinateColumn(const std::string& name) {
  std::string l = Lower(name);
  return l == "lon" || l == "lat" || l == "x" || l == "y";
}

// A Shapefile's DBF cuts column names at 10 characters ("occurred_from" becomes "occurred_f"):
// such a name is read as the report column it is the only cut of.
std::string ReportColumnName(const std::string& name) {
  const std::string l = Lower(name);
  if (l.size() != 10) return name;
  std::string found;
  for (const auto& c : ReportCsvColumns()) {
    if (c == l) return name;
    if (c.size() > 10 && c.compare(0, 10, l) == 0) {
      if (!found.empty()) return name;
      found = c;
    }
  }
  return found.empty() ? name : found;
}

std::string Oneline(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string Number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.7f", v);
  return b;
}

}  // namespace

bool IsGisFile(const std::string& path) {
  std::string l = Lower(path);
  if (EndsWith(l, ".gpkg") || EndsWith(l, ".shp") || EndsWith(l, ".zip")) return true;
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return in.gcount() == 16 && std::string(head, 15) == "SQLite format 3";
}

bool HasGeoJsonName(const std::string& path) {
  std::string l = Lower(path);
  return EndsWith(l, ".geojson") || EndsWith(l, ".json");
}

Result<std::vector<std::string>> GisLayerNames(const std::string& path) {
  auto ds = Open(path);
  if (!ds) return Fail(ds);
  return LayerNames(ds->get());
}

Result<std::string> GisLayerAsGeoJson(const std::string& path, const GisReadOptions& options) {
  std::vector<Field> fields;
  json features = json::array();
  auto st = ForEachFeature(path, options, fields, [&](int, OGRFeatureH f, OGRGeometryH g) -> Status {
    json props = json::object();
    for (size_t i = 0; i < fields.size(); ++i) {
      props[fields[i].name] = FieldValue(f, static_cast<int>(i), fields[i].type);
    }
    json geometry = nullptr;
    if (g) {
      char* text = OGR_G_ExportToJson(g);
      geometry = json::parse(text ? text : "null", nullptr, false);
      CPLFree(text);
    }
    features.push_back({{"type", "Feature"}, {"properties", std::move(props)},
                        {"geometry", std::move(geometry)}});
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return json{{"type", "FeatureCollection"}, {"features", std::move(features)}}.dump();
}

Result<std::string> GisPointsAsCsv(const std::string& path, const GisReadOptions& options) {
  std::vector<Field> fields;
  std::vector<int> columns;  // the fields written, in order
  std::string out;
  auto st = ForEachFeature(path, options, fields, [&](int n, OGRFeatureH f, OGRGeometryH g) -> Status {
    if (n == 1) {
      for (size_t i = 0; i < fields.size(); ++i) {
        if (IsCoordinateColumn(fields[i].name)) continue;
        columns.push_back(static_cast<int>(i));
        out += CsvEscape(ReportColumnName(fields[i].name)) + ",";
      }
      out += "lon,lat\n";
    }
    for (int i : columns) {
      json v = FieldValue(f, i, fields[i].type);
      std::string s = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
      out += CsvEscape(Oneline(s)) + ",";
    }
    if (g) {
      OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
      if (type == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1) {
        g = OGR_G_GetGeometryRef(g, 0);
        type = wkbPoint;
      }
      if (type != wkbPoint) {
        return InvalidField("objekt " + std::to_string(n),
                            std::string("geometrin är ") + OGR_G_GetGeometryName(g) +
                                "; rapporter måste vara punkter");
      }
      out += Number(OGR_G_GetX(g, 0)) + "," + Number(OGR_G_GetY(g, 0));
    } else {
      out += ",";
    }
    out += "\n";
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  if (out.empty()) return InvalidField("file", BaseName(path) + " har inga objekt");
  return out;
}

}  // namespace est::ingest
