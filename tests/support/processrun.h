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
ProcessRun runInLoop(const QString &program, const QStringList &args, int timeoutMs,
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

} // namespace vigil::test
