#pragma once

#include "services/metrics/prometheustypes.h"
#include "services/monitor/clustersnapshot.h"
#include "services/settings/clusterprofile.h"
#include "services/settings/custommetric.h"

#include <QObject>
#include <chrono>

class QNetworkAccessManager;

namespace vigil::services {

class CustomMetricRunner;
class ExternalAlertsReader;
class HostMetricsReader;

// What a cluster's snapshots carry from beside the cluster: node_exporter's host figures and the
// Alertmanager's alerts (both through the profile's metrics stack), and the profile's custom
// metrics. ClusterPoller calls readIfDue() as a cycle begins and apply() as it builds the
// snapshot; none of them is ever waited for: a snapshot carries their last readings. Each part is
// off until set. Lives on the thread of `nam` (the UI thread) and never blocks it.
class SnapshotExtras : public QObject
{
    Q_OBJECT
public:
    SnapshotExtras(QNetworkAccessManager *nam, const ClusterProfile &profile,
                   const QString &sqlPassword, QObject *parent = nullptr);
    ~SnapshotExtras() override;

    void setHostMetrics(const PrometheusEndpoint &endpoint); // not set: off
    void setAlertmanager(const PrometheusEndpoint &endpoint);
    // Runs these custom metrics from now on (none: stops them), on the members of `last`.
    void setCustomMetrics(const QList<CustomMetric> &metrics, const ClusterSnapshot *last);
    CustomMetricRunner *customMetrics() const { return m_customMetrics; }

    // At the sizes' cadence: the host figures for the members of `last` (their SQL hosts and
    // data directories), the Alertmanager's alerts; each with `deadline`.
    void readIfDue(const ClusterSnapshot *last, std::chrono::milliseconds deadline);
    // The last readings into `s` (host figures only from a reading that succeeded).
    void apply(ClusterSnapshot &s) const;
    // The members, roles and states the custom metrics run on.
    void snapshotTaken(const ClusterSnapshot &s);

private:
    QNetworkAccessManager *m_nam;
    ClusterProfile m_profile;
    QString m_sqlPassword;
    HostMetricsReader *m_hosts = nullptr;           // null: the profile names no Prometheus
    ExternalAlertsReader *m_alertmanager = nullptr; // null: nor an Alertmanager
    CustomMetricRunner *m_customMetrics = nullptr;  // null: no custom metrics
};

} // namespace vigil::services
