#include "services/proxies/clientrouteprober.h"

#include "services/postgres/pgsession.h"
#include "services/postgres/sqlresource.h"

namespace vigil::services {

namespace {

QString routeKey(const ClientRoute &r)
{
    return routeKindName(r.kind) + QLatin1Char('/') + r.name;
}

// A route's last landing, kept until its next probe answers.
void carryLanding(ClientRoute &to, const ClientRoute &from)
{
    to.probedAt = from.probedAt;
    to.error = from.error;
    to.inRecovery = from.inRecovery;
    to.serverAddress = from.serverAddress;
    to.serverPort = from.serverPort;
    to.systemIdentifier = from.systemIdentifier;
}

} // namespace

ClientRouteProber::ClientRouteProber(QString sqlConninfo, QString sqlPassword, QObject *parent)
    : QObject(parent)
    , m_sqlConninfo(std::move(sqlConninfo))
    , m_sqlPassword(std::move(sqlPassword))
{
}

ClientRouteProber::~ClientRouteProber()
{
    m_alive.reset();
}

bool ClientRouteProber::probe(const QList<PgBouncerDatabase> &databases, const QString &bouncerHost,
                              int bouncerPort, const QStringList &memberAddresses, Millis deadline,
                              std::function<void()> done)
{
    if (inFlight())
        return false;
    m_bouncerHost = bouncerHost;
    m_bouncerPort = bouncerPort;
    m_deadline = deadline;
    m_done = std::move(done);
    ++m_round;
    m_serverDatabases = {};
    QList<ClientRoute> routes = routesFor(databases, m_fallbackProbe, memberAddresses);
    for (ClientRoute &r : routes)
        for (const ClientRoute &before : std::as_const(m_routes))
            if (routeKey(before) == routeKey(r) && before.probedAs == r.probedAs)
                carryLanding(r, before);
    m_routes = routes;
    m_listed = databases;
    m_pending = 1; // held until every probe is sent, so that an early answer cannot end the round
    for (int i = 0; i < m_routes.size(); ++i)
        if (!m_routes.at(i).probedAs.isEmpty() || m_routes.at(i).kind == ClientRoute::Kind::Address)
            probeRoute(i);
    finishOne();
    return true;
}

PgSession *ClientRouteProber::sessionFor(const ClientRoute &route)
{
    const bool throughBouncer = route.kind != ClientRoute::Kind::Address;
    PgSession *&kept = m_sessions[route.probedAs];
    if (throughBouncer && kept && kept->state() != PgSession::State::Disconnected)
        return kept;
    PgConnectionSettings cs;
    cs.conninfo = m_sqlConninfo;
    cs.overrides = {
        {QStringLiteral("host"), throughBouncer ? m_bouncerHost : route.host},
        {QStringLiteral("port"), QString::number(throughBouncer ? m_bouncerPort : route.port)},
        {QStringLiteral("application_name"), QStringLiteral("vigil-route-probe")}};
    if (throughBouncer)
        cs.overrides.append({QStringLiteral("dbname"), route.probedAs});
    if (!m_sqlPassword.isEmpty())
        cs.overrides.append({QStringLiteral("password"), m_sqlPassword});
    auto *session = new PgSession(this);
    session->open(cs, m_deadline);
    if (throughBouncer) {
        if (kept)
            kept->deleteLater();
        kept = session;
    } else {
        m_sessions.remove(route.probedAs);
    }
    return session;
}

void ClientRouteProber::probeRoute(int index)
{
    const ClientRoute &route = m_routes.at(index);
    PgSession *session = sessionFor(route);
    const bool direct = route.kind == ClientRoute::Kind::Address;
    ++m_pending;
    std::weak_ptr<int> alive = m_alive;
    const quint64 round = m_round;
    const QString key = routeKey(route), probedAs = route.probedAs;
    // The extended protocol without a named statement: PgBouncer's transaction pooling may give
    // the next query another server connection, where a prepared statement would not exist.
    session->exec(
        sqlResource(QStringLiteral("route_probe")), {},
        [this, alive, round, key, probedAs, session, direct](const PgResult &result,
                                                             const ServiceError &error) {
            if (alive.expired())
                return;
            if (direct)
                session->deleteLater();
            if (round != m_round)
                return;
            for (int i = 0; i < m_routes.size(); ++i)
                if (routeKey(m_routes.at(i)) == key && m_routes.at(i).probedAs == probedAs)
                    answered(i, result, error);
            finishOne();
        },
        m_deadline);
}

void ClientRouteProber::answered(int index, const PgResult &result, const ServiceError &error)
{
    ClientRoute &route = m_routes[index];
    route.probedAt = QDateTime::currentDateTimeUtc();
    if (error) {
        route.error = error;
        route.inRecovery.reset();
        return;
    }
    QStringList serverDatabases;
    route.error = readRouteProbe(result, route, &serverDatabases);
    if (!route.error && m_serverDatabases.offer(route.inRecovery.value_or(true), serverDatabases))
        startFallback();
}

// Once the round knows the server's databases: if the fallback has no database to be probed with
// (or the one it had is gone), one only it serves is chosen and probed now.
void ClientRouteProber::startFallback()
{
    const QStringList &serverDatabases = m_serverDatabases.databases();
    if (!m_fallbackProbe.isEmpty() && serverDatabases.contains(m_fallbackProbe))
        return;
    QList<PgBouncerDatabase> listed;
    for (const PgBouncerDatabase &d : std::as_const(m_listed))
        if (d.name != m_fallbackProbe) // the fallback's own entry, made by an earlier probe
            listed << d;
    const QString chosen = fallbackProbeDatabase(serverDatabases, listed);
    if (chosen == m_fallbackProbe)
        return;
    m_fallbackProbe = chosen;
    for (int i = 0; i < m_routes.size(); ++i) {
        ClientRoute &r = m_routes[i];
        if (r.kind != ClientRoute::Kind::Fallback)
            continue;
        r = routesFor({}, chosen, {}).constFirst(); // a fresh fallback route, probed as `chosen`
        if (!chosen.isEmpty())
            probeRoute(i);
    }
}

void ClientRouteProber::finishOne()
{
    // No primary answered: a replica's list, if one answered; the fallback's probe, if it sends
    // one, ends the round when it answers.
    if (m_pending == 1 && m_serverDatabases.settle())
        startFallback();
    if (--m_pending > 0)
        return;
    m_pending = 0;
    if (auto done = std::exchange(m_done, nullptr))
        done();
}

} // namespace vigil::services
