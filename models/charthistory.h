#pragma once

#include "services/monitor/clustersnapshot.h"
#include "timeseriesstore.h"

#include <QHash>
#include <QObject>

namespace vigil::models {

// The live-chart history of one cluster: every snapshot becomes one sample of every series.
//   * LagBytes / LagSeconds: replay lag per replica (as the leader sees it; Patroni's lag in bytes
//     when the leader's view is missing);
//   * ConnectionsByState: client backends by state, summed over the members;
//   * Transactions: commits + rollbacks per second, per database, summed over the members;
//   * Tuples: rows inserted and updated per second, per database, summed over the members.
//   * Custom: each custom metric of the profile, one line per label, from the snapshot's last
//     reading of it: the value is repeated in every sample until the next run replaces it (a
//     step line at the metric's own interval), and a failed run leaves a gap.
// Rates come from pg_stat_database counters between two snapshots of the same member; a counter
// that went down (stats reset, a promoted replica, a restarted server) gives no rate for that
// member in that interval rather than a bogus negative spike.
//
// Holds 24 h at the default 1 s interval. Lives on the UI thread. No Widgets: the chart widget in
// ui/ reads it through series() and store().
class ChartHistory : public QObject
{
    Q_OBJECT
public:
    enum class Chart
    {
        LagBytes,
        LagSeconds,
        ConnectionsByState,
        Transactions,
        Tuples,
        Custom // the profile's custom metrics: one chart per metric (customCharts())
    };
    static constexpr int kDefaultCapacity = 24 * 3600 + 600; // a day of 1 s samples, + margin

    explicit ChartHistory(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    void ingest(const services::ClusterSnapshot &snapshot);
    // One sample with given values, keyed by (chart, label): for recorded or simulated data.
    void appendValues(qint64 timeMs, const QList<std::tuple<Chart, QString, double>> &values);

    struct Series
    {
        int index;     // in store()
        QString label; // "node2", "idle in transaction", "hokm_game inserted"
    };
    QList<Series> series(Chart chart) const;

    // The custom metrics seen in the snapshots, in the profile's order, with their unit and the
    // sentence of their last failed run (empty when it worked). customChartsChanged() fires when
    // a metric appears, goes or changes unit or error.
    struct CustomChart
    {
        QString name, unit, error;
        bool operator==(const CustomChart &o) const
        {
            return name == o.name && unit == o.unit && error == o.error;
        }
    };
    QList<CustomChart> customCharts() const { return m_customCharts; }
    // The lines of one custom metric: one per label (a one-number metric: one line named after
    // the metric).
    QList<Series> customSeries(const QString &metric) const;
    static QString customSeriesLabel(const QString &metric, const QString &label);

    const TimeSeriesStore &store() const { return m_store; }
    quint64 revision() const { return m_revision; } // increases with every sample

    static QString chartKeyPrefix(Chart chart);

Q_SIGNALS:
    void sampleAdded();
    void customChartsChanged();

private:
    int seriesFor(Chart chart, const QString &label);

    struct CounterPoint
    {
        qint64 timeMs = 0;
        qint64 xacts = 0, inserted = 0, updated = 0;
    };

    void ingestCustom(const QList<services::CustomMetricReading> &readings,
                      QHash<int, double> &values);

    TimeSeriesStore m_store;
    QList<CustomChart> m_customCharts;
    QHash<QString, CounterPoint> m_previous; // "member/db"
    quint64 m_revision = 0;
};

} // namespace vigil::models
