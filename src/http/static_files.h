// The built web UI served from a folder (web/dist): GET and HEAD only, "/" and folders as their
// index.html, a content type with charset for every text type, an ETag per file content and
// If-None-Match → 304, the gzip variant computed once. Files are read on first use and kept
// while their size and modification time stay the same. Paths are already decoded and free of
// ".." (ParseTarget); names starting with "." are never served.
#ifndef EST_HTTP_STATIC_FILES_H_
#define EST_HTTP_STATIC_FILES_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http/request.h"

namespace est::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  // The reply for `req`, or nullopt when there is no such file.
  std::optional<Reply> Serve(const Request& req);
  // The content type of a file name by its extension.
  static std::string ContentType(const std::string& name);

 private:
  struct Entry {
    int64_t mtime_ns = 0;
    uint64_t size = 0;
    std::string etag;
    std::shared_ptr<const std::string> body;
    std::shared_ptr<const std::string> gzip;  // empty when not worth it
  };
  std::shared_ptr<const Entry> Load(const std::string& file);

  std::string root_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Entry>> cache_;
  size_t cached_bytes_ = 0;
};

}  // namespace est::http

#endif  // EST_HTTP_STATIC_FILES_H_
