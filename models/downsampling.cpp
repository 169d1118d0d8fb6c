#include "models/downsampling.h"

#include <cmath>

namespace vigil::models {

QList<QPointF> rawPoints(const TimeSeriesStore &store, int series, qint64 fromMs, qint64 toMs)
{
    QList<QPointF> out;
    if (series < 0 || series >= store.seriesCount())
        return out;
    const int end = store.size();
    for (int i = store.lowerBound(fromMs); i < end; ++i) {
        const qint64 t = store.timeAt(i);
        if (t > toMs)
            break;
        const float v = store.valueAt(series, i);
        if (!std::isnan(v))
            out.append(QPointF(double(t), double(v)));
    }
    return out;
}

QList<QPointF> minMaxDownsample(const TimeSeriesStore &store, int series, qint64 fromMs,
                                qint64 toMs, int buckets)
{
    QList<QPointF> out;
    if (series < 0 || series >= store.seriesCount() || toMs <= fromMs || buckets < 1)
        return out;
    const int begin = store.lowerBound(fromMs);
    const int end = store.lowerBound(toMs + 1);
    if (end - begin <= 2 * buckets)
        return rawPoints(store, series, fromMs, toMs);

    out.reserve(2 * buckets);
    const double span = double(toMs - fromMs);
    int bucket = -1;
    int minI = -1, maxI = -1;
    float minV = 0, maxV = 0;
    auto flush = [&] {
        if (minI < 0)
            return;
        const int a = qMin(minI, maxI), b = qMax(minI, maxI);
        out.append(QPointF(double(store.timeAt(a)), double(store.valueAt(series, a))));
        if (b != a)
            out.append(QPointF(double(store.timeAt(b)), double(store.valueAt(series, b))));
        minI = maxI = -1;
    };
    for (int i = begin; i < end; ++i) {
        const float v = store.valueAt(series, i);
        if (std::isnan(v))
            continue;
        const int b = qMin(buckets - 1, int(double(store.timeAt(i) - fromMs) / span * buckets));
        if (b != bucket) {
            flush();
            bucket = b;
        }
        if (minI < 0 || v < minV) {
            minV = v;
            minI = i;
        }
        if (maxI < 0 || v > maxV) {
            maxV = v;
            maxI = i;
        }
    }
    flush();
    return out;
}

QList<QPointF> lttbDownsample(const QList<QPointF> &points, int threshold)
{
    const int n = int(points.size());
    if (threshold >= n || threshold < 3)
        return points;
    QList<QPointF> out;
    out.reserve(threshold);
    const double every = double(n - 2) / (threshold - 2);
    int a = 0;
    out.append(points.first());
    for (int i = 0; i < threshold - 2; ++i) {
        // Average of the next bucket: the third corner of the triangle.
        int avgStart = int(std::floor((i + 1) * every)) + 1;
        int avgEnd = qMin(int(std::floor((i + 2) * every)) + 1, n);
        double avgX = 0, avgY = 0;
        const int avgLen = qMax(1, avgEnd - avgStart);
        for (int j = avgStart; j < avgEnd; ++j) {
            avgX += points[j].x();
            avgY += points[j].y();
        }
        avgX /= avgLen;
        avgY /= avgLen;
        if (avgEnd <= avgStart) {
            avgX = points[n - 1].x();
            avgY = points[n - 1].y();
        }
        // This bucket: pick the point with the largest triangle (a, point, average).
        const int start = int(std::floor(i * every)) + 1;
        const int end = qMin(int(std::floor((i + 1) * every)) + 1, n - 1);
        const QPointF pa = points[a];
        double best = -1;
        int bestJ = start;
        for (int j = start; j < end; ++j) {
            const double area = std::abs((pa.x() - avgX) * (points[j].y() - pa.y()) -
                                         (pa.x() - points[j].x()) * (avgY - pa.y()));
            if (area > best) {
                best = area;
                bestJ = j;
            }
        }
        out.append(points[bestJ]);
        a = bestJ;
    }
    out.append(points.last());
    return out;
}

} // namespace vigil::models
