#pragma once

#include "services/core/error.h"
#include "services/metrics/prometheustypes.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <chrono>

class QNetworkAccessManager;

namespace vigil::services {

class PrometheusClient;

// Reads the active alerts of the profile's Alertmanager (those matching the profile's
// matchers), for showing them beside Vigil's own. ClusterPoller asks at the sizes' cadence and
// copies last() into every snapshot, never waiting for it. Lives on the thread of `nam` (the UI
// thread) and never blocks it.
class ExternalAlertsReader : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;

    struct Reading
    {
        QList<ExternalAlert> alerts; // of the last successful reading
        ServiceError error;          // of the last reading
        QDateTime lastOk;
        qint64 latencyMs = -1;
        bool done = false;
    };

    // `endpoint`: the Alertmanager's URL with the Prometheus settings' matchers, auth and TLS.
    ExternalAlertsReader(QNetworkAccessManager *nam, const PrometheusEndpoint &endpoint,
                         QObject *parent = nullptr);

    bool read(Millis deadline); // false while one is in flight
    bool inFlight() const { return m_inFlight; }
    qint64 sinceLastRead() const { return m_asked.isValid() ? m_asked.elapsed() : -1; }
    const Reading &last() const { return m_last; }
    QString sourceName() const; // "Alertmanager at http://…"

private:
    PrometheusClient *m_client;
    bool m_inFlight = false;
    QElapsedTimer m_asked;
    Reading m_last;
};

} // namespace vigil::services
