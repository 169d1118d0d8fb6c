#include "services/proxies/clientroute.h"

#include "services/postgres/pgrowreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace vigil::services {

QString ClientRoute::address() const
{
    if (port <= 0)
        return QString();
    if (host.isEmpty() || host.startsWith(QLatin1Char('/')))
        return QStringLiteral("socket:%1").arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

QString ClientRoute::landingText() const
{
    if (!answered())
        return QString();
    return *inRecovery ? Tr::tr("read-only") : Tr::tr("read-write");
}

QString routeKindName(ClientRoute::Kind kind)
{
    switch (kind) {
    case ClientRoute::Kind::Database:
        return QStringLiteral("database");
    case ClientRoute::Kind::Fallback:
        return QStringLiteral("fallback");
    case ClientRoute::Kind::Address:
        return QStringLiteral("address");
    }
    return QStringLiteral("database");
}

QString routeIntentName(ClientRoute::Intent intent)
{
    return intent == ClientRoute::Intent::ReadOnly ? QStringLiteral("read-only")
                                                   : QStringLiteral("read-write");
}

ClientRoute::Intent intentForName(const QString &databaseName)
{
    // A marker word at either end, split off by _ - or .: "hokm_game_ro", "ro_reports",
    // "app-readonly", "sales.replica". Not "product" or "rollout".
    static const QRegularExpression marker(
        QStringLiteral("(^|[_.\\-])(ro|readonly|read_only|replica|replicas|standby|reader|"
                       "reporting)($|[_.\\-])"),
        QRegularExpression::CaseInsensitiveOption);
    return marker.match(databaseName).hasMatch() ? ClientRoute::Intent::ReadOnly
                                                 : ClientRoute::Intent::ReadWrite;
}

namespace {

ClientRoute databaseRoute(const PgBouncerDatabase &db)
{
    ClientRoute r;
    r.kind = ClientRoute::Kind::Database;
    r.name = db.name;
    r.probedAs = db.name;
    r.host = db.host;
    r.port = db.port;
    r.intent = intentForName(db.name);
    return r;
}

// The addresses the routes go through that are no member's, in order of first use.
QList<ClientRoute> addressRoutes(const QList<ClientRoute> &routes,
                                 const QStringList &memberAddresses)
{
    QList<ClientRoute> out;
    for (const ClientRoute &r : routes) {
        const QString address = r.address();
        if (address.isEmpty() || address.startsWith(QLatin1String("socket:")) ||
            memberAddresses.contains(address))
            continue;
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const ClientRoute &a) { return a.name == address; });
        if (it == out.end()) {
            ClientRoute a;
            a.kind = ClientRoute::Kind::Address;
            a.name = address;
            a.host = r.host;
            a.port = r.port;
            a.intent = ClientRoute::Intent::ReadOnly;
            it = out.insert(out.end(), a);
        }
        it->databases << r.name;
        if (r.intent == ClientRoute::Intent::ReadWrite)
            it->intent = ClientRoute::Intent::ReadWrite;
    }
    return out;
}

} // namespace

QList<ClientRoute> routesFor(const QList<PgBouncerDatabase> &databases,
                             const QString &fallbackProbe, const QStringList &memberAddresses)
{
    QList<ClientRoute> routes;
    ClientRoute fallback;
    fallback.kind = ClientRoute::Kind::Fallback;
    fallback.name = QStringLiteral("*");
    fallback.probedAs = fallbackProbe;
    for (const PgBouncerDatabase &db : databases) {
        if (!fallbackProbe.isEmpty() && db.name == fallbackProbe) {
            // The fallback's own entry, made by PgBouncer when the probe first used it.
            fallback.host = db.host;
            fallback.port = db.port;
            continue;
        }
        routes.append(databaseRoute(db));
    }
    if (fallbackProbe.isEmpty())
        fallback.note = Tr::tr("Not probed: every database on the server has its own entry in "
                               "PgBouncer, so no client reaches the fallback (*) today, if one is "
                               "configured.");
    routes.append(fallback);
    // The address of a route as PgBouncer's probe database reaches it: with HAProxy in front,
    // the same few ports; each is probed once, directly.
    routes += addressRoutes(routes, memberAddresses);
    return routes;
}

bool ServerDatabaseList::offer(bool inRecovery, const QStringList &databases)
{
    if (m_decided)
        return false;
    if (inRecovery) {
        if (!m_replica)
            m_replica = databases;
        return false;
    }
    m_databases = databases;
    m_replica.reset();
    return m_decided = true;
}

bool ServerDatabaseList::settle()
{
    if (m_decided || !m_replica)
        return false;
    m_databases = *std::exchange(m_replica, std::nullopt);
    return m_decided = true;
}

QString fallbackProbeDatabase(const QStringList &serverDatabases,
                              const QList<PgBouncerDatabase> &listed)
{
    for (const QString &name : serverDatabases) {
        const bool isListed =
            std::any_of(listed.begin(), listed.end(),
                        [&](const PgBouncerDatabase &d) { return d.name == name; });
        if (!isListed && !name.isEmpty() && name != QLatin1String("template0") &&
            name != QLatin1String("template1"))
            return name;
    }
    return QString();
}

ServiceError readRouteProbe(const PgResult &result, ClientRoute &route,
                            QStringList *serverDatabases)
{
    const PgRowReader reader(result);
    for (const char *column : {"in_recovery", "server_port", "system_identifier"}) {
        if (!reader.hasColumn(column) || reader.rowCount() < 1)
            return ServiceError::make(
                ServiceError::Kind::Parse, Tr::tr("route probe"), route.name, {},
                Tr::tr("The route probe's answer has no \"%1\".").arg(QLatin1String(column)));
    }
    const auto row = reader.row(0);
    route.inRecovery = reader.boolean(0, reader.column("in_recovery"));
    route.serverAddress = row.text("server_addr");
    route.serverPort = int(row.integer("server_port").value_or(0));
    route.systemIdentifier = row.text("system_identifier");
    if (serverDatabases) {
        serverDatabases->clear();
        const QJsonArray names = QJsonDocument::fromJson(row.text("databases").toUtf8()).array();
        for (const auto &v : names)
            serverDatabases->append(v.toString());
    }
    return {};
}

} // namespace vigil::services
