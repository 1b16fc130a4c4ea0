// Request parameters: the path id, the JSON body (with the member a parse stopped in), query
// parameters, the CRS, the analysis filters and grids.
#include "http/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/text.h"
#include "geo/crs.h"
#include "http/fields.h"
#include "http/request.h"

namespace est::http {

using nlohmann::json;

Result<int64_t> PathId(const Request& req) {
  const std::string text = req.matches.size() > 1 ? req.matches[1] : "";
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return InvalidField("id", "måste vara ett heltal högst 9223372036854775807");
  }
  return id;
}

namespace {

constexpr size_t kMaxJsonDepth = 64;

// The member a JSON parse stopped in ("location.x", "items[2]"): nlohmann's errors give a byte
// position only, and a number too large for a double ("1e309") should name its field.
class PathSax : public nlohmann::json_sax<json> {
 public:
  std::string path() const {
    std::string p;
    for (const Level& l : stack_) {
      if (l.object) {
        if (!l.key.empty()) p += (p.empty() ? "" : ".") + l.key;
      } else {
        p += "[" + std::to_string(l.index) + "]";
      }
    }
    return p;
  }
  int error_id() const { return error_id_; }
  size_t position() const { return position_; }

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    stack_.push_back({true, "", 0});
    return true;
  }
  bool key(string_t& k) override {
    stack_.back().key = k;
    return true;
  }
  bool end_object() override { return End(); }
  bool start_array(std::size_t) override {
    stack_.push_back({false, "", 0});
    return true;
  }
  bool end_array() override { return End(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    position_ = position;
    error_id_ = e.id;
    return false;
  }

 private:
  struct Level {
    bool object;
    std::string key;
    size_t index;
  };
  bool Value() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
    return true;
  }
  bool End() {
    stack_.pop_back();
    return Value();
  }
  std::vector<Level> stack_;
  int error_id_ = 0;
  size_t position_ = 0;
};

// Problems with the text of a parsed body: control characters in any string (or member name),
// nesting deeper than kMaxJsonDepth. Walks without recursion: the body may be 32 MB of '['.
std::vector<FieldError> TextProblems(const json& body) {
  std::vector<FieldError> errors;
  struct Item {
    const json* value;
    std::string path;
    size_t depth;
  };
  std::vector<Item> todo{{&body, "", 0}};
  while (!todo.empty() && errors.size() < 20) {
    Item it = std::move(todo.back());
    todo.pop_back();
    const json& v = *it.value;
    const std::string field = it.path.empty() ? "body" : it.path;
    if (v.is_string()) {
      const auto& text = v.get_ref<const std::string&>();
      if (size_t at = ControlCharAt(text); at != std::string::npos) {
        errors.push_back({field, ControlCharReason(text, at)});
      }
      continue;
    }
    if (!v.is_structured()) continue;
    if (it.depth >= kMaxJsonDepth) {
      errors.push_back(
          {field, "är för djupt nästlad (högst " + std::to_string(kMaxJsonDepth) + " nivåer)"});
      continue;
    }
    if (v.is_object()) {
      for (auto m = v.begin(); m != v.end(); ++m) {
        std::string path = it.path.empty() ? m.key() : it.path + "." + m.key();
        if (size_t at = ControlCharAt(m.key()); at != std::string::npos) {
          errors.push_back({path, "fältnamnet " + ControlCharReason(m.key(), at)});
          continue;
        }
        todo.push_back({&m.value(), std::move(path), it.depth + 1});
      }
    } else {
      for (size_t i = 0; i < v.size(); ++i) {
        todo.push_back({&v[i], it.path + "[" + std::to_string(i) + "]", it.depth + 1});
      }
    }
  }
  std::sort(errors.begin(), errors.end(),
            [](const FieldError& a, const FieldError& b) { return a.field < b.field; });
  return errors;
}

}  // namespace

Result<json> ParseJsonBody(const Request& req) {
  std::string ct = req.get_header_value("Content-Type");
  if (ct.rfind("application/json", 0) != 0) {
    return MakeError(ErrorCode::kUnsupportedMedia,
                     "Begäran måste skickas som application/json (fick \"" + ct + "\")",
                     {{"Content-Type", "måste vara application/json"}});
  }
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    // Parse again, keeping track of the member, for the field and position of the error.
    PathSax sax;
    json::sax_parse(req.body, &sax);
    const std::string path = sax.path();
    if (sax.error_id() == 406) {  // out_of_range.406: a number that overflows a double
      return MakeError(ErrorCode::kInvalidArgument, "Ogiltig JSON: ett tal är för stort",
                       {{path.empty() ? "body" : path,
                         "talet är för stort (högst cirka 1.8e308 till beloppet)"}});
    }
    return MakeError(ErrorCode::kInvalidArgument, "Ogiltig JSON",
                     {{"body", "ogiltig JSON vid tecken " + std::to_string(sax.position()) +
                                   (path.empty() ? "" : " (i " + path + ")")}});
  }
  if (!j.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "JSON-objekt förväntades",
                     {{"body", "måste vara ett JSON-objekt"}});
  }
  if (auto problems = TextProblems(j); !problems.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Texten i begäran är ogiltig",
                     std::move(problems));
  }
  return j;
}

std::vector<std::string> ListParam(const Request& req, const std::string& name) {
  std::vector<std::string> out;
  auto range = req.params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    std::string v = it->second;
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string part =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

Result<int64_t> IntParam(const Request& req, const std::string& name, int64_t def,
                         int64_t lo, int64_t hi) {
  if (!req.has_param(name)) return def;
  std::string v = req.get_param_value(name);
  try {
    size_t used = 0;
    int64_t n = std::stoll(v, &used);
    if (used != v.size() || n < lo || n > hi) throw std::out_of_range("range");
    return n;
  } catch (...) {
    return InvalidField(name,
                        "måste vara ett heltal " + std::to_string(lo) + "–" + std::to_string(hi));
  }
}

Result<std::optional<int>> CrsParam(const Request& req) {
  if (!req.has_param("crs")) return std::optional<int>();
  auto crs = geo::ParseCrsName(req.get_param_value("crs"));
  if (!crs) return tl::unexpected(crs.error());
  return std::optional<int>(*crs);
}

std::optional<int> Fields::Crs(const std::string& k) {
  auto text = Str(k);
  if (!text) return std::nullopt;
  // The whole text must name the system: "EPSG:3006'; DROP ..." is not EPSG:3006.
  auto code = geo::ParseCrsName(*text);
  if (code) return *code;
  errors_.push_back({prefix_ + k, code.error().fields.front().reason});
  return std::nullopt;
}

app::ReportExportParams ExportParams(const Request& req) {
  app::ReportExportParams p;
  p.period = req.get_param_value("period");
  p.from = req.get_param_value("from");
  p.to = req.get_param_value("to");
  p.within = ListParam(req, "area");
  p.categories = ListParam(req, "category");
  p.orgs = ListParam(req, "org");
  p.source = req.get_param_value("source");
  p.status = req.get_param_value("status");
  return p;
}

app::LagesbildParams FilterParams(const Request& req) {
  app::LagesbildParams p;
  p.period = req.get_param_value("period");
  p.from = req.get_param_value("from");
  p.to = req.get_param_value("to");
  p.areas = ListParam(req, "area");
  p.categories = ListParam(req, "category");
  p.orgs = ListParam(req, "org");
  p.dimension = req.get_param_value("dimension");
  p.police = req.get_param_value("police");
  return p;
}

Result<double> NumParam(const Request& req, const std::string& name, double def) {
  if (!req.has_param(name)) return def;
  try {
    size_t used = 0;
    std::string v = req.get_param_value(name);
    double d = std::stod(v, &used);
    if (used == v.size() && std::isfinite(d)) return d;
  } catch (...) {
  }
  return InvalidField(name, "måste vara ett tal");
}

Result<app::GridParams> GridFrom(const Request& req) {
  app::GridParams g;
  auto cell = NumParam(req, "cell", g.cell_m);
  if (!cell) return tl::unexpected(cell.error());
  auto band = NumParam(req, "band", g.band_m);
  if (!band) return tl::unexpected(band.error());
  g.cell_m = *cell;
  g.band_m = *band;
  if (req.has_param("extent")) g.extent = req.get_param_value("extent");
  return g;
}

}  // namespace est::http
