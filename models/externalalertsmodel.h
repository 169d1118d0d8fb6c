#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

#include <QMap>

namespace vigil::models {

// The active alerts of each watched cluster's Alertmanager (ClusterSnapshot::alertmanager),
// shown beside Vigil's own and marked as Alertmanager's: severity as the rule labelled it,
// cluster, alert name, member (or instance), summary, since. One row per (cluster, fingerprint).
// problems() says, per cluster, which Alertmanager could not be read and why.
class ExternalAlertsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Severity,
        Cluster,
        Alert,
        Member,
        Summary,
        Since,
        ColumnCount
    };

    explicit ExternalAlertsModel(QObject *parent = nullptr);

    // The cluster's latest view of its Alertmanager (none configured: the cluster's rows go).
    void setStatus(const QString &cluster, const services::ExternalAlertsStatus &status);
    void removeCluster(const QString &cluster);

    bool anyConfigured() const { return !m_status.isEmpty(); }
    QStringList problems() const; // "hokm: Alertmanager at http://… did not answer: …"

Q_SIGNALS:
    void statusChanged(); // anyConfigured() or problems() may have changed

private:
    void rebuild();

    QMap<QString, services::ExternalAlertsStatus> m_status; // by cluster, configured ones only
};

// An Alertmanager severity label as Vigil's: critical/page/error → Critical, warning → Warning,
// info/none → Ok, anything else (or none) → Unknown.
services::Finding::Severity externalSeverity(const QString &label);

} // namespace vigil::models
