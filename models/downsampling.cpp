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

    // The hot loop of a 24 h window (86,400 samples per series): raw ring storage walked with a
    // wrap instead of a modulo, bucket boundaries compared as integers.
    const RingBuffer<qint64> &times = store.timeRing();
    const RingBuffer<float> &values = store.valueRing(series);
    const qint64 *t = times.data();
    const float *v = values.data();
    std::size_t pt = times.physical(std::size_t(begin));
    std::size_t pv = values.physical(std::size_t(begin));
    const double span = double(toMs - fromMs);
    auto boundary = [&](int b) {
        return fromMs + qint64(span * b / buckets);
    };

    out.reserve(2 * buckets);
    int bucket = 0;
    qint64 next = boundary(1);
    qint64 minT = 0, maxT = 0;
    float minV = 0, maxV = 0;
    bool any = false;
    auto flush = [&] {
        if (!any)
            return;
        if (minT <= maxT) {
            out.append(QPointF(double(minT), double(minV)));
            if (maxT != minT)
                out.append(QPointF(double(maxT), double(maxV)));
        } else {
            out.append(QPointF(double(maxT), double(maxV)));
            out.append(QPointF(double(minT), double(minV)));
        }
        any = false;
    };
    for (int i = begin; i < end; ++i, pt = times.wrap(pt), pv = values.wrap(pv)) {
        const qint64 time = t[pt];
        if (time >= next && bucket < buckets - 1) {
            flush();
            while (time >= next && bucket < buckets - 1)
                next = boundary(++bucket + 1);
        }
        const float value = v[pv];
        if (std::isnan(value))
            continue;
        if (!any) {
            minV = maxV = value;
            minT = maxT = time;
            any = true;
            continue;
        }
        if (value < minV) {
            minV = value;
            minT = time;
        }
        if (value > maxV) {
            maxV = value;
            maxT = time;
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
