#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>

namespace vigil::app {

// Opt-in event-loop stall probe of the UI thread, for soak runs (tests/bench/soak.sh): a precise
// 4 ms timer measures how late each of its ticks runs. Every lateness over the threshold (10 ms)
// is appended to the log file with its UTC time ("2026-12-03T17:40:01.123Z stall 23.4 ms"), and
// every report interval (10 s) one line with the longest lateness so far and the tick count
// ("... max 23.4 ms ticks 2480 stalls 1"). Each line is flushed at once, so the file can be read
// while the window runs and survives a kill.
//
// Off by default: fromEnvironment() creates one only when VIGIL_STALL_LOG=FILE is set. Lives on
// the thread it was created on (the UI thread), whose lateness it measures.
class StallProbe : public QObject
{
    Q_OBJECT
public:
    StallProbe(const QString &logFile, int thresholdMs = 10, int reportIntervalMs = 10000,
               QObject *parent = nullptr);

    // The probe VIGIL_STALL_LOG asks for, started; nullptr when the variable is unset or empty.
    // A file that cannot be opened is said on stderr, and no probe is made.
    static StallProbe *fromEnvironment(QObject *parent);

    bool isOpen() const { return m_file.isOpen(); }
    double maxLatenessMs() const { return m_maxMs; }
    qint64 ticks() const { return m_ticks; }
    qint64 stalls() const { return m_stalls; }

private:
    void tick();
    void report();
    void writeLine(const QString &text);

    QFile m_file;
    QTimer m_timer;
    QTimer m_reportTimer;
    QElapsedTimer m_clock;
    qint64 m_dueNs = 0;
    int m_thresholdMs;
    double m_maxMs = 0;
    qint64 m_ticks = 0;
    qint64 m_stalls = 0;
};

} // namespace vigil::app
