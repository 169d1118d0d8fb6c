// Pre-flight checks (services/operations/preflight.h) on snapshots replayed from JSON recorded on
// the sandbox (`vigil status --json`, tests/fixtures/operations/snapshot-healthy.json) plus
// PgBouncer's SHOW CONFIG and /config recorded from the same sandbox. Situations the sandbox cannot
// produce at runtime (a nofailover tag, lag over the limit) are made by editing the recorded
// snapshot.
#include "services/monitor/snapshotjson.h"
#include "services/operations/preflight.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QJsonDocument>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;
using V = PreflightCheck::Verdict;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/") + name);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return f.readAll();
}

ClusterSnapshot healthy()
{
    const auto r = snapshotFromJson(
        QJsonDocument::fromJson(fixture(QStringLiteral("operations/snapshot-healthy.json")))
            .object());
    EXPECT_TRUE(r.ok()) << r.error().toText();
    return r.ok() ? r.value() : ClusterSnapshot{};
}

QMap<QString, QString> bouncerConfig()
{
    QMap<QString, QString> m;
    for (const QByteArray &line :
         fixture(QStringLiteral("operations/pgbouncer-show-config.tsv")).split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() >= 2)
            m.insert(QString::fromUtf8(f[0]), QString::fromUtf8(f[1]));
    }
    return m;
}

PreflightInput input(const ClusterSnapshot &s)
{
    PreflightInput in;
    in.snapshot = std::make_shared<ClusterSnapshot>(s);
    const auto cfg = parsePatroniConfig(fixture(QStringLiteral("operations/config.json")));
    EXPECT_TRUE(cfg.ok());
    in.config = cfg.value();
    in.pgbouncerConfigured = true;
    in.pgbouncerConfig = bouncerConfig();
    in.leaderSessions = LeaderActivity{0, 0, 0, 3};
    return in;
}

const PreflightCheck &find(const QList<PreflightCheck> &checks, const char *id)
{
    for (const auto &c : checks)
        if (c.id == QLatin1String(id))
            return c;
    static PreflightCheck none{
        QStringLiteral("missing"), {}, V::Red, QStringLiteral("check not produced")};
    ADD_FAILURE() << "no check " << id;
    return none;
}

QString replicaName(const ClusterSnapshot &s, int n = 0)
{
    for (const auto &m : s.members)
        if (!m.isLeader() && n-- == 0)
            return m.name;
    return {};
}

MemberSnapshot &memberRef(ClusterSnapshot &s, const QString &name)
{
    for (auto &m : s.members)
        if (m.name == name)
            return m;
    return s.members.first();
}

} // namespace

TEST(Preflight, RecordedHealthyClusterHasNoRedCheck)
{
    const ClusterSnapshot s = healthy();
    ASSERT_EQ(s.members.size(), 3);
    ASSERT_TRUE(s.leader());
    const auto checks = switchoverPreflight(input(s), {replicaName(s), {}, true});
    for (const auto &c : checks)
        EXPECT_NE(c.verdict, V::Red) << c.id << ": " << c.sentence;
    EXPECT_EQ(find(checks, "candidate_state").verdict, V::Green)
        << find(checks, "candidate_state").sentence;
    EXPECT_EQ(find(checks, "haproxy_routing").verdict, V::Green)
        << find(checks, "haproxy_routing").sentence;
    EXPECT_EQ(find(checks, "pgbouncer").verdict, V::Green);
}

TEST(Preflight, LagCheckExplainsTheDcsComparison)
{
    const ClusterSnapshot s = healthy();
    const PreflightCheck lag =
        find(switchoverPreflight(input(s), {replicaName(s), {}, false}), "candidate_lag");
    EXPECT_EQ(lag.verdict, V::Green);
    EXPECT_TRUE(lag.sentence.contains(QLatin1String("DCS"))) << lag.sentence;
    EXPECT_TRUE(lag.sentence.contains(QLatin1String("maximum_lag_on_failover"))) << lag.sentence;
}

TEST(Preflight, ZeroReplayLagButOverTheLimitAsPatroniJudgesIsRedAndSaysWhy)
{
    ClusterSnapshot s = healthy();
    const QString cand = replicaName(s);
    MemberSnapshot &m = memberRef(s, cand);
    m.lagBytes = 5 * 1024 * 1024; // /cluster lag: vs the leader position cached in the DCS
    m.replayLagBytes = 0;         // pg_stat_replication shows it caught up
    const PreflightCheck lag =
        find(switchoverPreflight(input(s), {cand, {}, false}), "candidate_lag");
    EXPECT_EQ(lag.verdict, V::Red);
    EXPECT_TRUE(lag.sentence.contains(QLatin1String("pg_stat_replication: 0 B"))) << lag.sentence;
    EXPECT_TRUE(
        lag.sentence.contains(QLatin1String("0 bytes of replay lag there can still be refused")))
        << lag.sentence;
    EXPECT_TRUE(lag.sentence.contains(QLatin1String("1.0 MiB")))
        << lag.sentence; // the limit, from /config
}

TEST(Preflight, LagOverHalfTheLimitIsAmber)
{
    ClusterSnapshot s = healthy();
    const QString cand = replicaName(s);
    memberRef(s, cand).lagBytes = 700 * 1024;
    EXPECT_EQ(find(switchoverPreflight(input(s), {cand, {}, false}), "candidate_lag").verdict,
              V::Amber);
}

TEST(Preflight, NofailoverTagOnTheCandidateIsRed)
{
    ClusterSnapshot s = healthy();
    const QString cand = replicaName(s);
    memberRef(s, cand).tags.insert(QStringLiteral("nofailover"), true);
    const auto checks = switchoverPreflight(input(s), {cand, {}, false});
    EXPECT_EQ(find(checks, "candidate_tags").verdict, V::Red);
    EXPECT_EQ(worstVerdict(checks), V::Red);
    // Letting Patroni choose: the tagged replica is not among the eligible ones.
    const PreflightCheck autoChoice =
        find(switchoverPreflight(input(s), {{}, {}, false}), "candidate_state");
    EXPECT_EQ(autoChoice.verdict, V::Green);
    EXPECT_FALSE(autoChoice.sentence.contains(cand)) << autoChoice.sentence;
}

TEST(Preflight, NoloadbalanceTagIsAmber)
{
    ClusterSnapshot s = healthy();
    const QString cand = replicaName(s);
    memberRef(s, cand).tags.insert(QStringLiteral("noloadbalance"), true);
    EXPECT_EQ(find(switchoverPreflight(input(s), {cand, {}, false}), "candidate_tags").verdict,
              V::Amber);
}

TEST(Preflight, PausedClusterIsRed)
{
    ClusterSnapshot s = healthy();
    s.paused = true;
    const PreflightCheck p =
        find(switchoverPreflight(input(s), {replicaName(s), {}, false}), "paused");
    EXPECT_EQ(p.verdict, V::Red);
    EXPECT_TRUE(p.sentence.contains(QLatin1String("Resume"))) << p.sentence;
}

TEST(Preflight, UnknownCandidateIsRedWithPatronisOwnWords)
{
    const ClusterSnapshot s = healthy();
    const PreflightCheck c = find(
        switchoverPreflight(input(s), {QStringLiteral("node9"), {}, false}), "candidate_state");
    EXPECT_EQ(c.verdict, V::Red);
    EXPECT_TRUE(c.sentence.contains(QLatin1String("candidate does not exists")));
}

TEST(Preflight, PlainSwitchoverThroughPgBouncerWarnsAboutServerLoginRetry)
{
    const ClusterSnapshot s = healthy();
    const PreflightCheck b =
        find(switchoverPreflight(input(s), {replicaName(s), {}, false}), "pgbouncer");
    EXPECT_EQ(b.verdict, V::Amber);
    EXPECT_TRUE(b.sentence.contains(QLatin1String("pool_mode transaction"))) << b.sentence;
    EXPECT_TRUE(
        b.sentence.contains(QLatin1String("server_login_retry (1 s here, 15 s by default)")))
        << b.sentence;
    // Pausing clients, but PgBouncer not part of the profile: cannot be done → red.
    PreflightInput in = input(s);
    in.pgbouncerConfigured = false;
    EXPECT_EQ(find(switchoverPreflight(in, {replicaName(s), {}, true}), "pgbouncer").verdict,
              V::Red);
}

TEST(Preflight, HaproxyRoutingToAnotherServerIsRed)
{
    ClusterSnapshot s = healthy();
    s.haproxy.readWriteServersUp = {replicaName(s)};
    EXPECT_EQ(
        find(switchoverPreflight(input(s), {replicaName(s), {}, false}), "haproxy_routing").verdict,
        V::Red);
}

TEST(Preflight, AlreadyScheduledSwitchoverAndPastScheduleAreRed)
{
    ClusterSnapshot s = healthy();
    s.scheduledSwitchover =
        PatroniScheduledSwitchover{s.takenAt.addSecs(600), s.leader()->name, {}};
    EXPECT_EQ(
        find(switchoverPreflight(input(s), {replicaName(s), {}, false}), "scheduled_switchover")
            .verdict,
        V::Red);
    s.scheduledSwitchover.reset();
    EXPECT_EQ(find(switchoverPreflight(input(s), {replicaName(s), s.takenAt.addSecs(-60), false}),
                   "schedule")
                  .verdict,
              V::Red);
}

TEST(Preflight, LongAndPreparedTransactionsOnTheLeaderAreAmber)
{
    const ClusterSnapshot s = healthy();
    PreflightInput in = input(s);
    in.leaderSessions = LeaderActivity{2, 340, 1, 10};
    const PreflightCheck t =
        find(switchoverPreflight(in, {replicaName(s), {}, false}), "leader_transactions");
    EXPECT_EQ(t.verdict, V::Amber);
    EXPECT_TRUE(t.sentence.contains(QLatin1String("340 s"))) << t.sentence;
    EXPECT_TRUE(t.sentence.contains(QLatin1String("prepared"))) << t.sentence;
    in.leaderSessions.reset();
    in.leaderSessionsError = QStringLiteral("connection refused");
    EXPECT_EQ(
        find(switchoverPreflight(in, {replicaName(s), {}, false}), "leader_transactions").verdict,
        V::Amber);
}

TEST(Preflight, SynchronousModeNeedsTheSyncStandby)
{
    const ClusterSnapshot s = healthy();
    PreflightInput in = input(s);
    in.config->synchronousMode = true;
    EXPECT_EQ(
        find(switchoverPreflight(in, {replicaName(s), {}, false}), "synchronous_mode").verdict,
        V::Red);
}

TEST(Preflight, NoLeaderMeansFailoverNotSwitchover)
{
    ClusterSnapshot s = healthy();
    for (auto &m : s.members)
        if (m.isLeader())
            m.role = PatroniRole::Replica;
    const auto checks = switchoverPreflight(input(s), {{}, {}, false});
    EXPECT_EQ(find(checks, "leader").verdict, V::Red);
    EXPECT_TRUE(find(checks, "leader").sentence.contains(QLatin1String("failover")));
}

TEST(Failover, CandidatesRankedByLastKnownLsnWithLossInBytes)
{
    ClusterSnapshot s = healthy();
    const QString leaderName = s.leader()->name;
    const QString a = replicaName(s, 0), b = replicaName(s, 1);
    MemberSnapshot &leader = memberRef(s, leaderName);
    leader.rest.state = ChannelStatus::State::Unreachable;
    leader.patroni->walLocation = 100000;
    memberRef(s, a).patroni->receivedLocation = 90000;
    memberRef(s, a).patroni->replayedLocation = 90000;
    memberRef(s, b).patroni->receivedLocation = 99000;
    memberRef(s, b).patroni->replayedLocation = 98000;
    const FailoverAssessment fa = assessFailover(s);
    EXPECT_FALSE(fa.leaderHealthy);
    EXPECT_TRUE(fa.why.contains(leaderName)) << fa.why;
    ASSERT_EQ(fa.candidates.size(), 2);
    EXPECT_EQ(fa.candidates[0].name, b);
    EXPECT_EQ(fa.candidates[0].lossBytes, 1000);
    EXPECT_EQ(fa.candidates[1].lossBytes, 10000);
    const auto checks = failoverPreflight(s, a);
    EXPECT_EQ(find(checks, "data_loss").verdict, V::Amber);
    EXPECT_TRUE(find(checks, "data_loss").sentence.contains(b))
        << "should point to the better candidate";
    EXPECT_EQ(find(failoverPreflight(s, QStringLiteral("node9")), "candidate_state").verdict,
              V::Red);
}

TEST(Failover, HealthyLeaderIsAmberPreferSwitchover)
{
    const ClusterSnapshot s = healthy();
    EXPECT_EQ(find(failoverPreflight(s, replicaName(s)), "leader").verdict, V::Amber);
}
