#include "services/monitor/snapshotextras.h"

#include "services/metrics/custommetricrunner.h"
#include "services/metrics/externalalertsreader.h"
#include "services/metrics/hostmetricsreader.h"

namespace vigil::services {

namespace {

// A reader's last reading as a channel: Unknown until one finished.
template <typename Reading> ChannelStatus readerChannel(const Reading &r)
{
    ChannelStatus c;
    c.lastOk = r.lastOk;
    c.latencyMs = r.latencyMs;
    c.error = r.error;
    c.state = !r.done             ? ChannelStatus::State::Unknown
              : r.error.isError() ? ChannelStatus::State::Unreachable
                                  : ChannelStatus::State::Ok;
    return c;
}

} // namespace

SnapshotExtras::SnapshotExtras(QNetworkAccessManager *nam, const ClusterProfile &profile,
                               const QString &sqlPassword, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_profile(profile)
    , m_sqlPassword(sqlPassword)
{
}

SnapshotExtras::~SnapshotExtras() = default;

void SnapshotExtras::setHostMetrics(const PrometheusEndpoint &endpoint)
{
    delete std::exchange(m_hosts, nullptr);
    if (endpoint.isSet())
        m_hosts = new HostMetricsReader(m_nam, endpoint, this);
}

void SnapshotExtras::setAlertmanager(const PrometheusEndpoint &endpoint)
{
    delete std::exchange(m_alertmanager, nullptr);
    if (endpoint.isSet())
        m_alertmanager = new ExternalAlertsReader(m_nam, endpoint, this);
}

void SnapshotExtras::setCustomMetrics(const QList<CustomMetric> &metrics,
                                      const ClusterSnapshot *last)
{
    delete std::exchange(m_customMetrics, nullptr);
    if (!metrics.isEmpty())
        m_customMetrics = new CustomMetricRunner(m_profile, m_sqlPassword, metrics, this);
    if (m_customMetrics && last)
        m_customMetrics->applySnapshot(*last);
}

void SnapshotExtras::readIfDue(const ClusterSnapshot *last, std::chrono::milliseconds deadline)
{
    const auto due = [this](qint64 since) {
        return since < 0 || since >= m_profile.sizeIntervalMs;
    };
    if (m_alertmanager && !m_alertmanager->inFlight() && due(m_alertmanager->sinceLastRead()))
        m_alertmanager->read(deadline);
    if (!m_hosts || !last || last->members.isEmpty() || m_hosts->inFlight() ||
        !due(m_hosts->sinceLastRead()))
        return;
    QList<HostTarget> targets;
    for (const MemberSnapshot &m : last->members)
        targets.append({m.name, m.host, m.dataDirectory});
    m_hosts->read(targets, deadline);
}

void SnapshotExtras::apply(ClusterSnapshot &s) const
{
    if (m_alertmanager) {
        const ExternalAlertsReader::Reading &r = m_alertmanager->last();
        s.alertmanager.source = m_alertmanager->sourceName();
        s.alertmanager.alerts = r.alerts;
        s.alertmanager.channel = readerChannel(r);
    }
    if (m_hosts) {
        const HostMetricsReader::Reading &r = m_hosts->last();
        s.hosts.source = m_hosts->sourceName();
        s.hosts.unmatched = r.unmatched;
        s.hosts.channel = readerChannel(r);
        // While Prometheus fails, no figures: the disk rule falls back to SQL's sizes rather
        // than judge by free space of minutes ago.
        if (!r.error.isError())
            for (MemberSnapshot &m : s.members) {
                const auto it = r.figures.constFind(m.name);
                if (it != r.figures.cend())
                    m.hostFigures = *it;
            }
    }
    if (m_customMetrics)
        s.customMetrics = m_customMetrics->readings();
}

void SnapshotExtras::snapshotTaken(const ClusterSnapshot &s)
{
    if (m_customMetrics)
        m_customMetrics->applySnapshot(s);
}

} // namespace vigil::services
