#pragma once

#include "services/core/error.h"
#include "services/core/jsonfields.h"
#include "services/monitor/clustersnapshot.h"
#include "services/postgres/pgstatement.h"

#include <QByteArray>
#include <QString>
#include <optional>

// The per-member SQL probe of ClusterMonitor: its query (resources/sql/monitor_member.sql) and
// the parser of its one-row json answer. Kept apart from the monitor so that the parser is
// tested without a server.
namespace vigil::services {

// The probe's SQL text (`:/sql/monitor_member.sql`), loaded once. $1 = compute database sizes,
// $2 = compute the connection breakdown (by state, application, database).
const QString &memberProbeSql();
// The cheap statement (`:/sql/monitor_member_cheap.sql`): the same text without the lines
// between "-- [full cycles only: begin]" and "-- [full cycles only: end]" (sizes, breakdown,
// exact total), for the cycles that need none of them: the executor of the full statement
// starts every subplan up, read or not. Same parameters; always run with (false, false).
const QString &memberProbeCheapSql();

// The probe runs as two prepared statements (PgSession::execPrepared), each prepared once per
// connection when a cycle first needs it: planning this query costs about as much server CPU as
// running it, every second, on every member. The full statement is
// "vigil_member_probe", the cheap one "vigil_member_probe_cheap", both with two boolean
// parameters. A cycle runs the cheap one when it needs neither sizes nor the breakdown.
const PgStatement &memberProbeStatement(bool withSizes, bool withBreakdown);

// Replaces the SQL-derived fields of `member` (inRecovery, serverVersion, replication,
// walReceiver, connections, replicationSlots, archiver, databaseCounters, statementTotals) with
// the probe's answer, and computes `rates` from the counters it replaces (ratesBetween). locks
// and walDirBytes come on breakdown and sizes cycles; otherwise the last known stay.
// databaseSizes is replaced only when the answer carries sizes (it does at sizeIntervalMs),
// otherwise the last known sizes stay. Likewise the connection breakdown
// (byState/byApplication/byDatabase) is replaced only when the answer carries one
// ("breakdown": true, see breakdownIntervalFor), and then stamped with `takenAt`; otherwise the
// last breakdown, its breakdownAt and otherAttached are carried forward, and total is the
// answer's "attached" less otherAttached (ConnectionStats). maxConnections is always the
// answer's. On a Parse error `member` is unchanged.
// pg_stat_archiver's figures from an object's "archiver" member, as the probe sends them and
// the status JSON keeps them; nullopt without one.
std::optional<ArchiverStat> readArchiverStat(JsonFields &o);

ServiceError applyMemberProbe(const QByteArray &json, MemberSnapshot &member,
                              const QDateTime &takenAt = QDateTime::currentDateTimeUtc());

// Why a member has a pending restart, from what its SQL probe read (pg_settings WHERE
// pending_restart) and, for the value waiting, the dynamic configuration's parameters (null:
// unknown): "max_connections: 100 → 200", or "max_connections (running 100)" when /config does
// not hold the parameter. Several are joined with "; ". Empty when `settings` is.
QString describePendingRestart(const QList<PendingRestartSetting> &settings,
                               const PatroniConfig *config);

// How long to wait between two connection breakdowns on a member. pg_stat_get_activity(NULL)
// is quadratic in the number of backends on PostgreSQL 15 (figures: README, bench_queries.sh),
// so its pace follows its cost: `fullMs` and `cheapMs` are the server's time
// ("server_ms") on recent cycles with and without the breakdown, and the difference is spread
// over enough cycles that the breakdown adds at most `budgetMs` per cycle on average: every
// cycle on a small server, every few seconds on a big one, never less often than
// `maxIntervalMs`. Until both kinds of cycle are measured, the next cycle measures the missing
// one (a cycle with sizes does not count); budgetMs <= 0 fixes the pace at maxIntervalMs.
int breakdownIntervalFor(std::optional<double> fullMs, std::optional<double> cheapMs,
                         int stateIntervalMs, int maxIntervalMs, double budgetMs);

// The rates over the interval between two probes of one member (MemberRates): rollbacks per
// second from the pg_stat_database counters (databases in both, matched by name), the mean
// statement time from pg_stat_statements' totals. A counter that went backwards (statistics
// reset, restart, another server behind the address) gives no rate for that interval; the
// next interval counts from the new values. Reads databaseCounters, databaseCountersAt and
// statementTotals of both; while statementTotals were carried forward (the same `at`), the
// statement figures of before.rates stay.
MemberRates ratesBetween(const MemberSnapshot &before, const MemberSnapshot &after);

} // namespace vigil::services
