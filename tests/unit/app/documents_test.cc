// The document builders on a small municipality in a temporary SQLite file: the statutory
// document names the year its säkerhet/trygghet figures are from, every change carries the exact
// test's verdict, Swedish singular and plural, and the charts leave out months and weeks that
// have not ended (with a fixed "today", never the clock).
#include "app/documents.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/context.h"
#include "app/document_parts.h"
#include "core/time.h"
#include "fixtures.h"
#include "report/writers.h"

namespace est::app {
namespace {

using testing::Square;
using testing::Sweref99Collection;
using testing::TempDbPath;

namespace fs = std::filesystem;
const store::Actor kCli{std::nullopt, "cli"};

LocalDay Day(const char* text) { return *ParseDay(text); }

const report::Table* FindTable(const report::Document& d, const std::string& name_prefix) {
  for (const auto& s : d.sections) {
    for (const auto& b : s.blocks) {
      const auto* t = std::get_if<report::Table>(&b);
      if (t && t->name.rfind(name_prefix, 0) == 0) return t;
    }
  }
  return nullptr;
}

std::string AllText(const report::Document& d) {
  std::string out;
  for (const auto& s : d.sections) {
    for (const auto& b : s.blocks) {
      if (const auto* p = std::get_if<report::Paragraph>(&b)) out += p->text + "\n";
    }
  }
  return out;
}

std::string PdfText(const std::string& pdf) {
  static std::atomic<int> n{0};
  std::string base =
      (fs::temp_directory_path() /
       ("est_documents_test_" + std::to_string(getpid()) + "_" + std::to_string(n++)))
          .string();
  std::ofstream(base + ".pdf", std::ios::binary) << pdf;
  std::string cmd = "pdftotext " + base + ".pdf " + base + ".txt";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream f(base + ".txt");
  std::stringstream ss;
  ss << f.rdbuf();
  fs::remove(base + ".pdf");
  fs::remove(base + ".txt");
  // Reading order, with line breaks (wrapped text, table cells) as single spaces.
  std::string out;
  for (char c : ss.str()) {
    if (c == '\n' || c == '\f') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

// Kommun K with areas A and B (1 000 inhabitants each); one organisation. Reports: 2025 has 3 in
// A and 1 in B, 2026 has 10 in A (from 1 June) and one on 1 December 2026; the only survey is of
// 2025.
class DocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    path_ = TempDbPath("est_documents_test");
    auto s = System::Open(path_);
    ASSERT_TRUE(s) << ToString(s.error());
    sys_ = std::move(*s);
    ASSERT_TRUE(sys_->EnsureDefaultCategories(kCli));
    Organisation o;
    o.code = "hem";
    o.name = "Hem";
    o.kind = OrgKind::kBolag;
    ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
    std::string file = Sweref99Collection({Square("K", 660000, 6585000, 10000, "", 0),
                                           Square("A", 661000, 6586000, 2000, "K", 1000),
                                           Square("B", 666000, 6590000, 2000, "K", 1000)});
    ASSERT_TRUE(sys_->ImportAreas(file, {}, kCli));
    Add(661500, 6587000, Day("2025-06-01"), 3);
    Add(667000, 6591000, Day("2025-06-01"), 1);
    Add(661500, 6587000, Day("2026-06-01"), 10);
    Add(661500, 6587000, Day("2026-12-01"), 1);
    auto imported = ImportSurveysCsv(*sys_,
                                     "area,indicator,period,source,value,n\n"
                                     "A,andel_otrygga,2025,Enkät,30,100\n"
                                     "B,andel_otrygga,2025,Enkät,10,100\n",
                                     kCli);
    ASSERT_TRUE(imported) << ToString(imported.error());
  }
  void TearDown() override {
    sys_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  void Add(double e, double n, LocalDay first, int count) {
    for (int i = 0; i < count; ++i) {
      ingest::ReportInput in;
      in.occurred_from = FormatTimestamp(LocalDayStartUtc(first + i) + 12 * 3600);
      in.x = e + i;
      in.y = n;
      in.epsg = 3006;
      in.category = "klotter";
      in.org = "hem";
      ASSERT_TRUE(sys_->CreateReport(in, kCli));
    }
  }

  std::string path_;
  std::unique_ptr<System> sys_;
};

// The survey of 2026 is not out, so the comparison falls back to 2025: its incidents must be
// those of 2025 too, and the document must say 2025 (it said "händelser 2026" over 2025 figures).
TEST_F(DocumentsTest, StatutoryShowsTheYearItsSafetyFiguresAreFrom) {
  auto doc = BuildDocument(*sys_, {"statutory", "", 2026, ""});
  ASSERT_TRUE(doc) << ToString(doc.error());
  const report::Table* t = FindTable(*doc, "Säkerhet och trygghet");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "Säkerhet och trygghet 2025");
  ASSERT_GE(t->columns.size(), 2u);
  EXPECT_EQ(t->columns[1], "Händelser 2025");
  bool row_a = false;
  for (const auto& r : t->rows) {
    if (r[0] != "A") continue;
    row_a = true;
    EXPECT_EQ(r[1], "3") << "A's incidents of 2025, not the 10 of 2026";
  }
  EXPECT_TRUE(row_a);
  auto pdf = report::RenderPdf(*doc);
  ASSERT_TRUE(pdf);
  std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("Enkätresultat för 2026 finns ännu inte, så jämförelsen gäller 2025"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("rapporterade händelser 2025 mot andelen otrygga i Enkät 2025"),
            std::string::npos);
  EXPECT_EQ(text.find("händelser 2026"), std::string::npos);
  EXPECT_EQ(text.find("Händelser 2026"), std::string::npos);
}

// With the year's own survey there is no fallback note and the year is the year asked for.
TEST_F(DocumentsTest, StatutoryWithTheYearsOwnSurvey) {
  auto doc = BuildDocument(*sys_, {"statutory", "", 2025, ""});
  ASSERT_TRUE(doc) << ToString(doc.error());
  const report::Table* t = FindTable(*doc, "Säkerhet och trygghet");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->columns[1], "Händelser 2025");
  EXPECT_EQ(AllText(*doc).find("finns ännu inte"), std::string::npos);
}

// A percentage never stands alone: every table with a change column has the exact test's
// verdict, its p and the labelled z beside it, in every row (the XLSX and CSV sheets are these
// tables).
TEST_F(DocumentsTest, EveryChangeCarriesTheTestsVerdict) {
  for (const DocumentRequest& req :
       {DocumentRequest{"statutory", "", 2026, ""}, DocumentRequest{"municipality", "", 2026, ""},
        DocumentRequest{"annual", "", 2026, "hem"},
        DocumentRequest{"analysis", "2026-T2", 0, ""}}) {
    auto doc = BuildDocument(*sys_, req);
    ASSERT_TRUE(doc) << req.kind << ": " << ToString(doc.error());
    int tables = 0;
    for (const auto& s : doc->sections) {
      for (const auto& b : s.blocks) {
        const auto* t = std::get_if<report::Table>(&b);
        if (!t) continue;
        auto at = std::find(t->columns.begin(), t->columns.end(), "Förändring");
        if (at == t->columns.end()) continue;
        ++tables;
        size_t c = static_cast<size_t>(at - t->columns.begin());
        ASSERT_LT(c + 3, t->columns.size()) << t->name;
        EXPECT_EQ(t->columns[c + 1], "Bedömning");
        EXPECT_EQ(t->columns[c + 2], "p (exakt test)");
        EXPECT_EQ(t->columns[c + 3], "z (storleksmått)");
        for (const auto& r : t->rows) {
          const std::string& v = r[c + 1];
          EXPECT_TRUE(v == "ökning" || v == "minskning" || v == "normal variation")
              << req.kind << " " << t->name << ": " << v;
          EXPECT_FALSE(r[c + 2].empty());
        }
      }
    }
    EXPECT_GE(tables, 1) << req.kind;
    // Summaries: a percentage in running text is followed by its verdict.
    std::string text = AllText(*doc);
    for (size_t at = text.find(" %,"); at != std::string::npos; at = text.find(" %,", at + 1)) {
      std::string after = text.substr(at, 80);
      EXPECT_TRUE(after.find("normal variation") != std::string::npos ||
                  after.find("signifikant") != std::string::npos)
          << req.kind << ": " << after;
    }
  }
}

// 10 against 4 in equal periods: +150 %, but the exact test (n = 14, p = 2 · 1471/16384 = 0,18)
// says normal variation; Wheeler's z = 2(√10 − 2) = 2,3 is only its size.
TEST(DocumentParts, ChangeCellsHandComputed) {
  auto cells = docs::ChangeCells(10, 7, 4, 7);
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cells[0], "+150 %");
  EXPECT_EQ(cells[1], "normal variation");
  EXPECT_EQ(cells[2], "0,18");
  EXPECT_EQ(cells[3], "2,3");
  EXPECT_EQ(docs::ChangeSentence(10, 7, 4, 7),
            "+150 %, inom normal variation (exakt test, p = 0,18)");
  // 60 against 20: a significant increase.
  EXPECT_EQ(docs::ChangeCells(60, 7, 20, 7)[1], "ökning");
  EXPECT_EQ(docs::ChangeSentence(60, 7, 20, 7),
            "+200 %, en signifikant ökning (exakt test, p < 0,001)");
  EXPECT_EQ(docs::ChangeCells(5, 7, 0, 7)[0], "–");
  EXPECT_EQ(docs::PText(0.0042), "0,004");
  EXPECT_EQ(docs::PText(0.0104), "0,010") << "not significant at 1 %, and reads so";
  EXPECT_EQ(docs::PText(0.0009), "< 0,001");
}

TEST(DocumentParts, SingularAndPlural) {
  EXPECT_EQ(docs::Count(1, "insats", "insatser"), "1 insats");
  EXPECT_EQ(docs::Count(0, "insats", "insatser"), "0 insatser");
  EXPECT_EQ(docs::Count(2, "klar", "klara"), "2 klara");
  EXPECT_EQ(docs::Count(1, "område", "områden"), "1 område");
  EXPECT_EQ(docs::Count(1234, "rapport", "rapporter"), "1 234 rapporter");
}

TEST_F(DocumentsTest, MunicipalitySummaryInCorrectSwedish) {
  auto doc = BuildDocument(*sys_, {"municipality", "", 2025, ""});
  ASSERT_TRUE(doc) << ToString(doc.error());
  std::string text = AllText(*doc);
  EXPECT_NE(text.find("kom 4 rapporter från 1 organisation. Mot året före (0): inom normal "
                      "variation (exakt test, p = "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("0 insatser var aktiva."), std::string::npos) << text;
  EXPECT_EQ(text.find("1 organisationer"), std::string::npos) << text;
}

// On 1 December 2026 the running December is not a point on the line (it would look like a
// drop to almost nothing); the note tells its count so far. 2025 is complete: 12 points.
TEST_F(DocumentsTest, MonthChartLeavesOutTheRunningMonth) {
  auto blocks = docs::MonthChart(*sys_, 2026, {}, "Per månad", Day("2026-12-01"));
  ASSERT_TRUE(blocks) << ToString(blocks.error());
  ASSERT_EQ(blocks->size(), 2u);
  const auto& chart = std::get<report::Chart>((*blocks)[0]);
  ASSERT_EQ(chart.series.size(), 2u);
  ASSERT_EQ(chart.series[0].values.size(), 11u) << "January to November";
  EXPECT_EQ(chart.series[0].values[5], 10) << "June";
  EXPECT_EQ(chart.series[0].values[10], 0) << "November, ended and empty";
  EXPECT_EQ(chart.series[1].values.size(), 12u);
  EXPECT_EQ(std::get<report::Paragraph>((*blocks)[1]).text,
            "December 2026 pågår: 1 rapport hittills (1 december). Månaden visas inte i "
            "diagrammet förrän den är slut.");
  // In the middle of June: January–May only; months that have not begun are not drawn as 0.
  blocks = docs::MonthChart(*sys_, 2026, {}, "Per månad", Day("2026-06-15"));
  ASSERT_TRUE(blocks);
  EXPECT_EQ(std::get<report::Chart>((*blocks)[0]).series[0].values.size(), 5u);
  // A year that has ended: twelve points and no note.
  blocks = docs::MonthChart(*sys_, 2025, {}, "Per månad", Day("2026-12-01"));
  ASSERT_TRUE(blocks);
  EXPECT_EQ(blocks->size(), 1u);
  EXPECT_EQ(std::get<report::Chart>((*blocks)[0]).series[0].values.size(), 12u);
}

// Weeks that have not ended get no point on the current line; last year's line is complete.
TEST(DocumentParts, WeekChartStopsAtTheLastCompleteWeek) {
  SeriesResult s;
  s.points = {{"2026-W47", 5, 4}, {"2026-W48", 6, 3}, {"2026-W49", 1, 7}, {"2026-W50", 0, 2}};
  // Tuesday of W49: W47 and W48 have ended.
  auto chart = docs::WeekChart(s, "t", "I fjol", Day("2026-12-01"));
  ASSERT_EQ(chart.series.size(), 2u);
  EXPECT_EQ(chart.series[0].values, (std::vector<double>{5, 6}));
  EXPECT_EQ(chart.series[1].values, (std::vector<double>{4, 3, 7, 2}));
  EXPECT_EQ(chart.labels.size(), 4u);
  // The Monday after W48: W48 has ended.
  EXPECT_EQ(docs::WeekChart(s, "t", "I fjol", Day("2026-11-30")).series[0].values.size(), 2u);
  EXPECT_EQ(docs::WeekChart(s, "t", "I fjol", Day("2026-11-29")).series[0].values.size(), 1u);
}

}  // namespace
}  // namespace est::app
