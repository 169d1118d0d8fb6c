#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// The monitor's findings (alerts) of the current snapshot: severity, member, message, and since
// when the finding has been present (kept across refreshes while the same finding stays).
// Keyed by code + member, so an alert that persists is one stable row.
class FindingsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Severity,
        Member,
        Message,
        Since,
        ColumnCount
    };

    explicit FindingsModel(QObject *parent = nullptr);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);

    // Findings of Warning or Critical severity in the snapshot.
    static int alertCount(const services::ClusterSnapshot &snapshot);

private:
    QHash<QString, QDateTime> m_firstSeen;
};

} // namespace vigil::models
