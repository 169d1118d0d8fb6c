// The topology's data: nodes, routing, cascades, and a failover as it happens (crash, no leader,
// new leader on a new timeline, the old leader kept as a ghost), plus status and banners.
#include "models/statussummary.h"
#include "models/topologymodel.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;

namespace {
const TopologyNode *node(const TopologyScene &scene, const QString &name)
{
    for (const auto &n : scene.nodes)
        if (n.name == name)
            return &n;
    return nullptr;
}
bool anyEvent(const TopologyModel &m, const QString &needle)
{
    for (const auto &e : m.events())
        if (e.text.contains(needle))
            return true;
    return false;
}
} // namespace

TEST(TopologyModel, HealthySandboxPicture)
{
    TopologyModel model;
    QSignalSpy changed(&model, &TopologyModel::changed);
    model.setSnapshot(test::share(test::healthySnapshot()));
    EXPECT_EQ(changed.count(), 1);
    const TopologyScene &s = model.scene();
    EXPECT_EQ(s.scope, QStringLiteral("hokm-ha"));
    EXPECT_EQ(s.leader, QStringLiteral("node1"));
    ASSERT_EQ(s.nodes.size(), 3);
    EXPECT_EQ(s.nodes[0].name, QStringLiteral("node1")); // leader first
    EXPECT_EQ(s.nodes[0].depth, 0);
    EXPECT_TRUE(s.nodes[0].routedByHaproxy);
    const TopologyNode *n2 = node(s, QStringLiteral("node2"));
    ASSERT_TRUE(n2);
    EXPECT_EQ(n2->upstream, QStringLiteral("node1"));
    EXPECT_TRUE(n2->streaming);
    EXPECT_EQ(n2->syncState, QStringLiteral("async"));
    EXPECT_EQ(n2->health, Health::Ok);
    EXPECT_EQ(n2->depth, 1);
    EXPECT_EQ(s.haproxy.health, Health::Ok);
    EXPECT_EQ(s.haproxy.status, QStringLiteral("read-write → node1"));
    EXPECT_EQ(s.pgbouncer.health, Health::Ok);
    EXPECT_EQ(s.pgbouncer.routesTo, QStringList{QStringLiteral("@haproxy")})
        << "an address that is no member: HAProxy";
    EXPECT_EQ(s.pgbouncer.routeLabel, QStringLiteral("127.0.0.1:60330"));
    EXPECT_TRUE(anyEvent(model, QStringLiteral("leader node1 on timeline 1")));
}

TEST(TopologyModel, PgBouncerStraightToAReplicaIsCritical)
{
    services::ClusterSnapshot snap = test::healthySnapshot();
    const services::MemberSnapshot *replica = snap.member(QStringLiteral("node2"));
    ASSERT_TRUE(replica);
    snap.pgbouncer.databases[0].host = replica->host;
    snap.pgbouncer.databases[0].port = replica->port;
    TopologyModel model;
    model.setSnapshot(test::share(snap));
    const TopologyProxy &pb = model.scene().pgbouncer;
    EXPECT_EQ(pb.health, Health::Critical);
    EXPECT_TRUE(pb.routesTo.contains(QStringLiteral("node2")));
    EXPECT_TRUE(pb.problem.contains(QStringLiteral("hokm_game → node2")))
        << pb.problem.toStdString();

    // Straight to the leader is not wrong in itself (it will not follow a failover, but HAProxy
    // is not the only way to build this).
    const services::MemberSnapshot *leader = snap.leader();
    snap.pgbouncer.databases[0].host = leader->host;
    snap.pgbouncer.databases[0].port = leader->port;
    model.setSnapshot(test::share(snap));
    EXPECT_EQ(model.scene().pgbouncer.health, Health::Ok)
        << model.scene().pgbouncer.problem.toStdString();
}

TEST(TopologyModel, PausedPgBouncerDatabaseIsAWarning)
{
    services::ClusterSnapshot snap = test::healthySnapshot();
    snap.pgbouncer.databases[1].paused = true;
    TopologyModel model;
    model.setSnapshot(test::share(snap));
    const TopologyProxy &pb = model.scene().pgbouncer;
    EXPECT_EQ(pb.health, Health::Warning);
    EXPECT_TRUE(pb.status.contains(QStringLiteral("paused: postgres"))) << pb.status.toStdString();
    EXPECT_TRUE(pb.problem.contains(QStringLiteral("RESUME"))) << pb.problem.toStdString();
}

TEST(TopologyModel, FlagsAndCascades)
{
    TopologyModel model;
    auto s = test::healthySnapshot();
    test::memberOf(s, QStringLiteral("node3"))->tags = {{QStringLiteral("nofailover"), true}};
    test::memberOf(s, QStringLiteral("node3"))->pendingRestart = true;
    auto *leader = test::memberOf(s, QStringLiteral("node1"));
    services::ReplicationStat moved = leader->replication.takeLast(); // node3
    ASSERT_EQ(moved.applicationName, QStringLiteral("node3"));
    moved.syncState = QStringLiteral("async");
    test::memberOf(s, QStringLiteral("node2"))->replication.append(moved);
    leader->replication.first().syncState = QStringLiteral("sync");
    model.setSnapshot(test::share(s));
    const TopologyNode *n3 = node(model.scene(), QStringLiteral("node3"));
    ASSERT_TRUE(n3);
    EXPECT_EQ(n3->upstream, QStringLiteral("node2"));
    EXPECT_EQ(n3->depth, 2);
    EXPECT_TRUE(n3->flags.contains(QStringLiteral("nofailover")));
    EXPECT_TRUE(n3->flags.contains(QStringLiteral("pending restart")));
    EXPECT_EQ(node(model.scene(), QStringLiteral("node2"))->syncState, QStringLiteral("sync"));
}

TEST(TopologyModel, FailoverAsItHappens)
{
    TopologyModel model;
    test::SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));

    // 1. The leader is killed: still in the DCS view, but unreachable; HAProxy routes nowhere.
    shape.takenAt = shape.takenAt.addSecs(1);
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    const TopologyNode *n1 = node(model.scene(), QStringLiteral("node1"));
    ASSERT_TRUE(n1);
    EXPECT_EQ(n1->health, Health::Critical);
    EXPECT_TRUE(n1->problem.contains(QStringLiteral("Connection refused")))
        << n1->problem.toStdString();
    EXPECT_EQ(model.scene().haproxy.health, Health::Critical);
    EXPECT_TRUE(anyEvent(model, QStringLiteral("node1: REST: Unreachable")));

    // 2. The leader key expired: nobody leads.
    shape.takenAt = shape.takenAt.addSecs(10);
    auto noLeader = test::leaderCrashedSnapshot(shape);
    for (auto &m : noLeader.members)
        if (m.name == QStringLiteral("node1"))
            m.role = services::PatroniRole::Replica, m.state = QStringLiteral("stopped");
    model.setSnapshot(test::share(noLeader));
    EXPECT_TRUE(model.scene().leader.isEmpty());
    EXPECT_TRUE(anyEvent(model, QStringLiteral("No leader: node1")));
    ASSERT_EQ(clusterBanners(noLeader).size(), 1);
    EXPECT_EQ(clusterBanners(noLeader).first().severity, Health::Critical);

    // 3. node2 is promoted on timeline 2; node1 left the DCS view and is kept as a ghost.
    shape.takenAt = shape.takenAt.addSecs(5);
    model.setSnapshot(test::share(test::afterFailoverSnapshot(shape, QStringLiteral("node2"))));
    const TopologyScene &s = model.scene();
    EXPECT_EQ(s.leader, QStringLiteral("node2"));
    EXPECT_EQ(s.nodes.first().name, QStringLiteral("node2"));
    EXPECT_EQ(s.nodes.first().timeline, 2);
    EXPECT_TRUE(anyEvent(
        model,
        QStringLiteral("node2 is the new leader (timeline 1 → 2); node1 was the leader before")));
    const TopologyNode *ghost = node(s, QStringLiteral("node1"));
    ASSERT_TRUE(ghost);
    EXPECT_TRUE(ghost->gone);
    EXPECT_TRUE(ghost->formerLeader);
    EXPECT_EQ(ghost, &s.nodes.last());
    EXPECT_TRUE(anyEvent(model, QStringLiteral("node1 left the cluster")));
    EXPECT_EQ(node(s, QStringLiteral("node3"))->upstream, QStringLiteral("node2"));
    EXPECT_EQ(s.haproxy.status, QStringLiteral("read-write → node2"));

    // 4. Ten minutes later the ghost is dropped.
    model.setGhostSeconds(60);
    shape.takenAt = shape.takenAt.addSecs(120);
    shape.sequence = 9;
    model.setSnapshot(test::share(test::afterFailoverSnapshot(shape, QStringLiteral("node2"))));
    EXPECT_EQ(model.scene().nodes.size(), 2);
}

TEST(TopologyModel, DirectLeaderChangeIsOneEvent)
{
    TopologyModel model;
    test::SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    shape.takenAt = shape.takenAt.addSecs(1);
    test::SandboxShape after = shape;
    after.leader = QStringLiteral("node3");
    after.timeline = 2;
    model.setSnapshot(test::share(test::healthySnapshot(after)));
    EXPECT_EQ(model.events().first().text,
              QStringLiteral("Leader changed: node1 → node3 (timeline 1 → 2)."));
    EXPECT_TRUE(node(model.scene(), QStringLiteral("node1"))->formerLeader);
}

TEST(TopologyModel, RoutingMismatchIsCritical)
{
    TopologyModel model;
    auto s = test::healthySnapshot();
    s.haproxy.readWriteServersUp = {QStringLiteral("node2")};
    model.setSnapshot(test::share(s));
    EXPECT_EQ(model.scene().haproxy.health, Health::Critical);
    EXPECT_EQ(model.scene().haproxy.problem,
              QStringLiteral("HAProxy routes writes to node2 but the leader is node1."));
}

TEST(StatusSummary, FreshnessAndStaleMembers)
{
    test::SandboxShape shape;
    const auto healthy = test::healthySnapshot(shape);
    Freshness f = freshness(&healthy, shape.takenAt.addMSecs(500), 1000);
    EXPECT_FALSE(f.overdue);
    EXPECT_TRUE(f.staleMembers.isEmpty());
    EXPECT_TRUE(f.text.contains(QStringLiteral("just now")));
    EXPECT_EQ(f.health, Health::Ok);

    f = freshness(&healthy, shape.takenAt.addSecs(30), 1000);
    EXPECT_TRUE(f.overdue);
    EXPECT_TRUE(f.text.contains(QStringLiteral("30 s ago"))) << f.text.toStdString();
    EXPECT_EQ(f.health, Health::Critical);

    const auto crashed = test::leaderCrashedSnapshot(shape);
    f = freshness(&crashed, shape.takenAt.addMSecs(200), 1000);
    ASSERT_EQ(f.staleMembers.size(), 1);
    EXPECT_TRUE(f.staleMembers.first().startsWith(QStringLiteral("node1 (REST: Unreachable")));
    EXPECT_TRUE(f.staleMembers.first().contains(QStringLiteral("data from")))
        << f.staleMembers.first().toStdString();
    EXPECT_EQ(freshness(nullptr, shape.takenAt, 1000).text, QStringLiteral("No data yet."));
}

TEST(StatusSummary, PausedAndScheduledSwitchoverBanners)
{
    auto s = test::healthySnapshot();
    EXPECT_TRUE(clusterBanners(s).isEmpty());
    s.paused = true;
    s.scheduledSwitchover = services::PatroniScheduledSwitchover{
        s.takenAt.addSecs(3600), QStringLiteral("node1"), QStringLiteral("node2")};
    const auto banners = clusterBanners(s);
    ASSERT_EQ(banners.size(), 2);
    EXPECT_TRUE(banners[0].text.startsWith(QStringLiteral("Maintenance mode")));
    EXPECT_TRUE(banners[1].text.contains(QStringLiteral("from node1 to node2")));
}

// An error text that ends its own sentence (the TLS errors say what to set) gives one period, not
// "certificate.. What is shown" as the TLS drill's screenshot showed.
TEST(StatusSummary, UnreadableClusterViewBannerEndsTheErrorsSentenceOnce)
{
    auto s = test::healthySnapshot();
    s.discovery = test::failedChannel(services::ChannelStatus::State::Unreachable,
                                      services::ServiceError::Kind::Connect,
                                      QStringLiteral("Set the CA file to the CA that signed it."));
    const auto banners = clusterBanners(s);
    ASSERT_EQ(banners.size(), 1);
    EXPECT_TRUE(banners[0].text.contains(QStringLiteral("signed it. What is shown")))
        << banners[0].text.toStdString();
    EXPECT_FALSE(banners[0].text.contains(QStringLiteral(".."))) << banners[0].text.toStdString();
}

TEST(TopologyModel, ProvenRoutesPerDatabaseWithWhatTheyReach)
{
    services::ClusterSnapshot snap = test::healthySnapshot();
    test::addProvenRoutes(snap, true); // production shape: hokm_game_ro via the ro port
    TopologyModel model;
    model.setSnapshot(test::share(snap));
    const TopologyProxy &pb = model.scene().pgbouncer;
    ASSERT_EQ(pb.routes.size(), 2);
    EXPECT_EQ(pb.routes[0].target, QStringLiteral("@haproxy"));
    EXPECT_EQ(pb.routes[0].label, QStringLiteral("read-write → node1 · hokm_game, postgres, *"));
    EXPECT_EQ(pb.routes[0].health, Health::Ok);
    EXPECT_TRUE(pb.routes[0].proven);
    EXPECT_EQ(pb.routes[1].label, QStringLiteral("read-only → node2 · hokm_game_ro"));
    EXPECT_EQ(pb.routes[1].health, Health::Ok);
    EXPECT_EQ(pb.health, Health::Ok) << pb.problem.toStdString();
    // HAProxy: the read-only port as probed, beside the read-write backend (the rw port's probe
    // reached the same member, so it is not said twice).
    const TopologyProxy &ha = model.scene().haproxy;
    EXPECT_EQ(ha.routesTo, QStringList{QStringLiteral("node1")});
    ASSERT_EQ(ha.routes.size(), 1);
    EXPECT_EQ(ha.routes[0].target, QStringLiteral("node2"));
    EXPECT_EQ(ha.routes[0].label, QStringLiteral("read-only port 60331 → node2"));
}

TEST(TopologyModel, WritesLandingOnAReplicaAreCritical)
{
    services::ClusterSnapshot snap = test::healthySnapshot();
    test::addProvenRoutes(snap, true);
    for (services::ClientRoute &r : snap.pgbouncer.routes)
        if (r.name == QLatin1String("postgres")) {
            r.port += 1; // pointed at the read-only port
            test::landOn(r, snap, QStringLiteral("node3"));
        }
    services::matchRouteMembers(snap.pgbouncer.routes, snap.members);
    TopologyModel model;
    model.setSnapshot(test::share(snap));
    const TopologyProxy &pb = model.scene().pgbouncer;
    EXPECT_EQ(pb.health, Health::Critical);
    EXPECT_TRUE(pb.problem.contains(QStringLiteral("Writes of postgres land on a replica.")))
        << pb.problem.toStdString();
    bool drawn = false;
    for (const TopologyRoute &r : pb.routes)
        if (r.label == QStringLiteral("read-only → node3 · postgres")) {
            drawn = true;
            EXPECT_EQ(r.health, Health::Critical);
        }
    EXPECT_TRUE(drawn);
}

TEST(TopologyModel, AFallbackNobodyUsesIsSaidNotProbed)
{
    services::ClusterSnapshot snap = test::healthySnapshot();
    QStringList members;
    for (const auto &m : snap.members)
        members << QStringLiteral("%1:%2").arg(m.host).arg(m.port);
    snap.pgbouncer.routes = services::routesFor(snap.pgbouncer.databases, {}, members);
    TopologyModel model;
    model.setSnapshot(test::share(snap));
    const TopologyProxy &pb = model.scene().pgbouncer;
    EXPECT_TRUE(pb.status.contains(QStringLiteral("fallback * not probed")))
        << pb.status.toStdString();
    ASSERT_EQ(pb.routes.size(), 1); // hokm_game and postgres: probes not answered yet
    EXPECT_FALSE(pb.routes[0].proven);
    EXPECT_EQ(pb.routes[0].health, Health::Unknown);
}

TEST(TopologyModel, ReplicationNoSqlAnswerShowsIsNotCalledNotStreaming)
{
    TopologyModel model;
    auto s = test::allSqlDownSnapshot();
    model.setSnapshot(test::share(s));
    const TopologyNode *n3 = node(model.scene(), QStringLiteral("node3"));
    ASSERT_TRUE(n3);
    EXPECT_FALSE(n3->replicationVisible);
    EXPECT_NE(n3->problem, QStringLiteral("not streaming from any member"));

    // With the leader answering and no walsender for node3, it is not streaming.
    s = test::healthySnapshot();
    test::memberOf(s, QStringLiteral("node1"))
        ->replication.removeIf([](const services::ReplicationStat &r) {
            return r.applicationName == QLatin1String("node3");
        });
    model.setSnapshot(test::share(s));
    n3 = node(model.scene(), QStringLiteral("node3"));
    ASSERT_TRUE(n3);
    EXPECT_TRUE(n3->replicationVisible);
    EXPECT_EQ(n3->problem, QStringLiteral("not streaming from any member"));
}

TEST(TopologyModel, AMemberNearMaxConnectionsIsColoured)
{
    TopologyModel model;
    auto s = test::healthySnapshot();
    auto &c = *test::memberOf(s, QStringLiteral("node2"))->connections;
    c.maxConnections = 100;
    c.total = 99;
    model.setSnapshot(test::share(s));
    const TopologyNode *n2 = node(model.scene(), QStringLiteral("node2"));
    ASSERT_TRUE(n2);
    EXPECT_EQ(n2->health, Health::Critical);
    EXPECT_EQ(n2->problem, QStringLiteral("connections 99 % of max"));
    c.total = 85;
    model.setSnapshot(test::share(s));
    EXPECT_EQ(node(model.scene(), QStringLiteral("node2"))->health, Health::Warning);
}
