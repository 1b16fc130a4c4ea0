// XLSX (libxlsxwriter) and CSV writers, and the format helpers.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "report/writers.h"

namespace est::report {
namespace {

// A cell that should be a number in a spreadsheet: "1 234", "−12", "3,5", "12 %" stay text
// unless they parse whole (spaces as thousands separators, decimal comma, a leading minus sign).
std::optional<double> AsNumber(const std::string& cell) {
  std::string s;
  for (size_t i = 0; i < cell.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(cell[i]);
    if (c == ' ') continue;
    if (c == 0xC2 && i + 1 < cell.size() && static_cast<unsigned char>(cell[i + 1]) == 0xA0) {
      ++i;  // no-break space
      continue;
    }
    if (c == 0xE2 && i + 2 < cell.size() && static_cast<unsigned char>(cell[i + 1]) == 0x88 &&
        static_cast<unsigned char>(cell[i + 2]) == 0x92) {
      s += '-';  // U+2212 minus sign
      i += 2;
      continue;
    }
    s += c == ',' ? '.' : static_cast<char>(c);
  }
  if (s.empty() || s == "-" || s == "+") return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

// Excel sheet names: ≤ 31 characters, none of []:*?/\, unique within the workbook.
std::string SheetName(const std::string& want, std::set<std::string>& used) {
  std::string base;
  for (char c : want) {
    if (std::string("[]:*?/\\").find(c) == std::string::npos) base += c;
  }
  if (base.empty()) base = "Tabell";
  // Cut at 28 bytes without splitting a UTF-8 character.
  if (base.size() > 28) {
    size_t cut = 28;
    while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;
    base.resize(cut);
  }
  std::string name = base;
  for (int i = 2; used.count(name); ++i) name = base + " " + std::to_string(i);
  used.insert(name);
  return name;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(";\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<Format> ParseFormat(std::string_view text) {
  if (text == "pdf") return Format::kPdf;
  if (text == "xlsx") return Format::kXlsx;
  if (text == "csv") return Format::kCsv;
  return InvalidField("format",
                      "måste vara pdf, xlsx eller csv (fick \"" + std::string(text) + "\")");
}

Result<Format> FormatFromFileName(std::string_view path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : std::string(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "pdf" || ext == "xlsx" || ext == "csv") return ParseFormat(ext);
  return InvalidField("--format", "kan inte avgöras av filnamnet \"" + std::string(path) +
                                      "\"; ange --format pdf, xlsx eller csv");
}

std::string_view ContentType(Format f) {
  switch (f) {
    case Format::kPdf:
      return "application/pdf";
    case Format::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case Format::kCsv:
      return "text/csv; charset=utf-8";
  }
  return "application/octet-stream";
}

std::string_view Extension(Format f) {
  switch (f) {
    case Format::kPdf:
      return "pdf";
    case Format::kXlsx:
      return "xlsx";
    case Format::kCsv:
      return "csv";
  }
  return "bin";
}

std::string RenderCsv(const Document& d) {
  std::ostringstream out;
  out << "\xEF\xBB\xBF";  // BOM: Excel opens UTF-8 correctly
  out << CsvCell(d.title) << "\n";
  for (const auto& s : d.sections) {
    for (const auto& b : s.blocks) {
      const auto* t = std::get_if<Table>(&b);
      if (!t) continue;
      out << "\n" << CsvCell(t->name.empty() ? s.heading : t->name) << "\n";
      for (size_t c = 0; c < t->columns.size(); ++c) {
        out << (c ? ";" : "") << CsvCell(t->columns[c]);
      }
      out << "\n";
      for (const auto& row : t->rows) {
        for (size_t c = 0; c < row.size(); ++c) out << (c ? ";" : "") << CsvCell(row[c]);
        out << "\n";
      }
    }
  }
  return out.str();
}

Result<std::string> RenderXlsx(const Document& d) {
  // libxlsxwriter writes a file: use a private temporary one and read it back.
  std::string tmpl = (std::filesystem::temp_directory_path() / "est-xlsx-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return MakeError(ErrorCode::kInternal, "Kunde inte skapa en temporär fil för XLSX");
  close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove_tmp{tmpl};

  lxw_workbook* wb = workbook_new(tmpl.c_str());
  if (!wb) return MakeError(ErrorCode::kInternal, "XLSX-arbetsboken kunde inte skapas");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xE6EDF5);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);

  std::set<std::string> used;
  lxw_worksheet* about = workbook_add_worksheet(wb, SheetName("Om rapporten", used).c_str());
  worksheet_set_column(about, 0, 0, 110, wrap);
  lxw_row_t r = 0;
  worksheet_write_string(about, r++, 0, d.title.c_str(), title);
  if (!d.subtitle.empty()) worksheet_write_string(about, r++, 0, d.subtitle.c_str(), nullptr);
  std::string meta =
      "Period: " + d.period + " · framställd " + d.generated_at +
      (d.version > 0 ? " · publicerad version " + std::to_string(d.version) : " · utkast");
  worksheet_write_string(about, r++, 0, meta.c_str(), nullptr);
  ++r;
  for (const auto& s : d.sections) {
    if (!s.heading.empty()) worksheet_write_string(about, r++, 0, s.heading.c_str(), bold);
    for (const auto& b : s.blocks) {
      if (const auto* p = std::get_if<Paragraph>(&b)) {
        worksheet_write_string(about, r++, 0, p->text.c_str(), wrap);
      }
    }
  }
  if (!d.sources.empty()) {
    ++r;
    worksheet_write_string(about, r++, 0, "Källor och noter", bold);
    for (const auto& src : d.sources) worksheet_write_string(about, r++, 0, src.c_str(), wrap);
  }

  for (const auto& s : d.sections) {
    for (const auto& b : s.blocks) {
      const auto* t = std::get_if<Table>(&b);
      if (!t) continue;
      lxw_worksheet* ws = workbook_add_worksheet(
          wb, SheetName(t->name.empty() ? s.heading : t->name, used).c_str());
      for (size_t c = 0; c < t->columns.size(); ++c) {
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t->columns[c].c_str(), bold);
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                             c == 0 ? 34 : 16, nullptr);
      }
      worksheet_freeze_panes(ws, 1, 0);
      for (size_t i = 0; i < t->rows.size(); ++i) {
        const auto& row = t->rows[i];
        for (size_t c = 0; c < row.size(); ++c) {
          auto row_i = static_cast<lxw_row_t>(i + 1);
          auto col = static_cast<lxw_col_t>(c);
          std::optional<double> v;
          if (c < t->numeric.size() && t->numeric[c]) v = AsNumber(row[c]);
          if (v) {
            worksheet_write_number(ws, row_i, col, *v, nullptr);
          } else {
            worksheet_write_string(ws, row_i, col, row[c].c_str(), nullptr);
          }
        }
      }
      if (!t->rows.empty()) {
        worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(t->rows.size()),
                             static_cast<lxw_col_t>(t->columns.size() - 1));
      }
    }
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return MakeError(ErrorCode::kInternal,
                     std::string("XLSX kunde inte skrivas: ") + lxw_strerror(err));
  }
  std::ifstream in(tmpl, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Result<std::string> Render(const Document& d, Format f) {
  switch (f) {
    case Format::kPdf:
      return RenderPdf(d);
    case Format::kXlsx:
      return RenderXlsx(d);
    case Format::kCsv:
      return RenderCsv(d);
  }
  return MakeError(ErrorCode::kInternal, "okänt format");
}

}  // namespace est::report
