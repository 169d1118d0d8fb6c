#pragma once

#include "models/capacitymath.h"
#include "models/promchartqueries.h"
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

// The capacity view of one cluster (the operations manual's weekly capacity planning): 30-day
// (or 7-day) trends of database size, each member's connections peak, transactions per second
// and the WAL rate, from the profile's Prometheus (promCapacityQueries()), each at a step that
// gives no more points than the plot has pixels; and from them the data volume's projection
// (projectFill over node_filesystem_avail_bytes of the file system holding the data, per host;
// the one filling first is the headline) and the databases' growth a day.
//
// request() asks for a window; a newer request supersedes one in flight (its answers are
// dropped). A failed trend keeps its previous lines; problemChanged() names what failed in one
// sentence (empty: solved). Lives on the UI thread; never blocks (the keychain and the network
// answer in callbacks).
class CapacityModel : public QObject
{
    Q_OBJECT
public:
    struct Line
    {
        QString label;
        QList<QPointF> points; // x: ms since the epoch, y: base unit (bytes, count, per second)
    };

    // When and how finely a request reads: [startMs, endMs] every stepSeconds, end aligned to
    // the step so that successive requests hit the same evaluation times.
    struct Plan
    {
        qint64 startMs = 0, endMs = 0;
        int stepSeconds = 1;
    };
    static Plan plan(qint64 nowMs, int windowSeconds, int pixels);
    // The range queries of a plan, in the order of promCapacityQueries().
    static QList<services::PromRangeQuery> rangeQueries(const services::PrometheusClient &client,
                                                        const Plan &plan);

    // `secrets` (may be null) holds the password or token under Slot::Prometheus.
    CapacityModel(QNetworkAccessManager *nam, services::SecretStore *secrets,
                  const QString &profileName, const services::PrometheusSettings &settings,
                  QObject *parent = nullptr);
    ~CapacityModel() override;

    // Reads the last `windowSeconds` for plots `pixels` wide, ending now.
    void request(int windowSeconds, int pixels);
    // The data directory, when known, picks the data volume; else PostgreSQL's usual homes.
    void setDataDirectory(const QString &directory);

    QList<Line> lines(CapacityTrend trend) const { return m_lines.value(trend); }
    Plan lastPlan() const { return m_plan; } // of the last completed request
    qint64 maxPointsPerSeries() const;
    bool busy() const { return m_pending > 0; }
    bool hasData() const { return m_plan.endMs > 0; }
    QString problem() const { return m_problem; }
    QString sourceName() const; // "Prometheus at http://127.0.0.1:61850"

    // The data volume filling first (its line's label in volumeLabel()), and the databases'
    // growth a day; both from the last completed request.
    FillProjection projection() const { return m_projection; }
    QString volumeLabel() const { return m_volumeLabel; }
    std::optional<double> databaseGrowthPerDay() const { return m_growth; }

    // One sentence each, for the page's headline and the line under it.
    QString headline() const;
    QString details() const;

    static QString trendName(CapacityTrend trend);

Q_SIGNALS:
    void updated();                              // lines() and the projection changed
    void problemChanged(const QString &message); // empty: solved
    void busyChanged(bool busy);

private:
    struct Incoming
    {
        CapacityTrend trend;
        QList<QStringList> keys; // label values of each line
        QList<Line> lines;
    };
    void start();
    void finish();
    void takeVolumes(const Incoming &in);
    void setProblem(const QString &problem);

    ProfilePrometheus *m_prometheus;                // the client, once the secret is read
    services::PrometheusClient *m_client = nullptr; // m_prometheus's, once made
    QString m_dataDirectory;

    struct Ask
    {
        int windowSeconds = 0, pixels = 0;
    };
    std::optional<Ask> m_ask; // waiting for the secret, or the one to run
    quint64 m_generation = 0;
    int m_pending = 0;
    Plan m_incomingPlan, m_plan;
    QList<Incoming> m_incoming;
    QList<CapacityTrend> m_failed;
    services::ServiceError m_firstError;
    QMap<CapacityTrend, QList<Line>> m_lines;
    FillProjection m_projection;
    QString m_volumeLabel;
    std::optional<double> m_growth;
    QString m_problem;
};

} // namespace vigil::models
