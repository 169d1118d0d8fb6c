// deriveFindings on hand-built snapshots: every finding, both ways where it has two sides.
#include "services/monitor/findings.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <gtest/gtest.h>
#include <optional>

using namespace vigil::services;
using vigil::test::failedChannel;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::memberNamed;
using vigil::test::streamingTo;
using Sev = Finding::Severity;
using Code = Finding::Code;
using State = ChannelStatus::State;

namespace {

// Any finding with `code` (of `member` when given).
// Copies, not pointers: the list is often a temporary (deriveFindings(s)).
std::optional<Finding> find(const QList<Finding> &fs, Code code, const QString &member = QString())
{
    for (const auto &f : fs)
        if (f.code == code && (member.isNull() || f.member == member))
            return f;
    return std::nullopt;
}

// A cluster-wide finding with `code` (no member).
std::optional<Finding> findClusterWide(const QList<Finding> &fs, Code code)
{
    for (const auto &f : fs)
        if (f.code == code && f.member.isEmpty())
            return f;
    return std::nullopt;
}

std::string dump(const QList<Finding> &fs)
{
    std::string out;
    for (const auto &f : fs)
        out += (severityName(f.severity) + QLatin1Char(' ') + findingCodeName(f.code) +
                QLatin1Char(' ') + f.member + QStringLiteral(": ") + f.message + QLatin1Char('\n'))
                   .toStdString();
    return out.empty() ? "(none)" : out;
}

HaproxyStatRow server(const QString &name, const QString &status, const QString &address = {})
{
    HaproxyStatRow r;
    r.proxy = QStringLiteral("rw");
    r.name = name;
    r.type = HaproxyStatRow::Type::Server;
    r.status = status;
    r.address = address;
    return r;
}

void setRouting(ClusterSnapshot &s, const QList<HaproxyStatRow> &servers)
{
    HaproxyStats st;
    st.rows = servers;
    s.haproxy.stats = st;
    s.haproxy.readWriteServersUp.clear();
    for (const auto &r : servers)
        if (r.status.startsWith(QLatin1String("UP")))
            s.haproxy.readWriteServersUp << r.name;
}

} // namespace

TEST(Findings, HealthyClusterHasNone)
{
    const auto fs = deriveFindings(healthyOnDefaultPorts());
    EXPECT_TRUE(fs.isEmpty()) << dump(fs);
}

TEST(Findings, SplitBrainByRestRole)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node2")).patroni->role = PatroniRole::Leader;
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::SplitBrain);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("node1")));
    EXPECT_TRUE(f->message.contains(QLatin1String("node2")));
    EXPECT_EQ(fs.first().code, Code::SplitBrain) << "critical findings come first";
}

TEST(Findings, SplitBrainBySqlRecoveryState)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node3")).inRecovery = false; // promoted behind Patroni's back
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::SplitBrain);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("pg_is_in_recovery")));
    EXPECT_TRUE(f->message.contains(QLatin1String("node3")));
}

TEST(Findings, StaleClaimOfACrashedLeaderIsNotSplitBrain)
{
    // node1 crashed (its last known data still says primary); node2 was promoted.
    auto s = healthyOnDefaultPorts();
    auto &old = memberNamed(s, QStringLiteral("node1"));
    old.rest = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                             QStringLiteral("Connection refused"));
    old.sql = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                            QStringLiteral("Connection refused"));
    old.role = PatroniRole::Replica;
    old.state = QStringLiteral("stopped");
    auto &fresh = memberNamed(s, QStringLiteral("node2"));
    fresh.role = PatroniRole::Leader;
    fresh.patroni->role = PatroniRole::Leader;
    fresh.inRecovery = false;
    fresh.replication = {streamingTo(QStringLiteral("node3"))};
    const auto fs = deriveFindings(s);
    EXPECT_FALSE(find(fs, Code::SplitBrain)) << dump(fs);
    EXPECT_FALSE(find(fs, Code::NoLeader)) << dump(fs);
    auto down = find(fs, Code::MemberUnreachable, QStringLiteral("node1"));
    ASSERT_TRUE(down) << dump(fs);
    EXPECT_EQ(down->severity, Sev::Warning); // no longer the leader
}

TEST(Findings, LeaderUnreachableIsCritical)
{
    auto s = healthyOnDefaultPorts();
    auto &l = memberNamed(s, QStringLiteral("node1"));
    l.rest = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                           QStringLiteral("Connection refused"));
    l.sql = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                          QStringLiteral("Connection refused"));
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::MemberUnreachable, QStringLiteral("node1"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("Connection refused")))
        << f->message.toStdString();
}

TEST(Findings, NoLeader)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node1")).role = PatroniRole::Replica;
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::NoLeader);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
}

TEST(Findings, RoutingMismatchWhenHaproxySendsWritesToAReplica)
{
    auto s = healthyOnDefaultPorts();
    setRouting(s, {server(QStringLiteral("node1"), QStringLiteral("DOWN")),
                   server(QStringLiteral("node2"), QStringLiteral("UP")),
                   server(QStringLiteral("node3"), QStringLiteral("DOWN"))});
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::RoutingMismatch);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("node2")));
    EXPECT_TRUE(f->message.contains(QLatin1String("node1")));
}

TEST(Findings, RoutingMismatchWhenNoServerIsUp)
{
    auto s = healthyOnDefaultPorts();
    setRouting(s, {server(QStringLiteral("node1"), QStringLiteral("DOWN")),
                   server(QStringLiteral("node2"), QStringLiteral("DOWN")),
                   server(QStringLiteral("node3"), QStringLiteral("DOWN"))});
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::RoutingMismatch);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("no server UP")));
}

// No Patroni answers (the TLS drill: every REST request refused): the members are not known, so
// HAProxy's choice cannot be judged. It once read "sends writes to node1 (not a member of the
// cluster)", a false CRITICAL naming the leader itself.
TEST(Findings, RoutingIsUnverifiedWithoutAnyMemberKnown)
{
    auto s = healthyOnDefaultPorts();
    setRouting(s, {server(QStringLiteral("node1"), QStringLiteral("UP")),
                   server(QStringLiteral("node2"), QStringLiteral("DOWN"))});
    s.discovery = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                                QStringLiteral("certificate refused"));
    s.members.clear();
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::RoutingMismatch);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Unknown);
    EXPECT_TRUE(f->message.contains(QLatin1String("node1"))) << f->message.toStdString();
    EXPECT_FALSE(f->message.contains(QLatin1String("not a member"))) << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(QLatin1String("cannot be checked")));
}

TEST(Findings, RoutingMapsServersByAddressWhenNamesDiffer)
{
    auto s = healthyOnDefaultPorts();
    // Servers named after hosts, not members; addresses are the members' PostgreSQL ports.
    setRouting(
        s,
        {server(QStringLiteral("pg-a"), QStringLiteral("UP"), QStringLiteral("127.0.0.1:5432")),
         server(QStringLiteral("pg-b"), QStringLiteral("DOWN"), QStringLiteral("127.0.0.1:5433"))});
    EXPECT_FALSE(find(deriveFindings(s), Code::RoutingMismatch)) << dump(deriveFindings(s));

    setRouting(
        s,
        {server(QStringLiteral("pg-a"), QStringLiteral("DOWN"), QStringLiteral("127.0.0.1:5432")),
         server(QStringLiteral("pg-b"), QStringLiteral("UP"), QStringLiteral("127.0.0.1:5433"))});
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::RoutingMismatch);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_TRUE(f->message.contains(QLatin1String("pg-b")));
    EXPECT_TRUE(f->message.contains(QLatin1String("node2")));
}

TEST(Findings, RoutingToAServerThatIsNoMember)
{
    auto s = healthyOnDefaultPorts();
    setRouting(s, {server(QStringLiteral("stranger"), QStringLiteral("UP"),
                          QStringLiteral("10.0.0.9:5432"))});
    auto f = find(deriveFindings(s), Code::RoutingMismatch);
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->message.contains(QLatin1String("stranger")));
}

TEST(Findings, RoutingWithoutRecognizedBackendIsAWarning)
{
    auto s = healthyOnDefaultPorts();
    s.haproxy.readWriteBackend.clear();
    auto f = find(deriveFindings(s), Code::RoutingMismatch);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Warning);
}

TEST(Findings, HaproxyUnreachable)
{
    auto s = healthyOnDefaultPorts();
    s.haproxy.channel = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                                      QStringLiteral("Connection refused"));
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::HaproxyUnreachable);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_FALSE(find(fs, Code::RoutingMismatch)) << "stale stats are not evaluated";

    s.haproxy.channel = {}; // not configured
    EXPECT_TRUE(deriveFindings(s).isEmpty()) << dump(deriveFindings(s));
}

TEST(Findings, PgBouncerWaitingClients)
{
    auto s = healthyOnDefaultPorts();
    s.pgbouncer.pools[0].clientsWaiting = 3;
    s.pgbouncer.pools[0].maxWait = 2.5;
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::PgBouncerWaiting);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_TRUE(f->message.contains(QLatin1String("3"))) << f->message.toStdString();

    s.pgbouncer.pools[0].maxWait = 12;
    fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::PgBouncerWaiting));
    EXPECT_EQ(find(fs, Code::PgBouncerWaiting)->severity, Sev::Critical);
}

TEST(Findings, PgBouncerUnreachableOrLoginRefused)
{
    auto s = healthyOnDefaultPorts();
    s.pgbouncer.channel = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                                        QStringLiteral("Connection refused"));
    auto f = find(deriveFindings(s), Code::PgBouncerUnreachable);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Critical);

    s.pgbouncer.channel = failedChannel(State::Unreachable, ServiceError::Kind::Auth,
                                        QStringLiteral("password authentication failed"));
    f = find(deriveFindings(s), Code::PgBouncerUnreachable);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Unknown);
}

TEST(Findings, ReplicationLagThresholdsInSeconds)
{
    auto s = healthyOnDefaultPorts();
    auto &r = memberNamed(s, QStringLiteral("node2"));
    r.replayLagSeconds = 5;
    EXPECT_FALSE(find(deriveFindings(s), Code::ReplicationLag));
    r.replayLagSeconds = 10; // "> 10 s": exactly 10 is fine
    EXPECT_FALSE(find(deriveFindings(s), Code::ReplicationLag));
    r.replayLagSeconds = 15;
    auto fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::ReplicationLag, QStringLiteral("node2"))) << dump(fs);
    EXPECT_EQ(find(fs, Code::ReplicationLag)->severity, Sev::Warning);
    r.replayLagSeconds = 45;
    fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::ReplicationLag, QStringLiteral("node2"))) << dump(fs);
    EXPECT_EQ(find(fs, Code::ReplicationLag)->severity, Sev::Critical);

    FindingThresholds t;
    t.lagCriticalSeconds = 60;
    EXPECT_EQ(find(deriveFindings(s, t), Code::ReplicationLag)->severity, Sev::Warning);
}

TEST(Findings, LagBeyondMaximumLagOnFailover)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node3")).lagBytes = 2 * 1048576;
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::ReplicationLag, QStringLiteral("node3"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_TRUE(f->message.contains(QLatin1String("maximum_lag_on_failover")));

    s.dynamicConfig.reset(); // without /config there is no limit to compare with
    EXPECT_FALSE(find(deriveFindings(s), Code::ReplicationLag));
}

TEST(Findings, ConnectionThresholds)
{
    auto s = healthyOnDefaultPorts();
    auto &c = *memberNamed(s, QStringLiteral("node1")).connections;
    c.maxConnections = 100;
    c.total = 80; // "> 80 %"
    EXPECT_FALSE(find(deriveFindings(s), Code::ConnectionsHigh));
    c.total = 85;
    auto fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::ConnectionsHigh, QStringLiteral("node1"))) << dump(fs);
    EXPECT_EQ(find(fs, Code::ConnectionsHigh)->severity, Sev::Warning);
    c.total = 96;
    fs = deriveFindings(s);
    EXPECT_EQ(find(fs, Code::ConnectionsHigh)->severity, Sev::Critical);
    EXPECT_TRUE(find(fs, Code::ConnectionsHigh)->message.contains(QLatin1String("96")));

    // Stale connection counts (SQL did not answer) are not judged.
    memberNamed(s, QStringLiteral("node1")).sql =
        failedChannel(State::Unresponsive, ServiceError::Kind::Timeout, QStringLiteral("late"));
    EXPECT_FALSE(find(deriveFindings(s), Code::ConnectionsHigh));
}

TEST(Findings, ReplicaDownAndAllReplicasDown)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node3")).state = QStringLiteral("stopped");
    memberNamed(s, QStringLiteral("node1")).replication = {streamingTo(QStringLiteral("node2"))};
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::ReplicaDown, QStringLiteral("node3"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_FALSE(findClusterWide(fs, Code::ReplicaDown)) << dump(fs);

    memberNamed(s, QStringLiteral("node2")).state = QStringLiteral("starting");
    fs = deriveFindings(s);
    auto all = findClusterWide(fs, Code::ReplicaDown);
    ASSERT_TRUE(all) << dump(fs);
    EXPECT_EQ(all->severity, Sev::Critical);
}

TEST(Findings, ReplicaRunningButNotStreaming)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node1")).replication = {streamingTo(QStringLiteral("node2"))};
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::ReplicaDown, QStringLiteral("node3"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_TRUE(f->message.contains(QLatin1String("not streaming")));

    // The replica's own WAL receiver says so too.
    s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node2")).walReceiver.reset();
    f = find(deriveFindings(s), Code::ReplicaDown, QStringLiteral("node2"));
    ASSERT_TRUE(f);
}

TEST(Findings, MemberAbsentFromDcs)
{
    auto s = healthyOnDefaultPorts();
    auto &m = memberNamed(s, QStringLiteral("node2"));
    m.inDcs = false;
    m.role = PatroniRole::Unknown;
    auto f = find(deriveFindings(s), Code::ReplicaDown, QStringLiteral("node2"));
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->message.contains(QLatin1String("DCS")));
}

// A member whose Patroni froze past the TTL drops out of /cluster; a one-shot look at the DCS
// alone would see a healthy two-member cluster. HAProxy still lists it: that is the tell.
TEST(Findings, ServerHaproxyKnowsButTheDcsDoesNot)
{
    auto s = healthyOnDefaultPorts();
    auto dropMember = [&s](const QString &name) {
        s.members.removeIf([&](const MemberSnapshot &m) { return m.name == name; });
        auto &leaderRows = memberNamed(s, QStringLiteral("node1")).replication;
        leaderRows.removeIf([&](const ReplicationStat &r) { return r.applicationName == name; });
    };
    ASSERT_FALSE(find(deriveFindings(s), Code::ReplicaDown)) << dump(deriveFindings(s));
    dropMember(QStringLiteral("node3"));
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::ReplicaDown, QStringLiteral("node3"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_TRUE(f->message.contains(QLatin1String("HAProxy"))) << f->message.toStdString();
    EXPECT_FALSE(findClusterWide(fs, Code::ReplicaDown)) << "node2 still streams";

    dropMember(QStringLiteral("node2"));
    fs = deriveFindings(s);
    auto all = findClusterWide(fs, Code::ReplicaDown);
    ASSERT_TRUE(all) << dump(fs);
    EXPECT_EQ(all->severity, Sev::Critical) << "the leader alone: no replica at all";

    // Without a DCS view there is nothing to compare HAProxy's servers with.
    s.discovery =
        vigil::test::downChannel(ServiceError::Kind::Timeout, QStringLiteral("GET /cluster"),
                                 QStringLiteral("127.0.0.1:8008"), QStringLiteral("timed out"));
    EXPECT_FALSE(find(deriveFindings(s), Code::ReplicaDown, QStringLiteral("node3")))
        << dump(deriveFindings(s));
}

TEST(Findings, MemberUnresponsive)
{
    auto s = healthyOnDefaultPorts();
    auto &m = memberNamed(s, QStringLiteral("node3"));
    m.rest = failedChannel(State::Unresponsive, ServiceError::Kind::Timeout,
                           QStringLiteral("no answer"));
    m.sql = failedChannel(State::Unresponsive, ServiceError::Kind::Timeout,
                          QStringLiteral("no answer"));
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::MemberUnresponsive, QStringLiteral("node3"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_TRUE(f->message.contains(QLatin1String("REST API and SQL")));
    EXPECT_FALSE(find(fs, Code::MemberUnresponsive, QStringLiteral("node2")));

    auto &l = memberNamed(s, QStringLiteral("node1"));
    l.rest = failedChannel(State::Unresponsive, ServiceError::Kind::Timeout,
                           QStringLiteral("no answer"));
    fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::MemberUnresponsive, QStringLiteral("node1")));
    EXPECT_EQ(find(fs, Code::MemberUnresponsive, QStringLiteral("node1"))->severity, Sev::Critical);
}

TEST(Findings, SqlLoginRefusedIsUnknownWithAClearMessage)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node2")).sql =
        failedChannel(State::Unreachable, ServiceError::Kind::Auth,
                      QStringLiteral("password authentication failed for user \"vigil\""));
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::MemberUnreachable, QStringLiteral("node2"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Unknown);
    EXPECT_TRUE(f->message.contains(QLatin1String("log in"))) << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(QLatin1String("password authentication failed")));
}

TEST(Findings, PendingRestartPausedAndScheduledSwitchover)
{
    auto s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node2")).pendingRestart = true;
    s.paused = true;
    s.scheduledSwitchover = PatroniScheduledSwitchover{
        s.takenAt.addSecs(3600), QStringLiteral("node1"), QStringLiteral("node2")};
    auto fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::PendingRestart, QStringLiteral("node2"))) << dump(fs);
    EXPECT_EQ(find(fs, Code::PendingRestart)->severity, Sev::Warning);
    ASSERT_TRUE(find(fs, Code::Paused));
    EXPECT_EQ(find(fs, Code::Paused)->severity, Sev::Warning);
    ASSERT_TRUE(find(fs, Code::ScheduledSwitchover));
    EXPECT_EQ(find(fs, Code::ScheduledSwitchover)->severity, Sev::Ok)
        << "an hour away: information";
    EXPECT_EQ(fs.last().code, Code::ScheduledSwitchover) << "OK findings come last";

    s.scheduledSwitchover->at = s.takenAt.addSecs(120);
    EXPECT_EQ(find(deriveFindings(s), Code::ScheduledSwitchover)->severity, Sev::Warning);
}

TEST(Findings, DcsViewUnreadable)
{
    auto s = healthyOnDefaultPorts();
    s.discovery =
        failedChannel(State::Unreachable, ServiceError::Kind::Http, QStringLiteral("503"));
    auto fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::DcsUnreachable)) << dump(fs);
    EXPECT_EQ(find(fs, Code::DcsUnreachable)->severity, Sev::Critical);

    // One member's Patroni has lost the DCS for a while.
    s = healthyOnDefaultPorts();
    memberNamed(s, QStringLiteral("node2")).patroni->dcsLastSeen = s.takenAt.addSecs(-120);
    fs = deriveFindings(s);
    ASSERT_TRUE(find(fs, Code::DcsUnreachable, QStringLiteral("node2"))) << dump(fs);
    EXPECT_EQ(find(fs, Code::DcsUnreachable)->severity, Sev::Warning);
}

TEST(Findings, NothingReachableIsUnknownOnly)
{
    auto s = healthyOnDefaultPorts();
    s.discovery = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                                QStringLiteral("Connection refused"));
    for (auto &m : s.members) {
        m.rest = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                               QStringLiteral("refused"));
        m.sql = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                              QStringLiteral("refused"));
    }
    s.haproxy.channel = {};
    s.pgbouncer.channel = {};
    const auto fs = deriveFindings(s);
    ASSERT_EQ(fs.size(), 1) << dump(fs);
    EXPECT_EQ(fs[0].severity, Sev::Unknown);
    EXPECT_EQ(fs[0].code, Code::DcsUnreachable);
    EXPECT_TRUE(fs[0].message.contains(QLatin1String("Connection refused")));
}

TEST(Findings, ArchiverFailingAndInactiveSlot)
{
    auto s = healthyOnDefaultPorts();
    auto &l = memberNamed(s, QStringLiteral("node1"));
    l.archiver->failedCount = 4;
    l.archiver->lastFailedWal = QStringLiteral("000000010000000000000007");
    l.archiver->lastFailedTime = s.takenAt.addSecs(-5);
    l.archiver->lastArchivedTime = s.takenAt.addSecs(-600);
    l.replicationSlots << ReplicationSlotStat{QStringLiteral("old_standby"),
                                              QStringLiteral("physical"), false, qint64(3) << 30};
    const auto fs = deriveFindings(s);
    int archive = 0, others = 0;
    for (const auto &f : fs) {
        if (f.member != QLatin1String("node1"))
            continue;
        archive += f.code == Code::ArchiveFailing &&
                   f.message.contains(QLatin1String("000000010000000000000007"));
        others += f.code == Code::Other;
    }
    // Its own code: an alert of its own, not one key shared with the slot's finding.
    EXPECT_EQ(archive, 1) << dump(fs);
    EXPECT_EQ(others, 1) << dump(fs);
}

TEST(Findings, WorstSeverityFollowsNagiosOrder)
{
    auto s = healthyOnDefaultPorts();
    s.findings = deriveFindings(s);
    EXPECT_EQ(s.worstSeverity(), Sev::Ok);
    memberNamed(s, QStringLiteral("node2")).pendingRestart = true;
    s.findings = deriveFindings(s);
    EXPECT_EQ(s.worstSeverity(), Sev::Warning);
    memberNamed(s, QStringLiteral("node1")).role = PatroniRole::Replica;
    s.findings = deriveFindings(s);
    EXPECT_EQ(s.worstSeverity(), Sev::Critical);
}

namespace {

// Every member's Patroni last reached the DCS `ago` seconds before the snapshot.
void dcsSeen(ClusterSnapshot &s, qint64 ago, const QString &only = {})
{
    for (auto &m : s.members)
        if (only.isEmpty() || m.name == only)
            m.patroni->dcsLastSeen = s.takenAt.addSecs(-ago);
}

void timings(ClusterSnapshot &s, int ttl, int loopWait, int retryTimeout)
{
    s.dynamicConfig->ttl = ttl;
    s.dynamicConfig->loopWait = loopWait;
    s.dynamicConfig->retryTimeout = retryTimeout;
}

} // namespace

// Issue 13: with etcd frozen, GET /cluster still answers from Patroni's cache, but no Patroni
// renews dcs_last_seen (measured: it stops at once, and the leader demotes itself about
// retry_timeout later). Past loop_wait (+ the loop's run time) the DCS is named as the failed
// layer, with the time left until Patroni demotes the leader; critical once under loop_wait.
TEST(Findings, EveryMemberLostTheDcsNamesItAndTheTimeUntilTheLeaderIsDemoted)
{
    auto s = healthyOnDefaultPorts();
    timings(s, 60, 10, 30);
    dcsSeen(s, 12); // within loop_wait + 3 s: an HA loop may just be late
    EXPECT_FALSE(find(deriveFindings(s), Code::DcsUnreachable)) << dump(deriveFindings(s));

    dcsSeen(s, 14); // lost; demoted by 10 + 30 - 14 = 26 s at the latest
    auto fs = deriveFindings(s);
    auto f = findClusterWide(fs, Code::DcsUnreachable);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_TRUE(f->message.contains(QLatin1String("the DCS is the failed layer")))
        << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(QLatin1String("in about 26 s"))) << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(QLatin1String("No member's Patroni")))
        << f->message.toStdString();

    dcsSeen(s, 33); // 7 s left: under loop_wait
    f = findClusterWide(deriveFindings(s), Code::DcsUnreachable);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Critical);

    dcsSeen(s, 45); // the retries have failed
    f = findClusterWide(deriveFindings(s), Code::DcsUnreachable);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("have failed"))) << f->message.toStdString();
}

// Patroni's default timings (loop_wait 10, retry_timeout 10), also assumed when GET /config
// cannot be read (it waits on the DCS): a leader that lost the DCS is demoted within seconds.
TEST(Findings, TheLeaderAloneLosingTheDcsIsCriticalWithDefaultTimings)
{
    auto s = healthyOnDefaultPorts();
    s.dynamicConfig.reset();
    const QString leader = s.leader()->name;
    dcsSeen(s, 14, leader);
    auto f = findClusterWide(deriveFindings(s), Code::DcsUnreachable);
    ASSERT_TRUE(f) << dump(deriveFindings(s));
    EXPECT_TRUE(f->message.contains(QLatin1String("The leader's Patroni")))
        << f->message.toStdString();
    EXPECT_EQ(f->severity, Sev::Critical); // 6 s left
    // A replica alone: a warning on that member.
    s = healthyOnDefaultPorts();
    timings(s, 10, 2, 4);
    dcsSeen(s, 6, QStringLiteral("node2"));
    EXPECT_FALSE(findClusterWide(deriveFindings(s), Code::DcsUnreachable));
    ASSERT_TRUE(find(deriveFindings(s), Code::DcsUnreachable, QStringLiteral("node2")));
    EXPECT_EQ(find(deriveFindings(s), Code::DcsUnreachable, QStringLiteral("node2"))->severity,
              Sev::Warning);
}

// Patroni's /cluster shows the member as Leader, running, while its PostgreSQL is in recovery:
// it accepts no writes. A promotion in progress is not reported; one that never ends is.
TEST(Findings, LeaderKeyOnAMemberStillInRecoveryIsCriticalAfterThePromotionGrace)
{
    auto s = healthyOnDefaultPorts();
    MemberSnapshot &leader = memberNamed(s, s.leader()->name);
    leader.inRecovery = true;
    leader.leaderInRecoverySince = s.takenAt.addSecs(-5);
    EXPECT_FALSE(find(deriveFindings(s), Code::LeaderInRecovery)) << dump(deriveFindings(s));
    leader.leaderInRecoverySince = s.takenAt.addSecs(-20);
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::LeaderInRecovery, leader.name);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("accepts no writes")))
        << f->message.toStdString();
    // Without a current SQL answer there is no evidence.
    leader.sql =
        failedChannel(State::Unreachable, ServiceError::Kind::Connect, QStringLiteral("refused"));
    EXPECT_FALSE(find(deriveFindings(s), Code::LeaderInRecovery));
}

// Issue 13: a running monitor asks /patroni at the slow cadence while all agrees, so the answer
// shown may be seconds old. Its dcs_last_seen is counted to the answer's own time (rest.lastOk),
// not to the snapshot's: a fresh contact in an old answer is not a lost DCS, and a lost one is
// named by what the answer said.
TEST(Findings, DcsAgeCountsToTheAnswersOwnTime)
{
    auto s = healthyOnDefaultPorts();
    timings(s, 30, 10, 10);
    for (auto &m : s.members) {
        m.rest.lastOk = s.takenAt.addSecs(-4); // the answer came 4 s before this cycle
        m.patroni->dcsLastSeen = m.rest.lastOk.addSecs(-12);
    }
    // 16 s before the snapshot, but 12 s before the answer: within loop_wait + 3 s.
    EXPECT_FALSE(find(deriveFindings(s), Code::DcsUnreachable)) << dump(deriveFindings(s));

    for (auto &m : s.members)
        m.patroni->dcsLastSeen = m.rest.lastOk.addSecs(-14);
    auto f = findClusterWide(deriveFindings(s), Code::DcsUnreachable);
    ASSERT_TRUE(f) << dump(deriveFindings(s));
    EXPECT_TRUE(f->message.contains(QLatin1String("for 14 s"))) << f->message.toStdString();

    // An answer that did not come this cycle (the channel failed) says nothing about the DCS.
    for (auto &m : s.members)
        m.rest.state = State::Unresponsive;
    EXPECT_FALSE(findClusterWide(deriveFindings(s), Code::DcsUnreachable) &&
                 findClusterWide(deriveFindings(s), Code::DcsUnreachable)
                     ->message.contains(QLatin1String("for 14 s")));
}

// Issue 13, measured on the production-shaped sandbox: Patroni (etcd v3) answers GET /cluster
// from its watch cache and counts that as a DCS contact, so with etcd frozen the member Vigil
// asked stays fresh while the others' contacts stop. The one contact that falls within Vigil's
// own GET /cluster is not counted; when several do, Vigil cannot tell which it caused.
TEST(Findings, TheContactVigilsOwnClusterRequestCausedIsNotCounted)
{
    auto s = healthyOnDefaultPorts();
    timings(s, 30, 10, 10);
    s.discovery.lastOk = s.takenAt.addMSecs(40); // GET /cluster answered 40 ms into the cycle
    s.discovery.latencyMs = 30;
    const QString leader = s.leader()->name;
    for (auto &m : s.members) {
        m.rest.lastOk = s.takenAt.addMSecs(60);
        m.patroni->dcsLastSeen = m.name == leader ? s.takenAt : s.takenAt.addSecs(-15);
    }
    auto fs = deriveFindings(s);
    auto f = findClusterWide(fs, Code::DcsUnreachable);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_TRUE(f->message.contains(QLatin1String("No member's Patroni")))
        << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(QLatin1String("is not counted"))) << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(leader)) << f->message.toStdString();

    // The leader's contact long before our request counts as before: it alone is lost.
    for (auto &m : s.members)
        m.patroni->dcsLastSeen = m.name == leader ? s.takenAt.addSecs(-15) : s.takenAt;
    fs = deriveFindings(s);
    f = findClusterWide(fs, Code::DcsUnreachable);
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_TRUE(f->message.contains(QLatin1String("The leader's Patroni")))
        << f->message.toStdString();
    EXPECT_FALSE(f->message.contains(QLatin1String("is not counted")));

    // Every contact fresh and coinciding: nothing is wrong, nothing is left out.
    for (auto &m : s.members)
        m.patroni->dcsLastSeen = s.takenAt;
    EXPECT_FALSE(find(deriveFindings(s), Code::DcsUnreachable)) << dump(deriveFindings(s));
}

namespace {

// The leader's processes are gone: both channels refuse, last answered `secondsAgo` before.
void killLeader(ClusterSnapshot &s, const QString &name, int secondsAgo)
{
    auto &l = memberNamed(s, name);
    l.rest = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                           QStringLiteral("Connection refused"));
    l.sql = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                          QStringLiteral("Connection refused"));
    l.rest.lastOk = l.sql.lastOk = s.takenAt.addSecs(-secondsAgo);
    for (auto &m : s.members)
        if (m.name != name && m.walReceiver)
            m.walReceiver->status = QStringLiteral("waiting");
}

SessionBrief session(int pid, const QString &user, const QString &app, double seconds,
                     int waiting = 0)
{
    SessionBrief b;
    b.pid = pid;
    b.user = user;
    b.application = app;
    b.state = QStringLiteral("idle in transaction");
    b.seconds = seconds;
    b.waiting = waiting;
    return b;
}

} // namespace

TEST(Findings, PrimaryDownNamesTheLeaderAndWhenPatroniActs)
{
    auto s = healthyOnDefaultPorts();
    s.dynamicConfig->ttl = 30;
    killLeader(s, QStringLiteral("node1"), 6);
    const auto fs = deriveFindings(s);
    auto f = find(fs, Code::PrimaryDown, QStringLiteral("node1"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.startsWith(QStringLiteral(
        "Leader node1 is down; Patroni fails over when its key expires in ≈24 s (ttl 30 s")))
        << f->message.toStdString();
    // The replicas wait for WAL from the dead leader: not "No replica is streaming".
    EXPECT_FALSE(find(fs, Code::ReplicaDown)) << dump(fs);
    // The channel finding stays (what failed, in words).
    EXPECT_TRUE(find(fs, Code::MemberUnreachable, QStringLiteral("node1"))) << dump(fs);

    // Past the ttl: Patroni should be electing.
    killLeader(s, QStringLiteral("node1"), 41);
    auto late = find(deriveFindings(s), Code::PrimaryDown);
    ASSERT_TRUE(late);
    EXPECT_TRUE(late->message.contains(QStringLiteral("expired about 11 s ago")))
        << late->message.toStdString();

    // The poller's last sighting counts when the channels' own is older.
    s.lastLeader = QStringLiteral("node1");
    s.lastLeaderSeen = s.takenAt.addSecs(-2);
    late = find(deriveFindings(s), Code::PrimaryDown);
    ASSERT_TRUE(late);
    EXPECT_TRUE(late->message.contains(QStringLiteral("in ≈28 s"))) << late->message.toStdString();
}

TEST(Findings, PrimaryDownKeepsReplicasThatAreNotRunning)
{
    auto s = healthyOnDefaultPorts();
    killLeader(s, QStringLiteral("node1"), 3);
    memberNamed(s, QStringLiteral("node2")).state = QStringLiteral("stopped");
    memberNamed(s, QStringLiteral("node3")).state = QStringLiteral("stopped");
    const auto fs = deriveFindings(s);
    auto all = findClusterWide(fs, Code::ReplicaDown);
    ASSERT_TRUE(all) << dump(fs);
    EXPECT_EQ(all->severity, Sev::Critical);
    EXPECT_TRUE(all->message.contains(QStringLiteral("no failover candidate")));
}

TEST(Findings, NoPrimaryDownWhileTheLeaderAnswersOrOnlyRefusesTheLogin)
{
    auto s = healthyOnDefaultPorts();
    EXPECT_FALSE(find(deriveFindings(s), Code::PrimaryDown));
    auto &l = memberNamed(s, QStringLiteral("node1"));
    l.sql = failedChannel(State::Unreachable, ServiceError::Kind::Connect,
                          QStringLiteral("Connection refused"));
    EXPECT_FALSE(find(deriveFindings(s), Code::PrimaryDown)) << "REST still answers";
    l.rest = failedChannel(State::Unreachable, ServiceError::Kind::Auth,
                           QStringLiteral("401 Unauthorized"));
    EXPECT_FALSE(find(deriveFindings(s), Code::PrimaryDown)) << "a refused login is no outage";
}

TEST(Findings, FailedOverNamesTheNewLeaderAndHowLongItTook)
{
    auto s = healthyOnDefaultPorts();
    auto &n1 = memberNamed(s, QStringLiteral("node1"));
    n1.role = PatroniRole::Replica;
    n1.patroni->role = PatroniRole::Replica;
    n1.inRecovery = true;
    auto &n3 = memberNamed(s, QStringLiteral("node3"));
    n3.role = PatroniRole::Leader;
    n3.patroni->role = PatroniRole::Leader;
    n3.inRecovery = false;
    LeaderChange c;
    c.from = QStringLiteral("node1");
    c.to = QStringLiteral("node3");
    c.fromLastSeen = s.takenAt.addSecs(-60);
    c.at = s.takenAt.addSecs(-38);
    s.leaderChange = c;
    // node1 back as a running replica: the cluster is whole, the failover is information.
    auto fs = deriveFindings(s);
    auto f = find(fs, Code::FailedOver, QStringLiteral("node3"));
    ASSERT_TRUE(f) << dump(fs);
    EXPECT_EQ(f->severity, Sev::Ok);
    EXPECT_TRUE(f->message.contains(QStringLiteral("failed over to node3 after 22 s")))
        << f->message.toStdString();
    EXPECT_TRUE(f->message.contains(QStringLiteral("node1 is back as a replica")));
    // node1 not answering: a WARNING until it is rebuilt or checked.
    const ChannelStatus restBefore = n1.rest;
    n1.rest =
        failedChannel(State::Unreachable, ServiceError::Kind::Connect, QStringLiteral("refused"));
    f = find(deriveFindings(s), Code::FailedOver, QStringLiteral("node3"));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Warning);
    EXPECT_FALSE(f->message.contains(QStringLiteral("back as a replica")));
    n1.rest = restBefore;

    FindingThresholds t;
    t.failoverNoticeSeconds = 30;
    EXPECT_FALSE(find(deriveFindings(s, t), Code::FailedOver)) << "listed for a while only";

    s.leaderChange->planned = true;
    f = find(deriveFindings(s), Code::FailedOver);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Ok) << "a switchover is information";
    EXPECT_TRUE(f->message.contains(QStringLiteral("switchover"))) << f->message.toStdString();

    s.leaderChange->to = QStringLiteral("node2"); // another change since: not this one
    EXPECT_FALSE(find(deriveFindings(s), Code::FailedOver));
}

TEST(Findings, RootBlockerAndIdleInTransactionOnThePrimary)
{
    auto s = healthyOnDefaultPorts();
    LockContention locks;
    locks.measuredAt = s.takenAt;
    locks.rootBlocker = session(4242, QStringLiteral("app"), QStringLiteral("billing"), 64.2, 3);
    locks.oldestIdleInTransaction =
        session(4242, QStringLiteral("app"), QStringLiteral("billing"), 70);
    memberNamed(s, QStringLiteral("node1")).locks = locks;
    auto fs = deriveFindings(s);
    auto b = find(fs, Code::LockBlocker, QStringLiteral("node1"));
    ASSERT_TRUE(b) << dump(fs);
    EXPECT_EQ(b->severity, Sev::Warning);
    for (const char *part : {"pid 4242", "user app", "application billing", "3 session(s)", "64"})
        EXPECT_TRUE(b->message.contains(QLatin1String(part))) << part << b->message.toStdString();
    EXPECT_FALSE(find(fs, Code::IdleInTransaction)) << "70 s is under the 5 minutes";

    FindingThresholds t;
    t.idleInTransactionWarningSeconds = 60;
    t.blockerWarningSeconds = 65;
    fs = deriveFindings(s, t);
    EXPECT_FALSE(find(fs, Code::LockBlocker)) << dump(fs);
    auto i = find(fs, Code::IdleInTransaction, QStringLiteral("node1"));
    ASSERT_TRUE(i) << dump(fs);
    EXPECT_TRUE(i->message.contains(QLatin1String("pid 4242"))) << i->message.toStdString();

    // The same figures on a replica (the startup process replaying) are no finding.
    memberNamed(s, QStringLiteral("node2")).locks = locks;
    memberNamed(s, QStringLiteral("node1")).locks.reset();
    EXPECT_FALSE(find(deriveFindings(s), Code::LockBlocker));
}

TEST(Findings, SlowStatementsAndRollbackRateOverTheLastInterval)
{
    auto s = healthyOnDefaultPorts();
    auto &l = memberNamed(s, QStringLiteral("node1"));
    l.rates.intervalSeconds = 1;
    l.rates.statementMeanMs = 5200;
    l.rates.statementCalls = 4;
    l.rates.rollbacksPerSecond = 3;
    auto fs = deriveFindings(s);
    auto slow = find(fs, Code::SlowQueries, QStringLiteral("node1"));
    ASSERT_TRUE(slow) << dump(fs);
    EXPECT_TRUE(slow->message.contains(QLatin1String("5200 ms"))) << slow->message.toStdString();
    EXPECT_FALSE(find(fs, Code::ErrorRate)) << "3/s is under the default 10/s";
    FindingThresholds t;
    t.rollbacksWarningPerSecond = 2;
    auto err = find(deriveFindings(s, t), Code::ErrorRate, QStringLiteral("node1"));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->severity, Sev::Warning);
    l.rates.statementMeanMs = 4999;
    EXPECT_FALSE(find(deriveFindings(s), Code::SlowQueries));
}

TEST(Findings, DiskAgainstTheProfilesCapacitySaysItsSource)
{
    auto s = healthyOnDefaultPorts();
    auto &l = memberNamed(s, QStringLiteral("node1"));
    l.databaseSizes = {{QStringLiteral("postgres"), 850LL << 20}};
    l.walDirBytes = 100LL << 20;
    EXPECT_FALSE(find(deriveFindings(s), Code::DiskSpace)) << "no capacity set: no rule";
    FindingThresholds t;
    t.diskCapacityBytes = 1LL << 30; // 1 GiB: 950 MiB used, 7 % free
    auto f = find(deriveFindings(s, t), Code::DiskSpace, QStringLiteral("node1"));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Critical);
    EXPECT_TRUE(f->message.contains(QLatin1String("pg_ls_waldir"))) << f->message.toStdString();
    t.diskCapacityBytes = 1100LL << 20; // 13.6 % free
    f = find(deriveFindings(s, t), Code::DiskSpace);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->severity, Sev::Warning);
    t.diskCapacityBytes = 2LL << 30;
    EXPECT_FALSE(find(deriveFindings(s, t), Code::DiskSpace));
}
