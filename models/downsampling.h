#pragma once

#include "timeseriesstore.h"

#include <QList>
#include <QPointF>

// Reducing a series to about as many points as the plot has pixels, so drawing cost does not grow
// with the time window. x of every point is the time in ms since the epoch, y the value.
namespace vigil::models {

// Min/max per bucket: [fromMs, toMs] is cut into `buckets` equal slices and each slice that has
// values contributes its minimum and maximum, in time order (one point when they coincide).
// Spikes survive at any zoom, which matters for lag. NaN values (gaps) are skipped.
// At most 2 * buckets points; all points when the window holds no more than that.
QList<QPointF> minMaxDownsample(const TimeSeriesStore &store, int series, qint64 fromMs,
                                qint64 toMs, int buckets);

// Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last points and, per
// bucket, the point forming the largest triangle with its neighbours' selections. Visually
// faithful for smooth series; returns `points` unchanged when threshold >= size or < 3.
QList<QPointF> lttbDownsample(const QList<QPointF> &points, int threshold);

// The raw points of a series in a window (NaN skipped), for LTTB or export.
QList<QPointF> rawPoints(const TimeSeriesStore &store, int series, qint64 fromMs, qint64 toMs);

} // namespace vigil::models
