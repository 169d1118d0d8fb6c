#include "models/pgbouncerstatsmodel.h"

#include "models/formatting.h"

namespace vigil::models {

namespace {
CellTableModel::Cell figure(const QString &display, double sort)
{
    CellTableModel::Cell c;
    c.insert(Qt::DisplayRole, display);
    c.insert(CellTableModel::SortRole, sort);
    c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    return c;
}

QString perSecond(double value)
{
    return PgBouncerStatsModel::tr("%1/s").arg(value, 0, 'f', value < 10 ? 1 : 0);
}
} // namespace

PgBouncerStatsModel::PgBouncerStatsModel(QObject *parent)
    : CellTableModel({tr("Database"), tr("Transactions"), tr("Queries"), tr("Received"), tr("Sent"),
                      tr("Avg query"), tr("Client wait")},
                     parent)
{
    setHeaderToolTips(
        {tr("The database clients connect to"),
         tr("Transactions per second since the previous read (total_xact_count)"),
         tr("Queries per second since the previous read (total_query_count)"),
         tr("Bytes per second received from clients (total_received)"),
         tr("Bytes per second sent to clients (total_sent)"),
         tr("Average query time over the interval (total_query_time / total_query_count)"),
         tr("Seconds clients spent waiting for a server, per second (total_wait_time): above "
            "0 the pool is too small or the servers are unreachable")});
}

void PgBouncerStatsModel::clear()
{
    m_rates.reset();
    setRows({});
}

void PgBouncerStatsModel::setStats(const QList<services::PgBouncerStats> &stats,
                                   double elapsedSeconds)
{
    const QList<PgBouncerStatsRate> rates = m_rates.update(stats, elapsedSeconds);
    QHash<QString, PgBouncerStatsRate> byDatabase;
    for (const PgBouncerStatsRate &r : rates)
        byDatabase.insert(r.database, r);
    QList<Row> rows;
    rows.reserve(stats.size());
    for (const services::PgBouncerStats &s : stats) {
        Row row;
        row.key = s.database;
        row.cells.resize(ColumnCount);
        row.cells[Database] = text(s.database);
        const auto it = byDatabase.constFind(s.database);
        if (it == byDatabase.constEnd()) {
            const QString pending = tr("…");
            for (int col = Transactions; col < ColumnCount; ++col)
                row.cells[col] = figure(pending, -1);
            row.cells[Transactions].insert(Qt::ToolTipRole,
                                           tr("Rates appear after the second read of SHOW STATS."));
        } else {
            const PgBouncerStatsRate &r = *it;
            row.cells[Transactions] =
                figure(perSecond(r.transactionsPerSecond), r.transactionsPerSecond);
            row.cells[Queries] = figure(perSecond(r.queriesPerSecond), r.queriesPerSecond);
            row.cells[Received] = figure(tr("%1/s").arg(formatBytes(qint64(r.receivedPerSecond))),
                                         r.receivedPerSecond);
            row.cells[Sent] =
                figure(tr("%1/s").arg(formatBytes(qint64(r.sentPerSecond))), r.sentPerSecond);
            row.cells[AvgQuery] = figure(formatSeconds(r.avgQuerySeconds), r.avgQuerySeconds);
            row.cells[Wait] =
                figure(tr("%1 s/s").arg(r.waitSecondsPerSecond, 0, 'f', 2), r.waitSecondsPerSecond);
        }
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
