#pragma once

#include "ringbuffer.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <limits>

namespace vigil::models {

// Many time series sampled together on one clock: one ring of timestamps (ms since the epoch)
// shared by every series, and one ring of floats per series, all of the same capacity. A series
// that has no value in a sample stores NaN there (a gap); a series that appears later is
// back-filled with NaN. The oldest sample drops out when the capacity is reached.
//
// Memory: capacity * (8 + 4 * series) bytes, allocated when a series is created: 24 h of 1 s
// samples (86,400) for 30 series is about 11 MB. Floats keep 7 significant digits, ample for
// plotting lag, rates and counts. Lives on the UI thread.
class TimeSeriesStore
{
public:
    explicit TimeSeriesStore(int capacity);

    int capacity() const { return m_capacity; }
    int size() const { return int(m_times.size()); }
    int seriesCount() const { return int(m_series.size()); }

    // Index of the series named `key`, created on first use.
    int seriesIndex(const QString &key);
    int findSeries(const QString &key) const { return m_index.value(key, -1); }
    QString seriesKey(int series) const { return m_keys.at(series); }
    QStringList seriesKeys() const { return m_keys; }

    // Appends one sample. Timestamps must increase; one that does not (clock step backwards) is
    // placed 1 ms after the previous sample so the time axis stays monotonic.
    void append(qint64 timeMs, const QHash<int, double> &values);

    qint64 timeAt(int i) const { return m_times[std::size_t(i)]; }
    float valueAt(int series, int i) const { return m_series[std::size_t(series)][std::size_t(i)]; }
    qint64 firstTime() const { return m_times.empty() ? 0 : m_times.front(); }
    qint64 lastTime() const { return m_times.empty() ? 0 : m_times.back(); }

    // The rings themselves, for hot loops (downsampling).
    const RingBuffer<qint64> &timeRing() const { return m_times; }
    const RingBuffer<float> &valueRing(int series) const { return m_series[std::size_t(series)]; }

    // First sample index with time >= t (binary search); size() if none.
    int lowerBound(qint64 timeMs) const;

    // Bytes held by the rings (for the status of the bench and the About box).
    std::size_t memoryBytes() const;

private:
    int m_capacity;
    RingBuffer<qint64> m_times;
    std::vector<RingBuffer<float>> m_series;
    QStringList m_keys;
    QHash<QString, int> m_index;
};

} // namespace vigil::models
