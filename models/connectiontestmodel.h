#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// The answer to "Test connection" in the Add-cluster dialog: what works, per member and channel,
// from one monitor cycle on the draft profile: the cluster view (GET /cluster), each member's REST
// API and SQL, HAProxy's stats and PgBouncer's console. Keyed by "what/member".
class ConnectionTestModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Check,
        Result,
        Detail,
        ColumnCount
    };

    explicit ConnectionTestModel(QObject *parent = nullptr);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    void clear();

    // Everything that was configured answered.
    bool allOk() const { return m_allOk; }
    // One sentence for the dialog: "All 8 checks passed." / "2 of 8 checks failed."
    QString summary() const { return m_summary; }

private:
    bool m_allOk = false;
    QString m_summary;
};

} // namespace vigil::models
