#include "analysis/grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace est::analysis {
namespace {

// Band radii that are exact multiples of the cell (500 m on 250 m cells) must include the cell at
// that distance despite rounding in band / cell.
constexpr double kBandSlack = 1e-9;

bool FiniteCellIndex(double v, double cell_m) {
  const double q = std::floor(v / cell_m);
  return std::isfinite(q) && q >= std::numeric_limits<int32_t>::min() &&
         q <= std::numeric_limits<int32_t>::max();
}

}  // namespace

CellKey CellOf(double e, double n, double cell_m) {
  return CellKey{static_cast<int32_t>(std::floor(e / cell_m)),
                 static_cast<int32_t>(std::floor(n / cell_m))};
}

struct StudyGrid::Memo {
  std::mutex mu;
  std::map<std::vector<int>, std::shared_ptr<const std::vector<int32_t>>> neighbour_counts;
};

Result<StudyGrid> StudyGrid::Build(std::vector<CellKey> sorted_cells, int32_t ix0, int32_t iy0,
                                   int32_t ix1, int32_t iy1, double cell_m) {
  const int64_t width = int64_t{ix1} - ix0 + 1;
  const int64_t height = int64_t{iy1} - iy0 + 1;
  if (width * height > kMaxDenseCells) {
    return InvalidField("extent", "rutnätet omfattar " + std::to_string(width * height) +
                                      " rutor, högst " + std::to_string(kMaxDenseCells) +
                                      " är tillåtet");
  }
  StudyGrid grid;
  grid.memo_ = std::make_shared<Memo>();
  grid.cell_m_ = cell_m;
  grid.ix0_ = ix0;
  grid.iy0_ = iy0;
  grid.width_ = static_cast<int32_t>(width);
  grid.height_ = static_cast<int32_t>(height);
  grid.cells_ = std::move(sorted_cells);
  grid.dense_to_study_.assign(static_cast<size_t>(width * height), -1);
  grid.study_to_dense_.resize(grid.cells_.size());
  for (size_t i = 0; i < grid.cells_.size(); ++i) {
    const int64_t d = (int64_t{grid.cells_[i].iy} - iy0) * width + (grid.cells_[i].ix - ix0);
    grid.dense_to_study_[static_cast<size_t>(d)] = static_cast<int32_t>(i);
    grid.study_to_dense_[i] = static_cast<int32_t>(d);
  }
  return grid;
}

Result<StudyGrid> StudyGrid::FromBbox(double min_e, double min_n, double max_e, double max_n,
                                      double cell_m) {
  if (!std::isfinite(cell_m) || cell_m <= 0) {
    return InvalidField("cell_m", "rutstorleken måste vara ett positivt tal");
  }
  if (!FiniteCellIndex(min_e, cell_m) || !FiniteCellIndex(min_n, cell_m) ||
      !FiniteCellIndex(max_e, cell_m) || !FiniteCellIndex(max_n, cell_m)) {
    return InvalidField("bbox", "hörnen måste vara ändliga SWEREF 99 TM-koordinater");
  }
  if (min_e > max_e || min_n > max_n) {
    return InvalidField("bbox", "minsta hörnet ligger efter största hörnet");
  }
  const CellKey lo = CellOf(min_e, min_n, cell_m);
  const CellKey hi = CellOf(max_e, max_n, cell_m);
  const int64_t width = int64_t{hi.ix} - lo.ix + 1;
  const int64_t height = int64_t{hi.iy} - lo.iy + 1;
  if (width * height > kMaxDenseCells) {
    return InvalidField("bbox", "rutnätet omfattar " + std::to_string(width * height) +
                                    " rutor, högst " + std::to_string(kMaxDenseCells) +
                                    " är tillåtet");
  }
  std::vector<CellKey> cells;
  cells.reserve(static_cast<size_t>(width * height));
  for (int32_t iy = lo.iy; iy <= hi.iy; ++iy) {
    for (int32_t ix = lo.ix; ix <= hi.ix; ++ix) cells.push_back(CellKey{ix, iy});
  }
  return Build(std::move(cells), lo.ix, lo.iy, hi.ix, hi.iy, cell_m);
}

Result<StudyGrid> StudyGrid::FromCells(std::vector<CellKey> cells, double cell_m) {
  if (!std::isfinite(cell_m) || cell_m <= 0) {
    return InvalidField("cell_m", "rutstorleken måste vara ett positivt tal");
  }
  if (cells.empty()) return InvalidField("cells", "studieområdet saknar rutor");
  std::sort(cells.begin(), cells.end(), [](const CellKey& a, const CellKey& b) {
    return a.iy != b.iy ? a.iy < b.iy : a.ix < b.ix;
  });
  cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
  int32_t ix0 = cells.front().ix, ix1 = cells.front().ix;
  for (const CellKey& c : cells) {
    ix0 = std::min(ix0, c.ix);
    ix1 = std::max(ix1, c.ix);
  }
  const int32_t iy0 = cells.front().iy, iy1 = cells.back().iy;
  return Build(std::move(cells), ix0, iy0, ix1, iy1, cell_m);
}

int64_t StudyGrid::index(int32_t ix, int32_t iy) const {
  const int64_t x = int64_t{ix} - ix0_;
  const int64_t y = int64_t{iy} - iy0_;
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return -1;
  return dense_to_study_[static_cast<size_t>(y * width_ + x)];
}

Result<DistanceBand> DistanceBand::Make(double cell_m, double band_m) {
  if (!std::isfinite(cell_m) || cell_m <= 0) {
    return InvalidField("cell_m", "rutstorleken måste vara ett positivt tal");
  }
  if (!std::isfinite(band_m) || band_m < 0) {
    return InvalidField("band_m", "avståndsbandet måste vara ett tal större än eller lika med 0");
  }
  const double r = band_m / cell_m * (1 + kBandSlack);
  if (r >= kMaxRadius + 1) {
    return InvalidField(
        "band_m", "avståndsbandet får omfatta högst " + std::to_string(kMaxRadius) + " rutor");
  }
  DistanceBand band;
  band.radius_ = static_cast<int>(std::floor(r));
  const double r2 = r * r;
  band.half_width_.resize(static_cast<size_t>(2 * band.radius_ + 1));
  band.offset_count_ = 0;
  band.square_ = true;
  for (int dy = -band.radius_; dy <= band.radius_; ++dy) {
    int hw = 0;
    while (hw + 1 <= band.radius_ && double(hw + 1) * (hw + 1) + double(dy) * dy <= r2) ++hw;
    band.half_width_[static_cast<size_t>(dy + band.radius_)] = hw;
    band.offset_count_ += 2 * hw + 1;
    if (hw != band.radius_) band.square_ = false;
  }
  return band;
}

BandSummer::BandSummer(const StudyGrid& grid, const DistanceBand& band)
    : grid_(grid),
      band_(band),
      prefix_(static_cast<size_t>(grid.width() + 1) * static_cast<size_t>(grid.height() + 1), 0.0),
      acc_(static_cast<size_t>(grid.width()), 0.0) {
  // The neighbourhood sizes are the band sums of the membership indicator; they depend on the
  // grid and the band only, so they are remembered in the grid.
  std::vector<int> key;
  for (int dy = -band.radius(); dy <= band.radius(); ++dy) key.push_back(band.half_width(dy));
  if (grid.memo_) {
    std::lock_guard lock(grid.memo_->mu);
    auto it = grid.memo_->neighbour_counts.find(key);
    if (it != grid.memo_->neighbour_counts.end()) {
      neighbour_counts_ = it->second;
      return;
    }
  }
  auto counts = std::make_shared<std::vector<int32_t>>(grid.size(), 0);
  SumImpl(nullptr, nullptr, counts->data());
  neighbour_counts_ = counts;
  if (grid.memo_) {
    std::lock_guard lock(grid.memo_->mu);
    grid.memo_->neighbour_counts.emplace(std::move(key), neighbour_counts_);
  }
}

void BandSummer::Sum(const double* values, double* out) { SumImpl(values, out, nullptr); }

void BandSummer::SumImpl(const double* values, double* out, int32_t* counts) {
  const int64_t w = grid_.width();
  const int64_t h = grid_.height();
  const int64_t stride = w + 1;
  const std::vector<int32_t>& dense = grid_.dense_to_study();
  const bool square = band_.square();
  // Pass 1. Dense row y lives in prefix_ row y + 1 (row 0 stays zero): prefix sums along the row,
  // accumulated down the rows into a summed-area table when the band is a square.
  for (int64_t y = 0; y < h; ++y) {
    double* row = &prefix_[static_cast<size_t>((y + 1) * stride)];
    const int32_t* drow = &dense[static_cast<size_t>(y * w)];
    double run = 0;
    row[0] = 0;
    if (values != nullptr) {
      for (int64_t x = 0; x < w; ++x) {
        run += drow[x] < 0 ? 0.0 : values[drow[x]];
        row[x + 1] = run;
      }
    } else {
      for (int64_t x = 0; x < w; ++x) {
        run += drow[x] < 0 ? 0.0 : 1.0;
        row[x + 1] = run;
      }
    }
    if (square) {
      const double* above = row - stride;
      for (int64_t x = 1; x <= w; ++x) row[x] += above[x];
    }
  }
  // Pass 2. One dense row of sums at a time, as whole-row differences of prefix rows (contiguous
  // loops), then scattered to the study cells of that row.
  const int r = band_.radius();
  double* acc = acc_.data();
  for (int64_t y = 0; y < h; ++y) {
    std::fill(acc, acc + w, 0.0);
    const int64_t y0 = std::max<int64_t>(0, y - r), y1 = std::min<int64_t>(h - 1, y + r);
    if (square) {
      AddRowDifferences(&prefix_[static_cast<size_t>((y1 + 1) * stride)], r, w, 1.0, acc);
      AddRowDifferences(&prefix_[static_cast<size_t>(y0 * stride)], r, w, -1.0, acc);
    } else {
      for (int64_t yy = y0; yy <= y1; ++yy) {
        AddRowDifferences(&prefix_[static_cast<size_t>((yy + 1) * stride)],
                          band_.half_width(static_cast<int>(yy - y)), w, 1.0, acc);
      }
    }
    const int32_t* drow = &dense[static_cast<size_t>(y * w)];
    if (counts != nullptr) {
      for (int64_t x = 0; x < w; ++x) {
        if (drow[x] >= 0) counts[drow[x]] = static_cast<int32_t>(std::lround(acc[x]));
      }
      continue;
    }
    for (int64_t x = 0; x < w; ++x) {
      if (drow[x] >= 0) out[drow[x]] = acc[x];
    }
  }
}

void BandSummer::AddRowDifferences(const double* prefix, int64_t hw, int64_t w, double sign,
                                   double* acc) {
  // acc[x] += sign · (prefix[min(x + hw + 1, w)] − prefix[max(x − hw, 0)]), split so that the
  // interior loop has no clamping.
  const int64_t left_end = std::min(hw, w);                // x < hw: lower index clamps to 0
  const int64_t right_begin = std::max(left_end, w - hw);  // x + hw + 1 > w: upper clamps to w
  for (int64_t x = 0; x < left_end; ++x) {
    acc[x] += sign * (prefix[std::min(x + hw + 1, w)] - prefix[0]);
  }
  for (int64_t x = left_end; x < right_begin; ++x) {
    acc[x] += sign * (prefix[x + hw + 1] - prefix[x - hw]);
  }
  for (int64_t x = right_begin; x < w; ++x) {
    acc[x] += sign * (prefix[w] - prefix[std::max<int64_t>(x - hw, 0)]);
  }
}

}  // namespace est::analysis
