#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// One row per replication slot on any member (physical slots for replicas, logical ones).
// Keyed by "member/slot".
class ReplicationSlotsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Slot,
        Member,
        Type,
        Active,
        RetainedWal,
        ColumnCount
    };

    explicit ReplicationSlotsModel(QObject *parent = nullptr);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
};

} // namespace vigil::models
