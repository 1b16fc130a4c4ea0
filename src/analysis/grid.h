// The metric analysis grid (DESIGN.md §5): square cells anchored at the SWEREF 99 TM origin, a
// study region made of such cells, and the binary distance-band neighbourhood shared by Gi*,
// emerging hot spots and KDE.
//
// Cell (ix, iy) covers [ix·cell, (ix+1)·cell) × [iy·cell, (iy+1)·cell) in metres (E, N); its
// centre is ((ix + ½)·cell, (iy + ½)·cell). Everything here is plain arrays: no store, no engine.
#ifndef EST_ANALYSIS_GRID_H_
#define EST_ANALYSIS_GRID_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.h"

namespace est::analysis {

// A grid cell by its integer column (east) and row (north).
struct CellKey {
  int32_t ix = 0;
  int32_t iy = 0;
  friend bool operator==(const CellKey&, const CellKey&) = default;
};

struct CellKeyHash {
  size_t operator()(const CellKey& k) const noexcept {
    return static_cast<size_t>((static_cast<uint64_t>(static_cast<uint32_t>(k.ix)) << 32) |
                               static_cast<uint32_t>(k.iy)) *
           0x9E3779B97F4A7C15ULL;
  }
};

// The cell that holds the point (e, n): (floor(e / cell_m), floor(n / cell_m)), correct for
// negative coordinates. REQUIRES: cell_m > 0, e and n finite and |e|, |n| < 2^31 · cell_m.
CellKey CellOf(double e, double n, double cell_m);

// Studieområde: the set of cells an analysis covers. Stored as the dense bounding box
// [ix0, ix0 + width) × [iy0, iy0 + height) with a membership mask; the study cells are numbered
// 0..size()-1 in row-major order (iy ascending, then ix ascending). Every per-cell array taken or
// returned by the analysis functions uses this order. Memory is O(width · height).
//
// Immutable after construction (apart from an internal, locked memo of neighbourhood sizes per
// band), so thread-safe to share.
class StudyGrid {
 public:
  // Largest bounding box (width · height) a grid may span.
  static constexpr int64_t kMaxDenseCells = 20'000'000;

  // Every cell that meets the box: CellOf(min) .. CellOf(max) inclusive (a point on the max edge
  // belongs to the next cell, so that cell is included).
  // Errors: kInvalidArgument if a value is not finite, cell_m <= 0, min > max, or the box spans
  // more than kMaxDenseCells cells.
  static Result<StudyGrid> FromBbox(double min_e, double min_n, double max_e, double max_n,
                                    double cell_m);
  // The given cells (duplicates dropped, sorted into grid order).
  // Errors: kInvalidArgument if cells is empty, cell_m <= 0 or not finite, or their bounding box
  // spans more than kMaxDenseCells cells.
  static Result<StudyGrid> FromCells(std::vector<CellKey> cells, double cell_m);

  double cell_m() const { return cell_m_; }
  size_t size() const { return cells_.size(); }
  const std::vector<CellKey>& cells() const { return cells_; }
  const CellKey& cell(size_t i) const { return cells_[i]; }
  // Centre of study cell i in SWEREF 99 TM metres.
  double centre_e(size_t i) const { return (cells_[i].ix + 0.5) * cell_m_; }
  double centre_n(size_t i) const { return (cells_[i].iy + 0.5) * cell_m_; }

  bool contains(int32_t ix, int32_t iy) const { return index(ix, iy) >= 0; }
  // The study index of cell (ix, iy), or -1 when it is not in the study.
  int64_t index(int32_t ix, int32_t iy) const;

  // The dense bounding box and the maps between dense positions (x + y·width, with x = ix - ix0,
  // y = iy - iy0) and study indices (-1 for a dense position outside the study).
  int32_t ix0() const { return ix0_; }
  int32_t iy0() const { return iy0_; }
  int32_t width() const { return width_; }
  int32_t height() const { return height_; }
  const std::vector<int32_t>& dense_to_study() const { return dense_to_study_; }
  const std::vector<int32_t>& study_to_dense() const { return study_to_dense_; }

 private:
  friend class BandSummer;
  struct Memo;
  StudyGrid() = default;
  static Result<StudyGrid> Build(std::vector<CellKey> sorted_cells, int32_t ix0, int32_t iy0,
                                 int32_t ix1, int32_t iy1, double cell_m);

  double cell_m_ = 0;
  int32_t ix0_ = 0, iy0_ = 0, width_ = 0, height_ = 0;
  std::vector<CellKey> cells_;
  std::vector<int32_t> dense_to_study_;
  std::vector<int32_t> study_to_dense_;
  std::shared_ptr<Memo> memo_;  // neighbourhood sizes per band (BandSummer)
};

// Avståndsband: the binary distance-band weights on the grid. Cell j is a neighbour of cell i
// (i itself included, the "star" of Gi*) when the distance between their centres is at most
// band_m, i.e. dx² + dy² ≤ (band_m / cell_m)² for the offset (dx, dy) in cells. With 250 m cells
// a band of 354 m gives exactly the 3×3 block (250·√2 ≈ 353.6), 250 m the 5-cell cross and
// anything below 250 m the cell alone. The circle is stored as a half width per row offset.
//
// Immutable, thread-safe to share.
class DistanceBand {
 public:
  // Largest band radius in cells.
  static constexpr int kMaxRadius = 2000;

  // Errors: kInvalidArgument if cell_m <= 0, band_m < 0, either is not finite, or the band
  // spans more than kMaxRadius cells.
  static Result<DistanceBand> Make(double cell_m, double band_m);

  // Largest |dy| (and |dx|) of a neighbour, in cells.
  int radius() const { return radius_; }
  // Largest |dx| of a neighbour in row offset dy. REQUIRES: |dy| <= radius().
  int half_width(int dy) const { return half_width_[dy + radius_]; }
  // True when the neighbourhood is the full (2r+1)² square (summed-area tables apply).
  bool square() const { return square_; }
  // Number of offsets (dx, dy), the cell itself included.
  int offset_count() const { return offset_count_; }

 private:
  DistanceBand() = default;
  int radius_ = 0;
  bool square_ = true;
  int offset_count_ = 1;
  std::vector<int> half_width_;
};

// Sums a per-cell value over each study cell's band neighbourhood; cells outside the study are
// not neighbours. Uses a 2-D summed-area table when the band is a square (O(1) per cell),
// otherwise one prefix sum per row (O(2r+1) per cell), evaluated as contiguous whole-row loops, so
// a sum costs O(width · height · (2r+1)) at worst and allocates nothing after construction. Sums
// are exact for integer-valued inputs below 2^53.
//
// Holds scratch buffers: not thread-safe, use one per thread. The grid must outlive it.
class BandSummer {
 public:
  BandSummer(const StudyGrid& grid, const DistanceBand& band);

  // out[i] = Σ_{j ∈ N(i)} values[j] for every study cell i (grid order). values and out hold
  // grid.size() elements each and may not overlap.
  void Sum(const double* values, double* out);

  // |N(i)|: the number of study cells in each neighbourhood (i itself included). Computed once
  // per grid and band, then shared by every summer on that grid.
  const std::vector<int32_t>& neighbour_counts() const { return *neighbour_counts_; }

 private:
  // values == nullptr sums the membership indicator into counts instead of values into out.
  void SumImpl(const double* values, double* out, int32_t* counts);
  static void AddRowDifferences(const double* prefix, int64_t hw, int64_t w, double sign,
                                double* acc);

  const StudyGrid& grid_;
  const DistanceBand band_;
  std::vector<double> prefix_;  // (width + 1) · (height + 1)
  std::vector<double> acc_;     // one dense row of sums
  std::shared_ptr<const std::vector<int32_t>> neighbour_counts_;
};

}  // namespace est::analysis

#endif  // EST_ANALYSIS_GRID_H_
