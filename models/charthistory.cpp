#include "models/charthistory.h"

namespace vigil::models {

ChartHistory::ChartHistory(int capacity, QObject *parent)
    : QObject(parent)
    , m_store(capacity)
{
}

QString ChartHistory::chartKeyPrefix(Chart chart)
{
    switch (chart) {
    case Chart::LagBytes:
        return QStringLiteral("lag_bytes|");
    case Chart::LagSeconds:
        return QStringLiteral("lag_seconds|");
    case Chart::ConnectionsByState:
        return QStringLiteral("connections|");
    case Chart::Transactions:
        return QStringLiteral("xact_rate|");
    case Chart::Tuples:
        return QStringLiteral("tuple_rate|");
    case Chart::Custom:
        return QStringLiteral("custom|");
    }
    return {};
}

int ChartHistory::seriesFor(Chart chart, const QString &label)
{
    return m_store.seriesIndex(chartKeyPrefix(chart) + label);
}

QList<ChartHistory::Series> ChartHistory::series(Chart chart) const
{
    QList<Series> out;
    const QString prefix = chartKeyPrefix(chart);
    const QStringList keys = m_store.seriesKeys();
    for (int i = 0; i < keys.size(); ++i)
        if (keys.at(i).startsWith(prefix))
            out.append({i, keys.at(i).mid(prefix.size())});
    std::sort(out.begin(), out.end(),
              [](const Series &a, const Series &b) { return a.label < b.label; });
    return out;
}

QString ChartHistory::customSeriesLabel(const QString &metric, const QString &label)
{
    // A character no one types separates the metric from the label within the series key.
    return metric + QChar(0x1F) + (label.isEmpty() ? metric : label);
}

QList<ChartHistory::Series> ChartHistory::customSeries(const QString &metric) const
{
    QList<Series> out;
    const QString prefix = metric + QChar(0x1F);
    for (Series s : series(Chart::Custom))
        if (s.label.startsWith(prefix)) {
            s.label = s.label.mid(prefix.size());
            out.append(s);
        }
    return out;
}

void ChartHistory::ingestCustom(const QList<services::CustomMetricReading> &readings,
                                QHash<int, double> &values)
{
    QList<CustomChart> charts;
    for (const services::CustomMetricReading &r : readings) {
        charts.append({r.name, r.unit, r.error});
        if (!r.ok())
            continue;
        for (const services::CustomMetricValue &v : r.values)
            values.insert(seriesFor(Chart::Custom, customSeriesLabel(r.name, v.label)), v.value);
    }
    if (charts != m_customCharts) {
        m_customCharts = charts;
        Q_EMIT customChartsChanged();
    }
}

namespace {
bool isUserDatabase(const QString &name)
{
    return !name.isEmpty() && name != QLatin1String("template0") &&
           name != QLatin1String("template1");
}
} // namespace

void ChartHistory::ingest(const services::ClusterSnapshot &s)
{
    const qint64 now = s.takenAt.isValid() ? s.takenAt.toMSecsSinceEpoch() : 0;
    QHash<int, double> values;

    QMap<QString, int> byState;
    bool anyConnections = false;
    QMap<QString, double> xactRate, insRate, updRate;
    QHash<QString, CounterPoint> next;

    for (const services::MemberSnapshot &m : s.members) {
        if (!m.isLeader()) {
            const std::optional<qint64> bytes = m.replayLagBytes ? m.replayLagBytes : m.lagBytes;
            if (bytes)
                values.insert(seriesFor(Chart::LagBytes, m.name), double(*bytes));
            if (m.replayLagSeconds)
                values.insert(seriesFor(Chart::LagSeconds, m.name), *m.replayLagSeconds);
        }
        if (m.connections) {
            anyConnections = true;
            for (auto it = m.connections->byState.begin(); it != m.connections->byState.end(); ++it)
                byState[it.key().isEmpty() ? tr("(none)") : it.key()] += it.value();
        }
        for (const services::DatabaseCounters &c : m.databaseCounters) {
            if (!isUserDatabase(c.name))
                continue;
            const QString key = m.name + QLatin1Char('/') + c.name;
            CounterPoint p{now, c.xactCommit + c.xactRollback, c.tupInserted, c.tupUpdated};
            next.insert(key, p);
            const auto prev = m_previous.constFind(key);
            if (prev == m_previous.constEnd())
                continue;
            const double dt = double(now - prev->timeMs) / 1000.0;
            if (dt <= 0.0)
                continue;
            if (p.xacts >= prev->xacts && p.inserted >= prev->inserted &&
                p.updated >= prev->updated) {
                xactRate[c.name] += double(p.xacts - prev->xacts) / dt;
                insRate[c.name] += double(p.inserted - prev->inserted) / dt;
                updRate[c.name] += double(p.updated - prev->updated) / dt;
            }
        }
    }
    // Members that did not answer this cycle keep their last counters, so the rate resumes
    // (averaged over the gap) when they answer again.
    for (auto it = m_previous.constBegin(); it != m_previous.constEnd(); ++it)
        if (!next.contains(it.key()))
            next.insert(it.key(), it.value());
    m_previous = next;

    if (anyConnections)
        for (auto it = byState.begin(); it != byState.end(); ++it)
            values.insert(seriesFor(Chart::ConnectionsByState, it.key()), it.value());
    for (auto it = xactRate.begin(); it != xactRate.end(); ++it)
        values.insert(seriesFor(Chart::Transactions, it.key()), it.value());
    for (auto it = insRate.begin(); it != insRate.end(); ++it)
        values.insert(seriesFor(Chart::Tuples, tr("%1 inserted").arg(it.key())), it.value());
    for (auto it = updRate.begin(); it != updRate.end(); ++it)
        values.insert(seriesFor(Chart::Tuples, tr("%1 updated").arg(it.key())), it.value());

    ingestCustom(s.customMetrics, values);

    m_store.append(now, values);
    ++m_revision;
    Q_EMIT sampleAdded();
}

void ChartHistory::appendValues(qint64 timeMs,
                                const QList<std::tuple<Chart, QString, double>> &list)
{
    QHash<int, double> values;
    for (const auto &[chart, label, value] : list)
        values.insert(seriesFor(chart, label), value);
    m_store.append(timeMs, values);
    ++m_revision;
    Q_EMIT sampleAdded();
}

} // namespace vigil::models
