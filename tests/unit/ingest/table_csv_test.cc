// The small CSV table reader: delimiter detection, BOM, quoting, line numbers of records that
// span lines, blank lines skipped, column lookup with folded names, and broken quoting.
#include "ingest/table_csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace est::ingest {
namespace {

TEST(TableCsv, SemicolonBomQuotesAndLines) {
  auto t = ReadCsvTable(
      "\xEF\xBB\xBF"
      "Område;Värde\n"
      "tureberg;\"31,5\"\n"
      "\n"
      "\"två\nrader\";7\n"
      "sista;8");
  ASSERT_TRUE(t) << ToString(t.error());
  ASSERT_EQ(t->header.size(), 2u);
  EXPECT_EQ(t->Column("omrade"), 0);
  EXPECT_EQ(t->Column("VÄRDE"), 1);
  EXPECT_EQ(t->Column("saknas"), -1);
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[0].fields[1], "31,5");
  EXPECT_EQ(t->rows[1].line, 4);
  EXPECT_EQ(t->rows[1].fields[0], "två\nrader");
  EXPECT_EQ(t->rows[2].line, 6);
  EXPECT_EQ(t->rows[2].fields[1], "8");
}

TEST(TableCsv, CommaAndErrors) {
  auto t = ReadCsvTable("a,b\n1,2\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->rows[0].fields[1], "2");
  auto bad = ReadCsvTable("a,b\n\"open,2\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ReadCsvTable("\n\n"));
}

// Found by fuzz/fuzz_table_csv: libcsv also ends a record at a lone carriage return, which the old
// separate count of record starts did not, so every later row got the wrong line (the last line 0).
TEST(TableCsv, LoneCarriageReturnEndsARecordWithoutShiftingLaterLines) {
  auto t = ReadCsvTable("omrade,v\n1,2\r3,4\n5,6\n\"sju\nrader\",8\n9,10");
  ASSERT_TRUE(t) << ToString(t.error());
  ASSERT_EQ(t->rows.size(), 5u);
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[1].fields, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(t->rows[1].line, 2);  // lines are counted by line feeds
  EXPECT_EQ(t->rows[2].line, 3);
  EXPECT_EQ(t->rows[3].fields[0], "sju\nrader");
  EXPECT_EQ(t->rows[3].line, 4);
  EXPECT_EQ(t->rows[4].line, 6);
}

TEST(TableCsv, BrokenQuotingNamesTheLine) {
  auto bad = ReadCsvTable("a,b\n1,2\n\"open,2\n");
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "rad 3");
  auto mid = ReadCsvTable("a,b\n1,\"x\"y\n3,4\n");
  ASSERT_FALSE(mid);
  EXPECT_EQ(mid.error().fields[0].field, "rad 2");
}

TEST(TableCsv, InvalidUtf8IsRefusedWithTheLine) {
  auto bad = ReadCsvTable("omrade;andel\nTureberg;1\nV\xE4sby;2\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "rad 3");
  EXPECT_NE(bad.error().fields[0].reason.find("0xE4 vid tecken 2"), std::string::npos)
      << bad.error().fields[0].reason;
}

}  // namespace
}  // namespace est::ingest
