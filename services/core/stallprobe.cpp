#include "services/core/stallprobe.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::services {

namespace {
// The witness sleeps this long at a time; a wake later than kFreezeNs past that, not spent
// waiting for a CPU, is a freeze. Timer slack and a busy machine's wake-up latency stay below.
constexpr qint64 kWitnessSleepNs = 1'000'000;
constexpr qint64 kFreezeNs = 10'000'000;
constexpr std::size_t kMaxFreezes = 4096; // a freeze every tick for 16 s between settles
} // namespace

StallProbe::StallProbe(int intervalMs)
    : m_intervalNs(qint64(intervalMs) * 1000000)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    m_schedstat = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    const int fd = ::open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (::read(fd, m_processName, sizeof m_processName - 1) < 0)
            m_processName[0] = '\0';
        ::close(fd);
    }
}

StallProbe::~StallProbe()
{
    stopWitness();
    closePoolThreads();
    if (m_schedstat >= 0)
        ::close(m_schedstat);
}

void StallProbe::start()
{
    stopWitness();
    m_ticks = 0;
    m_longest = {};
    m_longestOwn = {};
    m_hasPending = false;
    m_stalls = 0;
    m_longestFreezeNs = 0;
    m_longestHelperWaitNs = 0;
    m_freezes.clear();
    m_clock.start();
    m_dueNs = m_intervalNs;
    schedstat(m_schedstat, m_cpuAtLastTick, m_waitAtLastTick);
    poolThreadsWait(true);
    startWitness();
    m_timer.start();
}

void StallProbe::pause()
{
    m_timer.stop();
    settle();
    stopWitness();
}

void StallProbe::resume()
{
    startWitness();
    poolThreadsWait(true);
    m_dueNs = m_clock.nsecsElapsed() + m_intervalNs;
    schedstat(m_schedstat, m_cpuAtLastTick, m_waitAtLastTick);
    m_timer.start();
}

void StallProbe::stop()
{
    m_timer.stop();
    settle();
    stopWitness();
}

void StallProbe::setStallThreshold(double ms, std::function<void(double lateMs)> onStall)
{
    m_stallNs = qint64(ms * 1e6);
    m_onStall = std::move(onStall);
}

double StallProbe::longestFreezeMs() const
{
    std::lock_guard<std::mutex> lock(m_freezeMutex);
    return m_longestFreezeNs / 1e6;
}

void StallProbe::schedstat(int fd, qint64 &cpuNs, qint64 &waitNs)
{
    // "<ns on a CPU> <ns waiting on a run queue> <time slices>"
    cpuNs = waitNs = 0;
    char buf[96] = {};
    if (fd < 0 || ::pread(fd, buf, sizeof buf - 1, 0) <= 0)
        return;
    char *end = nullptr;
    cpuNs = std::strtoll(buf, &end, 10);
    waitNs = std::strtoll(end, nullptr, 10);
}

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    qint64 cpu = 0, wait = 0;
    schedstat(m_schedstat, cpu, wait);
    // The tick before is weighed now: by this time the witness has woken from any freeze that
    // stopped both threads, and said so.
    settle();
    Sample s;
    s.lateNs = std::max<qint64>(0, now - m_dueNs);
    s.waitNs = std::min(s.lateNs, wait - m_waitAtLastTick);
    s.cpuNs = cpu - m_cpuAtLastTick;
    s.poolWaitNs = poolThreadsWait(false);
    s.dueNs = m_dueNs;
    s.atNs = now;
    m_pending = s;
    m_hasPending = true;
    ++m_ticks;
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

void StallProbe::settle()
{
    if (!m_hasPending)
        return;
    m_hasPending = false;
    Sample s = m_pending;
    s.frozenNs = std::min(s.lateNs - s.waitNs, frozenWithin(s.dueNs, s.atNs));
    // Blocked: neither on a CPU nor queued for one (the CPU time since the tick before may
    // include the interval before the tick was due, so this errs low).
    const qint64 blocked = std::max<qint64>(0, s.lateNs - s.waitNs - s.frozenNs - s.cpuNs);
    s.helperWaitNs = std::min(blocked, s.poolWaitNs);
    m_longestHelperWaitNs = std::max(m_longestHelperWaitNs, s.helperWaitNs);
    if (s.lateNs > m_longest.lateNs)
        m_longest = s;
    if (s.ownNs() > m_longestOwn.ownNs())
        m_longestOwn = s;
}

qint64 StallProbe::poolThreadsWait(bool baseline)
{
    if (m_schedstat < 0)
        return 0; // no scheduler statistics: no witness either, stalls count whole
    DIR *dir = ::opendir("/proc/self/task");
    if (!dir)
        return 0;
    std::set<int> alive;
    qint64 total = 0;
    while (const dirent *entry = ::readdir(dir)) {
        const int tid = std::atoi(entry->d_name);
        if (tid <= 0)
            continue;
        alive.insert(tid);
        auto it = m_poolThreads.find(tid);
        if (it == m_poolThreads.end()) {
            if (m_otherThreads.count(tid))
                continue;
            char path[64];
            std::snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
            char name[32] = {};
            const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
            const ssize_t n = fd < 0 ? -1 : ::read(fd, name, sizeof name - 1);
            if (fd >= 0)
                ::close(fd);
            if (n <= 0)
                continue;
            if (std::strncmp(name, "Thread (pooled)", 15) != 0) {
                // A thread just made carries its creator's name until it names itself: one
                // with the process's name is read again at the next tick.
                if (std::strcmp(name, m_processName) != 0)
                    m_otherThreads.insert(tid);
                continue;
            }
            std::snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", tid);
            PoolThread pool;
            pool.fd = ::open(path, O_RDONLY | O_CLOEXEC);
            if (pool.fd < 0)
                continue;
            it = m_poolThreads.emplace(tid, pool).first; // waitNs 0: all of its wait is new
        }
        qint64 cpu = 0, wait = 0;
        schedstat(it->second.fd, cpu, wait);
        if (!baseline)
            total += std::max<qint64>(0, wait - it->second.waitNs);
        it->second.waitNs = wait;
    }
    ::closedir(dir);
    for (auto it = m_poolThreads.begin(); it != m_poolThreads.end();) {
        if (alive.count(it->first)) {
            ++it;
            continue;
        }
        ::close(it->second.fd);
        it = m_poolThreads.erase(it);
    }
    for (auto it = m_otherThreads.begin(); it != m_otherThreads.end();)
        it = alive.count(*it) ? std::next(it) : m_otherThreads.erase(it);
    return total;
}

void StallProbe::closePoolThreads()
{
    for (auto &entry : m_poolThreads)
        ::close(entry.second.fd);
    m_poolThreads.clear();
    m_otherThreads.clear();
}

qint64 StallProbe::frozenWithin(qint64 fromNs, qint64 toNs)
{
    std::lock_guard<std::mutex> lock(m_freezeMutex);
    qint64 frozen = 0;
    for (const Freeze &f : m_freezes)
        frozen += std::max<qint64>(0, std::min(toNs, f.toNs) - std::max(fromNs, f.fromNs));
    // Older freezes cannot overlap a later tick (ticks are weighed in order).
    m_freezes.erase(std::remove_if(m_freezes.begin(), m_freezes.end(),
                                   [toNs](const Freeze &f) { return f.toNs <= toNs; }),
                    m_freezes.end());
    return frozen;
}

void StallProbe::startWitness()
{
    if (m_witness.joinable())
        return;
    m_witnessRun = true;
    m_witness = std::thread([this] { witness(); });
}

void StallProbe::stopWitness()
{
    m_witnessRun = false;
    if (m_witness.joinable())
        m_witness.join();
}

void StallProbe::witness()
{
    // Without the kernel's scheduler statistics a late wake cannot be told from a wait for a
    // CPU, so there is no witness and stalls count whole (as the loop's do then).
    const int fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    qint64 cpu = 0, wait = 0;
    schedstat(fd, cpu, wait);
    while (m_witnessRun.load(std::memory_order_relaxed)) {
        const qint64 before = m_clock.nsecsElapsed();
        const timespec nap{0, long(kWitnessSleepNs)};
        ::clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, nullptr);
        const qint64 after = m_clock.nsecsElapsed();
        const qint64 waitBefore = wait;
        schedstat(fd, cpu, wait);
        const qint64 stopped = (after - before) - kWitnessSleepNs - (wait - waitBefore);
        if (stopped > kFreezeNs) {
            std::lock_guard<std::mutex> lock(m_freezeMutex);
            if (m_freezes.size() < kMaxFreezes)
                m_freezes.push_back({after - stopped, after});
            m_longestFreezeNs = std::max(m_longestFreezeNs, stopped);
        }
    }
    ::close(fd);
}

} // namespace vigil::services
