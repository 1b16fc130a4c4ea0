// CSV parsing with libcsv: the library handles quoting; this file maps columns to ReportInput.
#include "ingest/report_csv.h"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace est::ingest {
namespace {

enum Col {
  kId, kOccurredAt, kOccurredFrom, kOccurredTo, kLon, kLat, kX, kY, kPlace, kCategory, kOrg,
  kSeverity, kCount, kCertainty, kPoliceNotified, kDescription, kColCount
};

struct Collector {
  std::vector<std::vector<std::string>> records;
  std::vector<int> record_lines;  // file line (1-based) on which each record starts
  std::vector<std::string> current;
  int current_line = 1;  // line of the chunk being parsed
  int current_start = 1;
};

// libcsv skips blank lines and keeps newlines inside quoted fields, so record numbers drift from
// the line numbers a user sees. The text is fed one line at a time; a field ends on the line
// being fed, so the record starts that many lines earlier as its first field has newlines.
void OnField(void* data, size_t len, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  std::string_view field(data ? static_cast<const char*>(data) : "", len);
  if (c->current.empty()) {
    c->current_start =
        c->current_line - static_cast<int>(std::count(field.begin(), field.end(), '\n'));
  }
  c->current.emplace_back(field);
}
void OnRecord(int, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  c->records.push_back(std::move(c->current));
  c->record_lines.push_back(c->current_start);
  c->current.clear();
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::optional<double> ParseDouble(const std::string& raw, bool& bad) {
  std::string s = Trim(raw);
  if (s.empty()) return std::nullopt;
  std::replace(s.begin(), s.end(), ',', '.');  // Swedish decimal comma
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    bad = true;
    return std::nullopt;
  }
  return v;
}

std::optional<int> ParseInt(const std::string& raw, bool& bad) {
  std::string s = Trim(raw);
  if (s.empty()) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    bad = true;
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ParseBool(const std::string& raw, bool& bad) {
  std::string s = FoldKey(raw);
  if (s.empty()) return std::nullopt;
  if (s == "1" || s == "true" || s == "ja" || s == "yes" || s == "j" || s == "x") return true;
  if (s == "0" || s == "false" || s == "nej" || s == "no" || s == "n") return false;
  bad = true;
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& ReportCsvColumns() {
  static const std::vector<std::string> kCols = {
      "id",       "occurred_at", "occurred_from", "occurred_to", "lon",      "lat",
      "x",        "y",           "place",         "category",    "org",      "severity",
      "count",    "certainty",   "police_notified", "description"};
  return kCols;
}

std::string CsvEscape(std::string_view field, char delimiter) {
  bool quote = field.find_first_of(std::string("\"\r\n") + delimiter) != std::string_view::npos;
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Result<CsvFile> ParseReportsCsv(std::string_view text, const CsvOptions& options) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvFile file;
  size_t first_nl = text.find('\n');
  std::string_view header_line = text.substr(0, first_nl);
  size_t commas = std::count(header_line.begin(), header_line.end(), ',');
  size_t semis = std::count(header_line.begin(), header_line.end(), ';');
  file.delimiter = semis > commas ? ';' : ',';

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
    return MakeError(ErrorCode::kInternal, "CSV-tolken kunde inte startas");
  }
  csv_set_delim(&parser, static_cast<unsigned char>(file.delimiter));
  Collector collector;
  bool failed = false;
  for (size_t pos = 0; pos < text.size() && !failed;) {
    size_t nl = text.find('\n', pos);
    size_t len = (nl == std::string_view::npos ? text.size() : nl + 1) - pos;
    failed = csv_parse(&parser, text.data() + pos, len, OnField, OnRecord, &collector) != len;
    pos += len;
    ++collector.current_line;
  }
  if (!failed) {
    --collector.current_line;  // csv_fini ends the last line, not a new one
    failed = csv_fini(&parser, OnField, OnRecord, &collector) != 0;
  }
  std::string reason = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  if (failed) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Filen är inte giltig CSV (fel på rad " +
                         std::to_string(collector.current_line) + "): " + reason,
                     {{"rad " + std::to_string(collector.current_line),
                       "felaktig citering eller radslut: " + reason}});
  }
  if (collector.records.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Filen är tom: rubrikraden saknas",
                     {{"rad 1", "rubrikrad saknas"}});
  }

  // Header.
  const auto& names = ReportCsvColumns();
  std::vector<int> column_of;  // file column -> Col or -1
  std::map<int, int> seen;
  std::vector<FieldError> header_errors;
  for (size_t i = 0; i < collector.records[0].size(); ++i) {
    std::string h = FoldKey(collector.records[0][i]);
    file.header.push_back(Trim(collector.records[0][i]));
    auto it = std::find(names.begin(), names.end(), h);
    if (it == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      header_errors.push_back({"rad 1, kolumn " + std::to_string(i + 1),
                               "okänd kolumn \"" + file.header.back() + "\"; kända kolumner: " +
                                   known});
      column_of.push_back(-1);
      continue;
    }
    int col = static_cast<int>(it - names.begin());
    if (seen.count(col)) {
      header_errors.push_back({"rad 1, kolumn " + std::to_string(i + 1),
                               "kolumnen \"" + h + "\" förekommer två gånger"});
    }
    seen[col] = static_cast<int>(i);
    column_of.push_back(col);
  }
  auto has = [&](int c) { return seen.count(c) > 0; };
  if (!has(kOccurredAt) && !has(kOccurredFrom)) {
    header_errors.push_back({"rad 1", "kolumnen occurred_at eller occurred_from saknas"});
  }
  if (has(kOccurredAt) && has(kOccurredFrom)) {
    header_errors.push_back({"rad 1", "ange occurred_at eller occurred_from, inte båda"});
  }
  if (!has(kCategory)) header_errors.push_back({"rad 1", "kolumnen category saknas"});
  if (!has(kOrg) && options.default_org.empty()) {
    header_errors.push_back({"rad 1", "kolumnen org saknas (eller ange --org)"});
  }
  bool lonlat = has(kLon) && has(kLat);
  bool xy = has(kX) && has(kY);
  if (!lonlat && !xy && !has(kPlace)) {
    header_errors.push_back({"rad 1", "läge saknas: kolumnerna lon och lat, x och y, eller place"});
  }
  if (xy && !options.crs) {
    header_errors.push_back({"rad 1", "kolumnerna x och y kräver --crs (t.ex. EPSG:3006)"});
  }
  if (!header_errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Rubrikraden i CSV-filen är felaktig",
                     std::move(header_errors));
  }

  // Rows.
  file.rows.reserve(collector.records.size() - 1);
  for (size_t r = 1; r < collector.records.size(); ++r) {
    auto& rec = collector.records[r];
    if (rec.size() == 1 && Trim(rec[0]).empty()) continue;  // blank line
    CsvRow row;
    row.row = collector.record_lines[r];
    std::string where = "rad " + std::to_string(row.row) + ", kolumn ";
    if (rec.size() != column_of.size()) {
      row.errors.push_back({"rad " + std::to_string(row.row),
                            "har " + std::to_string(rec.size()) + " fält men rubrikraden har " +
                                std::to_string(column_of.size())});
    }
    ReportInput& in = row.input;
    in.source = options.source;
    in.epsg = options.crs;
    for (size_t i = 0; i < rec.size() && i < column_of.size(); ++i) {
      const std::string& v = rec[i];
      bool bad = false;
      switch (column_of[i]) {
        case kId:
          if (!Trim(v).empty()) in.source_id = Trim(v);
          break;
        case kOccurredAt:
        case kOccurredFrom: in.occurred_from = Trim(v); break;
        case kOccurredTo: in.occurred_to = Trim(v); break;
        case kLon: in.lon = ParseDouble(v, bad); break;
        case kLat: in.lat = ParseDouble(v, bad); break;
        case kX: in.x = ParseDouble(v, bad); break;
        case kY: in.y = ParseDouble(v, bad); break;
        case kPlace: in.place = Trim(v); break;
        case kCategory: in.category = Trim(v); break;
        case kOrg: in.org = Trim(v); break;
        case kSeverity: in.severity = ParseInt(v, bad); break;
        case kCount: in.count = ParseInt(v, bad); break;
        case kCertainty: in.certainty = Trim(v); break;
        case kPoliceNotified: in.police_notified = ParseBool(v, bad); break;
        case kDescription: in.description = v; break;
        default: break;
      }
      if (bad) {
        row.errors.push_back({where + names[static_cast<size_t>(column_of[i])],
                              "\"" + v + "\" är inte ett giltigt värde"});
      }
    }
    if (in.org.empty()) in.org = options.default_org;
    row.fields = std::move(rec);
    file.rows.push_back(std::move(row));
  }
  return file;
}

}  // namespace est::ingest
