#include "http/response_cache.h"

#include <cstdio>
#include <functional>

#include "http/compress.h"

namespace est::http {

std::string EtagOf(std::string_view body) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016zx\"", std::hash<std::string_view>{}(body));
  return buf;
}

bool EtagMatches(std::string_view inm, std::string_view etag) {
  auto strip = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (t.substr(0, 2) == "W/") t.remove_prefix(2);
    return t;
  };
  etag = strip(etag);
  if (etag.empty()) return false;
  size_t pos = 0;
  while (pos <= inm.size()) {
    size_t comma = inm.find(',', pos);
    std::string_view item =
        strip(inm.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

std::shared_ptr<const ResponseCache::Entry> ResponseCache::Find(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

std::shared_ptr<const ResponseCache::Entry> ResponseCache::Put(const std::string& key,
                                                                Reply reply) {
  auto e = std::make_shared<Entry>();
  reply.set_header("ETag", EtagOf(reply.body));
  if (reply.body.size() >= kGzipMinBytes && Compressible(reply.content_type)) {
    reply.gzip_body = std::make_shared<std::string>(Gzip(reply.body));
  }
  e->bytes = key.size() + reply.body.size() + (reply.gzip_body ? reply.gzip_body->size() : 0) + 256;
  e->reply = std::move(reply);
  if (e->bytes > max_bytes_ / 4) return e;  // too big to keep: served, not stored
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.emplace_front(key, e);
  index_[key] = lru_.begin();
  bytes_ += e->bytes;
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().second->bytes;
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return e;
}

void ResponseCache::Clear() {
  std::lock_guard lock(mu_);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t ResponseCache::entries() const {
  std::lock_guard lock(mu_);
  return index_.size();
}

}  // namespace est::http
