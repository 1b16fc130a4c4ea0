// Typed reading of a JSON request body with Swedish field errors (private to the http module).
#ifndef EST_HTTP_FIELDS_H_
#define EST_HTTP_FIELDS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"

namespace est::http {

using nlohmann::json;

// Reads typed fields from a JSON object, collecting problems; rejects unknown fields.
class Fields {
 public:
  Fields(const json& obj, std::string prefix, std::set<std::string> allowed)
      : obj_(obj), prefix_(std::move(prefix)) {
    for (const auto& [k, v] : obj.items()) {
      if (!allowed.count(k)) errors_.push_back({prefix_ + k, "okänt fält"});
    }
  }
  std::optional<std::string> Str(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
      errors_.push_back({prefix_ + k, "måste vara en text"});
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
  // A list of texts; a single text is accepted as a list of one.
  std::optional<std::vector<std::string>> StrList(const std::string& k) {
    auto it = obj_.find(k);
    if (it == obj_.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return std::vector<std::string>{it->get<std::string>()};
    std::vector<std::string> out;
    if (it->is_array()) {
      for (size_t i = 0; i < it->size(); ++i) {
        const auto& v = (*it)[i];
        if (v.is_string()) {
          out.push_back(v.get<std::string>());
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
  void Require(const std::string& k, bool present) {
    if (!present) errors_.push_back({prefix_ + k, "saknas"});
  }
  std::vector<FieldError>& errors() { return errors_; }
  void Merge(Fields& other) {
    errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
  }

 private:
  const json& obj_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

}  // namespace est::http

#endif  // EST_HTTP_FIELDS_H_
