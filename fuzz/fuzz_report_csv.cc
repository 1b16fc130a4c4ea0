// Fuzz target: the report CSV parser (ingest/report_csv.h). The streaming parse (plan + pieces)
// must give the same rows and the same verdict as the whole-file parse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/report_csv.h"

namespace {

struct Seen {
  int row;
  std::vector<std::string> fields;
  size_t errors;
  std::string description;
  bool operator==(const Seen&) const = default;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks the piece size of the streaming parse, so piece borders fall anywhere.
  size_t piece_bytes = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  est::ingest::CsvOptions options;
  options.default_org = "org";

  auto whole = est::ingest::ParseReportsCsv(text, options);
  auto plan = est::ingest::PlanReportsCsv(text, options, piece_bytes);
  if (!plan) {
    if (whole) std::abort();  // the plan refuses only what the whole parse refuses
    return 0;
  }
  std::vector<Seen> streamed;
  bool ok = true;
  for (size_t p = 0; p < plan->pieces.size() && ok; ++p) {
    auto status =
        est::ingest::ParseReportsCsvPiece(text, *plan, p, options, [&](est::ingest::CsvRowView& v) {
          streamed.push_back({v.row, std::vector<std::string>(v.fields.begin(), v.fields.end()),
                              v.errors.size(), v.input.description});
        });
    ok = status.has_value();
  }
  if (ok != whole.has_value()) std::abort();
  if (!whole) return 0;
  if (plan->header != whole->header || plan->delimiter != whole->delimiter) std::abort();
  std::vector<Seen> parsed;
  for (const auto& r : whole->rows) {
    parsed.push_back({r.row, r.fields, r.errors.size(), r.input.description});
  }
  if (parsed != streamed) std::abort();
  return 0;
}
