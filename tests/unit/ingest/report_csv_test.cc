// CSV import parsing: header matching, delimiter, BOM, quoting, header errors and per-field parse
// errors with row and column.
#include "ingest/report_csv.h"

#include <gtest/gtest.h>

#include <string>

namespace est::ingest {
namespace {

std::string Fields(const std::vector<FieldError>& fields) {
  std::string s;
  for (const auto& f : fields) s += f.field + ": " + f.reason + "\n";
  return s;
}

TEST(ReportCsv, HeaderIsCaseInsensitiveAndRowsMapToInput) {
  const std::string text =
      "ID,Occurred_At,LON,Lat,Category,ORG,Severity,Count,Certainty,Police_Notified,Description\n"
      "r1,2026-11-20T21:30+01:00,17.95,59.43,klotter,hem,3,2,suspected,ja,Klotter på vägg\n";
  auto f = ParseReportsCsv(text, {});
  ASSERT_TRUE(f) << ToString(f.error());
  EXPECT_EQ(f->delimiter, ',');
  ASSERT_EQ(f->header.size(), 11u);
  EXPECT_EQ(f->header[1], "Occurred_At");
  ASSERT_EQ(f->rows.size(), 1u);
  const CsvRow& row = f->rows[0];
  EXPECT_EQ(row.row, 2);
  EXPECT_TRUE(row.errors.empty()) << Fields(row.errors);
  const ReportInput& in = row.input;
  EXPECT_EQ(in.source_id, "r1");
  EXPECT_EQ(in.occurred_from, "2026-11-20T21:30+01:00");
  EXPECT_EQ(in.lon, 17.95);
  EXPECT_EQ(in.lat, 59.43);
  EXPECT_EQ(in.category, "klotter");
  EXPECT_EQ(in.org, "hem");
  EXPECT_EQ(in.severity, 3);
  EXPECT_EQ(in.count, 2);
  EXPECT_EQ(in.certainty, "suspected");
  EXPECT_EQ(in.police_notified, true);
  EXPECT_EQ(in.description, "Klotter på vägg");
  EXPECT_EQ(in.source, ReportSource::kImport);
  EXPECT_EQ(row.fields.size(), 11u);
}

// EST's own export reads back: `id` (the exporting database's) gives way to `source_id`, the
// area is used only for a report placed by its area alone, the status and the police's source
// are kept.
TEST(ReportCsv, TheExportsColumnsReadBack) {
  const std::string text =
      "id,source_id,occurred_from,occurred_to,area_code,category,org,severity,count,status,"
      "source,lon,lat,area_only,description\n"
      "17,a1,2026-11-16T21:30:00+01:00,,531330,klotter,hem,1,1,rejected,import,17.945997,"
      "59.427118,0,Klotter\n"
      "18,650021,2026-08-20T00:38:00+02:00,,0163,buskorning,polis,2,1,new,police,,,1,x\n"
      "19,,2026-11-17T10:00:00+01:00,,0163,klotter,hem,1,1,new,brev,,,1,y\n";
  auto f = ParseReportsCsv(text, {});
  ASSERT_TRUE(f) << ToString(f.error());
  ASSERT_EQ(f->rows.size(), 3u);
  const ReportInput& point = f->rows[0].input;
  EXPECT_TRUE(f->rows[0].errors.empty()) << Fields(f->rows[0].errors);
  EXPECT_EQ(point.source_id, "a1");
  EXPECT_EQ(point.area, "") << "a point finds its own area";
  EXPECT_EQ(point.status, "rejected");
  EXPECT_EQ(point.source, ReportSource::kImport);
  const ReportInput& police = f->rows[1].input;
  EXPECT_EQ(police.source_id, "650021");
  EXPECT_EQ(police.area, "0163");
  EXPECT_EQ(police.source, ReportSource::kPolice);
  EXPECT_FALSE(f->rows[2].input.source_id) << "no source id: EST's own id is not one";
  ASSERT_EQ(f->rows[2].errors.size(), 1u);
  EXPECT_EQ(f->rows[2].errors[0].field, "rad 4, kolumn source");
}

TEST(ReportCsv, SemicolonDelimiterBomAndDecimalComma) {
  const std::string text =
      "\xEF\xBB\xBFoccurred_at;lon;lat;category;org\n"
      "2026-11-20 21:30;17,951;59,432;Skadegörelse;Sollentunahem AB\n";
  auto f = ParseReportsCsv(text, {});
  ASSERT_TRUE(f) << ToString(f.error());
  EXPECT_EQ(f->delimiter, ';');
  EXPECT_EQ(f->header[0], "occurred_at") << "BOM must be stripped";
  ASSERT_EQ(f->rows.size(), 1u);
  EXPECT_TRUE(f->rows[0].errors.empty()) << Fields(f->rows[0].errors);
  EXPECT_DOUBLE_EQ(*f->rows[0].input.lon, 17.951);
  EXPECT_DOUBLE_EQ(*f->rows[0].input.lat, 59.432);
  EXPECT_EQ(f->rows[0].input.category, "Skadegörelse");
}

TEST(ReportCsv, QuotedFieldsWithDelimitersNewlinesAndQuotes) {
  const std::string text =
      "occurred_at,place,category,org,description\n"
      "2026-11-20,Sollentuna centrum,klotter,hem,\"Två rader,\nmed \"\"citat\"\"\"\n"
      "2026-11-21,Sollentuna centrum,klotter,hem,enkel\n";
  auto f = ParseReportsCsv(text, {});
  ASSERT_TRUE(f) << ToString(f.error());
  ASSERT_EQ(f->rows.size(), 2u);
  EXPECT_EQ(f->rows[0].input.description, "Två rader,\nmed \"citat\"");
  EXPECT_EQ(f->rows[0].input.place, "Sollentuna centrum");
  EXPECT_EQ(f->rows[1].input.description, "enkel");
  // Row numbers are the lines a text editor shows: the second record starts on line 4.
  EXPECT_EQ(f->rows[0].row, 2);
  EXPECT_EQ(f->rows[1].row, 4);
}

TEST(ReportCsv, BlankLinesAreSkippedButCountedInRowNumbers) {
  const std::string text =
      "occurred_at,place,category,org,severity\r\n"
      "2026-11-20,P,klotter,hem,1\r\n"
      "\r\n"
      "2026-11-20,P,klotter,hem,abc\r\n";
  auto f = ParseReportsCsv(text, {});
  ASSERT_TRUE(f) << ToString(f.error());
  ASSERT_EQ(f->rows.size(), 2u);
  EXPECT_EQ(f->rows[0].row, 2);
  EXPECT_EQ(f->rows[1].row, 4);
  ASSERT_EQ(f->rows[1].errors.size(), 1u);
  EXPECT_EQ(f->rows[1].errors[0].field, "rad 4, kolumn severity");
}

TEST(ReportCsv, LastLineWithoutNewline) {
  auto f = ParseReportsCsv("occurred_at,place,category,org\n2026-11-20,P,klotter,hem", {});
  ASSERT_TRUE(f) << ToString(f.error());
  ASSERT_EQ(f->rows.size(), 1u);
  EXPECT_EQ(f->rows[0].row, 2);
  EXPECT_EQ(f->rows[0].input.org, "hem");
}

TEST(ReportCsv, UnknownColumnIsRejectedListingKnownColumns) {
  auto f = ParseReportsCsv("occurred_at,lon,lat,category,org,färg\n", {});
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(f.error().fields.size(), 1u) << Fields(f.error().fields);
  EXPECT_EQ(f.error().fields[0].field, "rad 1, kolumn 6");
  const std::string& reason = f.error().fields[0].reason;
  EXPECT_NE(reason.find("\"färg\""), std::string::npos) << reason;
  for (const std::string& col : ReportCsvColumns()) {
    EXPECT_NE(reason.find(col), std::string::npos) << col << " missing from: " << reason;
  }
}

TEST(ReportCsv, HeaderProblems) {
  struct Case {
    const char* name;
    std::string header;
    CsvOptions options;
    std::string reason_part;
  };
  CsvOptions with_org;
  with_org.default_org = "hem";
  CsvOptions with_crs;
  with_crs.crs = 3006;
  const Case cases[] = {
      {"no time", "lon,lat,category,org\n", {}, "occurred_at eller occurred_from saknas"},
      {"both times", "occurred_at,occurred_from,lon,lat,category,org\n", {}, "inte båda"},
      {"no category", "occurred_at,lon,lat,org\n", {}, "category saknas"},
      {"no org", "occurred_at,lon,lat,category\n", {}, "org saknas"},
      {"no location", "occurred_at,category,org\n", {}, "läge saknas"},
      {"only lon", "occurred_at,lon,category,org\n", {}, "läge saknas"},
      {"x/y without crs", "occurred_at,x,y,category,org\n", {}, "kräver --crs"},
      {"duplicate column", "occurred_at,lon,lat,lat,category,org\n", {}, "två gånger"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto f = ParseReportsCsv(c.header, c.options);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    bool found = false;
    for (const FieldError& e : f.error().fields) {
      if (e.reason.find(c.reason_part) != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << Fields(f.error().fields);
  }
  // The same headers are fine once the option supplies what is missing.
  EXPECT_TRUE(ParseReportsCsv("occurred_at,lon,lat,category\n", with_org));
  auto xy =
      ParseReportsCsv("occurred_at,x,y,category,org\n2026-11-20,666000,6591000,k,o\n", with_crs);
  ASSERT_TRUE(xy);
  EXPECT_EQ(xy->rows[0].input.epsg, 3006);
  EXPECT_EQ(xy->rows[0].input.x, 666000);
}

TEST(ReportCsv, EmptyFileAndBadQuoting) {
  auto empty = ParseReportsCsv("", {});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  auto bad = ParseReportsCsv("occurred_at,place,category,org\n2026-11-20,\"P,klotter,hem\n", {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// Invalid UTF-8 (here a UTF-16 byte order mark, or a Latin-1 'ä') is refused with its line.
TEST(ReportCsv, InvalidUtf8IsRefusedWithTheLine) {
  auto bom = ParseReportsCsv("\xFF\xFEoccurred_at,place,category,org\n", {});
  ASSERT_FALSE(bom);
  EXPECT_EQ(bom.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(bom.error().fields.size(), 1u);
  EXPECT_EQ(bom.error().fields[0].field, "rad 1");
  EXPECT_NE(bom.error().fields[0].reason.find("UTF-16"), std::string::npos);

  auto latin1 = ParseReportsCsv(
      "occurred_at,place,category,org\n2026-11-20,P,klotter,hem\n\n2026-11-20,V\xE4g,k,hem\n", {});
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(latin1.error().fields.size(), 1u);
  EXPECT_EQ(latin1.error().fields[0].field, "rad 4");
  EXPECT_NE(latin1.error().fields[0].reason.find("0xE4 vid tecken 13"), std::string::npos)
      << latin1.error().fields[0].reason;
}

TEST(ReportCsv, DefaultOrgFillsMissingColumnAndEmptyCells) {
  CsvOptions o;
  o.default_org = "skola";
  auto f =
      ParseReportsCsv("occurred_at,place,category,org\n2026-11-20,P,k,\n2026-11-20,P,k,hem\n", o);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rows[0].input.org, "skola");
  EXPECT_EQ(f->rows[1].input.org, "hem");
}

TEST(ReportCsv, WrongFieldCountIsARowError) {
  auto f = ParseReportsCsv(
      "occurred_at,place,category,org\n2026-11-20,P,k,hem\n2026-11-20,P,k\n2026-11-20,P,k,hem,x\n",
      {});
  ASSERT_TRUE(f) << ToString(f.error());
  ASSERT_EQ(f->rows.size(), 3u);
  EXPECT_TRUE(f->rows[0].errors.empty());
  ASSERT_EQ(f->rows[1].errors.size(), 1u);
  EXPECT_EQ(f->rows[1].errors[0].field, "rad 3");
  EXPECT_NE(f->rows[1].errors[0].reason.find("3 fält"), std::string::npos);
  ASSERT_EQ(f->rows[2].errors.size(), 1u);
  EXPECT_EQ(f->rows[2].errors[0].field, "rad 4");
}

TEST(ReportCsv, BadValuesNameRowAndColumn) {
  struct Case {
    std::string column;
    std::string value;
  };
  const Case cases[] = {
      {"severity", "abc"}, {"severity", "2.5"}, {"count", "många"},
      {"lon", "17,9,5"},   {"lat", "x"},        {"police_notified", "kanske"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.column + "=" + c.value);
    std::string text = "occurred_at,lon,lat,category,org," + c.column + "\n" +
                       "2026-11-20,17.9,59.4,k,hem,\"" + c.value + "\"\n";
    if (c.column == "lon" || c.column == "lat") {
      text =
          "occurred_at,lon,lat,category,org\n2026-11-20," +
          std::string(c.column == "lon" ? "\"" + c.value + "\",59.4" : "17.9,\"" + c.value + "\"") +
          ",k,hem\n";
    }
    auto f = ParseReportsCsv(text, {});
    ASSERT_TRUE(f) << ToString(f.error());
    ASSERT_EQ(f->rows.size(), 1u);
    ASSERT_EQ(f->rows[0].errors.size(), 1u) << Fields(f->rows[0].errors);
    EXPECT_EQ(f->rows[0].errors[0].field, "rad 2, kolumn " + c.column);
    EXPECT_NE(f->rows[0].errors[0].reason.find(c.value), std::string::npos);
  }
}

TEST(ReportCsv, BooleanSpellings) {
  struct Case {
    const char* text;
    bool value;
  };
  const Case cases[] = {{"ja", true},   {"Ja", true},   {"1", true},  {"x", true},
                        {"true", true}, {"nej", false}, {"0", false}, {"NEJ", false}};
  for (const Case& c : cases) {
    auto f = ParseReportsCsv(
        std::string("occurred_at,place,category,org,police_notified\n2026-11-20,P,k,hem,") +
            c.text + "\n",
        {});
    ASSERT_TRUE(f);
    EXPECT_EQ(f->rows[0].input.police_notified, c.value) << c.text;
  }
}

TEST(CsvEscape, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape("enkel"), "enkel");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("a;b"), "a;b");
  EXPECT_EQ(CsvEscape("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(CsvEscape("säger \"hej\""), "\"säger \"\"hej\"\"\"");
  EXPECT_EQ(CsvEscape("två\nrader"), "\"två\nrader\"");
}

}  // namespace
}  // namespace est::ingest
