#include "models/replicationmodel.h"

#include "models/formatting.h"
#include "models/health.h"

#include <QLocale>
#include <algorithm>

namespace vigil::models {

UpstreamLink upstreamOf(const services::ClusterSnapshot &snapshot, const QString &replica)
{
    // Prefer the leader's view; a cascading replica appears in its upstream replica's view. Only
    // members that answered over SQL this cycle count: an unreachable member's rows are its last
    // known ones, and after a failover the old leader would still "send" to everyone.
    const services::MemberSnapshot *leader = snapshot.leader();
    if (leader && !leader->sql.ok() && leader->sql.state != services::ChannelStatus::State::Unknown)
        leader = nullptr;
    auto find = [&](const services::MemberSnapshot &m) -> const services::ReplicationStat * {
        for (const auto &r : m.replication)
            if (r.applicationName == replica)
                return &r;
        return nullptr;
    };
    if (leader)
        if (const auto *r = find(*leader))
            return {leader->name, r};
    for (const auto &m : snapshot.members)
        if (m.name != replica && &m != leader &&
            (m.sql.ok() || m.sql.state == services::ChannelStatus::State::Unknown))
            if (const auto *r = find(m))
                return {m.name, r};
    UpstreamLink none;
    none.visible = std::any_of(
        snapshot.members.begin(), snapshot.members.end(),
        [&](const services::MemberSnapshot &m) { return m.name != replica && m.sql.ok(); });
    return none;
}

namespace {
CellTableModel::Cell rightAligned(CellTableModel::Cell c)
{
    c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    return c;
}
} // namespace

ReplicationModel::ReplicationModel(QObject *parent)
    : CellTableModel({tr("Replica"), tr("Upstream"), tr("State"), tr("Sync"), tr("Sent LSN"),
                      tr("Write LSN"), tr("Flush LSN"), tr("Replay LSN"), tr("Lag"),
                      tr("Write lag"), tr("Flush lag"), tr("Replay lag"), tr("WAL receiver")},
                     parent)
{
    setHeaderToolTips({tr("The replica (its application_name is its Patroni member name)"),
                       tr("The member that sends it WAL: the leader, or a replica for a cascade"),
                       tr("pg_stat_replication.state on the sender"),
                       tr("pg_stat_replication.sync_state: async, sync, potential or quorum"),
                       tr("Last WAL position sent"), tr("Last position written by the replica"),
                       tr("Last position flushed to disk by the replica"),
                       tr("Last position replayed by the replica"),
                       tr("Bytes of WAL not yet replayed on the replica"),
                       tr("Time until the replica had written recent WAL"),
                       tr("Time until the replica had flushed recent WAL"),
                       tr("Time until the replica had replayed recent WAL"),
                       tr("The replica's own WAL receiver (pg_stat_wal_receiver)")});
}

void ReplicationModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<Row> rows;
    if (snapshot) {
        for (const services::MemberSnapshot &m : snapshot->members) {
            if (m.isLeader())
                continue;
            Row row;
            row.key = m.name;
            row.cells.resize(ColumnCount);
            const UpstreamLink up = upstreamOf(*snapshot, m.name);
            const services::ReplicationStat *r = up.stat;

            const Health lh = r            ? lagHealth(r->replayLagBytes, r->replayLagSeconds)
                              : up.visible ? Health::Critical
                                           : Health::Unknown;
            Cell name = text(m.name);
            name.insert(Qt::DecorationRole, healthColor(lh));
            row.cells[Replica] = name;
            row.cells[Upstream] = text(up.sender.isEmpty() ? tr("none") : up.sender);
            Cell state = text(r            ? r->state
                              : up.visible ? tr("not streaming")
                                           : tr("unknown: no member answered over SQL"));
            if (!r)
                state.insert(Qt::ForegroundRole, healthColor(lh));
            row.cells[State] = state;
            row.cells[Sync] = text(r ? r->syncState : QString());
            if (r) {
                row.cells[SentLsn] = rightAligned(text(r->sentLsn));
                row.cells[WriteLsn] = rightAligned(text(r->writeLsn));
                row.cells[FlushLsn] = rightAligned(text(r->flushLsn));
                row.cells[ReplayLsn] = rightAligned(text(r->replayLsn));
                Cell lag = rightAligned(text(
                    formatBytes(r->replayLagBytes), QVariant(r->replayLagBytes.value_or(-1)),
                    r->replayLagBytes ? tr("%1 bytes").arg(QLocale().toString(*r->replayLagBytes))
                                      : QString()));
                if (lh == Health::Warning || lh == Health::Critical)
                    lag.insert(Qt::ForegroundRole, healthColor(lh));
                row.cells[LagBytes] = lag;
                row.cells[WriteLag] = rightAligned(
                    text(formatSeconds(r->writeLagSeconds), r->writeLagSeconds.value_or(-1)));
                row.cells[FlushLag] = rightAligned(
                    text(formatSeconds(r->flushLagSeconds), r->flushLagSeconds.value_or(-1)));
                row.cells[ReplayLag] = rightAligned(
                    text(formatSeconds(r->replayLagSeconds), r->replayLagSeconds.value_or(-1)));
            }
            QString receiver;
            QString receiverTip;
            if (m.walReceiver) {
                const auto &w = *m.walReceiver;
                receiver = w.status;
                if (!w.senderHost.isEmpty())
                    receiver += tr(" from %1:%2").arg(w.senderHost).arg(w.senderPort);
                receiverTip = tr("Received up to %1 on timeline %2.")
                                  .arg(w.receivedLsn.isEmpty() ? tr("unknown") : w.receivedLsn,
                                       w.receivedTimeline ? QString::number(*w.receivedTimeline)
                                                          : tr("unknown"));
                if (w.lastMessageReceipt && snapshot->takenAt.isValid())
                    receiverTip +=
                        QLatin1Char(' ') +
                        tr("Last message from the sender %1 ago.")
                            .arg(formatSeconds(w.lastMessageReceipt->msecsTo(snapshot->takenAt) /
                                               1000.0));
            } else if (m.sql.ok()) {
                receiver = tr("not running");
            }
            row.cells[Receiver] = text(receiver, {}, receiverTip);
            rows.append(std::move(row));
        }
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
