#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace vigil::services {

// Measures how long the thread's event loop was kept from running: a precise timer ticks every
// intervalMs, and each tick's lateness (how much later than due it ran) is one sample, as
// tests/bench/bench_gui.cpp measures the UI thread. The one stall probe: the fault drills hold
// the UI thread to its budget with it, and the GUI's opt-in soak log (app::StallLog,
// VIGIL_STALL_LOG) writes every stall over its threshold. Qt Core only, so it lives in services
// and both can link it; it keeps no per-tick history (a soak runs for hours). The longest lateness
// is the thread's longest stall while the probe ran: a slot, paint or network handler that held the
// loop that long.
//
// On a shared machine part of a stall can be the kernel's: the thread was ready to run but had
// no CPU (other processes' builds). Each tick also reads the thread's scheduler statistics
// (/proc/thread-self/schedstat: time on a CPU, time waiting for one), so every stall is split
// into the time the thread ran or blocked (Vigil's) and the time it waited for a CPU (the
// machine's). Where the kernel keeps no such statistics both read 0 and stalls count whole.
//
// A stall can also be a wait for a CPU at one remove: Qt's raster engine hands every fill of 96
// rows or more to the threads of its global pool and blocks the loop until they are done
// (QT_THREAD_PARALLEL_FILLS in Qt 6.4's qdrawhelper.cpp), and QThreadPool::start takes a mutex
// its threads hold in between tasks. When those threads wait for a CPU the loop is blocked
// meanwhile, neither running nor queued (perf sched on the fault drills: the UI thread asleep
// 53 ms in the raster engine's QSemaphore while the pool's threads waited 58 ms for a CPU). So
// each tick also sums the run-queue wait of the process's pool threads ("Thread (pooled)", the
// name QThreadPool gives the threads of a pool without an object name: Vigil leaves its own
// pools unnamed, services/core/backgroundpool.h), and of a stall's blocked time (neither on a CPU
// nor queued) up to that much counts as waiting for a CPU too. The credit is an upper bound of what
// the loop waited for them (a pool thread may wait for a CPU while the loop is blocked on something
// else), so it is reported apart (longestOwnHelperWaitMs): each fault drill prints it.
//
// A virtual machine can also be stopped whole by its host (seen on CI's 2-core VM while builds
// ran beside the tests: a 1 ms sleep of the UI thread returned after 95 ms, the thread neither on
// a CPU nor queued for one). The guest's scheduler sees none of that, so a second thread, the
// witness, does nothing but sleep 1 ms at a time: when it too wakes far too late without having
// waited for a CPU, the whole process was stopped, and that stretch (overlapping the loop's
// stall) is counted apart as frozen, not as the loop's own. A loop held by its own work leaves
// the witness on time, so it still counts whole.
//
// Lives on (and measures) the thread that creates it; the loop must be running (exec() or a
// test's waitUntil()) for ticks to come. Work a test does on that thread between waits (a
// blocking QProcess::waitForFinished, say) counts too, so a harness must not block.
class StallProbe
{
public:
    explicit StallProbe(int intervalMs = 4);
    ~StallProbe();
    StallProbe(const StallProbe &) = delete;
    StallProbe &operator=(const StallProbe &) = delete;

    void start(); // forgets earlier samples
    void stop();
    // Leaves out a stretch that is the harness's, not the watched code's (a test opening a second
    // window): no samples while paused; resume() keeps the earlier ones.
    void pause();
    void resume();
    bool running() const { return m_timer.isActive(); }

    // The longest lateness, whole.
    double longestMs() const { return m_longest.lateNs / 1e6; }
    // Of that stall: the time the thread waited for a CPU (ready, not running).
    double longestCpuWaitMs() const { return m_longest.waitNs / 1e6; }
    // The longest stall less the time the thread waited for a CPU in it: what the loop itself
    // was held by (a handler running, or blocking in a system call).
    double longestOwnMs() const { return m_longestOwn.ownNs() / 1e6; }
    double longestOwnAtSeconds() const
    {
        return m_longestOwn.atNs < 0 ? -1 : m_longestOwn.atNs / 1e9;
    }
    // Of the longest held stall: the time the thread ran on a CPU (the rest it was blocked, in
    // a system call, a page fault or a lock).
    double longestOwnOnCpuMs() const { return m_longestOwn.cpuNs / 1e6; }
    // Of the longest held stall: the blocked time left out of it as the pool threads' wait for
    // a CPU (see above); longestOwnMs() plus this is the stall before that credit.
    double longestOwnHelperWaitMs() const { return m_longestOwn.helperWaitNs / 1e6; }
    // The most blocked time any one stall had left out so.
    double longestHelperWaitMs() const { return m_longestHelperWaitNs / 1e6; }
    // Of the longest stall: the time the whole process was stopped (the witness thread, asleep,
    // woke as late), neither the loop's nor a wait for a CPU.
    double longestFrozenMs() const { return m_longest.frozenNs / 1e6; }
    // The longest stretch the whole process was stopped while the probe ran (the witness's).
    double longestFreezeMs() const;
    double secondsSinceStart() const { return m_clock.nsecsElapsed() / 1e9; }
    // Seconds after start() at which the longest (whole) stall ended (-1 before any sample).
    double longestAtSeconds() const { return m_longest.atNs < 0 ? -1 : m_longest.atNs / 1e9; }
    qint64 ticks() const { return m_ticks; }
    // Ticks later than the stall threshold (counted since start()); `onStall` (may be empty) is
    // called with each one's lateness in ms, on the probe's thread.
    void setStallThreshold(double ms, std::function<void(double lateMs)> onStall = {});
    qint64 stalls() const { return m_stalls; }

private:
    struct Sample
    {
        qint64 lateNs = 0;
        qint64 waitNs = 0;       // of lateNs, waiting for a CPU
        qint64 frozenNs = 0;     // of lateNs, the whole process stopped (the witness's account)
        qint64 cpuNs = 0;        // on a CPU since the tick before (the rest of ownNs: blocked)
        qint64 poolWaitNs = 0;   // the pool threads' run-queue wait since the tick before
        qint64 helperWaitNs = 0; // of lateNs, blocked while they waited (at most poolWaitNs)
        qint64 atNs = -1;
        qint64 dueNs = 0; // the tick was due at dueNs and ran at atNs (m_clock's time)
        qint64 ownNs() const
        {
            return std::max<qint64>(0, lateNs - waitNs - frozenNs - helperWaitNs);
        }
    };
    // A stretch in which the witness was stopped, in m_clock's time.
    struct Freeze
    {
        qint64 fromNs = 0;
        qint64 toNs = 0;
    };
    void tick();
    // Weighs the pending tick (one tick later, when the witness has woken too) and counts it.
    void settle();
    void startWitness();
    void stopWitness();
    void witness();
    qint64 frozenWithin(qint64 fromNs, qint64 toNs);
    // A thread's cumulative time on a CPU and waiting on a run queue, from its open
    // /proc/thread-self/schedstat (0 and 0 where there is none).
    static void schedstat(int fd, qint64 &cpuNs, qint64 &waitNs);
    // The pool threads' run-queue wait since the last call (threads found since then count from
    // their start); `baseline` only notes where each stands (start, resume).
    qint64 poolThreadsWait(bool baseline);
    void closePoolThreads();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_intervalNs;
    qint64 m_dueNs = 0;
    qint64 m_waitAtLastTick = 0;
    qint64 m_cpuAtLastTick = 0;
    qint64 m_ticks = 0;
    int m_schedstat = -1; // fd of /proc/thread-self/schedstat
    Sample m_longest, m_longestOwn;
    qint64 m_stallNs = 50'000'000;
    qint64 m_stalls = 0;
    std::function<void(double)> m_onStall;
    Sample m_pending;
    bool m_hasPending = false;

    struct PoolThread
    {
        int fd = -1;       // its /proc/self/task/TID/schedstat
        qint64 waitNs = 0; // its run-queue wait at the last call
    };
    std::map<int, PoolThread> m_poolThreads; // by thread id
    std::set<int> m_otherThreads;            // named otherwise, not read again
    char m_processName[32] = {};             // /proc/self/comm, with its newline
    qint64 m_longestHelperWaitNs = 0;

    std::thread m_witness;
    std::atomic<bool> m_witnessRun{false};
    mutable std::mutex m_freezeMutex;
    std::vector<Freeze> m_freezes; // since the last settle(); the witness appends
    qint64 m_longestFreezeNs = 0;  // guarded by m_freezeMutex
};

} // namespace vigil::services
