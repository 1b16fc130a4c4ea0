// A GeoJSON file to a GeoPackage with GDAL's ogr2ogr as a library call (gis_writer.h).
#include "report/gis_writer.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>

#include <cstdio>
#include <mutex>

namespace est::report {
namespace {

std::string GdalReason() {
  std::string m = CPLGetLastErrorMsg();
  return m.empty() ? "okänt fel" : m;
}

}  // namespace

Status WriteGeoPackage(const std::string& geojson_path, const std::string& out_path,
                       const std::string& layer_name) {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
  auto fail = [&](const std::string& what) -> Status {
    std::string reason = GdalReason();
    CPLPopErrorHandler();
    return MakeError(ErrorCode::kUnavailable, "Kan inte skriva " + out_path + ": " + what,
                     {{"output", reason}});
  };
  const char* drivers[] = {"GeoJSON", nullptr};
  GDALDatasetH in = GDALOpenEx(geojson_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                               nullptr, nullptr);
  if (!in) return fail("underlaget kunde inte läsas");
  const std::string tmp = out_path + ".tmp";
  std::remove(tmp.c_str());
  char** argv = nullptr;
  argv = CSLAddString(argv, "-f");
  argv = CSLAddString(argv, "GPKG");
  argv = CSLAddString(argv, "-nln");
  argv = CSLAddString(argv, layer_name.c_str());
  argv = CSLAddString(argv, "-a_srs");
  argv = CSLAddString(argv, "EPSG:4326");
  argv = CSLAddString(argv, "-nlt");
  argv = CSLAddString(argv, "POINT");
  GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv, nullptr);
  CSLDestroy(argv);
  int usage_error = 0;
  GDALDatasetH out = GDALVectorTranslate(tmp.c_str(), nullptr, 1, &in, opts, &usage_error);
  GDALVectorTranslateOptionsFree(opts);
  GDALClose(in);
  if (!out) {
    std::remove(tmp.c_str());
    return fail("GDAL avbröt");
  }
  GDALClose(out);
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return fail("kunde inte byta namn på den tillfälliga filen");
  }
  CPLPopErrorHandler();
  return {};
}

}  // namespace est::report
