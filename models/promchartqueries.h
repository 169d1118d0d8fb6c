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

} // namespace vigil::models
