// PDF writer: cairo's PDF surface with pango for text (shaping, wrapping, å/ä/ö), A4 portrait.
// Layout runs twice: the first pass (to a discarding stream) counts the pages so that the footer
// can say "Sida N av M".
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "report/writers.h"

namespace est::report {
namespace {

constexpr double kPageW = 595.276, kPageH = 841.89;  // A4 in points
constexpr double kMargin = 56.7;                     // 2 cm
constexpr double kTop = kMargin + 18;                // below the running header
constexpr double kBottom = kPageH - kMargin - 10;    // above the footer
constexpr double kWidth = kPageW - 2 * kMargin;
constexpr const char* kFont = "DejaVu Sans";
constexpr double kCellPad = 3;  // table cell padding

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.10, 0.10, 0.10};
constexpr Rgb kMuted{0.33, 0.33, 0.33};
constexpr Rgb kBrand{0.043, 0.31, 0.54};
constexpr Rgb kLine{0.77, 0.79, 0.82};
constexpr Rgb kSeries[] = {
    {0.043, 0.31, 0.54}, {0.85, 0.45, 0.10}, {0.20, 0.55, 0.30}, {0.55, 0.25, 0.60}};
// Sequential blues for map classes, light to dark.
constexpr Rgb kClasses[] = {{0.94, 0.95, 0.98},
                            {0.78, 0.86, 0.94},
                            {0.55, 0.71, 0.87},
                            {0.30, 0.52, 0.76},
                            {0.10, 0.32, 0.60}};

void SetColor(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// An axis or legend number as Swedish text with a decimal comma ("0,9", "12", "0,05"); six
// significant digits at most. The document's own cells come formatted from the builders.
std::string SwedishNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  std::string out = buf;
  std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

class Pdf {
 public:
  Pdf(cairo_surface_t* surface, const Document& d, int total_pages)
      : cr_(cairo_create(surface)), doc_(d), total_(total_pages) {
    layout_ = pango_cairo_create_layout(cr_);
    PangoContext* ctx = pango_layout_get_context(layout_);
    pango_context_set_language(ctx, pango_language_from_string("sv-se"));
  }
  ~Pdf() {
    g_object_unref(layout_);
    cairo_destroy(cr_);
  }
  Pdf(const Pdf&) = delete;
  Pdf& operator=(const Pdf&) = delete;

  int Run() {
    StartPage();
    TitleBlock();
    for (const auto& s : doc_.sections) {
      Heading(s.heading, 14, 80);  // a section heading keeps some of its content with it
      for (const auto& b : s.blocks) {
        if (const auto* p = std::get_if<Paragraph>(&b)) ParagraphBlock(*p);
        if (const auto* t = std::get_if<Table>(&b)) TableBlock(*t);
        if (const auto* c = std::get_if<Chart>(&b)) ChartBlock(*c);
        if (const auto* m = std::get_if<MapFigure>(&b)) MapBlock(*m);
      }
    }
    if (!doc_.sources.empty()) {
      Heading("Källor och noter", 11, 22);
      for (const auto& s : doc_.sources) Text(s, 8.5, false, kMuted, kWidth, 3);
    }
    EndPage();
    return page_;
  }

 private:
  // ---- text ----
  void SetupText(const std::string& text, double size, bool bold, double width) {
    PangoFontDescription* fd = pango_font_description_from_string(kFont);
    pango_font_description_set_size(fd, static_cast<int>(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout_, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(layout_, width > 0 ? static_cast<int>(width * PANGO_SCALE) : -1);
    pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout_, PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout_, text.c_str(), -1);
  }
  double Measure(const std::string& text, double size, bool bold, double width) {
    SetupText(text, size, bold, width);
    int w = 0, h = 0;
    pango_layout_get_size(layout_, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  double MeasureWidth(const std::string& text, double size, bool bold) {
    SetupText(text, size, bold, -1);
    int w = 0, h = 0;
    pango_layout_get_size(layout_, &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }
  // Draws text at (x, y) (top left) and returns its height.
  double DrawAt(const std::string& text, double x, double y, double size, bool bold, Rgb color,
                double width, PangoAlignment align = PANGO_ALIGN_LEFT) {
    SetupText(text, size, bold, width);
    pango_layout_set_alignment(layout_, align);
    SetColor(cr_, color);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout_);
    int w = 0, h = 0;
    pango_layout_get_size(layout_, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  // Flowing text at the cursor, breaking the page when it does not fit.
  void Text(const std::string& text, double size, bool bold, Rgb color, double width,
            double after) {
    double h = Measure(text, size, bold, width);
    Ensure(h);
    y_ += DrawAt(text, kMargin, y_, size, bold, color, width) + after;
  }

  // ---- pages ----
  void StartPage() {
    ++page_;
    y_ = kTop;
    // Running header: title left, period right, a hairline below.
    DrawAt(doc_.title, kMargin, kMargin - 16, 8, false, kMuted, kWidth * 0.7);
    DrawAt(doc_.period.empty() ? "EST" : "EST · " + doc_.period, kMargin, kMargin - 16, 8, true,
           kBrand, kWidth, PANGO_ALIGN_RIGHT);
    SetColor(cr_, kLine);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kMargin, kMargin);
    cairo_line_to(cr_, kPageW - kMargin, kMargin);
    cairo_stroke(cr_);
  }
  void EndPage() {
    std::string left =
        "Framställd " + doc_.generated_at.substr(0, 10) +
        (doc_.version > 0 ? " · publicerad version " + std::to_string(doc_.version) : " · utkast");
    DrawAt(left, kMargin, kPageH - kMargin + 4, 8, false, kMuted, kWidth * 0.7);
    DrawAt("Sida " + std::to_string(page_) + " av " + std::to_string(std::max(total_, page_)),
           kMargin, kPageH - kMargin + 4, 8, false, kMuted, kWidth, PANGO_ALIGN_RIGHT);
    cairo_show_page(cr_);
  }
  void Ensure(double h) {
    if (y_ + h > kBottom && y_ > kTop + 1) {
      EndPage();
      StartPage();
    }
  }

  void TitleBlock() {
    y_ += DrawAt(doc_.title, kMargin, y_, 20, true, kBrand, kWidth) + 4;
    if (!doc_.subtitle.empty()) y_ += DrawAt(doc_.subtitle, kMargin, y_, 11, false, kMuted, kWidth);
    y_ += 10;
  }
  void Heading(const std::string& text, double size, double keep) {
    if (text.empty()) return;
    double h = Measure(text, size, true, kWidth);
    Ensure(h + keep);  // never a heading alone at the foot of a page
    y_ += 6;
    y_ += DrawAt(text, kMargin, y_, size, true, kInk, kWidth) + 4;
  }
  void ParagraphBlock(const Paragraph& p) {
    if (!p.emphasis) {
      Text(p.text, 10, false, kInk, kWidth, 6);
      return;
    }
    double h = Measure(p.text, 10, false, kWidth - 16);
    Ensure(h + 12);
    cairo_set_source_rgb(cr_, 1.0, 0.957, 0.839);
    cairo_rectangle(cr_, kMargin, y_, kWidth, h + 10);
    cairo_fill(cr_);
    SetColor(cr_, {0.69, 0.48, 0.0});
    cairo_rectangle(cr_, kMargin, y_, 3, h + 10);
    cairo_fill(cr_);
    DrawAt(p.text, kMargin + 10, y_ + 5, 10, false, kInk, kWidth - 16);
    y_ += h + 16;
  }

  // ---- tables ----
  void TableBlock(const Table& t) {
    if (t.columns.empty()) return;
    // A wide table first gets a smaller font; if its longest words still do not fit the text
    // column at 6 pt, the columns are narrowed in proportion and long words break (WORD_CHAR):
    // nothing is ever drawn past the margin.
    std::vector<double> widths;
    double size = t.columns.size() > 6 ? 7.5 : 8.5;
    while (!ColumnWidths(t, size, widths) && size > 6.01) size -= 0.5;
    double sum = 0;
    for (double w : widths) sum += w;
    if (sum > kWidth) {
      for (double& w : widths) w *= kWidth / sum;
      sum = kWidth;
    }
    DrawTable(t, size, widths, sum);
  }

  // Column widths for `t` at font `size`. False when even the columns' minimum widths (their
  // longest words) exceed the text column; `widths` then holds those minimums.
  bool ColumnWidths(const Table& t, double size, std::vector<double>& widths) {
    const double pad = kCellPad;
    size_t n = t.columns.size();
    std::vector<double> natural(n, 0), minimum(n, 0);
    // The longest word of a cell: a column never gets narrower than that (no broken words).
    auto longest_word = [&](const std::string& text, bool bold) {
      double w = 0;
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find(' ', start);
        std::string word = text.substr(start, end == std::string::npos ? end : end - start);
        if (!word.empty()) w = std::max(w, MeasureWidth(word, size, bold));
        if (end == std::string::npos) break;
        start = end + 1;
      }
      return w;
    };
    std::vector<bool> capped(n, false);
    for (size_t c = 0; c < n; ++c) {
      natural[c] = MeasureWidth(t.columns[c], size, true);
      minimum[c] = longest_word(t.columns[c], true);
      for (const auto& row : t.rows) {
        if (c >= row.size()) continue;
        natural[c] = std::max(natural[c], MeasureWidth(row[c], size, false));
        minimum[c] = std::max(minimum[c], std::min(longest_word(row[c], false), kWidth * 0.3));
      }
      capped[c] = natural[c] > kWidth * 0.45;
      natural[c] = std::min(natural[c], kWidth * 0.45) + 2 * pad;
      // One point of slack: pango's width is in whole PANGO_SCALE units, and a word exactly as
      // wide as its cell would otherwise wrap its last letter.
      natural[c] += 1;
      minimum[c] = std::min(minimum[c] + 2 * pad + 1, natural[c]);
    }
    double sum = 0;
    for (double w : natural) sum += w;
    // Long text columns that were capped share the spare width, so they wrap less.
    size_t n_capped = static_cast<size_t>(std::count(capped.begin(), capped.end(), true));
    if (sum < kWidth && n_capped > 0) {
      for (size_t c = 0; c < n; ++c) {
        if (capped[c]) natural[c] += (kWidth - sum) / static_cast<double>(n_capped);
      }
      sum = kWidth;
    }
    widths = natural;
    if (sum > kWidth) {
      double min_sum = 0;
      for (double w : minimum) min_sum += w;
      if (min_sum > kWidth) {
        widths = minimum;
        return false;
      }
      // Take the excess from the room each column has above its minimum, in proportion.
      double excess = sum - kWidth;
      double room = 0;
      for (size_t c = 0; c < n; ++c) room += natural[c] - minimum[c];
      for (size_t c = 0; c < n; ++c) {
        double share = room > 0 ? (natural[c] - minimum[c]) / room : 1.0 / static_cast<double>(n);
        widths[c] = std::max(minimum[c], natural[c] - excess * std::min(1.0, share));
      }
    }
    return true;
  }

  void DrawTable(const Table& t, double size, const std::vector<double>& widths, double sum) {
    const double pad = kCellPad;
    size_t n = t.columns.size();
    auto row_height = [&](const std::vector<std::string>& cells, bool bold) {
      double h = 0;
      for (size_t c = 0; c < n && c < cells.size(); ++c) {
        h = std::max(h, Measure(cells[c], size, bold, std::max(1.0, widths[c] - 2 * pad)));
      }
      return h + 2 * pad;
    };
    auto draw_row = [&](const std::vector<std::string>& cells, bool header, bool shade) {
      double h = row_height(cells, header);
      if (header || shade) {
        if (header) {
          cairo_set_source_rgb(cr_, 0.90, 0.93, 0.96);
        } else {
          cairo_set_source_rgb(cr_, 0.97, 0.97, 0.98);
        }
        cairo_rectangle(cr_, kMargin, y_, std::min(sum, kWidth), h);
        cairo_fill(cr_);
      }
      double x = kMargin;
      for (size_t c = 0; c < n && c < cells.size(); ++c) {
        bool right = c < t.numeric.size() && t.numeric[c] && !header;
        DrawAt(cells[c], x + pad, y_ + pad, size, header, kInk, std::max(1.0, widths[c] - 2 * pad),
               right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        x += widths[c];
      }
      y_ += h;
      SetColor(cr_, kLine);
      cairo_set_line_width(cr_, 0.4);
      cairo_move_to(cr_, kMargin, y_);
      cairo_line_to(cr_, kMargin + std::min(sum, kWidth), y_);
      cairo_stroke(cr_);
    };
    Ensure(row_height(t.columns, true) + (t.rows.empty() ? 0 : row_height(t.rows[0], false)));
    draw_row(t.columns, true, false);
    for (size_t i = 0; i < t.rows.size(); ++i) {
      double h = row_height(t.rows[i], false);
      if (y_ + h > kBottom) {
        EndPage();
        StartPage();
        draw_row(t.columns, true, false);  // the header again on the new page
      }
      draw_row(t.rows[i], false, i % 2 == 1);
    }
    y_ += 10;
  }

  // ---- charts ----
  void ChartBlock(const Chart& c) {
    const double h = 175;
    double title_h = c.title.empty() ? 0 : Measure(c.title, 9.5, true, kWidth) + 4;
    Ensure(h + title_h + 30);
    if (!c.title.empty()) y_ += DrawAt(c.title, kMargin, y_, 9.5, true, kInk, kWidth) + 4;
    double max = 0;
    for (const auto& s : c.series) {
      for (double v : s.values) max = std::max(max, v);
    }
    if (max <= 0) max = 1;
    double step = std::pow(10, std::floor(std::log10(max)));
    double nice = std::ceil(max / step) * step;
    if (nice / step < 3) step /= 2;
    const double x0 = kMargin + 32, x1 = kMargin + kWidth, top = y_ + 4, bottom = y_ + h - 22;
    // Grid lines and y labels.
    cairo_set_line_width(cr_, 0.4);
    for (double v = 0; v <= nice + 1e-9; v += step) {
      double y = bottom - (bottom - top) * v / nice;
      SetColor(cr_, kLine);
      cairo_move_to(cr_, x0, y);
      cairo_line_to(cr_, x1, y);
      cairo_stroke(cr_);
      DrawAt(SwedishNumber(v), kMargin, y - 5, 7, false, kMuted, 28, PANGO_ALIGN_RIGHT);
    }
    size_t n = c.labels.size();
    if (n == 0) {
      y_ += h;
      return;
    }
    double slot = (x1 - x0) / static_cast<double>(n);
    size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil(n * 38.0 / (x1 - x0))));
    for (size_t i = 0; i < n; i += every) {
      double w = slot * static_cast<double>(every);
      DrawAt(c.labels[i], x0 + slot * (static_cast<double>(i) + 0.5) - w / 2, bottom + 3, 6.5,
             false, kMuted, w, PANGO_ALIGN_CENTER);
    }
    for (size_t si = 0; si < c.series.size(); ++si) {
      const auto& s = c.series[si];
      SetColor(cr_, kSeries[si % 4]);
      if (c.kind == Chart::Kind::kBar) {
        double bw = slot / static_cast<double>(c.series.size());
        for (size_t i = 0; i < n && i < s.values.size(); ++i) {
          double bh = (bottom - top) * s.values[i] / nice;
          cairo_rectangle(cr_, x0 + slot * i + bw * si + bw * 0.1, bottom - bh, bw * 0.8, bh);
        }
        cairo_fill(cr_);
      } else {
        cairo_set_line_width(cr_, si == 0 ? 1.6 : 1.0);
        for (size_t i = 0; i < n && i < s.values.size(); ++i) {
          double x = x0 + slot * (i + 0.5), y = bottom - (bottom - top) * s.values[i] / nice;
          if (i == 0) {
            cairo_move_to(cr_, x, y);
          } else {
            cairo_line_to(cr_, x, y);
          }
        }
        cairo_stroke(cr_);
      }
    }
    // Legend.
    double lx = x0;
    for (size_t si = 0; si < c.series.size(); ++si) {
      SetColor(cr_, kSeries[si % 4]);
      cairo_rectangle(cr_, lx, bottom + 17, 8, 6);
      cairo_fill(cr_);
      DrawAt(c.series[si].name, lx + 11, bottom + 14, 7.5, false, kInk, -1);
      lx += 21 + MeasureWidth(c.series[si].name, 7.5, false) + 10;
    }
    y_ += h + 8;
  }

  // ---- maps ----
  void MapBlock(const MapFigure& m) {
    const double box_h = 300;
    double title_h = m.title.empty() ? 0 : Measure(m.title, 9.5, true, kWidth) + 4;
    Ensure(box_h + title_h + 24);
    if (!m.title.empty()) y_ += DrawAt(m.title, kMargin, y_, 9.5, true, kInk, kWidth) + 4;
    double min_e = 1e18, min_n = 1e18, max_e = -1e18, max_n = -1e18;
    for (const auto& s : m.shapes) {
      for (const auto& r : s.rings) {
        for (const auto& [e, n] : r) {
          min_e = std::min(min_e, e);
          max_e = std::max(max_e, e);
          min_n = std::min(min_n, n);
          max_n = std::max(max_n, n);
        }
      }
    }
    if (min_e > max_e) {
      y_ += 10;
      return;
    }
    double scale = std::min(kWidth / (max_e - min_e), box_h / (max_n - min_n));
    double ox = kMargin + (kWidth - (max_e - min_e) * scale) / 2;
    double oy = y_ + box_h - (box_h - (max_n - min_n) * scale) / 2;
    auto px = [&](double e) { return ox + (e - min_e) * scale; };
    auto py = [&](double n) { return oy - (n - min_n) * scale; };
    double vmax = 0;
    for (const auto& s : m.shapes) {
      if (!s.outline_only) vmax = std::max(vmax, s.value);
    }
    auto path = [&](const MapFigure::Shape& s) {
      cairo_new_path(cr_);
      for (const auto& r : s.rings) {
        for (size_t i = 0; i < r.size(); ++i) {
          if (i == 0) {
            cairo_move_to(cr_, px(r[i].first), py(r[i].second));
          } else {
            cairo_line_to(cr_, px(r[i].first), py(r[i].second));
          }
        }
        cairo_close_path(cr_);
      }
    };
    cairo_set_fill_rule(cr_, CAIRO_FILL_RULE_EVEN_ODD);
    for (const auto& s : m.shapes) {
      if (s.outline_only) continue;
      int cls = vmax > 0 ? std::min(4, static_cast<int>(s.value / vmax * 4.999)) : 0;
      path(s);
      SetColor(cr_, kClasses[cls]);
      cairo_fill_preserve(cr_);
      cairo_set_source_rgb(cr_, 1, 1, 1);
      cairo_set_line_width(cr_, 0.8);
      cairo_stroke(cr_);
    }
    for (const auto& s : m.shapes) {
      if (!s.outline_only) continue;
      path(s);
      SetColor(cr_, kInk);
      cairo_set_line_width(cr_, 1.2);
      cairo_stroke(cr_);
    }
    cairo_set_source_rgb(cr_, 0.75, 0.1, 0.1);
    for (const auto& [e, n] : m.points) {
      cairo_new_sub_path(cr_);
      cairo_arc(cr_, px(e), py(n), 2.2, 0, 2 * M_PI);
    }
    cairo_fill(cr_);
    // Labels at the centre of each shape's outer ring box, when the shape is big enough.
    for (const auto& s : m.shapes) {
      if (s.outline_only || s.rings.empty() || s.label.empty()) continue;
      double a = 1e18, b = 1e18, c = -1e18, d = -1e18;
      for (const auto& [e, n] : s.rings[0]) {
        a = std::min(a, e);
        c = std::max(c, e);
        b = std::min(b, n);
        d = std::max(d, n);
      }
      double w = (c - a) * scale;
      if (w < 30) continue;
      double tw = MeasureWidth(s.label, 6.5, false);
      int cls = vmax > 0 ? std::min(4, static_cast<int>(s.value / vmax * 4.999)) : 0;
      // Kept inside the text column even when the shape lies at the map's edge.
      double lx = std::clamp(px((a + c) / 2) - tw / 2, kMargin, kMargin + kWidth - tw);
      DrawAt(s.label, lx, py((b + d) / 2) - 4, 6.5, false, cls >= 3 ? Rgb{1, 1, 1} : kInk, -1);
    }
    y_ += box_h + 4;
    // Legend: the classes and what they mean.
    double lx = kMargin;
    for (int i = 0; i < 5; ++i) {
      SetColor(cr_, kClasses[i]);
      cairo_rectangle(cr_, lx + i * 14, y_ + 2, 12, 8);
      cairo_fill(cr_);
    }
    std::string legend =
        m.legend + (vmax > 0 ? " (0 – " + SwedishNumber(std::round(vmax * 10) / 10) + ")" : "");
    if (!m.points.empty() && !m.points_legend.empty()) legend += "  ● " + m.points_legend;
    y_ += DrawAt(legend, lx + 76, y_, 7.5, false, kMuted, kWidth - 76) + 10;
  }
  cairo_t* cr_;
  PangoLayout* layout_;
  const Document& doc_;
  int total_;
  int page_ = 0;
  double y_ = kTop;
};

cairo_status_t Discard(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }
cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> RenderPdf(const Document& d) {
  int pages = 0;
  {
    cairo_surface_t* s = cairo_pdf_surface_create_for_stream(Discard, nullptr, kPageW, kPageH);
    {
      Pdf pass(s, d, 0);
      pages = pass.Run();
    }
    cairo_surface_destroy(s);
  }
  std::string out;
  cairo_surface_t* s = cairo_pdf_surface_create_for_stream(Append, &out, kPageW, kPageH);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d.title.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "EST");
  {
    Pdf pass(s, d, pages);
    pass.Run();
  }
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    return MakeError(ErrorCode::kInternal,
                     std::string("PDF kunde inte skapas: ") + cairo_status_to_string(st));
  }
  return out;
}

}  // namespace est::report
