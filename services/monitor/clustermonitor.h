#pragma once

#include "services/metrics/prometheustypes.h"
#include "services/monitor/clustersnapshot.h"
#include "services/patroni/patroniclient.h"
#include "services/settings/clusterprofile.h"

#include <QObject>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {

class ClusterPoller;
class CustomMetricRunner;
struct CustomMetric;

// Watches one cluster. Given a profile (one Patroni REST URL is enough), it discovers the members
// from GET /cluster and, every stateIntervalMs, polls each member concurrently — its own
// /patroni and, over SQL, recovery state, replication, WAL receiver, connections, slots, archiver
// (sizes at sizeIntervalMs) — plus HAProxy's stats and PgBouncer's pools, then emits one
// immutable ClusterSnapshot with derived findings.
//
// Threading: lives on the thread that owns `nam` (normally the UI thread) and never blocks it.
// Guarantees: a member that hangs (accepts nothing, answers nothing) does not delay the others:
// each member and channel has its own deadline (memberDeadlineMs), and the snapshot of a cycle
// is emitted at the latest by then, marking what did not answer as Unresponsive.
// The cycles themselves run in ClusterPoller (clusterpoller.h); this class is the stable face
// the models, the UI and the commands hold.
class ClusterMonitor : public QObject
{
    Q_OBJECT
public:
    // Secrets are passed in by the caller (from the keychain or the session), held in memory only.
    struct Secrets
    {
        QString sqlPassword; // empty: libpq's own sources (pgpass, service file, PGPASSWORD)
        QString restPassword;
        QString pgbouncerPassword;
        QString prometheusSecret; // basic-auth password or bearer token (PrometheusSettings)
    };

    ClusterMonitor(QNetworkAccessManager *nam, ClusterProfile profile, Secrets secrets = {},
                   QObject *parent = nullptr);
    ~ClusterMonitor() override;

    const ClusterProfile &profile() const;
    ClusterSnapshotPtr lastSnapshot() const;

    void start(); // polls every stateIntervalMs until stop()
    void stop();
    void pollOnce(); // one cycle now (for `vigil status`); emits snapshotReady once
    // Reads the members' host figures (free space of the data volume, CPU, memory, disk I/O)
    // from node_exporter's series in this Prometheus, at the sizes' cadence; an endpoint that is
    // not set turns it off. Never waited for: the cycles carry the last reading.
    void setHostMetrics(const PrometheusEndpoint &endpoint);
    // The active alerts of this Alertmanager (matching its endpoint's matchers), carried in every
    // snapshot (ClusterSnapshot::alertmanager) at the sizes' cadence; not set: none.
    void setAlertmanager(const PrometheusEndpoint &endpoint);
    // The profile's custom metrics (ProfileStore::customMetrics), run at their own intervals
    // once members are known; their last readings are part of every snapshot. Empty: none.
    void setCustomMetrics(const QList<CustomMetric> &metrics);
    CustomMetricRunner *customMetrics() const; // null without custom metrics

Q_SIGNALS:
    void snapshotReady(vigil::services::ClusterSnapshotPtr snapshot);

private:
    std::unique_ptr<ClusterPoller> m_poller; // owned; on this object's thread
};

// The Patroni REST endpoint of one member (baseUrl scheme://host:port) with the profile's
// credentials and TLS settings: the one place they are put together.
PatroniEndpoint restEndpoint(const ClusterProfile &profile, const ClusterMonitor::Secrets &secrets,
                             const QUrl &baseUrl);

} // namespace vigil::services
