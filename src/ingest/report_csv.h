// CSV import of reports (docs/import-format.md). Headers are matched by name (case-insensitive);
// the delimiter is ',' or ';' (detected from the header); UTF-8 with or without BOM; RFC 4180
// quoting (parsed with libcsv).
//
// Parsing turns every data row into a ReportInput without judging it; ResolveReport judges it.
// Row numbers are the file's line numbers (1-based) on which a record starts, so the header of a
// plain file is row 1 and "rad 2" its first data row; blank lines and line breaks inside quoted
// fields are counted as an editor counts them.
#ifndef EST_INGEST_REPORT_CSV_H_
#define EST_INGEST_REPORT_CSV_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ingest/report_input.h"

namespace est::ingest {

struct CsvOptions {
  std::string default_org;         // --org: used when the file has no org column or it is empty
  std::optional<int> crs;          // --crs: CRS of x/y columns
  ReportSource source = ReportSource::kImport;
};

struct CsvRow {
  int row = 0;                      // line on which the record starts (2 = right after header)
  std::vector<std::string> fields;  // as in the file, for the rejects file
  ReportInput input;
  std::vector<FieldError> errors;   // field-level parse errors (e.g. "severity" not a number)
};

struct CsvFile {
  std::vector<std::string> header;
  char delimiter = ',';
  std::vector<CsvRow> rows;
};

// Fails (kInvalidArgument) when the file is not parseable CSV, has no header, has unknown or
// duplicate columns, or lacks required columns; the error lists the accepted columns.
Result<CsvFile> ParseReportsCsv(std::string_view text, const CsvOptions& options);

// The accepted column names, in documentation order.
const std::vector<std::string>& ReportCsvColumns();

// Quotes one field for CSV output when needed.
std::string CsvEscape(std::string_view field, char delimiter = ',');

}  // namespace est::ingest

#endif  // EST_INGEST_REPORT_CSV_H_
