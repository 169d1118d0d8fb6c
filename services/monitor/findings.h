#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QList>

namespace vigil::services {

// Thresholds of the derived findings. The defaults are the ops manual's alert levels.
struct FindingThresholds
{
    double lagWarningSeconds = 10; // replay lag (as the primary measures it)
    double lagCriticalSeconds = 30;
    double connectionsWarning = 0.80; // client backends / max_connections, strictly above
    double connectionsCritical = 0.95;
    double pgbouncerWaitCriticalSeconds = 10;          // a client waited this long for a server
    qint64 inactiveSlotWarningBytes = qint64(1) << 30; // WAL held back by an inactive slot
    qint64 scheduledSwitchoverWarningSeconds = 600;    // closer than this: WARNING, else OK (info)
    // A Patroni reaches the DCS once per loop_wait; this much longer than loop_wait (the HA
    // loop's own run time) and it has lost it (see dcsFindings in findings.cpp).
    qint64 dcsLoopSlackSeconds = 3;
    // How long a member may hold the leader key while its PostgreSQL is still in recovery: a
    // promotion takes a second or two; longer, and the "leader" accepts no writes.
    qint64 leaderInRecoveryCriticalSeconds = 15;
};

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
