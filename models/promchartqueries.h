#pragma once

#include "charthistory.h"

#include <QList>
#include <QStringList>
#include <functional>

namespace vigil::services {
class PrometheusClient;
}

namespace vigil::models {

// THE mapping of Vigil's chart series to PromQL over postgres_exporter and Patroni's /metrics
// (the one place; README "Charts backfilled from Prometheus" lists it). Each entry gives the
// expression for a rate window of `rangeSeconds`, the label whose value names the line, and how
// that value becomes the line's label so that it is the very label ChartHistory gives its live
// series (the two then join into one line):
//   LagBytes            max by (application_name) (pg_stat_replication_pg_wal_lsn_diff)
//                       (the leader's pg_stat_replication; Patroni names a standby after its
//                       member)
//   LagSeconds          time() - patroni_xlog_replayed_timestamp while a replica has WAL left to
//                       replay, else 0 (postgres_exporter 0.11 exports no replay_lag; Vigil's
//                       own replay_lag is empty once a standby caught up)
//   ConnectionsByState  sum by (state) (pg_stat_activity_count)
//   Transactions        sum by (datname) (rate(xact_commit) + rate(xact_rollback))
//   Tuples              sum by (datname) (rate(tup_inserted)) and (rate(tup_updated))
// Every selector also carries the profile's matchers (scope="hokm-ha"). Template databases are
// left out, as ChartHistory leaves them out.
struct PromChartQuery
{
    ChartHistory::Chart chart;
    QString labelKey; // the Prometheus label naming the line
    std::function<QString(const services::PrometheusClient &, int rangeSeconds)> expr;
    std::function<QString(const QString &labelValue)> lineLabel;
};

const QList<PromChartQuery> &promChartQueries();

// The metrics the charts need from every member (for "Test connection").
QStringList promMemberMetrics();

// The rate window for a step: at least four 5 s scrapes, and at least two steps.
int promRateRangeSeconds(int stepSeconds);

// The capacity view's trends (CapacityModel), over the same exporters, a point every `step`:
//   DatabaseSize     sum (max by (datname) (pg_database_size_bytes)): every member reports the
//                    same databases, so the largest report of each counts once
//   ConnectionsPeak  max_over_time(sum by (member) (pg_stat_activity_count)[step:res]): each
//                    member's highest connection count within the step (a subquery sampled
//                    every promSubqueryResolution(step) s), not the step's average
//   Transactions     sum (rate(xact_commit) + rate(xact_rollback)) over every member
//   WalRate          sum (rate((patroni_xlog_location > 0)[range:res])): the leader's WAL
//                    position (Patroni exports 0 on replicas); dropping the zeros keeps a
//                    failover from reading as a jump from 0 to the whole LSN
//   VolumeFree       node_filesystem_avail_bytes of real file systems, a line per instance and
//                    mount point (CapacityModel keeps the one holding the data)
// Template databases are left out, as for the charts.
enum class CapacityTrend
{
    DatabaseSize,
    ConnectionsPeak,
    Transactions,
    WalRate,
    VolumeFree
};

struct PromCapacityQuery
{
    CapacityTrend trend;
    QStringList labelKeys; // the labels naming a line (none: one line, named by lineLabel)
    std::function<QString(const services::PrometheusClient &, int stepSeconds)> expr;
    std::function<QString(const QStringList &labelValues)> lineLabel;
};

const QList<PromCapacityQuery> &promCapacityQueries();

// A subquery's resolution for a step: about 40 evaluations a step, between 15 s and 5 min.
int promSubqueryResolution(int stepSeconds);

} // namespace vigil::models
