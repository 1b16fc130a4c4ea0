// The writers of a Document: PDF (cairo + pango: A4, Swedish text shaping, header with title and
// period, footer with "Sida N av M" and the date, charts and maps drawn as vectors), XLSX
// (libxlsxwriter: one sheet per table plus an "Om rapporten" sheet) and CSV (every table as a block
// with its name, header and rows; UTF-8 with BOM and ';' as in Swedish Excel).
//
// Thread-safe: each call works on its own surfaces and files.
#ifndef EST_REPORT_WRITERS_H_
#define EST_REPORT_WRITERS_H_

#include <string>

#include "core/error.h"
#include "report/document.h"

namespace est::report {

enum class Format { kPdf, kXlsx, kCsv };

// "pdf" / "xlsx" / "csv"; errors name the field "format".
Result<Format> ParseFormat(std::string_view text);
// The format from a file name's extension (".pdf", ".xlsx", ".csv"); error when unknown.
Result<Format> FormatFromFileName(std::string_view path);
std::string_view ContentType(Format f);
std::string_view Extension(Format f);

// The bytes of the document in the format. Errors: kInternal when a library fails.
Result<std::string> RenderPdf(const Document& d);
Result<std::string> RenderXlsx(const Document& d);
std::string RenderCsv(const Document& d);
Result<std::string> Render(const Document& d, Format f);

}  // namespace est::report

#endif  // EST_REPORT_WRITERS_H_
