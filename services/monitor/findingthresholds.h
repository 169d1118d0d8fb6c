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
};

} // namespace vigil::services
