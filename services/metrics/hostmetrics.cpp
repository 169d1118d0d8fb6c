#include "services/metrics/hostmetrics.h"

#include "services/core/error.h"

#include <cmath>

namespace vigil::services {

namespace {

const QString kMember = QStringLiteral("member");
const QString kInstance = QStringLiteral("instance");
const QString kName = QStringLiteral("__name__");

// The newest finite value of an instant query's series.
std::optional<double> lastValue(const PromSeries &s)
{
    if (s.points.isEmpty() || !std::isfinite(s.points.constLast().y()))
        return std::nullopt;
    return s.points.constLast().y();
}

std::optional<qint64> lastBytes(const PromSeries &s)
{
    const std::optional<double> v = lastValue(s);
    return v ? std::optional<qint64>(qint64(std::llround(*v))) : std::nullopt;
}

// The member's series: those labelled with its name if any series is, else those of its host.
QList<PromSeries> seriesOf(const HostTarget &t, const QList<PromSeries> &all)
{
    QList<PromSeries> byName, byHost;
    for (const PromSeries &s : all) {
        const QString member = s.labels.value(kMember);
        if (member == t.member)
            byName << s;
        else if (member.isEmpty() && !t.host.isEmpty() &&
                 instanceHost(s.labels.value(kInstance)).compare(t.host, Qt::CaseInsensitive) == 0)
            byHost << s;
    }
    return byName.isEmpty() ? byHost : byName;
}

bool mountHolds(const QString &mountPoint, const QString &path)
{
    if (mountPoint == QLatin1String("/"))
        return path.startsWith(QLatin1Char('/'));
    return path == mountPoint || path.startsWith(mountPoint + QLatin1Char('/'));
}

QString instancesSeen(const HostAnswers &a)
{
    QStringList seen;
    for (const QList<PromSeries> *list : {&a.filesystems, &a.cpu, &a.memory})
        for (const PromSeries &s : *list) {
            const QString i = s.labels.value(kInstance);
            if (!i.isEmpty() && !seen.contains(i))
                seen << i;
        }
    seen.sort();
    return seen.isEmpty() ? Tr::tr("none") : seen.join(QStringLiteral(", "));
}

// The data directory's file system among the member's filesystem series: free and size.
bool readDataVolume(const HostTarget &t, const QList<PromSeries> &filesystems, HostFigures &f)
{
    if (t.dataDirectory.isEmpty())
        return false;
    QString best;
    for (const PromSeries &s : filesystems) {
        const QString mount = s.labels.value(QStringLiteral("mountpoint"));
        if (!mount.isEmpty() && mountHolds(mount, t.dataDirectory) && mount.size() > best.size())
            best = mount;
    }
    if (best.isEmpty())
        return false;
    f.mountPoint = best;
    for (const PromSeries &s : filesystems) {
        if (s.labels.value(QStringLiteral("mountpoint")) != best)
            continue;
        const QString name = s.labels.value(kName);
        if (name == QLatin1String("node_filesystem_avail_bytes"))
            f.dataFreeBytes = lastBytes(s);
        else if (name == QLatin1String("node_filesystem_size_bytes"))
            f.dataSizeBytes = lastBytes(s);
    }
    return true;
}

} // namespace

std::optional<double> HostFigures::dataFreeFraction() const
{
    if (!dataFreeBytes || !dataSizeBytes || *dataSizeBytes <= 0)
        return std::nullopt;
    return double(*dataFreeBytes) / double(*dataSizeBytes);
}

std::optional<double> HostFigures::memoryUsedFraction() const
{
    if (!memoryTotalBytes || !memoryAvailableBytes || *memoryTotalBytes <= 0)
        return std::nullopt;
    return 1.0 - double(*memoryAvailableBytes) / double(*memoryTotalBytes);
}

QString instanceHost(const QString &instance)
{
    if (instance.startsWith(QLatin1Char('['))) {
        const int close = instance.indexOf(QLatin1Char(']'));
        return close > 0 ? instance.mid(1, close - 1) : instance;
    }
    const int colon = instance.lastIndexOf(QLatin1Char(':'));
    // A bare IPv6 address has more than one colon and no port to strip.
    if (colon < 0 || instance.indexOf(QLatin1Char(':')) != colon)
        return instance;
    return instance.left(colon);
}

HostQueries HostQueries::make(const QString &matchers)
{
    const auto sel = [&](const QString &metric, const QString &extra = {}) {
        return promSelector(metric, matchers, extra);
    };
    // Rates over two minutes: at least four scrapes at the usual 15 s (30 s) intervals.
    const auto ioRate = [&](const char *metric, const char *direction) {
        return QStringLiteral("label_replace(sum by (instance, member) (rate(%1[2m])), "
                              "\"direction\", \"%2\", \"\", \"\")")
            .arg(sel(QLatin1String(metric)), QLatin1String(direction));
    };
    HostQueries q;
    q.filesystems =
        sel(QString(),
            QStringLiteral("__name__=~\"node_filesystem_avail_bytes|node_filesystem_size_bytes\""));
    q.cpu =
        QStringLiteral("1 - avg by (instance, member) (rate(%1[2m]))")
            .arg(sel(QStringLiteral("node_cpu_seconds_total"), QStringLiteral("mode=\"idle\"")));
    q.memory = sel(
        QString(),
        QStringLiteral("__name__=~\"node_memory_MemTotal_bytes|node_memory_MemAvailable_bytes\""));
    q.io = ioRate("node_disk_read_bytes_total", "read") + QStringLiteral(" or ") +
           ioRate("node_disk_written_bytes_total", "written");
    return q;
}

QHash<QString, HostFigures> hostFiguresFor(const QList<HostTarget> &targets,
                                           const HostAnswers &answers, QStringList *unmatched)
{
    QHash<QString, HostFigures> out;
    for (const HostTarget &t : targets) {
        HostFigures f;
        const QList<PromSeries> filesystems = seriesOf(t, answers.filesystems);
        const QList<PromSeries> cpu = seriesOf(t, answers.cpu);
        const QList<PromSeries> memory = seriesOf(t, answers.memory);
        if (filesystems.isEmpty() && cpu.isEmpty() && memory.isEmpty()) {
            if (unmatched)
                *unmatched << Tr::tr("%1 (host %2): no node_exporter series has its host as "
                                     "instance or a label member=\"%1\" (instances seen: %3); "
                                     "add that label to its node_exporter target in Prometheus.")
                                  .arg(t.member, t.host.isEmpty() ? Tr::tr("unknown") : t.host,
                                       instancesSeen(answers));
            continue;
        }
        for (const QList<PromSeries> *list : {&filesystems, &cpu, &memory})
            if (!list->isEmpty() && f.instance.isEmpty())
                f.instance = list->constFirst().labels.value(kInstance);
        if (!readDataVolume(t, filesystems, f) && unmatched && !t.dataDirectory.isEmpty())
            *unmatched << Tr::tr("%1: its data directory %2 is on none of the file systems "
                                 "node_exporter lists for %3 (is its type excluded by "
                                 "--collector.filesystem.fs-types-exclude?).")
                              .arg(t.member, t.dataDirectory, f.instance);
        if (!cpu.isEmpty())
            f.cpuBusy = lastValue(cpu.constFirst());
        for (const PromSeries &s : memory) {
            if (s.labels.value(kName) == QLatin1String("node_memory_MemTotal_bytes"))
                f.memoryTotalBytes = lastBytes(s);
            else if (s.labels.value(kName) == QLatin1String("node_memory_MemAvailable_bytes"))
                f.memoryAvailableBytes = lastBytes(s);
        }
        for (const PromSeries &s : seriesOf(t, answers.io)) {
            const QString direction = s.labels.value(QStringLiteral("direction"));
            if (direction == QLatin1String("read"))
                f.readBytesPerSecond = lastValue(s);
            else if (direction == QLatin1String("written"))
                f.writtenBytesPerSecond = lastValue(s);
        }
        out.insert(t.member, f);
    }
    return out;
}

} // namespace vigil::services
