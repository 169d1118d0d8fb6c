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
        Tuples
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

    const TimeSeriesStore &store() const { return m_store; }
    quint64 revision() const { return m_revision; } // increases with every sample

    static QString chartKeyPrefix(Chart chart);

Q_SIGNALS:
    void sampleAdded();

private:
    int seriesFor(Chart chart, const QString &label);

    struct CounterPoint
    {
        qint64 timeMs = 0;
        qint64 xacts = 0, inserted = 0, updated = 0;
    };

    TimeSeriesStore m_store;
    QHash<QString, CounterPoint> m_previous; // "member/db"
    quint64 m_revision = 0;
};

} // namespace vigil::models
