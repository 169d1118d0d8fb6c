#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/alerttypes.h"
#include "services/monitor/clustersnapshot.h"

#include <QMap>

namespace vigil::models {

// The clusters watched side by side: one row per cluster profile with its health colour, leader,
// worst replica lag, active alerts and the time of the last refresh. Keyed by profile name.
// Fed by every cluster's snapshots (not only the one shown in the overview) and by every
// cluster's alert engine (setAlerts on each raise, clear, escalation and acknowledgement).
//
// The Alerts column counts the engine's ACTIVE alerts, not the findings of the last snapshot (a
// finding that has not lasted its raise snapshots yet is no alert). Acknowledged alerts are
// counted apart, in grey: they are still active (the tray colour counts them) but someone is on
// them, so the coloured figures say what still needs a look, and the grey one keeps the cluster
// from reading as quiet. Text such as "1 crit · 2 warn · 1 ack"; AlertPartsRole carries each
// part with its colour (the critical count in the critical colour, warnings in the warning
// colour) for the view's delegate.
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

    enum Roles
    {
        // Alerts column: QVariantList of QVariantMap {"text": QString, "color": QColor}, the
        // parts of the display text in order (the display text joins them with " · ").
        AlertPartsRole = SeverityRole + 16,
    };

    explicit ClusterListModel(QObject *parent = nullptr);

    void addCluster(const QString &profileName, const QString &target);
    void removeCluster(const QString &profileName);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    // The cluster's active alerts (AlertEngine::activeAlerts); ignored for a cluster not listed.
    void setAlerts(const QString &profileName, const QList<services::Alert> &alerts);
    bool contains(const QString &profileName) const { return m_entries.contains(profileName); }

private:
    struct AlertCounts
    {
        int critical = 0;     // not acknowledged
        int warning = 0;      // not acknowledged, WARNING or UNKNOWN
        int acknowledged = 0; // any severity
    };
    struct Entry
    {
        QString target; // the Patroni URL, shown until the first snapshot
        services::ClusterSnapshotPtr snapshot;
        AlertCounts alerts;
    };
    void rebuild();
    static Cell alertsCell(const AlertCounts &counts);

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
