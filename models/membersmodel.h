#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// One row per member: what `patronictl list -e` shows (member, host, role, state, timeline, lag,
// pending restart, scheduled restart, tags) plus whether Vigil reaches the member's REST API
// and SQL port, with the reason when it does not, and its host's figures from node_exporter
// when the profile names a Prometheus (empty cells otherwise: see hasHostFigures). Keyed by
// member name.
class MembersModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Member,
        Host,
        Role,
        State,
        Timeline,
        Lag,
        ReplayDelay,
        DataFree, // the data volume's free space, from node_exporter (host figures)
        Cpu,
        Memory,
        DiskIo,
        Rest,
        Sql,
        PendingRestart,
        ScheduledRestart,
        Tags,
        ColumnCount
    };

    explicit MembersModel(QObject *parent = nullptr);

    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    // Whether any member of the snapshot has host figures (the views hide those columns if not).
    static bool hasHostFigures(const services::ClusterSnapshot &snapshot);

private:
    static Row memberRow(const services::MemberSnapshot &m, const services::ClusterSnapshot &s);
    static void hostCells(const services::MemberSnapshot &m, const services::ClusterSnapshot &s,
                          Row &row);
    static Cell nameCell(const services::MemberSnapshot &m);
    static Cell lagCell(const services::MemberSnapshot &m);
    static Cell pendingRestartCell(const services::MemberSnapshot &m);
    static Cell channelCell(const services::ChannelStatus &c);
};

// "Leader", "Sync Standby", "Replica", "Standby Leader" (as patronictl prints them).
QString roleText(services::PatroniRole role);
// "nofailover, noloadbalance, clonefrom" — Patroni tags, the true boolean ones by name, others
// as name=value.
QString tagsText(const QVariantMap &tags);
bool tagIsSet(const QVariantMap &tags, const QString &name);

} // namespace vigil::models
