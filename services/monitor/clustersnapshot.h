#pragma once

#include "services/core/error.h"
#include "services/metrics/custommetricreading.h"
#include "services/metrics/hostmetrics.h"
#include "services/patroni/patronitypes.h"
#include "services/proxies/clientroute.h"
#include "services/proxies/haproxytypes.h"
#include "services/proxies/pgbouncertypes.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>
#include <memory>
#include <optional>

namespace vigil::services {

// Reachability of one channel (REST or SQL) of one member in one cycle.
struct ChannelStatus
{
    enum class State
    {
        Unknown,
        Ok,
        Unreachable,
        Unresponsive /* deadline passed */
    };
    State state = State::Unknown;
    ServiceError error;    // why not Ok
    qint64 latencyMs = -1; // round trip of this cycle, -1 when none
    QDateTime lastOk;      // when this channel last answered

    bool ok() const { return state == State::Ok; }
};

// pg_stat_replication row, seen on the member that sends WAL.
struct ReplicationStat
{
    int pid = 0;
    QString applicationName; // Patroni sets it to the replica's member name
    QString clientAddr;
    QString state;     // streaming, catchup, startup, backup
    QString syncState; // async, sync, potential, quorum
    QString sentLsn, writeLsn, flushLsn, replayLsn;
    std::optional<qint64> sentLagBytes, writeLagBytes, flushLagBytes, replayLagBytes;
    std::optional<double> writeLagSeconds, flushLagSeconds, replayLagSeconds;
};

// pg_stat_wal_receiver, on a replica.
struct WalReceiverStat
{
    QString status; // streaming, ...
    QString senderHost;
    int senderPort = 0;
    QString receivedLsn; // flushed_lsn
    std::optional<int> receivedTimeline;
    std::optional<QDateTime> lastMessageReceipt;
};

struct ConnectionStats
{
    int total = 0;
    int maxConnections = 0;
    // The breakdown costs a full pass over pg_stat_get_activity (milliseconds at 1,000
    // backends), so it is computed only as often as its cost allows (breakdownIntervalFor in
    // memberprobequery.h: every cycle on a small server); between those cycles the
    // maps are the last computed ones (carried forward), taken at breakdownAt. breakdownAt
    // unset: no breakdown computed yet (the maps are empty).
    // `total` (client backends) is exact on breakdown cycles; in between it is the backends
    // connected to a database, counted cheaply every cycle (pg_stat_get_db_numbackends), less
    // `otherAttached`: those that are no client backends (autovacuum and parallel workers,
    // logical walsenders, background workers), as counted at breakdownAt.
    QMap<QString, int> byState; // active, idle, idle in transaction, ... (client backends)
    QMap<QString, int> byApplication;
    QMap<QString, int> byDatabase;
    std::optional<QDateTime> breakdownAt;
    int otherAttached = 0;
    double usedFraction() const { return maxConnections > 0 ? double(total) / maxConnections : 0; }
};

struct ReplicationSlotStat
{
    QString name;
    QString type; // physical, logical
    bool active = false;
    std::optional<qint64> retainedWalBytes;
};

struct ArchiverStat
{
    qint64 archivedCount = 0;
    qint64 failedCount = 0;
    QString lastArchivedWal;
    std::optional<QDateTime> lastArchivedTime;
    QString lastFailedWal;
    std::optional<QDateTime> lastFailedTime;
    QString archiveMode;    // off, on, always ("" from a server that did not say)
    QString archiveCommand; // as the server runs it (pg_monitor may read it)

    // The last attempt failed (failures before a later success have healed): the finding "WAL
    // archiving fails" and the archiver view's "failing".
    bool lastAttemptFailed() const
    {
        return failedCount > 0 && lastFailedTime &&
               (!lastArchivedTime || *lastFailedTime > *lastArchivedTime);
    }
};

struct DatabaseSize
{
    QString name;
    qint64 bytes = 0;
};

// Per-database cumulative counters (pg_stat_database), for rates in charts.
struct DatabaseCounters
{
    QString name;
    qint64 xactCommit = 0, xactRollback = 0;
    qint64 tupInserted = 0, tupUpdated = 0, tupDeleted = 0;
};

// One session named in a lock-contention finding.
struct SessionBrief
{
    int pid = 0;
    QString user;
    QString application;
    QString state;      // pg_stat_activity.state
    double seconds = 0; // see the field that holds it
    int waiting = 0;    // sessions held up behind it (root blockers)
};

// Lock contention on one member, from the SQL probe on its breakdown cycles (it reads
// pg_stat_get_activity(NULL), see monitor_member.sql), carried forward in between like the
// connection breakdown (measuredAt = ConnectionStats::breakdownAt of that probe).
struct LockContention
{
    QDateTime measuredAt;
    // The session idle in transaction the longest; seconds = since its last statement ended.
    std::optional<SessionBrief> oldestIdleInTransaction;
    // The root blocker (holds a lock others wait for, waits for no lock itself) that has held a
    // session up the longest; seconds = how long its longest waiter's statement has run,
    // waiting = the sessions behind it, directly or through other waiters.
    std::optional<SessionBrief> rootBlocker;
};

// Cumulative pg_stat_statements totals over all statements of the member (the probe's
// database's view is instance-wide), for the mean over the last interval.
struct StatementTotals
{
    double totalExecMs = 0;
    qint64 calls = 0;
    QDateTime at; // when they were read (at the sizes' cadence)
};

// Rates over the interval between two SQL probes of one member: deltas of cumulative counters,
// not averages since the last reset. Unset on the first probe, and after a counter went
// backwards (statistics reset, restart).
struct MemberRates
{
    double intervalSeconds = 0;
    std::optional<double> rollbacksPerSecond; // sum of xact_rollback deltas / interval
    // Between the last two reads of pg_stat_statements (sizes' cadence), carried in between:
    double statementIntervalSeconds = 0;
    std::optional<double> statementMeanMs; // sum(delta total_exec_time) / sum(delta calls)
    qint64 statementCalls = 0;             // sum(delta calls)
};

// A parameter whose changed value takes effect only after a restart (pg_settings WHERE
// pending_restart), with the value still running.
struct PendingRestartSetting
{
    QString name;
    QString running;
};

struct MemberSnapshot
{
    // From the DCS view (/cluster)
    QString name;
    QString host;
    int port = 0;
    QUrl apiUrl;
    bool inDcs = true; // false: known from an earlier cycle, gone from /cluster
    // The DCS view (GET /cluster) has never been read: this member is known only from one of the
    // profile's REST URLs (named by its address); its SQL address is unknown.
    bool fromUrlOnly = false;
    PatroniRole role = PatroniRole::Unknown;
    QString state;
    std::optional<int> timeline;
    std::optional<qint64> lagBytes; // as Patroni reports it (vs the DCS leader position)
    bool pendingRestart = false;
    // Patroni's reason (newer Patroni), else made from pendingRestartSettings and /config's
    // values when the snapshot is built (describePendingRestart): "max_connections: 100 → 200".
    QString pendingRestartReason;
    QVariantMap tags;
    std::optional<QDateTime> scheduledRestart;

    // From the member itself. When a channel did not answer in this cycle, the data it feeds is
    // the last known (stale since channel.lastOk), not cleared: check rest.ok() / sql.ok() before
    // treating it as current (deriveFindings does).
    ChannelStatus rest; // GET /patroni
    std::optional<PatroniNodeStatus> patroni;
    ChannelStatus sql;              // the SQL probe
    std::optional<bool> inRecovery; // pg_is_in_recovery()
    // Since when this member has held the leader key (DCS view) while its own SQL said
    // pg_is_in_recovery(): carried across cycles by ClusterMonitor; unset when not the case.
    std::optional<QDateTime> leaderInRecoverySince;
    std::optional<int> serverVersion;
    QList<ReplicationStat> replication; // what this member sends
    std::optional<WalReceiverStat> walReceiver;
    std::optional<ConnectionStats> connections;
    std::optional<double> probeServerMs; // the server's time on the last SQL probe ("server_ms")
    QList<ReplicationSlotStat> replicationSlots;
    std::optional<ArchiverStat> archiver;
    QList<DatabaseSize> databaseSizes; // slower cadence; last known values
    // From the SQL probe at the sizes' cadence (last known): what the pending restart is for.
    QList<PendingRestartSetting> pendingRestartSettings;
    QList<DatabaseCounters> databaseCounters;
    std::optional<QDateTime> databaseCountersAt; // when databaseCounters were read
    // pg_stat_statements' totals, read at the sizes' cadence (last known; unset: the extension
    // is not installed in the probe's database).
    std::optional<StatementTotals> statementTotals;
    MemberRates rates;                   // from the last two probes' counters
    std::optional<LockContention> locks; // on a primary; last known
    std::optional<qint64> walDirBytes;   // pg_ls_waldir() sum, at the sizes' cadence
    QString dataDirectory; // SHOW data_directory at the sizes' cadence (empty: not visible)
    // From node_exporter through the profile's Prometheus (ClusterSnapshot::hosts says how
    // fresh); unset without Prometheus or when no node_exporter series is this member's.
    std::optional<HostFigures> hostFigures;

    bool isLeader() const
    {
        return role == PatroniRole::Leader || role == PatroniRole::StandbyLeader;
    }
    // Replay lag in bytes/seconds of this member as a replica, as the leader sees it.
    std::optional<qint64> replayLagBytes;
    std::optional<double> replayLagSeconds;
};

struct Finding
{
    enum class Severity
    {
        Ok,
        Warning,
        Critical,
        Unknown
    };
    enum class Code
    {
        SplitBrain,
        NoLeader,
        ReplicaDown,
        RoutingMismatch,
        PgBouncerWaiting,
        PgBouncerUnreachable,
        HaproxyUnreachable,
        MemberUnresponsive,
        MemberUnreachable,
        ReplicationLag,
        ConnectionsHigh,
        PendingRestart,
        Paused,
        ScheduledSwitchover,
        DcsUnreachable,
        LeaderInRecovery,
        PrimaryDown,
        FailedOver,
        LockBlocker,
        IdleInTransaction,
        SlowQueries,
        ErrorRate,
        DiskSpace,
        ArchiveFailing,
        HostMetrics,
        CustomMetric, // a profile's custom metric at or above its level; `member`: the metric
        Other         // keep last: findingCodeFromName walks the codes up to it
    };
    Severity severity = Severity::Warning;
    Code code = Code::Other;
    QString member;  // empty when cluster-wide; CustomMetric: the metric's name
    QString message; // a full translated sentence
};
QString findingCodeName(Finding::Code code);      // stable machine name, e.g. "split_brain"
QString severityName(Finding::Severity severity); // "OK", "WARNING", "CRITICAL", "UNKNOWN"

struct HaproxySnapshot
{
    ChannelStatus channel;
    std::optional<HaproxyStats> stats;
    QStringList readWriteServersUp; // servers UP in the read-write backend
    QString readWriteBackend;       // the proxy actually checked; empty: none found in the stats
};

struct PgBouncerSnapshot
{
    ChannelStatus channel;
    QList<PgBouncerPool> pools;
    QList<PgBouncerDatabase> databases; // SHOW DATABASES, at the slower cadence (last known)
    // Where each database's clients (and the '*' fallback's, and the addresses PgBouncer sends
    // them to) land, proven by a probe through the route at the slower cadence (last known);
    // the member reached is matched when the snapshot is assembled (matchRouteMembers).
    QList<ClientRoute> routes;
    qint64 waitingClients() const;
};

// One immutable picture of the cluster per monitor cycle. Shared as
// std::shared_ptr<const ClusterSnapshot>: nothing may modify it after it is emitted.
// The last change of leader seen by the monitor (carried across cycles by ClusterPoller).
struct LeaderChange
{
    QString from, to;
    QDateTime fromLastSeen; // when `from` last answered as the leader (REST or SQL)
    QDateTime at;           // the first cycle that saw `to` as the leader
    // The old leader still answered in the cycle before the change: a switchover, not a
    // failover.
    bool planned = false;
};

// The members' host figures (MemberSnapshot::hostFigures): read at the sizes' cadence, never waited
// for; channel.state Unknown when the profile names no Prometheus.
struct HostMetricsStatus
{
    ChannelStatus channel;
    QString source;        // "node_exporter through Prometheus at http://…"
    QStringList unmatched; // members without figures, one sentence each (hostFiguresFor)
};

// The active alerts of the profile's Alertmanager (ExternalAlertsReader), shown beside Vigil's
// own and never fed to its alert engine; channel.state Unknown when the profile names none.
struct ExternalAlertsStatus
{
    ChannelStatus channel;
    QString source; // "Alertmanager at http://…"
    QList<ExternalAlert> alerts;
};

struct ClusterSnapshot
{
    quint64 sequence = 0;
    QString profileName;
    QString scope;           // Patroni's cluster name (from /patroni "patroni.scope")
    QDateTime takenAt;       // when the cycle started
    qint64 cycleMs = 0;      // how long the cycle took
    ChannelStatus discovery; // GET /cluster (DCS view)
    bool paused = false;
    std::optional<PatroniScheduledSwitchover> scheduledSwitchover;
    QList<MemberSnapshot> members;
    std::optional<PatroniConfig> dynamicConfig; // GET /config, refreshed at sizeIntervalMs
    HaproxySnapshot haproxy;                    // channel.state Unknown when not configured
    PgBouncerSnapshot pgbouncer;                // likewise
    HostMetricsStatus hosts;                    // likewise
    ExternalAlertsStatus alertmanager;          // likewise
    QList<Finding> findings;
    // The profile's custom metrics, the last reading of each (CustomMetricRunner; empty when the
    // profile has none).
    QList<CustomMetricReading> customMetrics;
    // The last leader seen and since when it answered no more (ClusterPoller carries these):
    // the leader key's expiry is counted from lastLeaderSeen.
    QString lastLeader;
    QDateTime lastLeaderSeen;
    std::optional<LeaderChange> leaderChange;

    const MemberSnapshot *leader() const;
    const MemberSnapshot *member(const QString &name) const;
    Finding::Severity worstSeverity() const;
};

using ClusterSnapshotPtr = std::shared_ptr<const ClusterSnapshot>;

} // namespace vigil::services
