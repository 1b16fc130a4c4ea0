#include "http/request.h"

#include "core/text.h"

namespace est::http {

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string Request::get_header_value(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) return v;
  }
  return "";
}

bool Request::has_header(std::string_view name) const {
  for (const auto& h : headers) {
    if (HeaderNameEquals(h.first, name)) return true;
  }
  return false;
}

std::string Request::get_param_value(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string Reply::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) return v;
  }
  return "";
}

void Reply::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (HeaderNameEquals(h.first, name)) {
      h.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in` ('+' is a space when `plus_is_space`); the reason on failure.
bool Decode(std::string_view in, bool plus_is_space, std::string& out, std::string& reason) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      const bool room = i + 2 < in.size();
      int hi = room ? HexValue(in[i + 1]) : -1;
      int lo = room ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        reason = "ogiltig %-kodning vid tecken " + std::to_string(i + 1);
        return false;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (size_t at = InvalidUtf8At(out); at != std::string::npos) {
    reason = InvalidUtf8Reason(out, at);
    return false;
  }
  if (size_t at = ControlCharAt(out); at != std::string::npos) {
    reason = ControlCharReason(out, at);
    return false;
  }
  for (char ch : out) {
    if (ch == '\t' || ch == '\n' || ch == '\r') {
      reason = "innehåller ett radbyte eller en tabb";
      return false;
    }
  }
  return true;
}

}  // namespace

bool MatchRoutePattern(std::string_view pattern, std::string_view path,
                       std::vector<std::string>& groups) {
  static constexpr std::string_view kDigits = "(\\d+)";
  groups.clear();
  size_t i = 0, j = 0;
  while (i < pattern.size()) {
    if (pattern.substr(i, kDigits.size()) == kDigits) {
      size_t start = j;
      while (j < path.size() && path[j] >= '0' && path[j] <= '9') ++j;
      if (j == start) return false;
      groups.emplace_back(path.substr(start, j - start));
      i += kDigits.size();
    } else {
      if (j >= path.size() || pattern[i] != path[j]) return false;
      ++i;
      ++j;
    }
  }
  return j == path.size();
}

std::string OriginOf(const Request& req) {
  std::string host = req.get_header_value("Host");
  return std::string(req.tls ? "https://" : "http://") + (host.empty() ? "localhost" : host);
}

Result<void> ParseTarget(std::string_view target, Request& out) {
  if (target.empty() || target.front() != '/') {
    return InvalidField("path", "måste börja med / (origin-form)");
  }
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  std::string reason;
  if (!Decode(raw_path, false, out.path, reason)) return InvalidField("path", reason);
  // A ".." segment is refused rather than resolved: no route or file needs one.
  size_t start = 0;
  while (start <= out.path.size()) {
    size_t slash = out.path.find('/', start);
    std::string_view seg(out.path.data() + start,
                         (slash == std::string::npos ? out.path.size() : slash) - start);
    if (seg == "..") return InvalidField("path", "får inte innehålla segmentet ..");
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (out.path.find('\\') != std::string::npos) {
    return InvalidField("path", "får inte innehålla \\");
  }
  out.params.clear();
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view pair =
        query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key, value;
      if (!Decode(pair.substr(0, eq), true, key, reason)) return InvalidField("query", reason);
      if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), true, value, reason)) {
        return InvalidField(key, reason);
      }
      out.params.emplace(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return {};
}

}  // namespace est::http
