// CSV table reader on libcsv.
#include "ingest/table_csv.h"

#include <csv.h>

#include <algorithm>

#include "core/model.h"
#include "core/text.h"

namespace est::ingest {
namespace {

struct Collect {
  CsvTable* table;
  std::vector<std::string> fields;
  int current_line = 1;  // line of the chunk being fed to libcsv
  int record_line = 1;   // line on which the current record began
  bool header_done = false;
};

// The text is fed to libcsv one line at a time, so a callback knows the line it fires on; a
// record began as many lines earlier as its first field holds newlines. (Counting record starts
// in a separate pass drifted from libcsv, which also ends a record at a lone carriage return: every
// later row got a wrong line, the last ones line 0.)
void OnField(void* s, size_t len, void* data) {
  auto* c = static_cast<Collect*>(data);
  std::string f = s ? std::string(static_cast<const char*>(s), len) : std::string();
  if (c->fields.empty()) {
    c->record_line = c->current_line - static_cast<int>(std::count(f.begin(), f.end(), '\n'));
  }
  // Trim spaces around unquoted values.
  size_t b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
  c->fields.push_back(b == std::string::npos ? "" : f.substr(b, e - b + 1));
}

void OnRecord(int, void* data) {
  auto* c = static_cast<Collect*>(data);
  bool blank = std::all_of(c->fields.begin(), c->fields.end(),
                           [](const std::string& f) { return f.empty(); });
  if (!c->header_done) {
    if (!blank) {
      c->table->header = std::move(c->fields);
      c->header_done = true;
    }
  } else if (!blank) {
    c->table->rows.push_back({c->record_line, std::move(c->fields)});
  }
  c->fields.clear();
}

}  // namespace

int CsvTable::Column(std::string_view name) const {
  std::string want = FoldText(name);
  for (size_t i = 0; i < header.size(); ++i) {
    if (FoldText(header[i]) == want) return static_cast<int>(i);
  }
  return -1;
}

Result<CsvTable> ReadCsvTable(std::string_view text) {
  if (const size_t bad = InvalidUtf8At(text); bad != std::string_view::npos) {
    const size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const size_t from = bad == 0 || line_start == std::string_view::npos ? 0 : line_start + 1;
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    return MakeError(
        ErrorCode::kInvalidArgument,
        "Filen är inte giltig UTF-8 (fel på rad " + std::to_string(line) + ")",
        {{"rad " + std::to_string(line),
          InvalidUtf8Reason(text.substr(from, text.find('\n', bad) - from), bad - from)}});
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string_view first_line = text.substr(0, text.find('\n'));
  char delimiter = std::count(first_line.begin(), first_line.end(), ';') >
                           std::count(first_line.begin(), first_line.end(), ',')
                       ? ';'
                       : ',';
  CsvTable table;
  Collect c{&table, {}};
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return MakeError(ErrorCode::kInternal, "CSV-läsaren kunde inte starta");
  }
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  bool failed = false;
  for (size_t pos = 0; pos < text.size() && !failed;) {
    size_t nl = text.find('\n', pos);
    size_t len = (nl == std::string_view::npos ? text.size() : nl + 1) - pos;
    failed = csv_parse(&parser, text.data() + pos, len, OnField, OnRecord, &c) != len;
    pos += len;
    if (!failed) ++c.current_line;
  }
  if (!failed) {
    if (!text.empty()) --c.current_line;  // csv_fini ends the last line, not a new one
    failed = csv_fini(&parser, OnField, OnRecord, &c) != 0;
  }
  std::string reason = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  if (failed) {
    const int line = c.current_line;
    return MakeError(ErrorCode::kInvalidArgument,
                     "Filen är inte giltig CSV (rad " + std::to_string(line) + ")",
                     {{"rad " + std::to_string(line), reason}});
  }
  if (table.header.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Filen saknar rubrikrad",
                     {{"rad 1", "ingen rubrikrad"}});
  }
  return table;
}

}  // namespace est::ingest
