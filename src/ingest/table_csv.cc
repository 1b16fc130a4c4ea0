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
  const std::vector<int>* starts;  // line on which each record begins (RecordStarts)
  size_t record = 0;               // records seen so far
  bool header_done = false;
};

// The line on which each record begins, as libcsv splits them: a newline outside quotes ends a
// record, and empty lines are no records.
std::vector<int> RecordStarts(std::string_view text) {
  std::vector<int> starts;
  bool in_quotes = false, in_record = false;
  int line = 1;
  for (char ch : text) {
    if (ch == '"') in_quotes = !in_quotes;
    if (ch == '\n') {
      if (!in_quotes) in_record = false;
      ++line;
      continue;
    }
    if (ch == '\r' && !in_quotes) continue;
    if (!in_record) {
      starts.push_back(line);
      in_record = true;
    }
  }
  return starts;
}

void OnField(void* s, size_t len, void* data) {
  auto* c = static_cast<Collect*>(data);
  std::string f = s ? std::string(static_cast<const char*>(s), len) : std::string();
  // Trim spaces around unquoted values.
  size_t b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
  c->fields.push_back(b == std::string::npos ? "" : f.substr(b, e - b + 1));
}

void OnRecord(int, void* data) {
  auto* c = static_cast<Collect*>(data);
  int line = c->record < c->starts->size() ? (*c->starts)[c->record] : 0;
  ++c->record;
  bool blank = std::all_of(c->fields.begin(), c->fields.end(),
                           [](const std::string& f) { return f.empty(); });
  if (!c->header_done) {
    if (!blank) {
      c->table->header = std::move(c->fields);
      c->header_done = true;
    }
  } else if (!blank) {
    c->table->rows.push_back({line, std::move(c->fields)});
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
  std::vector<int> starts = RecordStarts(text);
  Collect c{&table, {}, &starts, 0, false};
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return MakeError(ErrorCode::kInternal, "CSV-läsaren kunde inte starta");
  }
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  bool failed = csv_parse(&parser, text.data(), text.size(), OnField, OnRecord, &c) != text.size();
  if (!failed) failed = csv_fini(&parser, OnField, OnRecord, &c) != 0;
  std::string reason = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  if (failed) {
    int line = c.record < starts.size() ? starts[c.record] : (starts.empty() ? 1 : starts.back());
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
