#include "models/timeseriesstore.h"

#include <cmath>

namespace vigil::models {

TimeSeriesStore::TimeSeriesStore(int capacity)
    : m_capacity(qMax(2, capacity))
    , m_times{std::size_t(m_capacity)}
{
}

int TimeSeriesStore::seriesIndex(const QString &key)
{
    const int existing = m_index.value(key, -1);
    if (existing >= 0)
        return existing;
    RingBuffer<float> ring{std::size_t(m_capacity)};
    for (std::size_t i = 0; i < m_times.size(); ++i)
        ring.push(std::numeric_limits<float>::quiet_NaN());
    m_series.push_back(std::move(ring));
    m_keys.append(key);
    const int index = int(m_series.size()) - 1;
    m_index.insert(key, index);
    return index;
}

void TimeSeriesStore::append(qint64 timeMs, const QHash<int, double> &values)
{
    if (!m_times.empty() && timeMs <= m_times.back())
        timeMs = m_times.back() + 1;
    m_times.push(timeMs);
    for (std::size_t s = 0; s < m_series.size(); ++s) {
        const auto it = values.constFind(int(s));
        m_series[s].push(it == values.constEnd() ? std::numeric_limits<float>::quiet_NaN()
                                                 : float(*it));
    }
}

int TimeSeriesStore::lowerBound(qint64 t) const
{
    int lo = 0, hi = size();
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (timeAt(mid) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

std::size_t TimeSeriesStore::memoryBytes() const
{
    return m_times.capacity() * sizeof(qint64) +
           m_series.size() * std::size_t(m_capacity) * sizeof(float);
}

} // namespace vigil::models
