#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

#include <QMap>

namespace vigil::models {

// The clusters watched side by side: one row per cluster profile with its health colour, leader,
// worst replica lag, number of alerts and the time of the last refresh. Keyed by profile name.
// Fed by every cluster's snapshots (not only the one shown in the overview).
class ClusterListModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Cluster,
        Health,
        Leader,
        WorstLag,
        Alerts,
        LastRefresh,
        ColumnCount
    };

    explicit ClusterListModel(QObject *parent = nullptr);

    void addCluster(const QString &profileName, const QString &target);
    void removeCluster(const QString &profileName);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    bool contains(const QString &profileName) const { return m_entries.contains(profileName); }

private:
    struct Entry
    {
        QString target; // the Patroni URL, shown until the first snapshot
        services::ClusterSnapshotPtr snapshot;
    };
    void rebuild();

    QMap<QString, Entry> m_entries;
};

// Worst replay lag of any replica (bytes, and seconds), for summaries.
struct LagExtreme
{
    std::optional<qint64> bytes;
    std::optional<double> seconds;
    QString member;
};
LagExtreme worstLag(const services::ClusterSnapshot &snapshot);

} // namespace vigil::models
