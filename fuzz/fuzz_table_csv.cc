// Fuzz target: the reference-table CSV reader (ingest/table_csv.h). Rows are numbered by the line
// they start on (counted by line feeds), so line numbers never fall and lie within the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/table_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto table = est::ingest::ReadCsvTable(text);
  if (!table) return 0;
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  int last = 1;
  for (const auto& row : table->rows) {
    if (row.line < last || row.line > lines) std::abort();
    last = row.line;
  }
  for (const auto& name : table->header) {
    if (table->Column(name) < 0) std::abort();
  }
  return 0;
}
