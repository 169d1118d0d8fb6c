// Where PgBouncer's clients land: the routes made of SHOW DATABASES, the fallback's probe
// database, the route probe's answers as recorded through the real sandbox PgBouncer
// (tests/fixtures/pgbouncer/route_probe_*.csv), the member matching, and the findings.
#include "services/monitor/findings.h"
#include "services/monitor/routematching.h"
#include "services/proxies/clientroute.h"
#include "support/csvresult.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::addProvenRoutes;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::landOn;
using Intent = ClientRoute::Intent;
using Kind = ClientRoute::Kind;

namespace {

PgResult fixture(const QString &name)
{
    return vigil::test::loadPsqlCsv(QStringLiteral(VIGIL_FIXTURES_DIR "/pgbouncer/") + name);
}

PgBouncerDatabase database(const QString &name, int port)
{
    PgBouncerDatabase d;
    d.name = d.database = name;
    d.host = QStringLiteral("127.0.0.1");
    d.port = port;
    return d;
}

ClientRoute *routeNamed(QList<ClientRoute> &routes, const QString &name)
{
    for (ClientRoute &r : routes)
        if (r.name == name)
            return &r;
    return nullptr;
}

QList<Finding> routingFindings(const ClusterSnapshot &s)
{
    QList<Finding> out;
    for (const Finding &f : deriveFindings(s))
        if (f.code == Finding::Code::RoutingMismatch)
            out << f;
    return out;
}

} // namespace

TEST(ClientRoute, IntentComesFromTheName)
{
    for (const char *ro : {"hokm_game_ro", "ro_reports", "app-readonly", "sales.replica", "HOKM_RO",
                           "orders_standby", "bi_reporting"})
        EXPECT_EQ(intentForName(QLatin1String(ro)), Intent::ReadOnly) << ro;
    for (const char *rw :
         {"hokm_game", "postgres", "*", "product", "rollout", "robots", "replicator_app"})
        EXPECT_EQ(intentForName(QLatin1String(rw)), Intent::ReadWrite) << rw;
}

TEST(ClientRoute, RoutesOfTheProductionShape)
{
    const QList<PgBouncerDatabase> dbs = {database(QStringLiteral("hokm_game"), 57330),
                                          database(QStringLiteral("hokm_game_ro"), 57331),
                                          database(QStringLiteral("postgres"), 57330)};
    const QStringList members = {QStringLiteral("127.0.0.1:57310"),
                                 QStringLiteral("127.0.0.1:57311")};
    QList<ClientRoute> routes = routesFor(dbs, QString(), members);
    ASSERT_EQ(routes.size(), 6);
    EXPECT_EQ(routes[0].kind, Kind::Database);
    EXPECT_EQ(routes[0].probedAs, QStringLiteral("hokm_game"));
    EXPECT_EQ(routes[1].intent, Intent::ReadOnly);
    EXPECT_EQ(routes[3].kind, Kind::Fallback);
    EXPECT_EQ(routes[3].name, QStringLiteral("*"));
    EXPECT_TRUE(routes[3].probedAs.isEmpty());
    EXPECT_FALSE(routes[3].note.isEmpty());
    // HAProxy's two ports, each probed directly; rw because a read-write database uses it.
    EXPECT_EQ(routes[4].kind, Kind::Address);
    EXPECT_EQ(routes[4].name, QStringLiteral("127.0.0.1:57330"));
    EXPECT_EQ(routes[4].intent, Intent::ReadWrite);
    EXPECT_EQ(routes[4].databases,
              (QStringList{QStringLiteral("hokm_game"), QStringLiteral("postgres")}));
    EXPECT_EQ(routes[5].name, QStringLiteral("127.0.0.1:57331"));
    EXPECT_EQ(routes[5].intent, Intent::ReadOnly);
}

TEST(ClientRoute, PointingStraightAtAMemberIsNoAddressRoute)
{
    const QList<ClientRoute> routes = routesFor({database(QStringLiteral("hokm_game"), 57310)}, {},
                                                {QStringLiteral("127.0.0.1:57310")});
    for (const ClientRoute &r : routes)
        EXPECT_NE(r.kind, Kind::Address);
}

TEST(ClientRoute, TheFallbackTakesTheEntryItsProbeMade)
{
    QList<ClientRoute> routes = routesFor({database(QStringLiteral("postgres"), 57330),
                                           database(QStringLiteral("hokm_stats"), 57330)},
                                          QStringLiteral("hokm_stats"), {});
    EXPECT_EQ(routeNamed(routes, QStringLiteral("hokm_stats")), nullptr);
    const ClientRoute *fallback = routeNamed(routes, QStringLiteral("*"));
    ASSERT_NE(fallback, nullptr);
    EXPECT_EQ(fallback->probedAs, QStringLiteral("hokm_stats"));
    EXPECT_EQ(fallback->address(), QStringLiteral("127.0.0.1:57330"));
    EXPECT_TRUE(fallback->note.isEmpty());
}

TEST(ClientRoute, FallbackProbeDatabaseIsOneOnlyTheFallbackServes)
{
    const QList<PgBouncerDatabase> listed = {database(QStringLiteral("hokm_game"), 1),
                                             database(QStringLiteral("postgres"), 1)};
    EXPECT_EQ(fallbackProbeDatabase({QStringLiteral("hokm_game"), QStringLiteral("hokm_stats"),
                                     QStringLiteral("postgres")},
                                    listed),
              QStringLiteral("hokm_stats"));
    // As recorded: the sandbox has no other database (templates are never used: a session in
    // template1 makes CREATE DATABASE fail).
    EXPECT_EQ(fallbackProbeDatabase({QStringLiteral("hokm_game"), QStringLiteral("postgres"),
                                     QStringLiteral("template1")},
                                    listed),
              QString());
}

TEST(ClientRoute, TheServersDatabasesAreThePrimarysList)
{
    const QStringList lagging = {QStringLiteral("hokm_game"), QStringLiteral("postgres")};
    const QStringList current = lagging + QStringList{QStringLiteral("hokm_stats")};

    // A replica answers first, without the database made a moment ago: the primary's list wins.
    ServerDatabaseList list;
    EXPECT_FALSE(list.offer(true, lagging));
    EXPECT_FALSE(list.decided());
    EXPECT_TRUE(list.offer(false, current));
    EXPECT_EQ(list.databases(), current);
    EXPECT_FALSE(list.offer(false, lagging)); // decided once a round
    EXPECT_FALSE(list.settle());
    EXPECT_EQ(list.databases(), current);

    // No primary answers: the first replica's list, at the round's end only.
    ServerDatabaseList replicasOnly;
    EXPECT_FALSE(replicasOnly.offer(true, lagging));
    EXPECT_FALSE(replicasOnly.offer(true, current));
    EXPECT_TRUE(replicasOnly.settle());
    EXPECT_EQ(replicasOnly.databases(), lagging);
    EXPECT_FALSE(replicasOnly.settle());

    // Nothing answered: nothing to go by.
    ServerDatabaseList none;
    EXPECT_FALSE(none.settle());
    EXPECT_FALSE(none.decided());
    EXPECT_TRUE(none.databases().isEmpty());
}

TEST(ClientRoute, ReadsTheRecordedProbes)
{
    ClientRoute primary, replica;
    QStringList databases;
    EXPECT_FALSE(
        readRouteProbe(fixture(QStringLiteral("route_probe_primary.csv")), primary, &databases));
    EXPECT_EQ(primary.inRecovery, std::optional<bool>(false));
    EXPECT_EQ(primary.serverAddress, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(primary.serverPort, 57310);
    EXPECT_EQ(primary.systemIdentifier, QStringLiteral("7715069716247182088"));
    EXPECT_EQ(databases, (QStringList{QStringLiteral("hokm_game"), QStringLiteral("postgres")}));
    EXPECT_FALSE(readRouteProbe(fixture(QStringLiteral("route_probe_replica.csv")), replica));
    EXPECT_EQ(replica.inRecovery, std::optional<bool>(true));
    EXPECT_EQ(replica.serverPort, 57311);
    EXPECT_EQ(replica.landingText(), QStringLiteral("read-only"));
}

TEST(ClientRoute, AnAnswerWithoutTheColumnsIsAParseError)
{
    PgResult r = fixture(QStringLiteral("route_probe_primary.csv"));
    r.columns[0] = QStringLiteral("something_else");
    ClientRoute route;
    route.name = QStringLiteral("postgres");
    const ServiceError e = readRouteProbe(r, route);
    EXPECT_EQ(e.kind, ServiceError::Kind::Parse);
    EXPECT_TRUE(e.message.contains(QStringLiteral("in_recovery"))) << e.message.toStdString();
    EXPECT_FALSE(route.answered());
}

TEST(RouteMatching, MatchesBySystemIdentifierAddressAndPort)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    ClientRoute r;
    landOn(r, s, QStringLiteral("node3"));
    QList<ClientRoute> routes{r};
    matchRouteMembers(routes, s.members);
    EXPECT_EQ(routes[0].member, QStringLiteral("node3"));
    EXPECT_FALSE(routes[0].otherCluster);

    // Another cluster's server on the same port is no member of this one.
    routes[0].systemIdentifier = QStringLiteral("6999999999999999999");
    matchRouteMembers(routes, s.members);
    EXPECT_TRUE(routes[0].member.isEmpty());
    EXPECT_TRUE(routes[0].otherCluster);
}

TEST(RouteMatching, SamePortEverywhereFallsBackToTheAddressThenTheRole)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    for (int i = 0; i < s.members.size(); ++i) {
        s.members[i].port = 5432;
        s.members[i].host = QStringLiteral("pg%1.example").arg(i + 1); // names, no addresses
    }
    ClientRoute r;
    landOn(r, s, s.leader()->name);
    r.serverAddress = QStringLiteral("10.0.0.1");
    QList<ClientRoute> routes{r};
    matchRouteMembers(routes, s.members);
    EXPECT_EQ(routes[0].member, s.leader()->name); // the one primary
    routes[0].inRecovery = true;                   // one of two replicas: not told apart
    matchRouteMembers(routes, s.members);
    EXPECT_TRUE(routes[0].member.isEmpty());
}

TEST(RouteFindings, ProvenRoutesOfAHealthyClusterFindNothing)
{
    for (bool production : {false, true}) {
        ClusterSnapshot s = healthyOnDefaultPorts();
        addProvenRoutes(s, production);
        EXPECT_TRUE(routingFindings(s).isEmpty()) << production;
        const ClientRoute *ro = routeNamed(s.pgbouncer.routes, QStringLiteral("hokm_game_ro"));
        EXPECT_EQ(ro != nullptr, production);
        if (ro) {
            EXPECT_EQ(ro->member, QStringLiteral("node2"));
        }
    }
}

TEST(RouteFindings, AReadWriteDatabaseOnAReplicaIsCritical)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    addProvenRoutes(s, true);
    ClientRoute *postgres = routeNamed(s.pgbouncer.routes, QStringLiteral("postgres"));
    postgres->port += 1; // pointed at the read-only port, as in the field report
    landOn(*postgres, s, QStringLiteral("node2"));
    matchRouteMembers(s.pgbouncer.routes, s.members);
    const QList<Finding> fs = routingFindings(s);
    ASSERT_EQ(fs.size(), 1);
    EXPECT_EQ(fs[0].severity, Finding::Severity::Critical);
    EXPECT_EQ(fs[0].member, QStringLiteral("node2"));
    const QString m = fs[0].message;
    for (const QString &part :
         {QStringLiteral("PgBouncer database postgres"), QStringLiteral("127.0.0.1:5453"),
          QStringLiteral("node2 (port 5433)"), QStringLiteral("replica"),
          QStringLiteral("pgbouncer.ini"), QStringLiteral("the leader node1")})
        EXPECT_TRUE(m.contains(part)) << part.toStdString() << " in " << m.toStdString();
    s.findings = deriveFindings(s);
    EXPECT_EQ(s.worstSeverity(), Finding::Severity::Critical);
}

TEST(RouteFindings, AReadOnlyDatabaseOnThePrimaryIsAWarning)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    addProvenRoutes(s, true, QStringLiteral("node1")); // the ro port reaches the leader
    const QList<Finding> fs = routingFindings(s);
    ASSERT_FALSE(fs.isEmpty());
    EXPECT_EQ(fs[0].severity, Finding::Severity::Warning);
    EXPECT_TRUE(fs[0].message.contains(QStringLiteral("hokm_game_ro")))
        << fs[0].message.toStdString();
    EXPECT_TRUE(fs[0].message.contains(QStringLiteral("load the leader")));
    for (const Finding &f : fs)
        EXPECT_NE(f.severity, Finding::Severity::Critical) << f.message.toStdString();
}

TEST(RouteFindings, FailedProbesSayWhatIsNotVerified)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    addProvenRoutes(s, false);
    ClientRoute *game = routeNamed(s.pgbouncer.routes, QStringLiteral("hokm_game"));
    game->inRecovery.reset();
    game->error = ServiceError::make(ServiceError::Kind::Connect, QStringLiteral("connect"),
                                     QStringLiteral("127.0.0.1:6432"), {},
                                     QStringLiteral("server closed the connection"));
    ClientRoute *postgres = routeNamed(s.pgbouncer.routes, QStringLiteral("postgres"));
    postgres->inRecovery.reset();
    postgres->error = ServiceError::make(ServiceError::Kind::Auth, QStringLiteral("connect"),
                                         QStringLiteral("127.0.0.1:6432"), QStringLiteral("28P01"),
                                         QStringLiteral("password authentication failed"));
    const QList<Finding> fs = routingFindings(s);
    ASSERT_EQ(fs.size(), 2);
    EXPECT_EQ(fs[0].severity, Finding::Severity::Warning); // its clients fail too
    EXPECT_TRUE(fs[0].message.contains(QStringLiteral("hokm_game")));
    EXPECT_EQ(fs[1].severity, Finding::Severity::Ok); // Vigil's login only: proves nothing
    EXPECT_TRUE(fs[1].message.contains(QStringLiteral("not verified")));

    // PgBouncer itself unreadable: its own finding says so, the routes add nothing.
    s.pgbouncer.channel.state = ChannelStatus::State::Unreachable;
    for (const Finding &f : routingFindings(s))
        EXPECT_FALSE(f.message.contains(QStringLiteral("land"))) << f.message.toStdString();
}
