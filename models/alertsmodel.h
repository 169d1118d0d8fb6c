#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/alerttypes.h"

#include <QDateTime>
#include <QMap>

namespace vigil::models {

// The active alerts of every watched cluster (AlertEngine::activeAlerts of each ClusterWatch):
// severity, cluster, member, message, since, age, and who acknowledged it when. One row per
// (cluster, alert key), so a lasting alert is one stable row across refreshes. The age is
// counted to `now` of the last setAlerts/refreshAges call (the view refreshes it on a timer).
class AlertsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Severity,
        Cluster,
        Member,
        Message,
        Since,
        Age,
        Acknowledged,
        ColumnCount
    };
    struct Counts
    {
        int critical = 0;
        int warning = 0;
        int unknown = 0;
        int unacknowledged = 0;
        services::Finding::Severity worst = services::Finding::Severity::Ok;
        int total() const { return critical + warning + unknown; }
    };

    explicit AlertsModel(QObject *parent = nullptr);

    void setAlerts(const QString &cluster, const QList<services::Alert> &alerts,
                   const QDateTime &now = QDateTime::currentDateTimeUtc());
    void removeCluster(const QString &cluster);
    void refreshAges(const QDateTime &now = QDateTime::currentDateTimeUtc());

    // The alert of a row (cluster and alert key), for acknowledging it.
    std::optional<services::Alert> alertAt(int row) const;
    Counts counts() const;                       // over every cluster
    Counts counts(const QString &cluster) const; // of one cluster

private:
    void rebuild();

    QMap<QString, QList<services::Alert>> m_alerts; // by cluster
    QDateTime m_now;
};

} // namespace vigil::models
