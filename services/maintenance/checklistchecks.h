#pragma once

#include "services/core/auditlog.h"
#include "services/maintenance/checklist.h"
#include "services/monitor/clustersnapshot.h"
#include "services/monitor/findingthresholds.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace vigil::services {

// What the automatic checks look at: the cluster's last snapshot (may be null: not read yet),
// the profile's thresholds, the audit log's entries and the names the cluster is logged under
// (the profile name for the window's entries, Patroni's scope for the CLI's).
struct ChecklistCheckInput
{
    ClusterSnapshotPtr snapshot;
    FindingThresholds thresholds;
    QList<AuditEntry> audit;
    QStringList clusterNames;
    QString who; // the OS user recorded with the results
    QDateTime now;
};

// Runs the check of one automatic item (ChecklistItem::automatic()) and returns its record:
// Passed, Failed or Unknown with the evidence in a sentence or two, and doneAt = when the
// evidenced event happened. Pure: no clock, no file, no network.
//   Check cluster health status: the snapshot's findings. Passed with none above OK; Failed
//     with any WARNING or CRITICAL (a frozen or stopped replica is a WARNING, and a daily
//     health check that passes over it hides the loss of the failover candidate); Unknown when
//     only UNKNOWN findings (Vigil could not look) remain or there is no snapshot.
//   Verify backup completion: the last `vigil backup` of the cluster in the audit log (ok and
//     less than a day old) and the leader's WAL archiver (its last attempt must not have failed;
//     the last success's time is given).
//   Monitor key performance metrics: every replica's replay lag and every member's connections
//     below the profile's warning thresholds.
//   Test backup restore procedure: the last "restore_test" entry of the cluster, ok and within
//     a week. None: Failed, saying none was run.
//   Failover testing: the last switchover (or scheduled switchover, switchover dry run, or
//     failover) of the cluster, ok and within a month.
ChecklistRecord runChecklistCheck(const ChecklistItem &item, const ChecklistCheckInput &input);
// Every automatic item's check, in the schedule's order.
QList<ChecklistRecord> runAutomaticChecks(const ChecklistCheckInput &input);

} // namespace vigil::services
