#include "services/monitor/clustermonitor.h"

#include "services/monitor/clusterpoller.h"

namespace vigil::services {

ClusterMonitor::ClusterMonitor(QNetworkAccessManager *nam, ClusterProfile profile, Secrets secrets,
                               QObject *parent)
    : QObject(parent)
    , m_poller(std::make_unique<ClusterPoller>(nam, std::move(profile), std::move(secrets)))
{
    // Direct: the poller lives on this object's thread, so a snapshot reaches the receivers
    // the moment the cycle closes, exactly as if this object emitted it itself.
    connect(m_poller.get(), &ClusterPoller::snapshotReady, this, &ClusterMonitor::snapshotReady,
            Qt::DirectConnection);
}

ClusterMonitor::~ClusterMonitor() = default;

const ClusterProfile &ClusterMonitor::profile() const
{
    return m_poller->profile();
}

ClusterSnapshotPtr ClusterMonitor::lastSnapshot() const
{
    return m_poller->lastSnapshot();
}

void ClusterMonitor::start()
{
    m_poller->start();
}

void ClusterMonitor::stop()
{
    m_poller->stop();
}

void ClusterMonitor::pollOnce()
{
    m_poller->pollOnce();
}

void ClusterMonitor::setHostMetrics(const PrometheusEndpoint &endpoint)
{
    m_poller->setHostMetrics(endpoint);
}

void ClusterMonitor::setAlertmanager(const PrometheusEndpoint &endpoint)
{
    m_poller->setAlertmanager(endpoint);
}

void ClusterMonitor::setCustomMetrics(const QList<CustomMetric> &metrics)
{
    m_poller->setCustomMetrics(metrics);
}

CustomMetricRunner *ClusterMonitor::customMetrics() const
{
    return m_poller->customMetrics();
}

PatroniEndpoint restEndpoint(const ClusterProfile &profile, const ClusterMonitor::Secrets &secrets,
                             const QUrl &baseUrl)
{
    PatroniEndpoint e;
    e.baseUrl = baseUrl;
    e.user = profile.restUser;
    e.password = secrets.restPassword;
    e.caFile = profile.restCaFile;
    e.certFile = profile.restCertFile;
    e.keyFile = profile.restKeyFile;
    e.verifyPeer = profile.restVerifyPeer;
    return e;
}

} // namespace vigil::services
