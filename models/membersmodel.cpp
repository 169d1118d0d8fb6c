#include "models/membersmodel.h"

#include "models/formatting.h"
#include "models/health.h"

#include <QFont>
#include <QLocale>

namespace vigil::models {

QString roleText(services::PatroniRole role)
{
    switch (role) {
    case services::PatroniRole::Leader:
        return MembersModel::tr("Leader");
    case services::PatroniRole::StandbyLeader:
        return MembersModel::tr("Standby Leader");
    case services::PatroniRole::SyncStandby:
        return MembersModel::tr("Sync Standby");
    case services::PatroniRole::Replica:
        return MembersModel::tr("Replica");
    case services::PatroniRole::Unknown:
        break;
    }
    return MembersModel::tr("Unknown");
}

bool tagIsSet(const QVariantMap &tags, const QString &name)
{
    const QVariant v = tags.value(name);
    if (!v.isValid())
        return false;
    const QString s = v.toString().toLower();
    return v.toBool() || s == QLatin1String("true") || s == QLatin1String("on") ||
           s == QLatin1String("yes");
}

QString tagsText(const QVariantMap &tags)
{
    QStringList parts;
    for (auto it = tags.begin(); it != tags.end(); ++it) {
        const QVariant &v = it.value();
        if (v.typeId() == QMetaType::Bool)
            parts << (v.toBool() ? it.key() : it.key() + QStringLiteral("=false"));
        else
            parts << QStringLiteral("%1=%2").arg(it.key(), v.toString());
    }
    return parts.join(QStringLiteral(", "));
}

MembersModel::MembersModel(QObject *parent)
    // Two-line headers where the words are longer than the cells usually are: the table then
    // fits beside the topology at the default window size (tags included).
    : CellTableModel({tr("Member"), tr("Host"), tr("Role"), tr("State"), tr("TL"), tr("Lag"),
                      tr("Replay\ndelay"), tr("Disk\nfree"), tr("CPU"), tr("Memory"),
                      tr("Disk I/O\nread · write"), tr("REST API"), tr("SQL"),
                      tr("Pending\nrestart"), tr("Scheduled\nrestart"), tr("Tags")},
                     parent)
{
    setHeaderToolTips({tr("Patroni member name"), tr("PostgreSQL host and port"),
                       tr("Role in the cluster, as patronictl shows it"),
                       tr("Patroni's state of the member"), tr("PostgreSQL timeline"),
                       tr("How far behind the leader's WAL position the member is, as Patroni "
                          "reports it"),
                       tr("Replay lag in time, as the leader sees it (pg_stat_replication)"),
                       tr("Free space of the file system holding the data directory, from "
                          "node_exporter (the profile's Prometheus)"),
                       tr("CPU busy on the member's host over the last two minutes, from "
                          "node_exporter"),
                       tr("Memory in use on the member's host (total minus available), from "
                          "node_exporter"),
                       tr("Bytes read and written per second by the host's disks over the last "
                          "two minutes, from node_exporter"),
                       tr("Whether Vigil reaches the member's Patroni REST API"),
                       tr("Whether Vigil reaches the member's PostgreSQL over SQL"),
                       tr("A setting changed that takes effect only after a restart"),
                       tr("A restart scheduled through Patroni"), tr("Patroni tags")});
}

void MembersModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<Row> rows;
    if (!snapshot) {
        setRows(rows);
        return;
    }
    for (const services::MemberSnapshot &m : snapshot->members)
        rows.append(memberRow(m, *snapshot));
    setRows(std::move(rows));
}

bool MembersModel::hasHostFigures(const services::ClusterSnapshot &snapshot)
{
    return std::any_of(snapshot.members.cbegin(), snapshot.members.cend(),
                       [](const services::MemberSnapshot &m) { return m.hostFigures.has_value(); });
}

MembersModel::Row MembersModel::memberRow(const services::MemberSnapshot &m,
                                          const services::ClusterSnapshot &s)
{
    Row row;
    row.key = m.name;
    row.cells.resize(ColumnCount);
    row.cells[Member] = nameCell(m);
    row.cells[Host] = text(m.port > 0 ? QStringLiteral("%1:%2").arg(m.host).arg(m.port) : m.host);
    Cell role = text(roleText(m.role), int(m.isLeader()                                   ? 0
                                           : m.role == services::PatroniRole::SyncStandby ? 1
                                                                                          : 2));
    row.cells[Role] = role;

    const Health stateHealth = memberStateHealth(m.state);
    Cell state = text(m.state.isEmpty() ? tr("unknown") : m.state);
    if (stateHealth != Health::Ok)
        state.insert(Qt::ForegroundRole, healthColor(stateHealth));
    state.insert(SeverityRole, healthRank(stateHealth));
    row.cells[State] = state;

    Cell tl = text(m.timeline ? QString::number(*m.timeline) : QString(),
                   m.timeline ? QVariant(*m.timeline) : QVariant(-1));
    tl.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    row.cells[Timeline] = tl;

    row.cells[Lag] = lagCell(m);
    Cell delay = text(m.isLeader() ? QString() : formatSeconds(m.replayLagSeconds),
                      m.replayLagSeconds ? QVariant(*m.replayLagSeconds) : QVariant(-1.0));
    delay.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    row.cells[ReplayDelay] = delay;

    hostCells(m, s, row);
    row.cells[PendingRestart] = pendingRestartCell(m);
    row.cells[ScheduledRestart] =
        text(m.scheduledRestart
                 ? QLocale().toString(m.scheduledRestart->toLocalTime(), QLocale::ShortFormat)
                 : QString(),
             m.scheduledRestart ? QVariant(*m.scheduledRestart) : QVariant());
    row.cells[Tags] = text(tagsText(m.tags));
    row.cells[Rest] = channelCell(m.rest);
    row.cells[Sql] = channelCell(m.sql);
    return row;
}

// The host figures, right-aligned, sorted by value; the free space coloured as the disk rule
// judged it (its finding for this member), with the file system and the source in the tooltip.
void MembersModel::hostCells(const services::MemberSnapshot &m, const services::ClusterSnapshot &s,
                             Row &row)
{
    const auto right = [](Cell c) {
        c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        return c;
    };
    const auto percent = [](std::optional<double> f) {
        return f ? tr("%1 %").arg(QString::number(*f * 100, 'f', 0)) : QString();
    };
    const std::optional<services::HostFigures> &h = m.hostFigures;
    if (!h) {
        for (int c : {DataFree, Cpu, Memory, DiskIo})
            row.cells[c] = text(QString(), -1.0);
        return;
    }
    const std::optional<double> free = h->dataFreeFraction();
    Cell disk = right(
        text(free ? tr("%1 (%2)").arg(formatBytes(*h->dataFreeBytes), percent(free)) : QString(),
             free ? QVariant(*free) : QVariant(-1.0),
             free ? tr("%1 free of %2 on %3 (node_exporter %4, %5)")
                        .arg(formatBytes(*h->dataFreeBytes), formatBytes(*h->dataSizeBytes),
                             h->mountPoint, h->instance, s.hosts.source)
                  : tr("The data directory's file system is not among node_exporter's on "
                       "%1.")
                        .arg(h->instance)));
    for (const services::Finding &f : s.findings)
        if (f.code == services::Finding::Code::DiskSpace && f.member == m.name)
            disk.insert(Qt::ForegroundRole, healthColor(fromSeverity(f.severity)));
    row.cells[DataFree] = disk;
    row.cells[Cpu] = right(text(percent(h->cpuBusy), h->cpuBusy.value_or(-1.0)));
    const std::optional<double> used = h->memoryUsedFraction();
    row.cells[Memory] =
        right(text(percent(used), used.value_or(-1.0),
                   used ? tr("%1 of %2 in use")
                              .arg(formatBytes(*h->memoryTotalBytes - *h->memoryAvailableBytes),
                                   formatBytes(*h->memoryTotalBytes))
                        : QString()));
    const bool io = h->readBytesPerSecond && h->writtenBytesPerSecond;
    const QString read = io ? formatBytes(qint64(*h->readBytesPerSecond)) : QString();
    const QString written = io ? formatBytes(qint64(*h->writtenBytesPerSecond)) : QString();
    row.cells[DiskIo] = right(text(
        io ? tr("%1/s · %2/s").arg(read, written) : QString(),
        io ? *h->readBytesPerSecond + *h->writtenBytesPerSecond : -1.0,
        io ? tr("%1/s read, %2/s written by the host's disks").arg(read, written) : QString()));
}

MembersModel::Cell MembersModel::nameCell(const services::MemberSnapshot &m)
{
    Cell name = text(m.name);
    name.insert(Qt::DecorationRole,
                healthColor(worse(memberStateHealth(m.state),
                                  worse(channelHealth(m.rest), channelHealth(m.sql)))));
    if (m.isLeader()) {
        QFont bold;
        bold.setBold(true);
        name.insert(Qt::FontRole, bold);
    }
    return name;
}

// The leader has no lag; "unknown" lag on a replica is shown as such (patronictl prints "unknown"
// too).
MembersModel::Cell MembersModel::lagCell(const services::MemberSnapshot &m)
{
    QString lag;
    if (!m.isLeader())
        lag = m.lagBytes ? formatBytes(*m.lagBytes) : tr("unknown");
    Cell lagCell =
        text(lag, m.lagBytes ? QVariant(*m.lagBytes) : QVariant(qint64(-1)),
             m.lagBytes ? tr("%1 bytes behind the leader").arg(QLocale().toString(*m.lagBytes))
                        : QString());
    lagCell.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    const Health lh = m.isLeader() ? Health::Ok : lagHealth(m.lagBytes, m.replayLagSeconds);
    if (lh == Health::Warning || lh == Health::Critical)
        lagCell.insert(Qt::ForegroundRole, healthColor(lh));
    return lagCell;
}

MembersModel::Cell MembersModel::pendingRestartCell(const services::MemberSnapshot &m)
{
    QString reason = m.pendingRestartReason;
    if (reason.isEmpty() && m.patroni)
        reason = m.patroni->pendingRestartReason;
    Cell pending = text(
        m.pendingRestart ? (reason.isEmpty() ? tr("yes") : tr("yes: %1").arg(reason)) : QString(),
        int(m.pendingRestart),
        m.pendingRestart
            ? (reason.isEmpty() ? tr("A restart is needed for a changed setting to take "
                                     "effect. Patroni %1 does not report which setting.")
                                      .arg(m.patroni ? m.patroni->patroniVersion : QString())
                                : tr("A restart is needed: %1").arg(reason))
            : QString());
    if (m.pendingRestart)
        pending.insert(Qt::ForegroundRole, healthColor(Health::Warning));
    return pending;
}

MembersModel::Cell MembersModel::channelCell(const services::ChannelStatus &c)
{
    Cell cell = text(channelText(c), healthRank(channelHealth(c)),
                     c.error.isError() ? c.error.toText() : QString());
    cell.insert(Qt::DecorationRole, healthColor(channelHealth(c)));
    return cell;
}

} // namespace vigil::models
