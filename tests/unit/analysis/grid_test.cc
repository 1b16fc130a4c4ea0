// The analysis grid: cell lookup for negative coordinates, study regions from a bbox and from a
// list of cells, the distance band's offsets and the band sums against a brute-force reference.
#include "analysis/grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace est::analysis {
namespace {

TEST(GridCellOf, FloorDivisionForPositiveAndNegative) {
  struct Case {
    double e, n;
    CellKey want;
  };
  const Case cases[] = {
      {0, 0, {0, 0}},
      {249.999, 250, {0, 1}},
      {-0.001, -250, {-1, -1}},
      {-250.001, -500, {-2, -2}},
      {660125, 6590375, {2640, 26361}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CellOf(c.e, c.n, 250), c.want) << c.e << "," << c.n;
  }
}

TEST(GridStudyGrid, FromBboxCoversEveryCellInclusiveAndRowMajor) {
  auto grid = StudyGrid::FromBbox(-100, 0, 500, 250, 250);
  ASSERT_TRUE(grid) << grid.error().detail;
  // E: cells -1..2 (500 lies on the edge of cell 2); N: 0..1.
  EXPECT_EQ(grid->size(), 8u);
  EXPECT_EQ(grid->width(), 4);
  EXPECT_EQ(grid->height(), 2);
  EXPECT_EQ(grid->cell(0), (CellKey{-1, 0}));
  EXPECT_EQ(grid->cell(1), (CellKey{0, 0}));
  EXPECT_EQ(grid->cell(4), (CellKey{-1, 1}));
  EXPECT_EQ(grid->index(2, 1), 7);
  EXPECT_EQ(grid->index(3, 1), -1);
  EXPECT_DOUBLE_EQ(grid->centre_e(0), -125);
  EXPECT_DOUBLE_EQ(grid->centre_n(7), 375);
}

TEST(GridStudyGrid, FromCellsSortsDedupesAndMasks) {
  auto grid = StudyGrid::FromCells({{5, 3}, {2, 1}, {5, 3}, {4, 1}, {3, 2}}, 100);
  ASSERT_TRUE(grid) << grid.error().detail;
  ASSERT_EQ(grid->size(), 4u);
  EXPECT_EQ(grid->cell(0), (CellKey{2, 1}));
  EXPECT_EQ(grid->cell(1), (CellKey{4, 1}));
  EXPECT_EQ(grid->cell(2), (CellKey{3, 2}));
  EXPECT_EQ(grid->cell(3), (CellKey{5, 3}));
  EXPECT_EQ(grid->width(), 4);
  EXPECT_EQ(grid->height(), 3);
  EXPECT_TRUE(grid->contains(3, 2));
  EXPECT_FALSE(grid->contains(3, 1));  // inside the box, outside the study
  EXPECT_FALSE(grid->contains(9, 9));
  for (size_t i = 0; i < grid->size(); ++i) {
    EXPECT_EQ(grid->index(grid->cell(i).ix, grid->cell(i).iy), static_cast<int64_t>(i));
    EXPECT_EQ(grid->dense_to_study()[static_cast<size_t>(grid->study_to_dense()[i])],
              static_cast<int32_t>(i));
  }
}

TEST(GridStudyGrid, RejectsBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(StudyGrid::FromBbox(0, 0, 10, 10, 0));
  EXPECT_FALSE(StudyGrid::FromBbox(0, 0, 10, 10, -250));
  EXPECT_FALSE(StudyGrid::FromBbox(10, 0, 0, 10, 250));
  EXPECT_FALSE(StudyGrid::FromBbox(nan, 0, 10, 10, 250));
  EXPECT_FALSE(StudyGrid::FromBbox(0, 0, 1e7, 1e7, 1));  // 10^14 cells
  EXPECT_FALSE(StudyGrid::FromCells({}, 250));
  EXPECT_FALSE(StudyGrid::FromCells({{0, 0}, {100000, 100000}}, 250));
  auto bad = StudyGrid::FromBbox(0, 0, 10, 10, 0);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(GridDistanceBand, OffsetsAreTheCircleOfCentreDistances) {
  struct Case {
    double band;
    int radius;
    bool square;
    int offsets;
  };
  const Case cases[] = {
      {0, 0, true, 1},      {100, 0, true, 1},   {250, 1, false, 5},
      {353, 1, false, 5},   {354, 1, true, 9},   {500, 2, false, 13},
      {707.2, 2, true, 25}, {750, 3, false, 29}, {1000, 4, false, 49},
  };
  for (const Case& c : cases) {
    auto band = DistanceBand::Make(250, c.band);
    ASSERT_TRUE(band) << c.band;
    EXPECT_EQ(band->radius(), c.radius) << c.band;
    EXPECT_EQ(band->square(), c.square) << c.band;
    EXPECT_EQ(band->offset_count(), c.offsets) << c.band;
    // Every offset within the band is in, every other one out.
    int counted = 0;
    for (int dy = -c.radius; dy <= c.radius; ++dy) {
      for (int dx = -c.radius; dx <= c.radius; ++dx) {
        const bool in = std::hypot(dx, dy) * 250 <= c.band + 1e-6;
        EXPECT_EQ(in, std::abs(dx) <= band->half_width(dy)) << c.band << " " << dx << "," << dy;
        counted += in;
      }
    }
    EXPECT_EQ(counted, c.offsets) << c.band;
  }
  EXPECT_FALSE(DistanceBand::Make(250, -1));
  EXPECT_FALSE(DistanceBand::Make(0, 354));
  EXPECT_FALSE(DistanceBand::Make(250, std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(DistanceBand::Make(1, 1e6));
}

// Brute force: every pair of study cells, distance between centres.
std::vector<double> BruteForceBandSums(const StudyGrid& grid, const std::vector<double>& values,
                                       double band_m) {
  std::vector<double> out(grid.size(), 0.0);
  for (size_t i = 0; i < grid.size(); ++i) {
    for (size_t j = 0; j < grid.size(); ++j) {
      const double d =
          std::hypot(grid.centre_e(i) - grid.centre_e(j), grid.centre_n(i) - grid.centre_n(j));
      if (d <= band_m + 1e-6) out[i] += values[j];
    }
  }
  return out;
}

TEST(GridBandSummer, MatchesBruteForceOnMaskedGrids) {
  std::mt19937 rng(20250101);
  std::uniform_int_distribution<int> count(0, 6);
  std::bernoulli_distribution member(0.7);
  for (double band_m : {0.0, 250.0, 354.0, 500.0, 707.2, 900.0}) {
    std::vector<CellKey> cells;
    for (int32_t iy = -3; iy < 9; ++iy) {
      for (int32_t ix = 2640; ix < 2655; ++ix) {
        if (member(rng)) cells.push_back({ix, iy});
      }
    }
    auto grid = StudyGrid::FromCells(cells, 250);
    ASSERT_TRUE(grid);
    auto band = DistanceBand::Make(250, band_m);
    ASSERT_TRUE(band);
    std::vector<double> values(grid->size());
    for (double& v : values) v = count(rng);
    BandSummer summer(*grid, *band);
    std::vector<double> got(grid->size());
    summer.Sum(values.data(), got.data());
    const std::vector<double> want = BruteForceBandSums(*grid, values, band_m);
    const std::vector<double> ones(grid->size(), 1.0);
    const std::vector<double> want_n = BruteForceBandSums(*grid, ones, band_m);
    for (size_t i = 0; i < grid->size(); ++i) {
      EXPECT_EQ(got[i], want[i]) << "band " << band_m << " cell " << i;
      EXPECT_EQ(summer.neighbour_counts()[i], want_n[i]) << "band " << band_m << " cell " << i;
    }
    // A second call reuses the scratch and gives the same answer.
    std::vector<double> again(grid->size());
    summer.Sum(values.data(), again.data());
    EXPECT_EQ(again, got);
  }
}

}  // namespace
}  // namespace est::analysis
