// GIS files over HTTP (gis_upload.h).
#include "app/gis_upload.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "ingest/gis_file.h"

namespace est::app {
namespace {

// Runs `read` on the bytes saved as a file, in a private directory removed afterwards.
Result<std::string> WithTempFile(std::string_view bytes, GisUploadKind kind,
                                 const std::function<Result<std::string>(const std::string&)>& read) {
  std::error_code ec;
  std::string dir_template = (std::filesystem::temp_directory_path(ec) / "est-upload-XXXXXX").string();
  if (ec) dir_template = "/tmp/est-upload-XXXXXX";
  if (!mkdtemp(dir_template.data())) {
    return MakeError(ErrorCode::kUnavailable, "Kan inte skapa en tillfällig mapp för filen");
  }
  const std::filesystem::path dir(dir_template);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{dir};
  const std::string path =
      (dir / (kind == GisUploadKind::kGeoPackage ? "uppladdad.gpkg" : "uppladdad.zip")).string();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return MakeError(ErrorCode::kUnavailable, "Kan inte spara den uppladdade filen");
  }
  return read(path);
}

}  // namespace

std::optional<GisUploadKind> GisUploadKindOf(std::string_view content_type) {
  if (content_type.rfind("application/geopackage+sqlite3", 0) == 0) {
    return GisUploadKind::kGeoPackage;
  }
  if (content_type.rfind("application/zip", 0) == 0) return GisUploadKind::kZippedShapefile;
  return std::nullopt;
}

Result<std::string> GisUploadAsGeoJson(std::string_view bytes, GisUploadKind kind,
                                       const GisUploadOptions& options) {
  return WithTempFile(bytes, kind, [&](const std::string& path) {
    return ingest::GisLayerAsGeoJson(path, {options.layer, options.epsg});
  });
}

Result<std::string> GisUploadPointsAsCsv(std::string_view bytes, GisUploadKind kind,
                                         const GisUploadOptions& options) {
  return WithTempFile(bytes, kind, [&](const std::string& path) {
    return ingest::GisPointsAsCsv(path, {options.layer, options.epsg});
  });
}

}  // namespace est::app
