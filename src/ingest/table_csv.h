// A small CSV table reader (libcsv) for reference files such as survey results and attribute
// tables: header + rows of text with the file line each row starts on. Delimiter ',' or ';'
// (detected from the header line), UTF-8 with or without BOM, RFC 4180 quoting.
#ifndef EST_INGEST_TABLE_CSV_H_
#define EST_INGEST_TABLE_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace est::ingest {

struct CsvTable {
  std::vector<std::string> header;  // as in the file, trimmed
  struct Row {
    int line = 0;  // file line on which the record starts (the first data row is usually 2)
    std::vector<std::string> fields;
  };
  std::vector<Row> rows;  // blank lines skipped
  // Index of a column by name (case and å/ä/ö folded), or -1.
  int Column(std::string_view name) const;
};

// Errors: kInvalidArgument when the text is not valid CSV (names the line) or has no header.
Result<CsvTable> ReadCsvTable(std::string_view text);

}  // namespace est::ingest

#endif  // EST_INGEST_TABLE_CSV_H_
