// Report writers: a document with every block renders to a PDF whose text extracts (pdftotext)
// with Swedish letters, page numbers and every table row; to an XLSX that is a valid zip with one
// sheet per table; to CSV blocks; and a document survives the JSON round trip (freezing).
#include "report/writers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace est::report {
namespace {

Document Sample(int rows) {
  Document d;
  d.kind = "weekly";
  d.title = "Lägesbild vecka 47 2026";
  d.subtitle = "Sollentuna kommun – samverkan för trygghet";
  d.period = "2026-W47";
  d.generated_at = "2026-11-25T08:00:00+01:00";
  Section s;
  s.heading = "Sammanfattning";
  s.blocks.push_back(
      Paragraph{"Skadegörelse ökade i Tureberg; övriga förändringar är normala.", false});
  s.blocks.push_back(Paragraph{"Få rapporter: tolka med försiktighet.", true});
  Table t;
  t.name = "Lägesbild";
  t.columns = {"Område", "Kategori", "Antal", "Föregående"};
  t.numeric = {false, false, true, true};
  for (int i = 0; i < rows; ++i) {
    t.rows.push_back(
        {"Område " + std::to_string(i), "Klotter", std::to_string(i * 3), std::to_string(i)});
  }
  s.blocks.push_back(t);
  Chart c;
  c.kind = Chart::Kind::kLine;
  c.title = "Rapporter per vecka";
  c.labels = {"W44", "W45", "W46", "W47"};
  c.series = {{"2026", {10, 12, 9, 15}}, {"2025", {8, 9, 11, 10}}};
  s.blocks.push_back(c);
  MapFigure m;
  m.title = "Rapporter per område";
  m.shapes.push_back({"Tureberg", {{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}}}, 12, false});
  m.shapes.push_back({"Edsberg", {{{1000, 0}, {2000, 0}, {2000, 1000}, {1000, 1000}}}, 3, false});
  m.points = {{500, 500}};
  m.legend = "Rapporter";
  s.blocks.push_back(m);
  d.sections.push_back(s);
  d.sources = {"Källa: EST-rapporter från 20 organisationer."};
  return d;
}

std::string TempFile(const std::string& ext) {
  static int n = 0;
  return (std::filesystem::temp_directory_path() /
          ("est_writers_" + std::to_string(getpid()) + "_" + std::to_string(n++) + ext))
      .string();
}

std::string PdfText(const std::string& pdf) {
  std::string in = TempFile(".pdf"), out = TempFile(".txt");
  std::ofstream(in, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -layout " + in + " " + out;
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream f(out);
  std::stringstream ss;
  ss << f.rdbuf();
  std::remove(in.c_str());
  std::remove(out.c_str());
  return ss.str();
}

TEST(PdfWriter, TextExtractsWithPageNumbersAndEveryRow) {
  auto pdf = RenderPdf(Sample(120));  // long enough for several pages
  ASSERT_TRUE(pdf) << ToString(pdf.error());
  ASSERT_EQ(pdf->substr(0, 5), "%PDF-");
  std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("Lägesbild vecka 47 2026"), std::string::npos);
  EXPECT_NE(text.find("Skadegörelse ökade i Tureberg"), std::string::npos);
  EXPECT_NE(text.find("Område 119"), std::string::npos) << "last row on a later page";
  EXPECT_NE(text.find("Sida 1 av "), std::string::npos);
  // The footer's total equals the number of pages.
  size_t pages = static_cast<size_t>(std::count(text.begin(), text.end(), '\f'));
  EXPECT_GE(pages, 2u);
  EXPECT_NE(text.find("Sida " + std::to_string(pages) + " av " + std::to_string(pages)),
            std::string::npos);
  EXPECT_NE(text.find("Källor och noter"), std::string::npos);
}

// Every word pdftotext finds, with its box (points from the page's top left) and its page size.
struct Word {
  std::string text;
  double x_min, y_min, x_max, y_max;
  double page_w, page_h;
};
std::vector<Word> PdfWords(const std::string& pdf) {
  std::string in = TempFile(".pdf"), out = TempFile(".html");
  std::ofstream(in, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -bbox " + in + " " + out;
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream f(out);
  std::stringstream ss;
  ss << f.rdbuf();
  std::remove(in.c_str());
  std::remove(out.c_str());
  std::string html = ss.str();
  std::vector<Word> words;
  double page_w = 0, page_h = 0;
  auto attr = [](const std::string& tag, const std::string& name) {
    size_t at = tag.find(name + "=\"");
    return at == std::string::npos ? -1.0 : std::stod(tag.substr(at + name.size() + 2));
  };
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    size_t end = html.find('>', at);
    std::string tag = html.substr(at, end - at);
    if (tag.rfind("<page ", 0) == 0) {
      page_w = attr(tag, "width");
      page_h = attr(tag, "height");
    } else if (tag.rfind("<word ", 0) == 0) {
      size_t close = html.find("</word>", end);
      words.push_back({html.substr(end + 1, close - end - 1), attr(tag, "xMin"), attr(tag, "yMin"),
                       attr(tag, "xMax"), attr(tag, "yMax"), page_w, page_h});
    }
  }
  return words;
}

// A table as wide as the yearly documents' action table with its effect column (nine columns,
// long words): it used to run past the right edge, clipping the last columns.
Document WideTable() {
  Document d = Sample(0);
  Table t;
  t.name = "Insatser";
  t.columns = {"Nr",    "Insats",      "Ägare",        "Typ",   "Status",
               "Start", "Uppföljning", "Kostnad (kr)", "Effekt"};
  t.numeric = {true, false, false, false, false, false, false, true, false};
  for (int i = 0; i < 6; ++i) {
    t.rows.push_back({std::to_string(i + 1), "Belysning och klotterskydd vid Tureberg centrum",
                      "Trafik- och fastighetsnämnden", "situationell, långsiktig",
                      "pågår (försenad)", "2026-03-01", "2026-12-01", "1 250 000",
                      "ingen säker effekt (WDD −3), preliminär Sistakolumnen"});
  }
  d.sections[0].blocks.push_back(t);
  return d;
}

TEST(PdfWriter, NoTextOutsideThePageOrItsMargins) {
  auto pdf = RenderPdf(WideTable());
  ASSERT_TRUE(pdf) << ToString(pdf.error());
  auto words = PdfWords(*pdf);
  ASSERT_FALSE(words.empty());
  bool last_column = false, cost = false;
  for (const auto& w : words) {
    ASSERT_GT(w.page_w, 0);
    // Inside the page box, and inside the 2 cm margins left and right (1 pt for rounding).
    EXPECT_GE(w.x_min, 56.7 - 1) << w.text;
    EXPECT_LE(w.x_max, w.page_w - 56.7 + 1) << w.text;
    EXPECT_GE(w.y_min, 0) << w.text;
    EXPECT_LE(w.y_max, w.page_h) << w.text;
    last_column |= w.text.find("Sistakol") != std::string::npos;
    cost |= w.text == "Kostnad";
  }
  EXPECT_TRUE(last_column) << "the effect column is drawn";
  EXPECT_TRUE(cost) << "the cost column is drawn";
}

// Map legends and chart axes are Swedish numbers: "(0 – 0,9)", not "(0 – 0.9)".
TEST(PdfWriter, LegendAndAxisUseDecimalComma) {
  Document d = Sample(1);
  MapFigure m;
  m.title = "Behov per område";
  m.shapes.push_back({"Tureberg", {{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}}}, 0.94, false});
  m.shapes.push_back({"Edsberg", {{{1000, 0}, {2000, 0}, {2000, 1000}, {1000, 1000}}}, 0.2, false});
  m.legend = "Behovspoäng";
  d.sections[0].blocks.push_back(m);
  Chart c;
  c.kind = Chart::Kind::kBar;
  c.title = "Andel";
  c.labels = {"a", "b"};
  c.series = {{"andel", {0.3, 0.45}}};
  d.sections[0].blocks.push_back(c);
  auto pdf = RenderPdf(d);
  ASSERT_TRUE(pdf);
  std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("(0 – 0,9)"), std::string::npos) << text;
  EXPECT_EQ(text.find("0.9"), std::string::npos);
  EXPECT_NE(text.find("0,5"), std::string::npos) << "axis step 0,1 up to 0,5";
  EXPECT_EQ(text.find("0.5"), std::string::npos);
}

// The map's points are labelled by what the document says they are (the weekly picture: cells
// that survive the FDR), never by a fixed claim.
TEST(PdfWriter, MapPointsCarryTheirOwnLegend) {
  Document d = Sample(1);
  MapFigure m;
  m.title = "Rapporter per område";
  m.shapes.push_back({"Tureberg", {{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}}}, 3, false});
  m.legend = "Rapporter under veckan";
  m.points = {{500, 500}};
  m.points_legend = "hotspot (Gi*, FDR 5 %)";
  d.sections[0].blocks.push_back(m);
  auto pdf = RenderPdf(d);
  ASSERT_TRUE(pdf);
  std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("hotspot (Gi*, FDR 5 %)"), std::string::npos) << text;
  EXPECT_EQ(text.find("99 %"), std::string::npos);
  // A frozen document from before the field keeps its points labelled as hotspots.
  nlohmann::json j = ToJson(d);
  j["sections"][0]["blocks"].back().erase("points_legend");
  auto back = DocumentFromJson(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<MapFigure>(back->sections[0].blocks.back()).points_legend, "hotspot");
}

TEST(XlsxWriter, ZipWithSheets) {
  auto x = RenderXlsx(Sample(5));
  ASSERT_TRUE(x) << ToString(x.error());
  ASSERT_GT(x->size(), 1000u);
  EXPECT_EQ(x->substr(0, 2), "PK");
  std::string path = TempFile(".xlsx");
  std::ofstream(path, std::ios::binary) << *x;
  // The workbook lists the "Om rapporten" sheet and the table's sheet.
  std::string cmd = "unzip -p " + path + " xl/workbook.xml > " + path + ".xml";
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream f(path + ".xml");
    std::stringstream ss;
    ss << f.rdbuf();
    EXPECT_NE(ss.str().find("Om rapporten"), std::string::npos);
    EXPECT_NE(ss.str().find("Lägesbild"), std::string::npos);
  }
  std::remove(path.c_str());
  std::remove((path + ".xml").c_str());
}

TEST(CsvWriter, BlocksWithHeaderAndRows) {
  std::string csv = RenderCsv(Sample(3));
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("Lägesbild\nOmråde;Kategori;Antal;Föregående\nOmråde 0;Klotter;0;0\n"),
            std::string::npos)
      << csv;
}

TEST(DocumentJson, RoundTripKeepsEverything) {
  Document d = Sample(4);
  d.version = 3;
  auto back = DocumentFromJson(ToJson(d));
  ASSERT_TRUE(back);
  EXPECT_EQ(ToJson(*back), ToJson(d));
  EXPECT_FALSE(DocumentFromJson(nlohmann::json{{"title", "x"}}));
}

TEST(Formats, FromFileNameAndText) {
  EXPECT_EQ(*FormatFromFileName("/tmp/a.PDF"), Format::kPdf);
  EXPECT_EQ(*FormatFromFileName("rapport.xlsx"), Format::kXlsx);
  EXPECT_EQ(*FormatFromFileName("x.csv"), Format::kCsv);
  auto bad = FormatFromFileName("rapport.docx");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields[0].field, "--format");
  EXPECT_FALSE(ParseFormat("doc"));
}

}  // namespace
}  // namespace est::report
