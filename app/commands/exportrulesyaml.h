#pragma once

#include "services/monitor/findingthresholds.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace vigil::app {

// The Prometheus alerting-rules file of `vigil export-rules`: the ops manual's critical and
// warning alerts as PromQL over what Debian 12's exporters expose (postgres_exporter 0.11.1,
// node_exporter 1.5, pgbouncer_exporter 1.7, HAProxy's PROMEX, Patroni 3.0's /metrics), at the
// profile's thresholds (FindingThresholds), written with yaml-cpp's emitter.
//
// Contract with the scrape configuration (packaging/sandbox/metrics.sh does this): every series
// of the cluster carries the selector's labels (e.g. scope="hokm-ha", Patroni's own label), and
// the Patroni and postgres_exporter targets of one member share a `member` label, on which the
// rules join the two. Metric names were checked against the sandbox's exporters.
class ExportRulesYaml
{
public:
    struct Options
    {
        QString cluster;      // the profile's name: group name and `cluster` label
        QStringList matchers; // PromQL label matchers, e.g. scope="hokm-ha"
        QString forDuration;  // `for:` of every rule (Prometheus duration, e.g. 1m)
        QString rwBackend;    // HAProxy's read-write backend (the profile's)
        services::FindingThresholds thresholds;
    };

    static QByteArray render(const Options &options);

    // Is `matcher` one PromQL label matcher (name, =|!=|=~|!~, a double-quoted value)?
    static bool isMatcher(const QString &matcher);
    // Is `duration` a Prometheus duration such as 10s, 1m, 1h30m?
    static bool isDuration(const QString &duration);

    // The manual's alerts the exporters cannot express, and why (also a comment in the file).
    static QStringList notExpressible();
};

} // namespace vigil::app
