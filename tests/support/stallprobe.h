#pragma once

#include <QElapsedTimer>
#include <QTimer>

namespace vigil::test {

// Measures how long the thread's event loop was kept from running: a precise timer ticks every
// intervalMs, and each tick's lateness (how much later than due it ran) is one sample, as
// tests/bench/bench_gui.cpp measures the UI thread. The longest lateness is the thread's longest
// stall while the probe ran: a slot, paint or network handler that held the loop that long.
//
// Lives on (and measures) the thread that creates it; the loop must be running (exec() or
// waitUntil()) for ticks to come. Work the test itself does on that thread between waits (a
// blocking QProcess::waitForFinished, say) counts too, so the harness must not block.
class StallProbe
{
public:
    explicit StallProbe(int intervalMs = 4);

    void start(); // forgets earlier samples
    void stop();
    bool running() const { return m_timer.isActive(); }

    double longestMs() const { return m_longestNs / 1e6; }
    // Seconds after start() at which the longest stall ended (-1 before any sample).
    double longestAtSeconds() const { return m_longestAtNs < 0 ? -1 : m_longestAtNs / 1e9; }
    qint64 ticks() const { return m_ticks; }
    // Samples later than `ms` (counted since start()).
    int stallsOver(double ms) const;

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_intervalNs;
    qint64 m_dueNs = 0;
    qint64 m_ticks = 0;
    qint64 m_longestNs = 0;
    qint64 m_longestAtNs = -1;
    QList<qint64> m_latenessNs; // every sample, for stallsOver()
};

} // namespace vigil::test
