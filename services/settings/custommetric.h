#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// One custom metric of a profile: a SQL query that answers one number (one row, one column) or
// one number per label (rows of label, number), where it runs, how often, its unit and optional
// alert levels. Saved by ProfileStore with the profile (ProfileStore::customMetrics /
// setCustomMetrics; kept apart from ClusterProfile like PrometheusSettings, so the value type
// every layer includes does not grow for an optional part). Run by CustomMetricRunner
// (services/metrics/), always read-only and under a statement_timeout.
struct CustomMetric
{
    enum class Target
    {
        Leader,    // the cluster's leader (what only the primary knows: its sessions, statements)
        AnyReplica // a running replica (reads that should not load the primary)
    };
    static constexpr int kMinIntervalMs = 5000;

    QString name; // the chart's title and the alert's subject; unique within a profile
    QString sql;
    QString database; // empty: the profile's (its conninfo's dbname)
    Target target = Target::Leader;
    int intervalMs = 15000;
    QString unit; // free text shown after the values ("games", "connections", "s")
    // Alert levels: the metric (any of its labels) at or above them is a WARNING / CRITICAL
    // finding (Finding::Code::CustomMetric). Unset: no alert.
    std::optional<double> warning, critical;

    // Empty when the metric can be run; else a sentence saying what to fix.
    QString validationError() const;

    bool operator==(const CustomMetric &o) const
    {
        return name == o.name && sql == o.sql && database == o.database && target == o.target &&
               intervalMs == o.intervalMs && unit == o.unit && warning == o.warning &&
               critical == o.critical;
    }
    bool operator!=(const CustomMetric &o) const { return !(*this == o); }
};

// "leader" / "replica": the names saved in settings.
QString customMetricTargetName(CustomMetric::Target target);
std::optional<CustomMetric::Target> customMetricTargetFromName(const QString &name);

// The ops manual's three custom queries for gaming metrics (Monitoring and Alerting), for the
// sandbox's game database `database` (hokm_game): active game sessions in the last 5 minutes
// (on any replica), player connections by application (application_name LIKE 'hokm%', on the
// leader) and game statements with a mean time over 1 s (pg_stat_statements, on the leader;
// warning at the manual's 5 s "slow queries" level). The SQL is in resources/sql/custom_*.sql.
QList<CustomMetric> manualGamingMetrics(const QString &database = QStringLiteral("hokm_game"));

} // namespace vigil::services
