#include "models/wallgrid.h"

#include <algorithm>
#include <cmath>

namespace vigil::models {

WallGrid wallGrid(int count, const QSizeF &area, double tileAspect, double gap)
{
    WallGrid best;
    if (count <= 0 || area.width() <= 0 || area.height() <= 0 || tileAspect <= 0)
        return best;
    int bestEmpty = 0;
    for (int columns = 1; columns <= count; ++columns) {
        const int rows = (count + columns - 1) / columns;
        const double cellW = std::max(0.0, (area.width() - gap * (columns - 1)) / columns);
        const double cellH = std::max(0.0, (area.height() - gap * (rows - 1)) / rows);
        const double w = std::min(cellW, cellH * tileAspect);
        const int empty = columns * rows - count;
        const bool larger = w > best.tileWidth + 0.5;
        const bool tie = std::abs(w - best.tileWidth) <= 0.5;
        if (best.columns == 0 || larger ||
            (tie && (empty < bestEmpty || (empty == bestEmpty && rows < best.rows)))) {
            best = {columns, rows, w, w / tileAspect};
            bestEmpty = empty;
        }
    }
    return best;
}

} // namespace vigil::models
