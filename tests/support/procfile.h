#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QThread>

namespace vigil::test {

// /proc/PID/NAME ("cmdline", "environ"); empty when the process is gone.
inline QByteArray procFile(qint64 pid, const char *name)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The same, for a process QProcess has just reported started: QProcess learns that the exec
// succeeded when the kernel closes its close-on-exec pipe, which happens before the new image's
// argument and environment pages are set up, so for a moment both read empty (seen: State R,
// Name pg_dump, cmdline ""). The same window opens again when pg_wrapper execs the versioned
// binary. Tries for up to 0.5 s.
inline QByteArray execedFile(qint64 pid, const char *name)
{
    QByteArray text;
    for (int i = 0; i < 100 && text.isEmpty(); ++i) {
        text = procFile(pid, name);
        if (text.isEmpty())
            QThread::msleep(5);
    }
    return text;
}

} // namespace vigil::test
