#pragma once

#include "services/proxies/clientroute.h"
#include "services/proxies/pgbouncerclient.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <chrono>
#include <functional>
#include <memory>

namespace vigil::services {

class PgSession;

// Proves where PgBouncer's clients land: for each database PgBouncer lists, for its '*' fallback
// (through a database of the server that only the fallback serves) and for each address it sends
// clients to that is no member's (HAProxy's ports), one connection asks route_probe.sql:
// pg_is_in_recovery(), the server's address and port and the system identifier.
//
// Cost: these are extra connections, so the owner runs a round only at the slow cadence. A
// client connection to PgBouncer holds no server connection between queries (transaction or
// statement pooling), so the one per database is kept open and reused, and every query goes the
// way a client's would, through PgBouncer's pool. A connection straight to an address is opened
// for each round and closed after it: held, it would stay on the member HAProxy chose when it was
// opened and prove nothing about where a new client lands.
//
// Threading: lives on its owner's thread and never blocks it (async PgSession, every connection
// and query under the round's deadline). Not thread-safe.
class ClientRouteProber : public QObject
{
    Q_OBJECT
public:
    using Millis = std::chrono::milliseconds;

    // The login of the probes: the profile's SQL conninfo and password (the user Vigil reads
    // the members with); host, port and dbname are set per route.
    ClientRouteProber(QString sqlConninfo, QString sqlPassword, QObject *parent = nullptr);
    ~ClientRouteProber() override;

    // One round over the routes of `databases` (SHOW DATABASES). `bouncerHost`/`bouncerPort`:
    // where clients reach PgBouncer. `memberAddresses`: the members' "host:port", whose
    // addresses are not probed directly. `done` is called once, when every probe of the round
    // answered (each has `deadline`); a round asked for while one runs is not started (false).
    bool probe(const QList<PgBouncerDatabase> &databases, const QString &bouncerHost,
               int bouncerPort, const QStringList &memberAddresses, Millis deadline,
               std::function<void()> done);
    bool inFlight() const { return m_pending > 0; }

    // The routes of the last round; a route not answered yet carries the last known landing.
    const QList<ClientRoute> &routes() const { return m_routes; }

private:
    void probeRoute(int index);
    void answered(int index, const PgResult &result, const ServiceError &error);
    void startFallback();
    void finishOne();
    PgSession *sessionFor(const ClientRoute &route);

    QString m_sqlConninfo;
    QString m_sqlPassword;
    QString m_bouncerHost;
    int m_bouncerPort = 0;
    Millis m_deadline{3000};
    QList<ClientRoute> m_routes;
    QList<PgBouncerDatabase> m_listed;    // SHOW DATABASES of the round
    ServerDatabaseList m_serverDatabases; // what the server has, by the round's answers
    QString m_fallbackProbe; // the database the fallback is probed with, kept while it exists
    QHash<QString, PgSession *> m_sessions; // kept client connections to PgBouncer, by database
    int m_pending = 0;
    quint64 m_round = 0;
    std::function<void()> m_done;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace vigil::services
