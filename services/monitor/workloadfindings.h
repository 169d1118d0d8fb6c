#pragma once

#include "services/monitor/clustersnapshot.h"
#include "services/monitor/findingthresholds.h"

#include <QList>

namespace vigil::services {

// The findings about one member's workload, as its SQL probe sees it (part of deriveFindings,
// kept apart so findings.cpp stays about the cluster's shape): lock contention (LockBlocker,
// IdleInTransaction) and disk (DiskSpace: node_exporter's free space on any member, else SQL's
// sizes against the profile's capacity on a primary), slow statements (SlowQueries) and
// rollbacks (ErrorRate) on any member. Only fresh SQL counts (sql.ok()). Unsorted;
// deriveFindings orders them.
QList<Finding> workloadFindings(const MemberSnapshot &m, const FindingThresholds &t);

// The host figures' channel (ClusterSnapshot::hosts): a WARNING once Prometheus has failed for
// longer than kHostMetricsGraceSeconds (HostMetrics), and one OK note per member it has no
// node_exporter series for.
constexpr int kHostMetricsGraceSeconds = 60;
QList<Finding> hostMetricsFindings(const ClusterSnapshot &s);

// Seconds as the findings print them: one decimal below 10 ("2.5"), none from 10 on ("34").
QString findingSeconds(double seconds);

} // namespace vigil::services
