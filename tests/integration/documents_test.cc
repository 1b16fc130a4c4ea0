// Documents on the demo database: the `est report` contract (every kind, pdf/xlsx/csv by file
// name or --format, the PDF's text checked with pdftotext, PNG pages rendered with pdftoppm),
// bad options, and publishing over HTTP: a published document keeps its figures when a late
// report arrives, while a draft shows it; versions count up.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "api_client.h"
#include "core/period.h"
#include "core/time.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

std::string PdfText(const std::string& pdf) {
  std::string txt = pdf + ".txt";
  std::string cmd = "pdftotext -layout '" + pdf + "' '" + txt + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return ReadText(txt);
}

// Every word's box from `pdftotext -bbox` must lie inside its page and its side margins (a
// clipped column used to run past the right edge). Returns the number of words checked.
int ExpectWordsInsidePages(const std::string& pdf, const std::string& what) {
  std::string html = pdf + ".html";
  std::string cmd = "pdftotext -bbox '" + pdf + "' '" + html + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::string text = ReadText(html);
  auto attr = [](const std::string& tag, const std::string& name) {
    size_t at = tag.find(name + "=\"");
    return at == std::string::npos ? -1.0 : std::stod(tag.substr(at + name.size() + 2));
  };
  double page_w = 0, page_h = 0;
  int words = 0;
  for (size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1)) {
    std::string tag = text.substr(at, text.find('>', at) - at);
    if (tag.rfind("<page ", 0) == 0) {
      page_w = attr(tag, "width");
      page_h = attr(tag, "height");
    } else if (tag.rfind("<word ", 0) == 0) {
      ++words;
      std::string word = text.substr(text.find('>', at) + 1, 40);
      word = word.substr(0, word.find('<'));
      // Inside the page, and inside its 2 cm side margins (1 pt for rounding).
      EXPECT_GE(attr(tag, "xMin"), 56.7 - 1) << what << ": " << word;
      EXPECT_LE(attr(tag, "xMax"), page_w - 56.7 + 1) << what << ": " << word;
      EXPECT_GE(attr(tag, "yMin"), 0) << what << ": " << word;
      EXPECT_LE(attr(tag, "yMax"), page_h) << what << ": " << word;
    }
  }
  return words;
}

class DocumentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->Database();
    auto r = RunEst({"--db", db_, "demo"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  static std::string LastWeek() { return FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix()) - 7)); }
  static int ThisYear() { return CivilFromDay(ToLocalDay(NowUnix())).year; }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* DocumentsTest::dir_ = nullptr;
std::string DocumentsTest::db_;

TEST_F(DocumentsTest, EveryKindWritesAPdfWithItsText) {
  std::string year = std::to_string(ThisYear());
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> texts;
  };
  const Case cases[] = {
      {{"weekly", "--period", LastWeek()}, {"Lägesbild vecka", "Per kategori", "Öppna insatser"}},
      {{"analysis", "--period", year + "-T2"},
       {"Analys tertial 2", "Prioritering av områden", "Tureberg"}},
      {{"annual", "--org", "tfn", "--year", year},
       {"Trafik- och fastighetsnämnden", "Insatser", "Belysning och klotterskydd"}},
      {{"municipality", "--year", year},
       {"Kommungemensam", "Nämnder, bolag och andra aktörer", "AB Sollentunahem"}},
      {{"statutory", "--year", year},
       {"Lägesbild och åtgärdsplan", "2023:196", "Kartläggning", "Åtgärdsplan", "Uppföljning",
        "Identifierade problem"}},
  };
  for (const auto& c : cases) {
    std::string out = dir_->File(c.args[0] + ".pdf");
    std::vector<std::string> args = {"report"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"--out", out});
    auto r = Est(args);
    ASSERT_EQ(r.exit_code, 0) << c.args[0] << ": " << r.err;
    std::string pdf = ReadText(out);
    ASSERT_EQ(pdf.substr(0, 5), "%PDF-") << c.args[0];
    std::string text = PdfText(out);
    for (const auto& t : c.texts) {
      EXPECT_NE(text.find(t), std::string::npos) << c.args[0] << " lacks \"" << t << "\"";
    }
    EXPECT_NE(text.find("Sida 1 av"), std::string::npos) << c.args[0];
    EXPECT_GT(ExpectWordsInsidePages(out, c.args[0]), 100) << c.args[0];
    // Rendered to PNG for looking at (and proof that the PDF is well-formed).
    std::string cmd = "pdftoppm -r 40 -png -f 1 -l 1 '" + out + "' '" + dir_->File(c.args[0]) + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << c.args[0];
  }
}

// The analysis opens with a picture: the need map and the summary table are on page 1, before
// the long table of reasons (it used to open with three pages of text).
TEST_F(DocumentsTest, AnalysisHasAMapOnItsFirstPage) {
  std::string out = dir_->File("analysis-first.pdf");
  auto r =
      Est({"report", "analysis", "--period", std::to_string(ThisYear()) + "-T2", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string txt = out + ".p1.txt";
  std::string cmd = "pdftotext -f 1 -l 1 -layout '" + out + "' '" + txt + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string page1 = ReadText(txt);
  EXPECT_NE(page1.find("Behov per område"), std::string::npos) << page1;
  EXPECT_NE(page1.find("Behovspoäng (mörkare = större behov)"), std::string::npos)
      << "the map's legend, drawn under the map";
}

// The weekly PDF's and the agenda's coverage is the lägesbild's coverage_total for the same week
// (one definition, app/coverage.h); they used to print another sum.
TEST_F(DocumentsTest, WeeklyCoverageEqualsTheApi) {
  std::string week = LastWeek();
  std::string out = dir_->File("coverage.pdf");
  auto r = Est({"report", "weekly", "--period", week, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = PdfText(out);
  size_t at = text.find("Täckning: ");
  ASSERT_NE(at, std::string::npos) << text;
  int pdf_percent = std::stoi(text.substr(at + 10));
  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "demo-losen-2026")->status, 200);
  auto res = c.Get("/api/v1/lagesbild?period=" + week);
  ASSERT_EQ(res->status, 200) << res->body;
  json total = json::parse(res->body)["coverage_total"];
  ASSERT_TRUE(total["share"].is_number()) << total.dump();
  EXPECT_EQ(pdf_percent, static_cast<int>(std::lround(total["share"].get<double>() * 100)))
      << total.dump();
  // The meeting agenda shows the same figure (it summed over every area: 33 % against 85 %).
  auto agenda = json::parse(c.Get("/api/v1/agenda?period=" + week)->body);
  EXPECT_NEAR(agenda["coverage_share"].get<double>(), total["share"].get<double>(), 0.006);
  EXPECT_NE(text.find(std::to_string(total["spoke"].get<int>()) + " av " +
                      std::to_string(total["expected"].get<int>()) + " organisation"),
            std::string::npos)
      << text;
}

TEST_F(DocumentsTest, XlsxAndCsvByNameOrFormat) {
  auto r = Est({"report", "weekly", "--period", LastWeek(), "--out", dir_->File("w.xlsx")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadText(dir_->File("w.xlsx")).substr(0, 2), "PK");
  r = Est({"report", "weekly", "--period", LastWeek(), "--out", dir_->File("w.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string csv = ReadText(dir_->File("w.csv"));
  EXPECT_NE(csv.find("Kategori;Dimension;Antal;Föregående"), std::string::npos);
  r = Est({"report", "statutory", "--out", dir_->File("plan.dat"), "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadText(dir_->File("plan.dat")).find("Åtgärdsplan"), std::string::npos);
}

TEST_F(DocumentsTest, BadOptionsExitTwoAndNameTheOption) {
  auto r = Est({"report", "weekly", "--period", "2026-13", "--out", dir_->File("x.pdf")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("period"), std::string::npos) << r.err;
  r = Est({"report", "weekly", "--out", dir_->File("x.docx")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  r = Est(
      {"report", "annual", "--org", "finns-inte", "--year", "2026", "--out", dir_->File("x.pdf")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("org"), std::string::npos) << r.err;
  r = Est({"report", "annual", "--year", "2026", "--out", dir_->File("x.pdf")});
  EXPECT_EQ(r.exit_code, 2) << "--org is required";
}

TEST_F(DocumentsTest, PublishedDocumentsAreFrozenAndVersioned) {
  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "demo-losen-2026")->status, 200);
  std::string week = LastWeek();
  auto r = c.Post("/api/v1/documents", {{"kind", "weekly"}, {"period", week}});
  ASSERT_EQ(r->status, 201) << r->body;
  json first = json::parse(r->body);
  EXPECT_EQ(first["version"], 1);
  int64_t id = first["id"];
  std::string frozen = c.Get("/api/v1/documents/" + std::to_string(id) + "?format=csv")->body;
  std::string draft_before =
      c.Get("/api/v1/documents/draft?kind=weekly&period=" + week + "&format=csv")->body;
  EXPECT_EQ(frozen, draft_before);

  // A late report in that week (Wednesday noon, in Tureberg).
  auto period = ParsePeriod(week);
  json rep = {{"occurred_from", FormatTimestamp(LocalDayStartUtc(period->first + 2) + 12 * 3600)},
              {"location", {{"lon", 17.946}, {"lat", 59.4271}}},
              {"category", "anlagd_brand"},
              {"org", "ks"},
              {"description", "Sen rapport: brand i container."}};
  ASSERT_EQ(c.Post("/api/v1/reports", rep)->status, 201);
  std::string frozen_after = c.Get("/api/v1/documents/" + std::to_string(id) + "?format=csv")->body;
  std::string draft_after =
      c.Get("/api/v1/documents/draft?kind=weekly&period=" + week + "&format=csv")->body;
  EXPECT_EQ(frozen_after, frozen) << "a published document never changes";
  EXPECT_NE(draft_after, draft_before) << "the draft shows the late report";

  // Publishing again gives version 2; the list shows both; the PDF footer names the version.
  r = c.Post("/api/v1/documents", {{"kind", "weekly"}, {"period", week}});
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(json::parse(r->body)["version"], 2);
  auto list = json::parse(c.Get("/api/v1/documents")->body)["items"];
  EXPECT_GE(list.size(), 2u);
  auto pdf = c.Get("/api/v1/documents/" + std::to_string(id) + "?format=pdf");
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  WriteText(dir_->File("published.pdf"), pdf->body);
  EXPECT_NE(PdfText(dir_->File("published.pdf")).find("publicerad version 1"), std::string::npos);

  // Bad input and roles.
  ExpectProblem(c.Post("/api/v1/documents", {{"kind", "roman"}}), 400, "kind");
  ExpectProblem(c.Get("/api/v1/documents/draft?kind=weekly&format=docx"), 400, "format");
  ExpectProblem(c.Get("/api/v1/documents/999999"), 404, "");
  Session viewer(server.port());
  ASSERT_EQ(viewer.Login("lasare", "demo-losen-2026")->status, 200);
  ExpectProblem(viewer.Post("/api/v1/documents", {{"kind", "weekly"}}), 403, "");
  EXPECT_EQ(viewer.Get("/api/v1/documents/" + std::to_string(id) + "?format=csv")->status, 200);
}

}  // namespace
}  // namespace est::testing

namespace est::testing {
namespace {

// The demo's weekly actions act where their decision says (actions 3 and 4 once had each other's
// areas: the police's Rotebro action lay in Tureberg).
TEST_F(DocumentsTest, DemoActionsLieWhereTheirTitlesSay) {
  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "demo-losen-2026")->status, 200);
  auto r = c.Get("/api/v1/actions");
  ASSERT_EQ(r->status, 200) << r->body;
  json list = json::parse(r->body);
  json items = list.is_array() ? list : list["items"];
  int checked = 0;
  for (const auto& a : items) {
    const std::string title = a["title"];
    std::string codes;
    for (const auto& area : a["areas"]) codes += (area.is_object() ? area["code"] : area).get<std::string>() + " ";
    if (title.find("Rotebro") != std::string::npos) {
      EXPECT_NE(codes.find("rotebro"), std::string::npos) << title << ": " << codes;
      ++checked;
    }
    if (title.find("Malmvägen") != std::string::npos || title.find("Turebergs torg") != std::string::npos) {
      EXPECT_NE(codes.find("tureberg"), std::string::npos) << title << ": " << codes;
      ++checked;
    }
  }
  EXPECT_GE(checked, 3) << list.dump();
}

}  // namespace
}  // namespace est::testing
