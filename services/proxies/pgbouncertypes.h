#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"

#include <QList>
#include <QString>

namespace vigil::services {

// SHOW POOLS, one row.
struct PgBouncerPool
{
    QString database;
    QString user;
    qint64 clientsActive = 0;  // cl_active
    qint64 clientsWaiting = 0; // cl_waiting
    qint64 serversActive = 0;  // sv_active
    qint64 serversIdle = 0;    // sv_idle
    qint64 serversUsed = 0;    // sv_used
    qint64 serversTested = 0;  // sv_tested
    qint64 serversLogin = 0;   // sv_login
    qint64 maxWaitSeconds = 0; // maxwait (+ maxwait_us / 1e6)
    double maxWait = 0;        // seconds, with microseconds
    QString poolMode;
};

Result<QList<PgBouncerPool>> parsePgBouncerPools(const PgResult &result);

// SHOW DATABASES, one row: where PgBouncer sends a database's clients, and whether it holds them.
struct PgBouncerDatabase
{
    QString name; // the name clients connect to
    QString host; // empty: a Unix socket
    int port = 0;
    QString database; // the name on the server
    bool paused = false;
    bool disabled = false;
};

// The admin console's own pseudo-database ("pgbouncer", no host) is left out.
Result<QList<PgBouncerDatabase>> parsePgBouncerDatabases(const PgResult &result);

// SHOW STATS, one row: a database's counters since PgBouncer started (they only grow, until a
// restart sets them back to zero). Times in microseconds, traffic in bytes.
struct PgBouncerStats
{
    QString database;
    qint64 transactions = 0; // total_xact_count
    qint64 queries = 0;      // total_query_count
    qint64 received = 0;     // total_received
    qint64 sent = 0;         // total_sent
    qint64 xactTimeUs = 0;   // total_xact_time
    qint64 queryTimeUs = 0;  // total_query_time
    qint64 waitTimeUs = 0;   // total_wait_time: clients waiting for a server
};

Result<QList<PgBouncerStats>> parsePgBouncerStats(const PgResult &result);

// SHOW CLIENTS or SHOW SERVERS, one row (both answers have the same columns).
struct PgBouncerConnection
{
    QString ptr;  // PgBouncer's own id of the connection (stable while it lives)
    QString type; // C client, S server
    QString user;
    QString database;
    QString state; // active, waiting, idle, used, login...
    QString addr;
    int port = 0;
    QString connectTime;
    QString requestTime;
    double waitSeconds = 0; // wait + wait_us (clients: how long the current wait lasts)
    QString applicationName;
};

// `what` is "SHOW CLIENTS" or "SHOW SERVERS" (named in parse errors).
Result<QList<PgBouncerConnection>> parsePgBouncerConnections(const PgResult &result,
                                                             const QString &what);

// SHOW CONFIG, one row.
struct PgBouncerConfigItem
{
    QString key;
    QString value;
    QString defaultValue; // empty when the version does not say
    bool changeable = false;
};

Result<QList<PgBouncerConfigItem>> parsePgBouncerConfig(const PgResult &result);

// The settings of SHOW CONFIG that decide what clients see during a failover, in display order.
const QStringList &pgBouncerFailoverSettings();

} // namespace vigil::services
