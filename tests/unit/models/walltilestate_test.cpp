// What a wall tile says: leader, members up, lag, connections, the newest alerts with their age,
// a failover, and a cluster whose every endpoint is dead.
#include "models/walltilestate.h"
#include "services/monitor/findings.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <gtest/gtest.h>

using namespace vigil;
using models::Health;
using models::WallTileState;

namespace {
test::SandboxShape at(int secondsAfterNoon)
{
    test::SandboxShape shape;
    shape.takenAt = test::SandboxShape().takenAt.addSecs(secondsAfterNoon);
    shape.sequence = quint64(1 + secondsAfterNoon);
    return shape;
}

services::ClusterSnapshotPtr withFindings(services::ClusterSnapshot s)
{
    s.profileName = QStringLiteral("hokm-ha");
    s.findings = services::deriveFindings(s);
    return test::share(std::move(s));
}
} // namespace

TEST(WallTileState, BeforeTheFirstSnapshotItIsConnecting)
{
    WallTileState state(QStringLiteral("hokm-ha"));
    const auto s = state.summary(QDateTime::currentDateTimeUtc());
    EXPECT_TRUE(s.connecting);
    EXPECT_EQ(s.name, QStringLiteral("hokm-ha"));
    EXPECT_EQ(s.health, Health::Unknown);
    EXPECT_FALSE(s.headline.isEmpty());
}

TEST(WallTileState, AHealthyClusterShowsLeaderMembersLagAndConnections)
{
    WallTileState state(QStringLiteral("hokm-ha"));
    state.ingest(withFindings(test::healthySnapshot(at(0))));
    const auto s = state.summary(at(1).takenAt);
    EXPECT_FALSE(s.connecting);
    EXPECT_EQ(s.health, Health::Ok);
    EXPECT_EQ(s.headline, QStringLiteral("Leader node1"));
    EXPECT_EQ(s.membersUp, 3);
    EXPECT_EQ(s.membersTotal, 3);
    EXPECT_EQ(s.members, QStringLiteral("3/3 members up"));
    EXPECT_EQ(s.lag, QStringLiteral("Lag 0 B · 2 ms"));
    ASSERT_TRUE(s.connectionsPct);
    EXPECT_EQ(*s.connectionsPct, 2); // 29 of 1200 on the leader
    EXPECT_TRUE(s.alerts.isEmpty());
    EXPECT_TRUE(s.change.isEmpty());
}

TEST(WallTileState, AlertsAreNewestFirstWithTheirAge)
{
    WallTileState state(QStringLiteral("hokm-ha"));
    services::ClusterSnapshot lagging = test::healthySnapshot(at(0));
    test::setLag(lagging, QStringLiteral("node2"), 600LL * 1024 * 1024, 34);
    state.ingest(withFindings(lagging));
    // 90 s later the connections climb too; the lag alert keeps its age.
    services::ClusterSnapshot both = test::healthySnapshot(at(90));
    test::setLag(both, QStringLiteral("node2"), 600LL * 1024 * 1024, 34);
    test::memberNamed(both, QStringLiteral("node1")).connections->total = 1150;
    state.ingest(withFindings(both));

    const auto s = state.summary(at(150).takenAt);
    EXPECT_EQ(s.health, Health::Critical);
    ASSERT_GE(s.alerts.size(), 2);
    EXPECT_TRUE(s.alerts[0].text.contains(QStringLiteral("onnection")))
        << s.alerts[0].text.toStdString();
    EXPECT_EQ(s.alerts[0].age, QStringLiteral("1 min"));
    EXPECT_TRUE(s.alerts.last().text.contains(QStringLiteral("node2")));
    EXPECT_EQ(s.alerts.last().age, QStringLiteral("2 min 30 s"));
    EXPECT_LE(s.alerts.size(), WallTileState::kMaxAlerts);
    EXPECT_EQ(*s.connectionsPct, 96);
    EXPECT_EQ(s.lag, QStringLiteral("Lag 600 MiB · 34 s"));
}

TEST(WallTileState, AFailoverShowsTheDownLeaderThenTheNewOne)
{
    WallTileState state(QStringLiteral("hokm-ha"));
    state.ingest(withFindings(test::leaderCrashedSnapshot(at(0))));
    auto s = state.summary(at(1).takenAt);
    EXPECT_EQ(s.headline, QStringLiteral("Leader node1 is down"));
    EXPECT_EQ(s.health, Health::Critical);
    EXPECT_EQ(s.membersUp, 2);
    EXPECT_EQ(s.membersTotal, 3);

    services::ClusterSnapshot noLeader = test::leaderCrashedSnapshot(at(20));
    test::memberNamed(noLeader, QStringLiteral("node1")).role = services::PatroniRole::Replica;
    noLeader.lastLeader = QStringLiteral("node1");
    noLeader.lastLeaderSeen = at(-2).takenAt;
    state.ingest(withFindings(noLeader));
    s = state.summary(at(21).takenAt);
    EXPECT_TRUE(s.headline.startsWith(QStringLiteral("No leader (was node1")))
        << s.headline.toStdString();

    services::ClusterSnapshot after = test::afterFailoverSnapshot(at(30), QStringLiteral("node3"));
    services::LeaderChange change;
    change.from = QStringLiteral("node1");
    change.to = QStringLiteral("node3");
    change.at = at(30).takenAt;
    after.leaderChange = change;
    state.ingest(withFindings(after));
    s = state.summary(at(150).takenAt);
    EXPECT_EQ(s.headline, QStringLiteral("Leader node3"));
    EXPECT_TRUE(s.change.startsWith(QStringLiteral("Failed over from node1 at ")))
        << s.change.toStdString();
    EXPECT_TRUE(s.change.endsWith(QStringLiteral("(2 min ago)"))) << s.change.toStdString();
}

TEST(WallTileState, AClusterWithEveryEndpointDeadStaysRedSayingSinceWhen)
{
    WallTileState state(QStringLiteral("hokm-ha"));
    services::ClusterSnapshot dead = test::healthySnapshot(at(0));
    dead.discovery =
        test::downChannel(services::ServiceError::Kind::Connect, QStringLiteral("GET /cluster"),
                          QStringLiteral("127.0.0.1"), QStringLiteral("Connection refused"));
    dead.discovery.lastOk = at(-240).takenAt;
    for (auto &m : dead.members) {
        m.rest = test::downChannel(services::ServiceError::Kind::Connect, QStringLiteral("GET"),
                                   m.host, QStringLiteral("Connection refused"));
        m.sql = m.rest;
        m.rest.lastOk = at(-240).takenAt;
    }
    ASSERT_TRUE(models::allEndpointsDead(dead));
    state.ingest(withFindings(dead));
    const auto s = state.summary(at(0).takenAt);
    EXPECT_TRUE(s.unreachable);
    EXPECT_EQ(s.health, Health::Critical);
    const QString since = at(-240).takenAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    EXPECT_EQ(s.headline, QStringLiteral("Unreachable since %1 (4 min)").arg(since));
    EXPECT_EQ(s.membersUp, 0);
}

TEST(WallTileState, ANeverReachedClusterCountsFromTheFirstDeadSnapshot)
{
    WallTileState state(QStringLiteral("gone"));
    services::ClusterSnapshot dead;
    dead.profileName = QStringLiteral("gone");
    dead.takenAt = at(0).takenAt;
    dead.discovery =
        test::downChannel(services::ServiceError::Kind::Connect, QStringLiteral("GET /cluster"),
                          QStringLiteral("10.0.0.9"), QStringLiteral("Connection refused"));
    state.ingest(test::share(dead));
    dead.takenAt = at(120).takenAt;
    state.ingest(test::share(dead));
    const auto s = state.summary(at(120).takenAt);
    EXPECT_TRUE(s.unreachable);
    EXPECT_TRUE(s.headline.endsWith(QStringLiteral("(2 min)"))) << s.headline.toStdString();
}

TEST(WallTileState, AnOverdueMonitorTurnsTheTileRed)
{
    WallTileState state(QStringLiteral("hokm-ha"), 1000);
    state.ingest(withFindings(test::healthySnapshot(at(0))));
    const auto s = state.summary(at(60).takenAt);
    EXPECT_EQ(s.health, Health::Critical);
    EXPECT_TRUE(s.freshness.startsWith(QStringLiteral("No data since")))
        << s.freshness.toStdString();
}
