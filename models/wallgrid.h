#pragma once

#include <QSizeF>

namespace vigil::models {

// The wall's grid: how many columns and rows of tiles, and how large each tile is.
struct WallGrid
{
    int columns = 0;
    int rows = 0;
    double tileWidth = 0; // the largest tile of `tileAspect` that fits a cell
    double tileHeight = 0;
};

// Tiles keep one shape (tileAspect = width / height) so a tile reads the same on any screen.
constexpr double kWallTileAspect = 1.6;

// The grid for `count` tiles (1..30 and more) on an area of `area` pixels with `gap` pixels
// between cells: of every columns × ceil(count / columns) grid, the one whose cells hold the
// largest tile of `tileAspect`; on a tie the one with fewer empty cells, then fewer rows. Pure,
// so the choice is unit-tested for each count and screen shape. count <= 0 gives an empty grid.
WallGrid wallGrid(int count, const QSizeF &area, double tileAspect = kWallTileAspect,
                  double gap = 0);

} // namespace vigil::models
