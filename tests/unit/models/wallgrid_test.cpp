// The wall's grid: the largest tiles of the wall's shape for each count and screen.
#include "models/wallgrid.h"

#include <QList>
#include <algorithm>
#include <gtest/gtest.h>
#include <tuple>

using vigil::models::kWallTileAspect;
using vigil::models::wallGrid;

namespace {
const QSizeF kFullHd(1920, 1080);
const QSizeF kPortrait(1080, 1920);
} // namespace

TEST(WallGrid, NothingToLayOutIsAnEmptyGrid)
{
    EXPECT_EQ(wallGrid(0, kFullHd).columns, 0);
    EXPECT_EQ(wallGrid(3, QSizeF(0, 0)).columns, 0);
}

TEST(WallGrid, OneClusterFillsTheScreenHeightAtTheTileShape)
{
    const auto g = wallGrid(1, kFullHd);
    EXPECT_EQ(g.columns, 1);
    EXPECT_EQ(g.rows, 1);
    EXPECT_DOUBLE_EQ(g.tileHeight, 1080);
    EXPECT_DOUBLE_EQ(g.tileWidth, 1080 * kWallTileAspect);
}

TEST(WallGrid, ChoosesTheLargestTileForEachCountOn16By9)
{
    // count → columns x rows on 1920x1080 with 10 px gaps.
    const QList<std::tuple<int, int, int>> expected = {
        {2, 2, 1},  {3, 2, 2},  {4, 2, 2},  {5, 3, 2},  {6, 3, 2},
        {8, 3, 3},  {9, 3, 3},  {10, 4, 3}, {12, 4, 3}, {13, 4, 4},
        {16, 4, 4}, {20, 5, 4}, {24, 5, 5}, {25, 5, 5}, {30, 6, 5}};
    for (const auto &[count, columns, rows] : expected) {
        const auto g = wallGrid(count, kFullHd, kWallTileAspect, 10);
        EXPECT_EQ(g.columns, columns) << count << " clusters";
        EXPECT_EQ(g.rows, rows) << count << " clusters";
        EXPECT_GE(g.columns * g.rows, count);
        // The tiles fit the screen.
        EXPECT_LE(g.tileWidth * g.columns + 10 * (g.columns - 1), 1920.01) << count;
        EXPECT_LE(g.tileHeight * g.rows + 10 * (g.rows - 1), 1080.01) << count;
    }
}

TEST(WallGrid, APortraitScreenStacksTheTiles)
{
    const auto g = wallGrid(4, kPortrait);
    EXPECT_EQ(g.columns, 1);
    EXPECT_EQ(g.rows, 4);
    EXPECT_EQ(wallGrid(12, kPortrait).columns, 2);
}

TEST(WallGrid, NoGridBeatsTheChosenOne)
{
    // Brute force: every columns count gives tiles no larger than the chosen one.
    for (int count = 1; count <= 30; ++count) {
        const auto g = wallGrid(count, kFullHd, kWallTileAspect, 10);
        for (int c = 1; c <= count; ++c) {
            const int r = (count + c - 1) / c;
            const double w = std::min((1920 - 10.0 * (c - 1)) / c,
                                      (1080 - 10.0 * (r - 1)) / r * kWallTileAspect);
            EXPECT_LE(w, g.tileWidth + 0.5) << count << " clusters, " << c << " columns";
        }
    }
}
