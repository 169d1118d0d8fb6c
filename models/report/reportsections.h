#pragma once

#include "models/report/healthreport.h"

#include <QString>

namespace vigil::models {

// The health report's sections that read a list (healthreport.cpp has the snapshot's tables and
// the charts). Each returns HTML starting with its heading (reporthtml.h).

// Key facts: leader and timeline, members answering, worst lag, fullest member, HAProxy,
// PgBouncer, maintenance mode.
QString summaryFactsHtml(const HealthReportInput &in);
QString findingsSectionHtml(const services::ClusterSnapshot &snapshot);
// The leader's pg_stat_replication per replica (ReplicationModel), under the topology.
QString replicationTableHtml(const services::ClusterSnapshotPtr &snapshot);
// The top statements by total time: the delta against a baseline sample when there is one, else
// cumulative since pg_stat_statements was reset, which the text says.
QString statementsSectionHtml(const HealthReportInput &in);
// The last backup (audit entry "backup") and the last successful one.
QString backupsSectionHtml(const HealthReportInput &in);
QString alertsSectionHtml(const HealthReportInput &in);
QString timelineSectionHtml(const HealthReportInput &in);
// Every maintenance task's state (ChecklistModel's columns), overdue ones counted first.
QString checklistSectionHtml(const HealthReportInput &in);

} // namespace vigil::models
