#pragma once

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <functional>
#include <string>

namespace vigil::test {

// Undoes what a test broke when the test ends, however it ends (a failed ASSERT included).
struct Cleanup
{
    std::function<void()> undo;
    ~Cleanup()
    {
        if (undo)
            undo();
    }
};

// What a child process (vigil, sandbox.sh) did.
struct ProcessRun
{
    int exitCode = -1; // -2 when it crashed, -1 when it did not finish in time
    qint64 ms = 0;
    QString out, err;
    QJsonObject json; // stdout as JSON, when it is
};

// "exit N after M ms", stdout and stderr: for a failed assertion's message.
std::string show(const ProcessRun &r);

// Runs `program` while the event loop turns (waitUntil), so the UI thread a test measures is not
// held by the harness; killed after `timeoutMs` (err says so).
//
// Starting it still holds the calling thread: Qt 6 starts a child with clone(CLONE_VM |
// CLONE_VFORK) (strace of QProcess::start, Qt 6.4.2), so the parent sleeps until the child has
// exec'd, and on a loaded machine the child first waits for a CPU (19-120 ms seen in the fault
// drills at load 34, blocked off-CPU). A test that measures the loop (a StallProbe) sets a start
// guard, called with true before QProcess::start and false after it, to leave that out.
ProcessRun runInLoop(const QString &program, const QStringList &args, int timeoutMs,
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
void setProcessStartGuard(std::function<void(bool starting)> guard); // empty: none

} // namespace vigil::test
