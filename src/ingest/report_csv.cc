// CSV parsing with libcsv: the library handles quoting; this file maps columns to ReportInput.
#include "ingest/report_csv.h"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "core/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace est::ingest {
namespace {

enum Col {
  kId,
  kOccurredAt,
  kOccurredFrom,
  kOccurredTo,
  kLon,
  kLat,
  kX,
  kY,
  kPlace,
  kCategory,
  kOrg,
  kSeverity,
  kCount,
  kCertainty,
  kPoliceNotified,
  kDescription,
  kArea,  // placed only by this area (bara område)
  // The columns of EST's own export (app/present.h ReportCsvHeader), so an export reads back.
  kSourceId,  // the source id; with it, `id` is the exporting database's own id and ignored
  kAreaCode,  // the area of a report placed only by its area (area_only 1, or no point given)
  kStatus,    // new / reviewed / rejected / duplicate (read as rejected)
  kSource,    // police keeps the police's events apart; form and import read as import
  kAreaOnly,  // 1 / 0
  kColCount,
  kIgnored = kColCount  // a column read but not used (id beside source_id)
};

// libcsv skips blank lines and keeps newlines inside quoted fields, so record numbers drift from
// the line numbers a user sees. The text is fed one line at a time; a field ends on the line
// being fed, so the record starts that many lines earlier as its first field has newlines.
//
// Field buffers are reused from record to record: a bulk import must not allocate per field.
struct Collector {
  std::vector<std::string> fields;  // the first `count` are the current record's
  size_t count = 0;
  int current_line = 1;  // line of the chunk being parsed
  int current_start = 1;
  int records = 0;
  bool skip_record = false;  // the next record is the header, already read
  std::function<void(Collector&)> on_record;
};

void OnField(void* data, size_t len, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  std::string_view field(data ? static_cast<const char*>(data) : "", len);
  if (c->count == 0) {
    c->current_start =
        c->current_line - static_cast<int>(std::count(field.begin(), field.end(), '\n'));
  }
  if (c->count == c->fields.size()) c->fields.emplace_back();
  c->fields[c->count++].assign(field);
}
void OnRecord(int, void* ctx) {
  auto* c = static_cast<Collector*>(ctx);
  ++c->records;
  if (c->skip_record) {
    c->skip_record = false;
  } else if (c->on_record) {
    c->on_record(*c);
  }
  c->count = 0;
}

tl::unexpected<Error> CsvSyntaxError(int line, const std::string& reason) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "Filen är inte giltig CSV (fel på rad " + std::to_string(line) + "): " + reason,
                   {{"rad " + std::to_string(line), "felaktig citering eller radslut: " + reason}});
}

tl::unexpected<Error> Utf8Error(int line, const std::string& reason) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "Filen är inte giltig UTF-8 (fel på rad " + std::to_string(line) + ")",
                   {{"rad " + std::to_string(line), reason}});
}

// Feeds text[begin, end) to libcsv line by line, starting at line `c.current_line`. Stops after
// the line on which the first record ended when `stop_after_first` is set (then `*stopped_at`
// is the end of that line and libcsv is not finished). Otherwise ends the parse (csv_fini).
Status Feed(std::string_view text, size_t begin, size_t end, char delimiter, Collector& c,
            bool stop_after_first = false, size_t* stopped_at = nullptr) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
    return MakeError(ErrorCode::kInternal, "CSV-tolken kunde inte startas");
  }
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  bool failed = false;
  for (size_t pos = begin; pos < end && !failed;) {
    size_t nl = text.find('\n', pos);
    size_t len = (nl == std::string_view::npos || nl >= end ? end : nl + 1) - pos;
    // Checked line by line (a UTF-8 sequence never spans a line feed), so the first problem in
    // file order is reported whether the file is parsed whole or in pieces.
    const std::string_view line = text.substr(pos, len);
    if (const size_t bad = InvalidUtf8At(line); bad != std::string_view::npos) {
      csv_free(&parser);
      return Utf8Error(c.current_line, InvalidUtf8Reason(line, bad));
    }
    failed = csv_parse(&parser, text.data() + pos, len, OnField, OnRecord, &c) != len;
    pos += len;
    ++c.current_line;
    if (!failed && stop_after_first && c.records > 0) {
      *stopped_at = pos;
      csv_free(&parser);
      return {};
    }
  }
  if (!failed) {
    --c.current_line;  // csv_fini ends the last line, not a new one
    failed = csv_fini(&parser, OnField, OnRecord, &c) != 0;
  }
  std::string reason = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  if (failed) return CsvSyntaxError(c.current_line, reason);
  if (stopped_at) *stopped_at = end;
  return {};
}

std::string_view TrimView(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string Trim(std::string_view s) { return std::string(TrimView(s)); }

std::optional<double> ParseDouble(std::string_view raw, bool& bad) {
  std::string_view s = TrimView(raw);
  if (s.empty()) return std::nullopt;
  std::string copy;
  if (s.find(',') != std::string_view::npos) {
    copy.assign(s);
    std::replace(copy.begin(), copy.end(), ',', '.');  // Swedish decimal comma
    s = copy;
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    bad = true;
    return std::nullopt;
  }
  return v;
}

std::optional<int> ParseInt(std::string_view raw, bool& bad) {
  std::string_view s = TrimView(raw);
  if (s.empty()) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    bad = true;
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ParseBool(std::string_view raw, bool& bad) {
  std::string s = FoldKey(raw);
  if (s.empty()) return std::nullopt;
  if (s == "1" || s == "true" || s == "ja" || s == "yes" || s == "j" || s == "x") return true;
  if (s == "0" || s == "false" || s == "nej" || s == "no" || s == "n") return false;
  bad = true;
  return std::nullopt;
}

// Clears `in` for the next row, keeping string capacity.
void ResetInput(ReportInput& in, const CsvOptions& options) {
  in.source_id.reset();
  in.occurred_from.clear();
  in.occurred_to.clear();
  in.lon.reset();
  in.lat.reset();
  in.x.reset();
  in.y.reset();
  in.epsg = options.crs;
  in.place.clear();
  in.category.clear();
  in.org.clear();
  in.severity.reset();
  in.count.reset();
  in.certainty.clear();
  in.police_notified.reset();
  in.description.clear();
  in.area.clear();
  in.status.clear();
  in.source = options.source;
}

// Maps one record to `in` and its field-level `errors`. Returns false for a blank line.
bool FillRow(const Collector& c, const std::vector<int>& columns, const CsvOptions& options,
             ReportInput& in, std::vector<FieldError>& errors) {
  const auto& names = ReportCsvColumns();
  const size_t n = c.count;
  if (n == 1 && TrimView(c.fields[0]).empty()) return false;  // blank line
  errors.clear();
  const int row = c.current_start;
  if (n != columns.size()) {
    errors.push_back({"rad " + std::to_string(row), "har " + std::to_string(n) +
                                                        " fält men rubrikraden har " +
                                                        std::to_string(columns.size())});
  }
  ResetInput(in, options);
  std::string_view area_code;
  std::optional<bool> area_only;
  for (size_t i = 0; i < n && i < columns.size(); ++i) {
    const std::string& v = c.fields[i];
    bool bad = false;
    switch (columns[i]) {
      case kSourceId:
        if (auto t = TrimView(v); !t.empty()) in.source_id.emplace(t);
        break;
      case kAreaCode:
        area_code = TrimView(v);
        break;
      case kAreaOnly:
        area_only = ParseBool(v, bad);
        break;
      case kStatus:
        in.status.assign(TrimView(v));
        break;
      case kSource:
        if (auto t = TrimView(v); t == "police") {
          in.source = ReportSource::kPolice;
        } else if (t != "form" && t != "import" && !t.empty()) {
          bad = true;
        }
        break;
      case kId:
        if (auto t = TrimView(v); !t.empty()) in.source_id.emplace(t);
        break;
      case kOccurredAt:
      case kOccurredFrom:
        in.occurred_from.assign(TrimView(v));
        break;
      case kOccurredTo:
        in.occurred_to.assign(TrimView(v));
        break;
      case kLon:
        in.lon = ParseDouble(v, bad);
        break;
      case kLat:
        in.lat = ParseDouble(v, bad);
        break;
      case kX:
        in.x = ParseDouble(v, bad);
        break;
      case kY:
        in.y = ParseDouble(v, bad);
        break;
      case kPlace:
        in.place.assign(TrimView(v));
        break;
      case kArea:
        in.area.assign(TrimView(v));
        break;
      case kCategory:
        in.category.assign(TrimView(v));
        break;
      case kOrg:
        in.org.assign(TrimView(v));
        break;
      case kSeverity:
        in.severity = ParseInt(v, bad);
        break;
      case kCount:
        in.count = ParseInt(v, bad);
        break;
      case kCertainty:
        in.certainty.assign(TrimView(v));
        break;
      case kPoliceNotified:
        in.police_notified = ParseBool(v, bad);
        break;
      case kDescription:
        in.description.assign(v);
        break;
      default:
        break;
    }
    if (bad) {
      errors.push_back(
          {"rad " + std::to_string(row) + ", kolumn " + names[static_cast<size_t>(columns[i])],
           "\"" + v + "\" är inte ett giltigt värde"});
    }
  }
  // An exported row: its area counts only where the report had no point.
  if (!area_code.empty() && in.area.empty()) {
    const bool no_point = !in.lon && !in.lat && !in.x && !in.y && in.place.empty();
    if (area_only.value_or(no_point)) in.area.assign(area_code);
  }
  if (in.org.empty()) in.org = options.default_org;
  return true;
}

// Quote characters and line breaks in `s`, 16 bytes at a time where SSE2 is there (it always is
// on x86-64): the plan of a 10 GB file must not take seconds before the workers start. Matches
// are summed per byte lane (a compare gives -1) and the lanes added up every 255 blocks, before a
// lane can overflow.
struct ByteCounts {
  size_t quotes = 0;
  size_t lines = 0;
};
ByteCounts CountQuotesAndLines(std::string_view s) {
  ByteCounts c;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  auto lane_sum = [&](__m128i v) {
    const __m128i sums = _mm_sad_epu8(v, zero);  // two 64-bit sums of eight bytes each
    return static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
           static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  };
  while (i + 16 <= s.size()) {
    __m128i quotes = zero, lines = zero;
    for (int block = 0; block < 255 && i + 16 <= s.size(); ++block, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      quotes = _mm_sub_epi8(quotes, _mm_cmpeq_epi8(v, quote));
      lines = _mm_sub_epi8(lines, _mm_cmpeq_epi8(v, newline));
    }
    c.quotes += lane_sum(quotes);
    c.lines += lane_sum(lines);
  }
#endif
  for (; i < s.size(); ++i) {
    c.quotes += s[i] == '"';
    c.lines += s[i] == '\n';
  }
  return c;
}

// Splits [begin, text.size()) into pieces of about `piece_bytes` that end after a line break
// outside quotes. In CSV that parses, quotes pair up, so an even count of quote characters before
// a line break means the break ends a record; a file that does not parse fails in the piece that
// holds its first error, whose state is the same as in a parse of the whole file.
std::vector<CsvPiece> Split(std::string_view text, size_t begin, int first_line,
                            size_t piece_bytes) {
  std::vector<CsvPiece> pieces;
  size_t quotes = 0;
  size_t pos = begin;
  int line = first_line;
  while (pos < text.size()) {
    size_t end = text.size();
    ByteCounts piece;
    if (piece_bytes > 0 && text.size() - pos > piece_bytes + piece_bytes / 2) {
      size_t cut = pos + piece_bytes;
      piece = CountQuotesAndLines(text.substr(pos, cut - pos));
      quotes += piece.quotes;
      for (;;) {
        size_t nl = text.find('\n', cut);
        if (nl == std::string_view::npos) {
          const ByteCounts rest = CountQuotesAndLines(text.substr(cut));
          piece.lines += rest.lines;
          cut = text.size();
          break;
        }
        const ByteCounts more = CountQuotesAndLines(text.substr(cut, nl + 1 - cut));
        quotes += more.quotes;
        piece.lines += more.lines;
        cut = nl + 1;
        if (quotes % 2 == 0) break;
      }
      end = cut;
    } else {
      piece = CountQuotesAndLines(text.substr(pos));
    }
    pieces.push_back({pos, end, line, false});
    line += static_cast<int>(piece.lines);
    pos = end;
  }
  return pieces;
}

}  // namespace

const std::vector<std::string>& ReportCsvColumns() {
  static const std::vector<std::string> kCols = {
      "id",    "occurred_at", "occurred_from",   "occurred_to", "lon", "lat",
      "x",     "y",           "place",           "category",    "org", "severity",
      "count", "certainty",   "police_notified", "description", "area",
      "source_id", "area_code", "status", "source", "area_only"};
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

Result<CsvPlan> PlanReportsCsv(std::string_view text, const CsvOptions& options,
                               size_t piece_bytes) {
  size_t start = 0;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  CsvPlan plan;
  size_t first_nl = text.find('\n', start);
  std::string_view header_line = text.substr(
      start, first_nl == std::string_view::npos ? std::string_view::npos : first_nl - start);
  size_t commas = std::count(header_line.begin(), header_line.end(), ',');
  size_t semis = std::count(header_line.begin(), header_line.end(), ';');
  plan.delimiter = semis > commas ? ';' : ',';

  // The header: the first record. The data rows start after the line on which it ends, unless
  // that line also holds the start of the next record (lines ended by a lone CR).
  Collector head;
  std::vector<std::string> header_fields;
  bool clean_end = true;
  head.on_record = [&](Collector& c) {
    if (c.records == 1) {
      header_fields.assign(c.fields.begin(), c.fields.begin() + static_cast<ptrdiff_t>(c.count));
    } else {
      clean_end = false;
    }
  };
  size_t body = 0;
  auto st = Feed(text, start, text.size(), plan.delimiter, head, true, &body);
  if (!st) return tl::unexpected(st.error());
  if (head.records == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "Filen är tom: rubrikraden saknas",
                     {{"rad 1", "rubrikrad saknas"}});
  }
  // A lone CR may end a record (and begin another) within the line; then parse in one piece.
  for (size_t i = start; i < body && clean_end; ++i) {
    if (text[i] == '\r' && !(i + 2 == body && text[i + 1] == '\n')) clean_end = false;
  }
  clean_end = clean_end && head.count == 0 &&
              std::count(text.begin() + static_cast<ptrdiff_t>(start),
                         text.begin() + static_cast<ptrdiff_t>(body), '"') %
                      2 ==
                  0;

  const auto& names = ReportCsvColumns();
  std::map<int, int> seen;
  std::vector<FieldError> header_errors;
  for (size_t i = 0; i < header_fields.size(); ++i) {
    std::string h = FoldKey(header_fields[i]);
    plan.header.push_back(Trim(header_fields[i]));
    auto it = std::find(names.begin(), names.end(), h);
    if (it == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      header_errors.push_back(
          {"rad 1, kolumn " + std::to_string(i + 1),
           "okänd kolumn \"" + plan.header.back() + "\"; kända kolumner: " + known});
      plan.columns.push_back(-1);
      continue;
    }
    int col = static_cast<int>(it - names.begin());
    if (seen.count(col)) {
      header_errors.push_back({"rad 1, kolumn " + std::to_string(i + 1),
                               "kolumnen \"" + h + "\" förekommer två gånger"});
    }
    seen[col] = static_cast<int>(i);
    plan.columns.push_back(col);
  }
  auto has = [&](int c) { return seen.count(c) > 0; };
  // An export of EST's: `id` is the exporting database's own id, `source_id` the source's.
  if (has(kSourceId) && has(kId)) plan.columns[static_cast<size_t>(seen[kId])] = kIgnored;
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
  if (!lonlat && !xy && !has(kPlace) && !has(kArea) && !has(kAreaCode)) {
    header_errors.push_back(
        {"rad 1", "läge saknas: kolumnerna lon och lat, x och y, place eller area"});
  }
  if (xy && !options.crs) {
    header_errors.push_back({"rad 1", "kolumnerna x och y kräver --crs (t.ex. EPSG:3006)"});
  }
  if (!header_errors.empty()) {
    // A file that is not CSV at all says so first, as when the whole file was parsed up front.
    Collector all;
    if (auto syntax = Feed(text, start, text.size(), plan.delimiter, all); !syntax) {
      return tl::unexpected(syntax.error());
    }
    return MakeError(ErrorCode::kInvalidArgument, "Rubrikraden i CSV-filen är felaktig",
                     std::move(header_errors));
  }

  if (clean_end) {
    plan.pieces = Split(text, body, head.current_line, piece_bytes);
  } else {
    plan.pieces.push_back({start, text.size(), 1, true});
  }
  return plan;
}

Status ParseReportsCsvPiece(std::string_view text, const CsvPlan& plan, size_t piece,
                            const CsvOptions& options, const std::function<void(CsvRowView&)>& fn) {
  const CsvPiece& p = plan.pieces[piece];
  Collector c;
  c.current_line = p.first_line;
  c.skip_record = p.has_header;
  ReportInput input;
  std::vector<FieldError> errors;
  c.on_record = [&](Collector& rec) {
    if (!FillRow(rec, plan.columns, options, input, errors)) return;
    CsvRowView view{rec.current_start, std::span<const std::string>(rec.fields.data(), rec.count),
                    input, errors};
    fn(view);
  };
  return Feed(text, p.begin, p.end, plan.delimiter, c);
}

Result<CsvFile> ParseReportsCsv(std::string_view text, const CsvOptions& options) {
  auto plan = PlanReportsCsv(text, options);
  if (!plan) return tl::unexpected(plan.error());
  CsvFile file;
  file.header = plan->header;
  file.delimiter = plan->delimiter;
  for (size_t i = 0; i < plan->pieces.size(); ++i) {
    auto st = ParseReportsCsvPiece(text, *plan, i, options, [&](CsvRowView& v) {
      CsvRow row;
      row.row = v.row;
      row.fields.assign(v.fields.begin(), v.fields.end());
      row.input = v.input;
      row.errors = v.errors;
      file.rows.push_back(std::move(row));
    });
    if (!st) return tl::unexpected(st.error());
  }
  return file;
}

}  // namespace est::ingest
