#include "support/processrun.h"

#include "support/eventloop.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>

namespace vigil::test {

namespace {
std::function<void(bool)> &startGuard()
{
    static std::function<void(bool)> guard;
    return guard;
}
} // namespace

void setProcessStartGuard(std::function<void(bool starting)> guard)
{
    startGuard() = std::move(guard);
}

std::string show(const ProcessRun &r)
{
    return "exit " + std::to_string(r.exitCode) + " after " + std::to_string(r.ms) +
           " ms\nstdout:\n" + r.out.toStdString() + "\nstderr:\n" + r.err.toStdString();
}

ProcessRun runInLoop(const QString &program, const QStringList &args, int timeoutMs,
                     const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    ProcessRun r;
    QElapsedTimer t;
    t.start();
    if (startGuard())
        startGuard()(true);
    p.start(program, args);
    if (startGuard())
        startGuard()(false);
    p.closeWriteChannel();
    if (!waitUntil([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.err = QStringLiteral("did not finish within %1 ms").arg(timeoutMs);
        return r;
    }
    r.ms = t.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    return r;
}

} // namespace vigil::test
