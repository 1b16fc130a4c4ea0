#include "http/static_files.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/password.h"
#include "http/compress.h"

namespace est::http {

namespace {

// Files above this are read for each request instead of kept (the UI's files are far smaller).
constexpr uint64_t kMaxCachedFile = 8 * 1024 * 1024;
constexpr size_t kMaxCachedBytes = 64 * 1024 * 1024;

bool EndsWith(const std::string& s, const char* suffix) {
  std::string_view x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string StaticFiles::ContentType(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".svg", "image/svg+xml; charset=utf-8"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".pdf", "application/pdf"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return type;
  }
  return "application/octet-stream";
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::Load(const std::string& file) {
  struct stat st {};
  if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  const int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(file);
    if (it != cache_.end() && it->second->mtime_ns == mtime &&
        it->second->size == static_cast<uint64_t>(st.st_size)) {
      return it->second;
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream ss;
  ss << in.rdbuf();
  auto e = std::make_shared<Entry>();
  e->mtime_ns = mtime;
  e->size = static_cast<uint64_t>(st.st_size);
  auto body = std::make_shared<std::string>(ss.str());
  e->etag = "\"" + Sha256Hex(*body).substr(0, 20) + "\"";
  if (body->size() >= kGzipMinBytes && Compressible(ContentType(file))) {
    e->gzip = std::make_shared<std::string>(Gzip(*body));
  }
  e->body = std::move(body);
  if (e->size <= kMaxCachedFile) {
    std::lock_guard lock(mu_);
    auto& slot = cache_[file];
    if (slot) cached_bytes_ -= slot->size;
    if (cached_bytes_ + e->size > kMaxCachedBytes) {
      cache_.clear();
      cached_bytes_ = 0;
    }
    cache_[file] = e;
    cached_bytes_ += e->size;
  }
  return e;
}

std::optional<Reply> StaticFiles::Serve(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  if (req.path.empty() || req.path.front() != '/') return std::nullopt;
  // No hidden files, no segment beginning with '.', nothing that is not a plain name.
  if (req.path.find("/.") != std::string::npos) return std::nullopt;
  std::string file = root_ + req.path;
  struct stat st {};
  if (stat(file.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    if (file.back() != '/') file += '/';
    file += "index.html";
  }
  auto e = Load(file);
  if (!e) return std::nullopt;
  Reply r;
  r.content_type = ContentType(file);
  r.set_header("ETag", e->etag);
  if (req.get_header_value("If-None-Match") == e->etag) {
    r.status = 304;
    return r;
  }
  r.body = *e->body;
  r.gzip_body = e->gzip;
  return r;
}

}  // namespace est::http
