#include "support/stallprobe.h"

#include <algorithm>

namespace vigil::test {

StallProbe::StallProbe(int intervalMs)
    : m_intervalNs(qint64(intervalMs) * 1000000)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
}

void StallProbe::start()
{
    m_ticks = 0;
    m_longestNs = 0;
    m_longestAtNs = -1;
    m_latenessNs.clear();
    m_clock.start();
    m_dueNs = m_intervalNs;
    m_timer.start();
}

void StallProbe::stop()
{
    m_timer.stop();
}

int StallProbe::stallsOver(double ms) const
{
    const qint64 bound = qint64(ms * 1e6);
    return int(std::count_if(m_latenessNs.begin(), m_latenessNs.end(),
                             [bound](qint64 late) { return late > bound; }));
}

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 late = std::max<qint64>(0, now - m_dueNs);
    ++m_ticks;
    m_latenessNs.append(late);
    if (late > m_longestNs) {
        m_longestNs = late;
        m_longestAtNs = now;
    }
    // The next tick is due one interval after this one ran (a late tick does not make the next
    // ones count the same stall again).
    m_dueNs = now + m_intervalNs;
}

} // namespace vigil::test
