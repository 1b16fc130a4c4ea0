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

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ingest/report_input.h"

namespace est::ingest {

struct CsvOptions {
  std::string default_org;  // --org: used when the file has no org column or it is empty
  std::optional<int> crs;   // --crs: CRS of x/y columns
  ReportSource source = ReportSource::kImport;
  // How errors name a row: "rad 7" by default; a GIS file converted to CSV (gis_file.h) names
  // its features, "objekt 6" (row_word "objekt", row_offset 1).
  std::string row_word = "rad";
  int row_offset = 0;
};

struct CsvRow {
  int row = 0;                      // line on which the record starts (2 = right after header)
  std::vector<std::string> fields;  // as in the file, for the rejects file
  ReportInput input;
  std::vector<FieldError> errors;  // field-level parse errors (e.g. "severity" not a number)
};

struct CsvFile {
  std::vector<std::string> header;
  char delimiter = ',';
  std::vector<CsvRow> rows;
};

// Fails (kInvalidArgument) when the file is not parseable CSV, has no header, has unknown or
// duplicate columns, or lacks required columns; the error lists the accepted columns.
Result<CsvFile> ParseReportsCsv(std::string_view text, const CsvOptions& options);

// Streaming parse, for bulk import: PlanReportsCsv reads the header and splits the data rows into
// pieces that begin at record boundaries, so pieces can be parsed independently (in parallel) and
// nothing but the current row is held in memory. Each piece yields the same rows, with the same
// row numbers and errors, as ParseReportsCsv.
struct CsvPiece {
  size_t begin = 0;  // byte offsets into the text given to PlanReportsCsv
  size_t end = 0;
  int first_line = 1;       // file line on which `begin` lies
  bool has_header = false;  // the piece starts with the header record, which is skipped
};

struct CsvPlan {
  std::vector<std::string> header;
  char delimiter = ',';
  std::vector<int> columns;  // per file column: index into ReportCsvColumns()
  std::vector<CsvPiece> pieces;
};

// One data row, valid only during the callback that receives it. `errors` holds the field-level
// parse errors; the callback may move from `input` and `errors`.
struct CsvRowView {
  int row = 0;
  std::span<const std::string> fields;  // as in the file
  ReportInput& input;
  std::vector<FieldError>& errors;
};

// Same errors as ParseReportsCsv for the header and an empty file. `piece_bytes` is the target
// size of a piece; 0 = one piece. Quoting errors in the data rows are found by
// ParseReportsCsvPiece, except that a file whose header is also wrong gets the quoting error.
Result<CsvPlan> PlanReportsCsv(std::string_view text, const CsvOptions& options,
                               size_t piece_bytes = 0);

// Calls `fn` for each data row of plan.pieces[piece], in file order. Fails (kInvalidArgument, as
// ParseReportsCsv) at the first quoting error; rows before it have been passed to `fn`. When
// every earlier piece parsed, the error is the one ParseReportsCsv gives for the whole file.
// Thread-safe for distinct calls (the plan is only read).
Status ParseReportsCsvPiece(std::string_view text, const CsvPlan& plan, size_t piece,
                            const CsvOptions& options, const std::function<void(CsvRowView&)>& fn);

// The accepted column names, in documentation order.
const std::vector<std::string>& ReportCsvColumns();

// Quotes one field for CSV output when needed.
std::string CsvEscape(std::string_view field, char delimiter = ',');

}  // namespace est::ingest

#endif  // EST_INGEST_REPORT_CSV_H_
