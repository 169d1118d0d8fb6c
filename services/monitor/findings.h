#pragma once

#include "services/monitor/clustersnapshot.h"
#include "services/monitor/findingthresholds.h"

#include <QList>

namespace vigil::services {

// Derives the findings of one snapshot. Pure: no network, no clock (the snapshot's takenAt is
// "now"), so every finding is unit-tested on hand-built snapshots.
//
// Only current data counts as evidence: a member's REST-derived fields are used only when
// rest.ok(), its SQL-derived fields only when sql.ok(), so the stale last-known state of a
// crashed leader never makes a split brain with its successor.
//
// Severities follow Nagios: CRITICAL for what breaks writes or failover (split brain, no leader,
// the leader unreachable, all replicas down, HAProxy routing writes wrongly or down, PgBouncer
// down, lag > 30 s, connections > 95 %), WARNING for degraded redundancy or pressure, UNKNOWN
// when Vigil itself cannot see (nothing reachable, its own login refused), OK for information.
// The result is ordered by severity (CRITICAL first), then member, then code.
QList<Finding> deriveFindings(const ClusterSnapshot &snapshot,
                              const FindingThresholds &thresholds = {});

} // namespace vigil::services
