#include "models/promchartqueries.h"

#include "services/metrics/prometheusclient.h"

namespace vigil::models {

using services::PrometheusClient;
using Chart = ChartHistory::Chart;

namespace {

const QString kUserDatabases = QStringLiteral("datname!~\"template0|template1|\"");

QString same(const QString &v)
{
    return v;
}

// sum by (datname) (rate(M1) [+ rate(M2)]) over the user databases.
QString databaseRate(const PrometheusClient &c, const QStringList &metrics, int range)
{
    QStringList rates;
    for (const QString &m : metrics)
        rates << QStringLiteral("rate(%1[%2s])").arg(c.selector(m, kUserDatabases)).arg(range);
    return QStringLiteral("sum by (datname) (%1)").arg(rates.join(QStringLiteral(" + ")));
}

// "[range s:resolution s]" of a subquery over `step`.
QString subqueryRange(int rangeSeconds, int step)
{
    return QStringLiteral("[%1s:%2s]").arg(rangeSeconds).arg(promSubqueryResolution(step));
}

QString joined(const QStringList &values)
{
    return values.join(QLatin1Char(' '));
}

} // namespace

const QList<PromChartQuery> &promChartQueries()
{
    static const QList<PromChartQuery> queries = {
        {Chart::LagBytes, QStringLiteral("application_name"),
         [](const PrometheusClient &c, int) {
             return QStringLiteral("max by (application_name) (%1)")
                 .arg(c.selector(QStringLiteral("pg_stat_replication_pg_wal_lsn_diff")));
         },
         same},
        {Chart::LagSeconds, QStringLiteral("member"),
         [](const PrometheusClient &c, int) {
             const QString replica = c.selector(QStringLiteral("patroni_replica"));
             return QStringLiteral("max by (member) ((time() - %1) and on (member) (%2 > %3) "
                                   "or on (member) (%4 == 1) * 0)")
                 .arg(c.selector(QStringLiteral("patroni_xlog_replayed_timestamp")),
                      c.selector(QStringLiteral("patroni_xlog_received_location")),
                      c.selector(QStringLiteral("patroni_xlog_replayed_location")), replica);
         },
         same},
        {Chart::ConnectionsByState, QStringLiteral("state"),
         [](const PrometheusClient &c, int) {
             return QStringLiteral("sum by (state) (%1)")
                 .arg(c.selector(QStringLiteral("pg_stat_activity_count")));
         },
         same},
        {Chart::Transactions, QStringLiteral("datname"),
         [](const PrometheusClient &c, int range) {
             return databaseRate(c,
                                 {QStringLiteral("pg_stat_database_xact_commit"),
                                  QStringLiteral("pg_stat_database_xact_rollback")},
                                 range);
         },
         same},
        {Chart::Tuples, QStringLiteral("datname"),
         [](const PrometheusClient &c, int range) {
             return databaseRate(c, {QStringLiteral("pg_stat_database_tup_inserted")}, range);
         },
         [](const QString &db) {
             return ChartHistory::tr("%1 inserted").arg(db);
         }},
        {Chart::Tuples, QStringLiteral("datname"),
         [](const PrometheusClient &c, int range) {
             return databaseRate(c, {QStringLiteral("pg_stat_database_tup_updated")}, range);
         },
         [](const QString &db) {
             return ChartHistory::tr("%1 updated").arg(db);
         }},
    };
    return queries;
}

QStringList promMemberMetrics()
{
    return {QStringLiteral("pg_up"),
            QStringLiteral("pg_stat_activity_count"),
            QStringLiteral("pg_stat_database_xact_commit"),
            QStringLiteral("pg_stat_database_tup_inserted"),
            QStringLiteral("patroni_xlog_replayed_timestamp"),
            QStringLiteral("patroni_replica")};
}

int promRateRangeSeconds(int stepSeconds)
{
    return qMax(20, 2 * stepSeconds);
}

int promSubqueryResolution(int stepSeconds)
{
    return qBound(15, stepSeconds / 40, 300);
}

const QList<PromCapacityQuery> &promCapacityQueries()
{
    static const QList<PromCapacityQuery> queries = {
        {CapacityTrend::DatabaseSize,
         {},
         [](const PrometheusClient &c, int) {
             return QStringLiteral("sum (max by (datname) (%1))")
                 .arg(c.selector(QStringLiteral("pg_database_size_bytes"), kUserDatabases));
         },
         [](const QStringList &) {
             return ChartHistory::tr("all databases");
         }},
        {CapacityTrend::ConnectionsPeak,
         {QStringLiteral("member")},
         [](const PrometheusClient &c, int step) {
             return QStringLiteral("max_over_time(sum by (member) (%1)%2)")
                 .arg(c.selector(QStringLiteral("pg_stat_activity_count")),
                      subqueryRange(step, step));
         },
         joined},
        {CapacityTrend::Transactions,
         {},
         [](const PrometheusClient &c, int step) {
             const int range = promRateRangeSeconds(step);
             return QStringLiteral("sum (rate(%1[%3s]) + rate(%2[%3s]))")
                 .arg(c.selector(QStringLiteral("pg_stat_database_xact_commit"), kUserDatabases),
                      c.selector(QStringLiteral("pg_stat_database_xact_rollback"), kUserDatabases))
                 .arg(range);
         },
         [](const QStringList &) {
             return ChartHistory::tr("all members");
         }},
        {CapacityTrend::WalRate,
         {},
         [](const PrometheusClient &c, int step) {
             return QStringLiteral("sum (rate((%1 > 0)%2))")
                 .arg(c.selector(QStringLiteral("patroni_xlog_location")),
                      subqueryRange(promRateRangeSeconds(step), step));
         },
         [](const QStringList &) {
             return ChartHistory::tr("leader");
         }},
        {CapacityTrend::VolumeFree,
         {QStringLiteral("instance"), QStringLiteral("mountpoint")},
         [](const PrometheusClient &c, int) {
             return QStringLiteral("max by (instance, mountpoint) (%1)")
                 .arg(c.selector(QStringLiteral("node_filesystem_avail_bytes"),
                                 QStringLiteral("fstype!~\"tmpfs|ramfs|devtmpfs|overlay|"
                                                "squashfs|nsfs|autofs|fuse.*\"")));
         },
         joined},
    };
    return queries;
}

} // namespace vigil::models
