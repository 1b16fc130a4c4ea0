// GIS files over HTTP: a GeoPackage or a zipped Shapefile sent as the body of an import (POST
// /api/v1/areas, /addresses, /reports/import), read through ingest/gis_file.h like the same file
// on the command line.
//
// Contract: the bytes go to a file of their own in a fresh private directory (mode 0700) that is
// removed before the call returns, whatever happens; a body that is not the kind it claims is
// kInvalidArgument naming the file as GDAL saw it. Never more than the body's size on disk.
#ifndef EST_APP_GIS_UPLOAD_H_
#define EST_APP_GIS_UPLOAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace est::app {

enum class GisUploadKind { kGeoPackage, kZippedShapefile };

// The kind for a Content-Type (application/geopackage+sqlite3, application/zip), or nullopt.
std::optional<GisUploadKind> GisUploadKindOf(std::string_view content_type);

struct GisUploadOptions {
  std::string layer;         // "" = the file's only layer
  std::optional<int> epsg;   // replaces the file's CRS
};

// The layer as a GeoJSON FeatureCollection in WGS 84 (for the areas import).
Result<std::string> GisUploadAsGeoJson(std::string_view bytes, GisUploadKind kind,
                                       const GisUploadOptions& options);
// A point layer as CSV with lon/lat (for the reports and addresses imports; row r = feature r-1).
Result<std::string> GisUploadPointsAsCsv(std::string_view bytes, GisUploadKind kind,
                                         const GisUploadOptions& options);

}  // namespace est::app

#endif  // EST_APP_GIS_UPLOAD_H_
