// Typed reading of a JSON request body with Swedish field errors (private to the http module).
#ifndef EST_HTTP_FIELDS_H_
#define EST_HTTP_FIELDS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/text.h"

namespace est::http {

using nlohmann::json;

// Text limits, in characters (UTF-8 code points: å/ä/ö are two bytes but one character). They are
// checked here, before any service sees the text, so that no over-long text reaches the
// personal-data scrubber; the numbers are the ones the services promise (ingest/report_input.cc,
// app/reports.cc, app/work.cc) and docs/openapi.yaml states them.
inline constexpr size_t kMaxTextChars = 1000;         // any text field not named below
inline constexpr size_t kMaxLoginChars = 200;         // login names
inline constexpr size_t kMaxDescriptionChars = 4000;  // report, problem and action descriptions
inline constexpr size_t kMaxNoteChars = 2000;         // review_note, decision texts
inline constexpr size_t kMaxTitleChars = 300;         // problem and action titles
inline constexpr size_t kMaxMeetingTitleChars = 200;
inline constexpr size_t kMaxIndicatorChars = 300;
inline constexpr size_t kMaxResultChars = 4000;    // an action's result
inline constexpr size_t kMaxMinutesChars = 20000;  // meeting minutes


// Reads typed fields from a JSON object, collecting problems; rejects unknown fields and texts
// longer than their limit (error "får vara högst N tecken" naming the field).
class Fields {
 public:
  Fields(const json& obj, std::string prefix, std::set<std::string> allowed)
      : obj_(obj), prefix_(std::move(prefix)) {
    for (const auto& [k, v] : obj.items()) {
      if (!allowed.count(k)) errors_.push_back({prefix_ + k, "okänt fält"});
    }
  }
  // A text of at most `max_chars` characters.
  std::optional<std::string> Str(const std::string& k, size_t max_chars = kMaxTextChars) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
      errors_.push_back({prefix_ + k, "måste vara en text"});
      return std::nullopt;
    }
    if (!WithinLimit(prefix_ + k, it->get_ref<const std::string&>(), max_chars)) {
      return std::nullopt;
    }
    return it->get<std::string>();
  }
  std::optional<double> Num(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) {
      errors_.push_back({prefix_ + k, "måste vara ett tal"});
      return std::nullopt;
    }
    return it->get<double>();
  }
  std::optional<int> Int(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) {
      errors_.push_back({prefix_ + k, "måste vara ett heltal"});
      return std::nullopt;
    }
    // An unsigned value above INT64_MAX would wrap to a negative int64_t.
    const bool huge = it->is_number_unsigned() && it->get<uint64_t>() > INT32_MAX;
    int64_t v = huge ? INT64_MAX : it->get<int64_t>();
    if (v < INT32_MIN || v > INT32_MAX) {
      errors_.push_back({prefix_ + k, "är utanför tillåtet intervall"});
      return std::nullopt;
    }
    return static_cast<int>(v);
  }
  std::optional<bool> Bool(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
      errors_.push_back({prefix_ + k, "måste vara true eller false"});
      return std::nullopt;
    }
    return it->get<bool>();
  }
  // A list of texts of at most kMaxTextChars characters each; a single text is accepted as a
  // list of one.
  std::optional<std::vector<std::string>> StrList(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) {
      if (!WithinLimit(prefix_ + k, it->get_ref<const std::string&>(), kMaxTextChars)) {
        return std::nullopt;
      }
      return std::vector<std::string>{it->get<std::string>()};
    }
    std::vector<std::string> out;
    if (it->is_array()) {
      for (size_t i = 0; i < it->size(); ++i) {
        const auto& v = (*it)[i];
        if (v.is_string()) {
          if (WithinLimit(prefix_ + k + "[" + std::to_string(i) + "]",
                          v.get_ref<const std::string&>(), kMaxTextChars)) {
            out.push_back(v.get<std::string>());
          }
        } else if (v.is_number_integer()) {
          out.push_back(std::to_string(v.get<int64_t>()));
        } else {
          errors_.push_back({prefix_ + k + "[" + std::to_string(i) + "]", "måste vara en text"});
        }
      }
      return out;
    }
    errors_.push_back({prefix_ + k, "måste vara en lista med texter"});
    return std::nullopt;
  }
  std::optional<std::vector<int64_t>> IntList(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    std::vector<int64_t> out;
    if (!it->is_array()) {
      errors_.push_back({prefix_ + k, "måste vara en lista med heltal"});
      return std::nullopt;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const auto& v = (*it)[i];
      if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
        errors_.push_back(
            {prefix_ + k + "[" + std::to_string(i) + "]", "är utanför tillåtet intervall"});
      } else if (v.is_number_integer()) {
        out.push_back(v.get<int64_t>());
      } else {
        errors_.push_back({prefix_ + k + "[" + std::to_string(i) + "]", "måste vara ett heltal"});
      }
    }
    return out;
  }
  // The elements of an array of objects (nullopt when absent; an error when not an array).
  std::optional<std::vector<const json*>> ObjList(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (!it->is_array()) {
      errors_.push_back({prefix_ + k, "måste vara en lista"});
      return std::nullopt;
    }
    std::vector<const json*> out;
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_object()) {
        errors_.push_back({prefix_ + k + "[" + std::to_string(i) + "]", "måste vara ett objekt"});
      } else {
        out.push_back(&(*it)[i]);
      }
    }
    return out;
  }
  const json* Obj(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
      errors_.push_back({prefix_ + k, "måste vara ett objekt"});
      return nullptr;
    }
    return &*it;
  }
  // Notes a missing field, unless the field was given but refused (too long, wrong type).
  void Require(const std::string& k, bool present) {
    if (present) return;
    std::string field = prefix_ + k;
    for (const FieldError& e : errors_) {
      if (e.field == field) return;
    }
    errors_.push_back({std::move(field), "saknas"});
  }
  // A coordinate reference system by name ("EPSG:3006", "CRS84", ...: geo::ParseCrsName, the one
  // CRS parser); an unknown name is an error naming the field (defined in params.cc).
  std::optional<int> Crs(const std::string& k);
  std::vector<FieldError>& errors() { return errors_; }
  void Merge(Fields& other) {
    errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
  }

 private:
  bool WithinLimit(const std::string& field, const std::string& text, size_t max_chars) {
    // Bytes bound characters from above, so the count is needed only for long texts.
    if (text.size() <= max_chars || Utf8Length(text) <= max_chars) return true;
    errors_.push_back({field, "får vara högst " + std::to_string(max_chars) + " tecken"});
    return false;
  }

  const json& obj_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

}  // namespace est::http

#endif  // EST_HTTP_FIELDS_H_
