#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/proxies/pgbouncerclient.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace vigil::services {

// Where the clients of one route land, proven by a probe through it (ClientRouteProber): a
// database of PgBouncer's (its [databases] entry or the '*' fallback), or an address PgBouncer
// sends clients to that is no member (HAProxy's read-write or read-only port). Value type only:
// the snapshot carries it without dragging the prober in.
struct ClientRoute
{
    enum class Kind
    {
        Database, // a database PgBouncer lists in SHOW DATABASES
        Fallback, // PgBouncer's '*' fallback, probed with a database only it serves
        Address,  // an address PgBouncer sends clients to (HAProxy's ports), probed directly
    };
    // What the route is meant for, read from its name: a database named like "*_ro", "ro_*",
    // "*_readonly", "*_replica", "*_standby" is read-only, every other one (the fallback too)
    // read-write. An address is read-write when a read-write database goes through it.
    enum class Intent
    {
        ReadWrite,
        ReadOnly
    };

    Kind kind = Kind::Database;
    QString name;     // the database clients name ("*" for the fallback), or "host:port"
    QString probedAs; // the database the probe connected to (empty: not probed)
    QString host;     // where PgBouncer sends it (SHOW DATABASES); empty when unknown
    int port = 0;
    Intent intent = Intent::ReadWrite;
    QStringList databases; // Address: the databases of PgBouncer that go through it

    // The probe's answer, the last one (at probedAt). inRecovery unset: no answer yet.
    QDateTime probedAt;
    ServiceError error; // why the last probe failed; none when it answered
    QString note;       // why it was not probed, a full sentence
    std::optional<bool> inRecovery;
    QString serverAddress; // inet_server_addr(), empty for a Unix socket
    int serverPort = 0;    // inet_server_port()
    QString systemIdentifier;
    // The member reached, matched on system identifier, address and port (set when the snapshot
    // is assembled, see matchRouteMembers); empty when none matched.
    QString member;
    bool otherCluster = false; // the system identifier is not this cluster's

    bool answered() const { return inRecovery.has_value() && !error.isError(); }
    QString address() const;     // "host:port", "socket:port" for a Unix socket, "" when unknown
    QString landingText() const; // "read-write" / "read-only" from what it reached, "" when none
};

QString routeKindName(ClientRoute::Kind kind);       // "database", "fallback", "address"
QString routeIntentName(ClientRoute::Intent intent); // "read-write", "read-only"
ClientRoute::Intent intentForName(const QString &databaseName);

// The routes of PgBouncer's databases (the admin console left out), in the order listed, then
// the '*' fallback (probed as `fallbackProbe`, or not probed when that is empty: `note` says
// why), then each address that is no member's, as "host:port" (`memberAddresses`).
QList<ClientRoute> routesFor(const QList<PgBouncerDatabase> &databases,
                             const QString &fallbackProbe, const QStringList &memberAddresses);

// A database only the fallback serves: the first of `serverDatabases` (sorted, templates left
// out by the probe query) that PgBouncer does not list; empty when every one is listed.
QString fallbackProbeDatabase(const QStringList &serverDatabases,
                              const QList<PgBouncerDatabase> &listed);

// Which server's list of databases a probe round goes by: the first primary's to answer, since a
// replica may not yet have replayed a database just made or dropped; a replica's (the first) only
// when the round ends without a primary's answer.
class ServerDatabaseList
{
public:
    // An answer's list; true when it decides the round's list (a primary's, the first).
    bool offer(bool inRecovery, const QStringList &databases);
    // At the round's end: true when a replica's list decides it, no primary having answered.
    bool settle();
    bool decided() const { return m_decided; }
    const QStringList &databases() const { return m_databases; }

private:
    QStringList m_databases;
    std::optional<QStringList> m_replica;
    bool m_decided = false;
};

// One route_probe.sql answer into `route` (landing fields, probedAt left alone); the databases
// the server has go to *serverDatabases when given. A Parse error when a column is missing.
ServiceError readRouteProbe(const PgResult &result, ClientRoute &route,
                            QStringList *serverDatabases = nullptr);

} // namespace vigil::services
