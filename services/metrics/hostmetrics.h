#pragma once

#include "services/metrics/prometheustypes.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::services {

class PrometheusClient;

// One member's host as node_exporter sees it, read through the profile's Prometheus: what SQL
// cannot tell (the free space of the data directory's file system, CPU, memory, disk I/O).
struct HostFigures
{
    QString instance;   // node_exporter's instance label, "db1:9100"
    QString mountPoint; // the file system holding the data directory ("/", "/var/lib/postgresql")
    std::optional<qint64> dataFreeBytes; // node_filesystem_avail_bytes (what PostgreSQL may use)
    std::optional<qint64> dataSizeBytes; // node_filesystem_size_bytes
    std::optional<double> cpuBusy;       // fraction of all CPUs not idle, over the last minute
    std::optional<qint64> memoryTotalBytes, memoryAvailableBytes;
    std::optional<double> readBytesPerSecond, writtenBytesPerSecond; // all disks, last minute

    std::optional<double> dataFreeFraction() const;
    std::optional<double> memoryUsedFraction() const;
};

// A member whose host figures are wanted: its name, the host of its SQL address (as Patroni
// publishes it) and its data directory (from SQL; empty: not known yet).
struct HostTarget
{
    QString member;
    QString host;
    QString dataDirectory;
};

// The instant queries of one reading, with the profile's matchers (`matchers` without braces,
// may be empty). All four are asked at once; their answers go to hostFiguresFor in this order.
struct HostQueries
{
    QString filesystems, cpu, memory, io;
    static HostQueries make(const QString &matchers);
};
struct HostAnswers
{
    QList<PromSeries> filesystems, cpu, memory, io;
};

// Which node_exporter series belong to which member: a series with a label member="NAME" is
// that member's; otherwise the series whose instance's host (the part before ":port") is the
// member's host. The data volume is the file system whose mount point is the longest prefix of
// the data directory. A member matching no series (or whose data directory is on no listed
// file system) is left out, with one sentence in *unmatched saying why and what to do.
QHash<QString, HostFigures> hostFiguresFor(const QList<HostTarget> &targets,
                                           const HostAnswers &answers,
                                           QStringList *unmatched = nullptr);

// "127.0.0.1:9100" → "127.0.0.1", "[::1]:9100" → "::1", "db1" → "db1".
QString instanceHost(const QString &instance);

} // namespace vigil::services
