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

} // namespace vigil::services
