// Replies of read-only API requests kept for reuse, bounded by bytes (least recently used goes
// first). The key is the caller's to make: it must name everything the reply depends on (caller,
// target, data version, the minute of the running period's cut). Each entry carries its ETag and,
// for text worth compressing, the gzip body computed once. Thread-safe.
#ifndef EST_HTTP_RESPONSE_CACHE_H_
#define EST_HTTP_RESPONSE_CACHE_H_

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/request.h"

namespace est::http {

class ResponseCache {
 public:
  struct Entry {
    Reply reply;  // with its ETag header and gzip_body set
    size_t bytes = 0;
  };

  explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const Entry> Find(const std::string& key);
  // Stores a 200 reply under `key` (adds the ETag, computes the gzip body) and returns it.
  std::shared_ptr<const Entry> Put(const std::string& key, Reply reply);
  void Clear();
  size_t bytes() const;
  size_t entries() const;

 private:
  using Lru = std::list<std::pair<std::string, std::shared_ptr<const Entry>>>;
  mutable std::mutex mu_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  Lru lru_;  // most recent first
  std::unordered_map<std::string, Lru::iterator> index_;
};

// A strong ETag of `body` (64-bit hash, quoted).
std::string EtagOf(std::string_view body);
// Whether an If-None-Match value names `etag` (weak comparison, a list or "*").
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace est::http

#endif  // EST_HTTP_RESPONSE_CACHE_H_
