#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// One row per replica (every member that is not the leader, streaming or not): who sends it WAL
// (the leader, or another replica for a cascade), the sender's pg_stat_replication row (state,
// sync state, sent/write/flush/replay LSN, lag in bytes and time) and the replica's own
// pg_stat_wal_receiver. A replica without a pg_stat_replication row anywhere is shown as
// "not streaming". Keyed by member name.
class ReplicationModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Replica,
        Upstream,
        State,
        Sync,
        SentLsn,
        WriteLsn,
        FlushLsn,
        ReplayLsn,
        LagBytes,
        WriteLag,
        FlushLag,
        ReplayLag,
        Receiver,
        ColumnCount
    };

    explicit ReplicationModel(QObject *parent = nullptr);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
};

// Who sends WAL to `replica`: the member whose pg_stat_replication lists it, and that row.
struct UpstreamLink
{
    QString sender; // member name, empty when nobody streams to it
    const services::ReplicationStat *stat = nullptr;
    // False when no other member answered over SQL this cycle: nobody's walsenders could be
    // read, so "nobody streams to it" is not known (e.g. a wrong SQL password everywhere).
    bool visible = true;
};
UpstreamLink upstreamOf(const services::ClusterSnapshot &snapshot, const QString &replica);

} // namespace vigil::models
