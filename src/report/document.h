// A document as data: the one model that the PDF, XLSX and CSV writers render, so every format
// shows the same figures. Builders (app/documents.h) fill it from the analysis; the writers know
// nothing of EST's domain. A Document converts to and from JSON, which is how a published
// (frozen) document is stored: re-rendering it later gives the same figures.
//
// Plain values; not thread-safe to mutate, safe to read from several threads.
#ifndef EST_REPORT_DOCUMENT_H_
#define EST_REPORT_DOCUMENT_H_

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/error.h"

namespace est::report {

struct Paragraph {
  std::string text;
  bool emphasis = false;  // a highlighted note (e.g. a verdict or a caveat)
};

// A table. Cells are text; `numeric[i]` right-aligns column i (and writes numbers in XLSX when the
// cell parses as a number). The first column may be a row label.
struct Table {
  std::string name;  // short, for the XLSX sheet and the CSV block ("Lägesbild")
  std::vector<std::string> columns;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
};

// A bar chart (one series) or a line chart (several series over the same x labels).
struct Chart {
  enum class Kind { kBar, kLine };
  Kind kind = Kind::kBar;
  std::string title;
  std::vector<std::string> labels;  // x axis
  struct Series {
    std::string name;
    std::vector<double> values;
  };
  std::vector<Series> series;
  std::string y_label;
};

// A map of areas coloured by a value (classes of `legend`), with optional points, in SWEREF 99 TM.
struct MapFigure {
  std::string title;
  struct Shape {
    std::string label;
    std::vector<std::vector<std::pair<double, double>>> rings;  // outer and inner rings (e, n)
    double value = 0;
    bool outline_only = false;  // drawn as a boundary (e.g. the municipality)
  };
  std::vector<Shape> shapes;
  std::vector<std::pair<double, double>> points;  // e.g. hotspot cell centres
  std::string legend;                             // what the colour means
  std::string points_legend;                      // what a point means (shown when there are points)
};

using Block = std::variant<Paragraph, Table, Chart, MapFigure>;

struct Section {
  std::string heading;
  std::vector<Block> blocks;
};

struct Document {
  std::string kind;          // "weekly", "analysis", "annual", "municipality", "statutory"
  std::string title;         // "Lägesbild vecka 47 2026"
  std::string subtitle;      // "Sollentuna kommun – samverkan för trygghet (EST)"
  std::string period;        // canonical period label ("2026-W47")
  std::string generated_at;  // ISO timestamp
  int version = 0;           // 0 = a draft; published documents count from 1
  std::vector<Section> sections;
  std::vector<std::string> sources;  // source notes printed at the end
};

nlohmann::json ToJson(const Document& d);
// Errors: kInvalidArgument when the JSON is not a document.
Result<Document> DocumentFromJson(const nlohmann::json& j);

}  // namespace est::report

#endif  // EST_REPORT_DOCUMENT_H_
