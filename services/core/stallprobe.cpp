#include "services/core/stallprobe.h"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::services {

StallProbe::StallProbe(int intervalMs)
    : m_intervalNs(qint64(intervalMs) * 1000000)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    m_schedstat = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

StallProbe::~StallProbe()
{
    if (m_schedstat >= 0)
        ::close(m_schedstat);
}

void StallProbe::start()
{
    m_ticks = 0;
    m_longest = {};
    m_longestOwn = {};
    m_stalls = 0;
    m_clock.start();
    m_dueNs = m_intervalNs;
    schedstat(m_cpuAtLastTick, m_waitAtLastTick);
    m_timer.start();
}

void StallProbe::resume()
{
    m_dueNs = m_clock.nsecsElapsed() + m_intervalNs;
    schedstat(m_cpuAtLastTick, m_waitAtLastTick);
    m_timer.start();
}

void StallProbe::stop()
{
    m_timer.stop();
}

void StallProbe::setStallThreshold(double ms, std::function<void(double lateMs)> onStall)
{
    m_stallNs = qint64(ms * 1e6);
    m_onStall = std::move(onStall);
}

void StallProbe::schedstat(qint64 &cpuNs, qint64 &waitNs) const
{
    // "<ns on a CPU> <ns waiting on a run queue> <time slices>"
    cpuNs = waitNs = 0;
    char buf[96] = {};
    if (m_schedstat < 0 || ::pread(m_schedstat, buf, sizeof buf - 1, 0) <= 0)
        return;
    char *end = nullptr;
    cpuNs = std::strtoll(buf, &end, 10);
    waitNs = std::strtoll(end, nullptr, 10);
}

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    qint64 cpu = 0, wait = 0;
    schedstat(cpu, wait);
    Sample s;
    s.lateNs = std::max<qint64>(0, now - m_dueNs);
    s.waitNs = std::min(s.lateNs, wait - m_waitAtLastTick);
    s.cpuNs = cpu - m_cpuAtLastTick;
    s.atNs = now;
    ++m_ticks;
    if (s.lateNs > m_longest.lateNs)
        m_longest = s;
    if (s.ownNs() > m_longestOwn.ownNs())
        m_longestOwn = s;
    // The next tick is due one interval after this one ran (a late tick does not make the next
    // ones count the same stall again).
    m_dueNs = now + m_intervalNs;
    m_waitAtLastTick = wait;
    m_cpuAtLastTick = cpu;
    if (s.lateNs > m_stallNs) {
        ++m_stalls;
        if (m_onStall)
            m_onStall(double(s.lateNs) / 1e6);
    }
}

} // namespace vigil::services
