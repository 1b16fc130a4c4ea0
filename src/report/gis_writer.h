// GIS files out: a GeoJSON FeatureCollection (WGS 84) written as a GeoPackage layer through
// GDAL/OGR (Debian's libgdal-dev), for QGIS and ArcGIS. Field types come from the values (numbers,
// ISO 8601 times as DateTime, text); features without geometry stay in the layer without one.
//
// Contract: the output is written to `out_path + ".tmp"` and renamed over `out_path` only when
// complete, so a failed write leaves no half file and an existing file as it was. Errors:
// kUnavailable naming the file and GDAL's reason. Never throws.
#ifndef EST_REPORT_GIS_WRITER_H_
#define EST_REPORT_GIS_WRITER_H_

#include <string>

#include "core/error.h"

namespace est::report {

Status WriteGeoPackage(const std::string& geojson_path, const std::string& out_path,
                       const std::string& layer_name);

}  // namespace est::report

#endif  // EST_REPORT_GIS_WRITER_H_
