#include "services/metrics/externalalertsreader.h"

#include "services/metrics/prometheusclient.h"

namespace vigil::services {

ExternalAlertsReader::ExternalAlertsReader(QNetworkAccessManager *nam,
                                           const PrometheusEndpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_client(new PrometheusClient(nam, endpoint, this))
{
}

QString ExternalAlertsReader::sourceName() const
{
    return Tr::tr("Alertmanager at %1")
        .arg(m_client->endpoint().baseUrl.toString(QUrl::RemoveUserInfo));
}

bool ExternalAlertsReader::read(Millis deadline)
{
    if (m_inFlight)
        return false;
    m_inFlight = true;
    m_asked.start();
    // The callback is the client's: dropped with it (a child of this object).
    m_client->alerts(
        [this](const Result<QList<ExternalAlert>> &r) {
            m_inFlight = false;
            m_last.done = true;
            m_last.latencyMs = m_asked.elapsed();
            m_last.error = r.ok() ? ServiceError() : r.error();
            if (r.ok()) {
                m_last.alerts = r.value();
                m_last.lastOk = QDateTime::currentDateTimeUtc();
            }
        },
        deadline);
    return true;
}

} // namespace vigil::services
