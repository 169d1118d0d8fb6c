#pragma once

#include "services/core/stallprobe.h"

#include <QFile>
#include <QObject>
#include <QTimer>

namespace vigil::app {

// Opt-in stall log of the UI thread, for soak runs (tests/bench/soak.sh): the event-loop stall
// probe (services::StallProbe, a precise 4 ms timer) measures how late each of its ticks runs.
// Every lateness over the threshold (10 ms) is appended to the log file with its UTC time
// ("2026-12-03T17:40:01.123Z stall 23.4 ms"), and every report interval (10 s) one line with the
// longest lateness so far and the tick count ("... max 23.4 ms ticks 2480 stalls 1"). Each line
// is flushed at once, so the file can be read while the window runs and survives a kill.
//
// Off by default: fromEnvironment() creates one only when VIGIL_STALL_LOG=FILE is set. Lives on
// the thread it was created on (the UI thread), whose lateness it measures.
class StallLog : public QObject
{
    Q_OBJECT
public:
    StallLog(const QString &logFile, int thresholdMs = 10, int reportIntervalMs = 10000,
             QObject *parent = nullptr);

    // The log VIGIL_STALL_LOG asks for, started; nullptr when the variable is unset or empty.
    // A file that cannot be opened is said on stderr, and no log is made.
    static StallLog *fromEnvironment(QObject *parent);

    bool isOpen() const { return m_file.isOpen(); }
    double maxLatenessMs() const { return m_probe.longestMs(); }
    qint64 ticks() const { return m_probe.ticks(); }
    qint64 stalls() const { return m_probe.stalls(); }

private:
    void report();
    void writeLine(const QString &text);

    QFile m_file;
    services::StallProbe m_probe;
    QTimer m_reportTimer;
};

} // namespace vigil::app
