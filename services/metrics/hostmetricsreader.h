#pragma once

#include "services/core/error.h"
#include "services/metrics/hostmetrics.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <chrono>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {

class PrometheusClient;

// Reads the members' host figures (hostmetrics.h) from node_exporter's series in the profile's
// Prometheus: the four instant queries of HostQueries at once, each with the deadline given.
// ClusterPoller asks at the sizes' cadence and copies last() into every snapshot, never
// waiting for it. Lives on the thread of `nam` (the UI thread) and never blocks it.
class HostMetricsReader : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;

    struct Reading
    {
        QHash<QString, HostFigures> figures; // by member; the last good ones while failing
        QStringList unmatched;               // members without figures, one sentence each
        ServiceError error;                  // of the last reading; figures are then older
        QDateTime at;                        // when the last reading was asked
        QDateTime lastOk;                    // when one last succeeded
        qint64 latencyMs = -1;
        bool done = false; // a reading has finished, successfully or not
    };

    HostMetricsReader(QNetworkAccessManager *nam, const PrometheusEndpoint &endpoint,
                      QObject *parent = nullptr);
    ~HostMetricsReader() override;

    // A reading now, unless one is in flight (then false).
    bool read(const QList<HostTarget> &targets, Millis deadline);
    bool inFlight() const { return m_pending > 0; }
    // Since the last reading was asked; -1 when none was.
    qint64 sinceLastRead() const { return m_asked.isValid() ? m_asked.elapsed() : -1; }
    const Reading &last() const { return m_last; }
    QString sourceName() const; // "node_exporter through Prometheus at http://…"

Q_SIGNALS:
    void readingDone();

private:
    void answered();

    PrometheusClient *m_client;
    QList<HostTarget> m_targets;
    HostAnswers m_answers;
    ServiceError m_error;
    int m_pending = 0;
    QElapsedTimer m_asked;
    Reading m_last;
};

} // namespace vigil::services
