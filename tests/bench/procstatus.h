#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>

namespace vigil::bench {

// A "Name:   1234 kB" field of /proc/self/status in KiB (VmRSS:, VmHWM:, ...), -1 when absent.
inline long statusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toLong();
    return -1;
}

} // namespace vigil::bench
