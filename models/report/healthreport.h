#pragma once

#include "models/charthistory.h"
#include "services/core/auditlog.h"
#include "services/diagnostics/statementsservice.h"
#include "services/maintenance/checklist.h"
#include "services/monitor/alerttypes.h"
#include "services/monitor/clustersnapshot.h"
#include "services/timeline/timelineevent.h"

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::models {

// Everything the health report of one cluster shows, gathered once (HealthReportGatherer, or by
// hand in tests): one snapshot of the monitor, the chart history it fed, a pg_stat_statements
// sample of the leader, and what this machine recorded (alerts, timeline, audit log).
struct HealthReportInput
{
    services::ClusterSnapshotPtr snapshot; // the state; required
    QDateTime generatedAt;                 // UTC
    QString generatedBy;                   // "Vigil 0.9 on host (user)"

    // Lag and connections charts: the history's samples from chartsFrom to generatedAt, and in
    // words where they come from ("the last hour the window recorded", "a 30 s sampling window").
    const ChartHistory *history = nullptr;
    QDateTime chartsFrom;
    QString chartsSource;

    // pg_stat_statements on the leader: the latest sample, and when one exists, an older sample
    // (ideally a day old) to take the delta from. No baseline: cumulative since the reset.
    std::optional<services::StatementsSample> statements;
    std::optional<services::StatementsSample> statementsBaseline;
    QString statementsNote; // why there is no sample (not installed, not reachable, ...)

    QList<services::AlertEvent> alerts;      // this cluster's, the last 24 h, oldest first
    QList<services::TimelineEvent> timeline; // the last 24 h, oldest first
    QList<services::AuditEntry> backups;     // audit entries "backup" of the cluster, oldest first
    // The cluster's maintenance checklist history (ChecklistStore), any order: every item's
    // state at generatedAt is shown, overdue ones marked.
    QList<services::ChecklistRecord> checklist;
    int timelineWindowSeconds = 24 * 3600;
};

// The report as one self-contained HTML document and the chart images it names. Each chart is
// an <img> whose src is a data: URL holding the PNG (the HTML file stands alone); `images` maps
// the same URL to the image so QTextDocument, which does not decode data: URLs, is given them as
// resources (reportdocument.h).
struct HealthReport
{
    QString title; // "Health report: hokm-ha"
    QString html;
    QList<QPair<QString, QImage>> images;
};

HealthReport buildHealthReport(const HealthReportInput &input);

// The cluster's name as the report titles it: the profile name, with Patroni's scope when it
// differs.
QString reportClusterName(const services::ClusterSnapshot &snapshot);

} // namespace vigil::models
