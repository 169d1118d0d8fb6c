#pragma once

#include "charthistory.h"
#include "services/metrics/prometheustypes.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <optional>

class QNetworkAccessManager;

namespace vigil::services {
class PrometheusClient;
class SecretStore;
} // namespace vigil::services

namespace vigil::models {

class ProfilePrometheus;

// The charts' history from before Vigil watched the cluster, fetched from the profile's
// Prometheus (/api/v1/query_range, the queries of promchartqueries.h). request() asks for one
// window: every chart's query runs at a step that gives no more points than the plot has pixels,
// over [from, seam], where the seam is the first live sample (the live samples take over from
// there). A newer request supersedes one in flight (its answers are dropped).
//
// Failures are reported once: problemChanged() is emitted when the problem text changes (one
// sentence for the whole request, not one per chart), and with an empty text when Prometheus
// answers again. Lives on the UI thread; never blocks (the keychain and the network answer in
// callbacks).
class ChartBackfill : public QObject
{
    Q_OBJECT
public:
    struct Line
    {
        QString label;
        QList<QPointF> points; // x: ms since the epoch, y: base unit; all before seamMs()
    };

    // `secrets` (may be null) holds the password or token under Slot::Prometheus.
    ChartBackfill(QNetworkAccessManager *nam, services::SecretStore *secrets,
                  const QString &profileName, const services::PrometheusSettings &settings,
                  QObject *parent = nullptr);
    ~ChartBackfill() override;

    // Fetches [fromMs, seamMs] for plots `pixels` wide; nothing when seamMs <= fromMs.
    void request(qint64 fromMs, qint64 seamMs, int pixels);

    QList<Line> lines(ChartHistory::Chart chart) const { return m_lines.value(chart); }
    qint64 seamMs() const { return m_seamMs; }        // 0: no history fetched
    int stepSeconds() const { return m_stepSeconds; } // of the last completed request
    qint64 maxPointsPerSeries() const;                // of the last completed request
    QString problem() const { return m_problem; }
    bool busy() const { return m_pending > 0; }
    QString sourceName() const; // "Prometheus at http://127.0.0.1:61850"

Q_SIGNALS:
    void updated();                              // lines() changed
    void problemChanged(const QString &message); // empty: solved

private:
    void start();
    void finish(const services::ServiceError &error);

    ProfilePrometheus *m_prometheus;                // the client, once the secret is read
    services::PrometheusClient *m_client = nullptr; // m_prometheus's, once made

    struct Ask
    {
        qint64 fromMs = 0, seamMs = 0;
        int pixels = 0;
    };
    std::optional<Ask> m_ask; // waiting for the secret, or the one to run
    quint64 m_generation = 0;
    int m_pending = 0;
    services::ServiceError m_firstError;
    QMap<ChartHistory::Chart, QList<Line>> m_incoming, m_lines;
    qint64 m_incomingSeam = 0, m_seamMs = 0;
    int m_incomingStep = 0, m_stepSeconds = 0;
    QString m_problem;
};

} // namespace vigil::models
