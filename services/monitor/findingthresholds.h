#pragma once

#include <QtGlobal>

namespace vigil::services {

// Thresholds of the derived findings (deriveFindings, findings.h), kept per cluster profile
// (ClusterProfile::thresholds, edited in the profile dialog). The defaults are the ops manual's
// alert levels. A plain value type without Qt objects, so a profile can hold it.
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
    // How long "failed over to node3 after N s" stays listed after a leader change.
    qint64 failoverNoticeSeconds = 300;
    // Lock contention: a root blocker (holds a lock others wait for, waits for none itself)
    // that has held a session up this long, and a session idle in transaction this long.
    double blockerWarningSeconds = 30;
    double idleInTransactionWarningSeconds = 300;
    // Statements slower than this on average over the last probe interval (pg_stat_statements).
    double slowQueryWarningMs = 5000;
    // Rolled-back transactions per second on one member (pg_stat_database deltas).
    double rollbacksWarningPerSecond = 10;
    // The data volume's capacity for the disk rule when the server cannot tell its free space:
    // 0 = not set (no disk rule). Free below the fractions: WARNING / CRITICAL.
    qint64 diskCapacityBytes = 0;
    double diskFreeWarning = 0.20;
    double diskFreeCritical = 0.10;

    // The alert engine's hysteresis (AlertEngine, alertengine.h). Counted in snapshots, so per
    // profile: a profile polled every 5 s waits five times longer than one polled every second.
    // A WARNING (or UNKNOWN) raises after 3 consecutive snapshots that show it: one slow answer
    // of a loaded member (a REST call past its deadline) lasts one cycle and should not page
    // anyone; 3 s at the default 1 s polling is still well inside a DBA's reaction time.
    int alertRaiseSnapshots = 3;
    // A CRITICAL raises after 2: fast (a dead primary is worth seconds), but not on 1, because a
    // single cycle in which a member misses its deadline is routine on a busy host and would
    // send a desktop notification for nothing.
    int alertRaiseSnapshotsCritical = 2;
    // An alert clears after 5 consecutive snapshots in which its rule no longer holds even at the
    // relaxed thresholds: longer than raising, since a clear that is followed by a new raise is
    // two notifications for one problem.
    int alertClearSnapshots = 5;
    // An active alert stays while its rule still holds with every threshold relaxed by this
    // fraction (lag 30 s clears below 27 s, connections 95 % below 85.5 %, free disk 10 % above
    // 11 %): values wandering around the edge do not flap.
    double alertHysteresis = 0.10;
    // The custom metrics' own levels (CustomMetric::warning/critical) are multiplied by this
    // before they are compared: 1 for the findings, lowered by AlertEngine::relaxedThresholds so
    // their alerts clear with the same hysteresis. Not a setting (never saved in a profile).
    double customMetricLevelScale = 1.0;
};

} // namespace vigil::services
