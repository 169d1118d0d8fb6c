#pragma once

#include "clustersnapshot.h"
#include "error.h"

#include <QByteArray>
#include <QString>

// The per-member SQL probe of ClusterMonitor: its query (resources/sql/monitor_member.sql) and
// the parser of its one-row json answer. Kept apart from the monitor so that the parser is
// tested without a server.
namespace vigil::services {

// The probe's SQL text (`:/sql/monitor_member.sql`), loaded once. $1 = compute database sizes,
// $2 = compute the connection breakdown (by state, application, database).
const QString &memberProbeSql();

// The probe runs as a prepared statement, once prepared per connection: planning this query
// costs about as much server CPU as running it (~1 ms), every second, on every member.
// memberProbePrepareSql() prepares it as "vigil_member_probe"; memberProbeExecuteSql() runs it
// (a utility statement takes no bind parameters, hence the two fixed texts).
const QString &memberProbePrepareSql();
QString memberProbeExecuteSql(bool withSizes, bool withBreakdown);

// Replaces the SQL-derived fields of `member` (inRecovery, serverVersion, replication,
// walReceiver, connections, replicationSlots, archiver, databaseCounters) with the probe's
// answer. databaseSizes is replaced only when the answer carries sizes (it does at
// sizeIntervalMs), otherwise the last known sizes stay. Likewise the connection breakdown
// (byState/byApplication/byDatabase) is replaced only when the answer carries one
// ("breakdown": true, at breakdownIntervalMs), and then stamped with `takenAt`; otherwise the
// last breakdown and its breakdownAt are carried forward, while total and maxConnections are
// always the answer's. On a Parse error `member` is unchanged.
ServiceError applyMemberProbe(const QByteArray &json, MemberSnapshot &member,
                              const QDateTime &takenAt = QDateTime::currentDateTimeUtc());

} // namespace vigil::services
