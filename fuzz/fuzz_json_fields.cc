// Fuzz target: JSON request bodies, as the HTTP adapter reads them: nlohmann::json::parse and the
// typed Fields reader (http/fields.h) over a report-like set of fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using est::http::json;
  json body = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return 0;
  est::http::Fields f(body, "",
                      {"description", "severity", "lon", "police_notified", "tags", "ids", "items",
                       "location", "occurred_from"});
  auto text = f.Str("description", est::http::kMaxDescriptionChars);
  if (text && est::Utf8Length(*text) > est::http::kMaxDescriptionChars) std::abort();
  (void)f.Int("severity");
  (void)f.Num("lon");
  (void)f.Bool("police_notified");
  (void)f.StrList("tags");
  (void)f.IntList("ids");
  if (auto items = f.ObjList("items")) {
    for (const json* item : *items) {
      est::http::Fields inner(*item, "items.", {"text", "n"});
      (void)inner.Str("text");
      (void)inner.Int("n");
      f.Merge(inner);
    }
  }
  if (const json* loc = f.Obj("location")) {
    est::http::Fields inner(*loc, "location.", {"x", "y"});
    (void)inner.Num("x");
    (void)inner.Num("y");
    f.Merge(inner);
  }
  f.Require("occurred_from", f.Str("occurred_from").has_value());
  // Every problem has a reason. (The field may be empty: an unknown key "" is named as itself.)
  for (const auto& e : f.errors()) {
    if (e.reason.empty()) std::abort();
  }
  return 0;
}
