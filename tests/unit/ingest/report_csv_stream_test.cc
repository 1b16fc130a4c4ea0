// The streaming parse (PlanReportsCsv + ParseReportsCsvPiece) split into small pieces yields the
// same rows, row numbers, fields and errors as a parse of the whole file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/report_csv.h"

namespace est::ingest {
namespace {

struct Seen {
  int row;
  std::vector<std::string> fields;
  std::string category;
  std::vector<std::string> errors;
  bool operator==(const Seen&) const = default;
};

Result<std::vector<Seen>> Stream(const std::string& text, size_t piece_bytes, size_t* pieces) {
  auto plan = PlanReportsCsv(text, {}, piece_bytes);
  if (!plan) return tl::unexpected(plan.error());
  *pieces = plan->pieces.size();
  std::vector<Seen> out;
  for (size_t i = 0; i < plan->pieces.size(); ++i) {
    auto st = ParseReportsCsvPiece(text, *plan, i, {}, [&](CsvRowView& v) {
      Seen s{v.row, {v.fields.begin(), v.fields.end()}, v.input.category, {}};
      for (const auto& e : v.errors) s.errors.push_back(e.field + ": " + e.reason);
      out.push_back(std::move(s));
    });
    if (!st) return tl::unexpected(st.error());
  }
  return out;
}

TEST(ReportCsvStream, PiecesMatchTheWholeFile) {
  const std::string cases[] = {
      // Quoted line breaks and quotes, blank lines, a wrong field count.
      "id,occurred_at,place,category,org,description\n"
      "a1,2026-11-20,P,klotter,hem,\"två\nrader\"\n"
      "\n"
      "a2,2026-11-20,P,\"klot\"\"ter\",hem,enkel\n"
      "a3,2026-11-20,P,klotter\n"
      "a4,2026-11-20,P,klotter,hem,\"tre\n\nrader, med komma\"\n"
      "a5,2026-11-20,P,klotter,hem,sist",
      // CRLF and a BOM.
      "\xEF\xBB\xBFid;occurred_at;place;category;org\r\nb1;2026-11-20;P;k;hem\r\n"
      "b2;2026-11-20;P;k;hem\r\n\r\nb3;2026-11-20;P;k;hem\r\n",
      // Lone CR line ends: one piece.
      "occurred_at,place,category,org\r2026-11-20,P,k,hem\r2026-11-20,P,k2,hem\r",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);
    size_t whole_pieces = 0, small_pieces = 0;
    auto whole = Stream(text, 0, &whole_pieces);
    auto small = Stream(text, 8, &small_pieces);
    ASSERT_TRUE(whole) << ToString(whole.error());
    ASSERT_TRUE(small) << ToString(small.error());
    EXPECT_EQ(whole_pieces, 1u);
    EXPECT_EQ(*whole, *small);
    auto file = ParseReportsCsv(text, {});
    ASSERT_TRUE(file);
    ASSERT_EQ(file->rows.size(), whole->size());
    for (size_t i = 0; i < whole->size(); ++i) EXPECT_EQ(file->rows[i].row, (*whole)[i].row);
  }
  size_t pieces = 0;
  ASSERT_TRUE(Stream(cases[0], 8, &pieces));
  EXPECT_GT(pieces, 3u);
}

// Long lines, with quoted quotes and line breaks at every offset within the 16-byte blocks the
// plan counts in, split at several piece sizes (and whole, past the 255-block runs): the same rows
// and row numbers as the whole file.
TEST(ReportCsvStream, LongQuotedLinesMatchAtEveryPieceSize) {
  std::string text = "id,occurred_at,place,category,org,description\n";
  for (int i = 0; i < 600; ++i) {  // ~40 kB: counted in runs of 255 blocks of 16 bytes
    std::string desc(static_cast<size_t>(i % 23), 'x');
    desc += i % 3 == 0 ? "\"\"citat\"\"" : "";
    desc += i % 4 == 1 ? "\nny rad" : "";
    desc += std::string(static_cast<size_t>(i % 17), 'y');
    text += "r" + std::to_string(i) + ",2026-11-20,P,klotter,hem,\"" + desc + "\"\n";
    if (i % 9 == 0) text += "\n";
  }
  size_t whole_pieces = 0;
  auto whole = Stream(text, 0, &whole_pieces);
  ASSERT_TRUE(whole) << ToString(whole.error());
  ASSERT_EQ(whole->size(), 600u);
  for (size_t piece : {8u, 17u, 37u, 64u, 200u, 5000u}) {
    SCOPED_TRACE(piece);
    size_t pieces = 0;
    auto small = Stream(text, piece, &pieces);
    ASSERT_TRUE(small) << ToString(small.error());
    EXPECT_GT(pieces, 1u);
    EXPECT_EQ(*whole, *small);
  }
}

TEST(ReportCsvStream, QuotingErrorNamesTheSameLineInPieces) {
  std::string text = "occurred_at,place,category,org\n";
  for (int i = 0; i < 50; ++i) text += "2026-11-20,P,k,hem\n";
  text += "2026-11-20,\"P,k,hem\n2026-11-20,P,k,hem\n";
  size_t pieces = 0;
  auto whole = ParseReportsCsv(text, {});
  auto small = Stream(text, 64, &pieces);
  ASSERT_FALSE(whole);
  ASSERT_FALSE(small);
  EXPECT_GT(pieces, 1u);
  EXPECT_EQ(whole.error().detail, small.error().detail);
}

// The first problem in file order wins in pieces as in the whole file: bad UTF-8 after a quoting
// error reports the quoting error, and before it the UTF-8.
TEST(ReportCsvStream, InvalidUtf8NamesTheSameLineInPieces) {
  for (bool utf8_first : {true, false}) {
    SCOPED_TRACE(utf8_first);
    std::string text = "occurred_at,place,category,org\n";
    for (int i = 0; i < 50; ++i) {
      if (i == 10) text += utf8_first ? "2026-11-20,\xC3\x28,k,hem\n" : "2026-11-20,\"P\"x,k,hem\n";
      if (i == 40) text += utf8_first ? "2026-11-20,\"P\"x,k,hem\n" : "2026-11-20,\xC3\x28,k,hem\n";
      text += "2026-11-20,P,k,hem\n";
    }
    size_t pieces = 0;
    auto whole = ParseReportsCsv(text, {});
    auto small = Stream(text, 64, &pieces);
    ASSERT_FALSE(whole);
    ASSERT_FALSE(small);
    EXPECT_GT(pieces, 1u);
    EXPECT_EQ(whole.error().detail, small.error().detail);
    EXPECT_EQ(whole.error().detail.find("UTF-8") != std::string::npos, utf8_first)
        << whole.error().detail;
  }
}

TEST(ReportCsvStream, BadHeaderInUnparseableFileReportsTheQuoting) {
  auto r = PlanReportsCsv("färg,place\n2026-11-20,\"P\n", {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("inte giltig CSV"), std::string::npos) << r.error().detail;
}

}  // namespace
}  // namespace est::ingest
