// GIS files in: GeoPackage, Shapefile (with its .prj) and GeoJSON read through GDAL/OGR (Debian's
// libgdal-dev), as untrusted input for the importers of areas and reports.
//
// Contract: only the GPKG, ESRI Shapefile and GeoJSON drivers may open a file (never a VRT or a
// network source); one layer is read — the one named, else the only one (several without a name
// is kInvalidArgument on field "layer", listing them). Coordinates come out in WGS 84 longitude/
// latitude (RFC 7946 order), transformed from the layer's CRS (a Shapefile's .prj, a GeoPackage's
// srs) or from `source_epsg` where given, which replaces the file's. A layer without a CRS is
// refused (field "crs", asking for --crs), except GeoJSON, whose CRS is WGS 84 by definition.
// A .zip that would unpack to more than 512 MB is refused before it is read (field "file").
// Features are numbered 1, 2, … in the file's order ("objekt N" in every error). A file GDAL
// cannot open is kInvalidArgument naming the file and GDAL's reason. Never throws.
#ifndef EST_INGEST_GIS_FILE_H_
#define EST_INGEST_GIS_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace est::ingest {

struct GisReadOptions {
  std::string layer;               // empty: the file's only layer
  std::optional<int> source_epsg;  // replaces the file's CRS
};

// True when `path` names a file for GDAL rather than our own GeoJSON or CSV readers: a .gpkg,
// .shp or .zip (a zipped Shapefile), or a file that begins as a GeoPackage does.
bool IsGisFile(const std::string& path);
// True for a name ending in .geojson or .json.
bool HasGeoJsonName(const std::string& path);

// The layer as a GeoJSON FeatureCollection (WGS 84 lon/lat, properties typed as in the file;
// dates as ISO 8601), for the areas importer: its feature indices are the file's features, 0-based.
Result<std::string> GisLayerAsGeoJson(const std::string& path, const GisReadOptions& options);

// A point layer as report CSV (docs/import-format.md): the attribute columns by their names,
// then lon and lat from the geometry (attribute columns lon, lat, x and y are left out); a
// feature without geometry has empty lon/lat (an area-only report, which needs area_code). Line
// breaks in text attributes become spaces, so CSV row r is feature r - 1. A geometry other than
// a point is an error naming the feature.
Result<std::string> GisPointsAsCsv(const std::string& path, const GisReadOptions& options);

// The names of the layers GDAL sees in the file (for messages and tests).
Result<std::vector<std::string>> GisLayerNames(const std::string& path);

}  // namespace est::ingest

#endif  // EST_INGEST_GIS_FILE_H_
