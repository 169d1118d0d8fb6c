// PatroniClient against the real sandbox cluster (Patroni 3.0.2, packaging/sandbox/sandbox.sh):
// reads, health endpoints, the real refusal and authentication answers, a frozen member, a
// port where nothing listens, and harmless real actions (PATCH /config round-trip, reload,
// a switchover and a restart scheduled far ahead and cancelled). Every test puts back what it
// changed, also when it fails.
#include "services/patroni/patroniclient.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/refusingport.h"
#include "support/sandbox.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTimer>
#include <functional>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;
using Kind = ServiceError::Kind;

namespace {

// Runs `fn` when the scope ends: clean-up that also happens when an ASSERT returns early.
struct Finally
{
    std::function<void()> fn;
    ~Finally()
    {
        if (fn)
            fn();
    }
};

PatroniEndpoint endpoint(const QString &url, bool withUser = true)
{
    PatroniEndpoint ep;
    ep.baseUrl = QUrl(url);
    if (withUser) {
        ep.user = Sandbox::restUser();
        ep.password = Sandbox::restPassword();
    }
    return ep;
}

template <typename T, typename Call> Result<T> await(Call call, int waitMs = 15000)
{
    std::optional<Result<T>> got;
    call([&](const Result<T> &r) { got = r; });
    EXPECT_TRUE(waitUntil([&] { return got.has_value(); }, waitMs)) << "no callback";
    if (!got)
        return ServiceError::make(Kind::Cancelled, QStringLiteral("test"), {}, {}, {});
    return *got;
}

class PatroniClientIT : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        ASSERT_EQ(Sandbox::patroniUrls().size(), 3);
        // `sandbox.sh up` once per run (it takes seconds even when all is well); every test
        // restores what it changes.
        static bool healthy = false;
        if (!healthy) {
            Sandbox::ensureHealthy();
            healthy = !HasFatalFailure();
        }
        m_leader = Sandbox::leaderName();
        ASSERT_FALSE(m_leader.isEmpty());
        const auto c = cluster();
        ASSERT_TRUE(c.ok()) << c.error().toText().toStdString();
        for (const auto &m : c.value().members)
            m_urls.insert(m.name, m.apiBaseUrl().toString());
        ASSERT_EQ(m_urls.size(), 3);
    }

    Result<PatroniCluster> cluster()
    {
        PatroniClient client(&m_nam, endpoint(Sandbox::patroniUrl()));
        return await<PatroniCluster>([&](auto cb) { client.getCluster(cb); });
    }

    QString aReplica() const
    {
        for (auto it = m_urls.begin(); it != m_urls.end(); ++it) {
            if (it.key() != m_leader)
                return it.key();
        }
        return {};
    }

    QNetworkAccessManager m_nam;
    QString m_leader;
    QMap<QString, QString> m_urls; // member name -> REST base URL
};

} // namespace

TEST_F(PatroniClientIT, ClusterHasThreeMembersAndTheLeader)
{
    for (const QString &url : Sandbox::patroniUrls()) {
        PatroniClient client(&m_nam, endpoint(url));
        const auto c = await<PatroniCluster>([&](auto cb) { client.getCluster(cb); });
        ASSERT_TRUE(c.ok()) << url.toStdString() << ": " << c.error().toText().toStdString();
        ASSERT_EQ(c.value().members.size(), 3);
        ASSERT_NE(c.value().leader(), nullptr);
        EXPECT_EQ(c.value().leader()->name, m_leader) << "asked " << url.toStdString();
        int replicas = 0;
        for (const auto &m : c.value().members) {
            EXPECT_EQ(m.host, QStringLiteral("127.0.0.1"));
            EXPECT_EQ(m.timeline, c.value().leader()->timeline);
            if (m.role == PatroniRole::Replica && isHealthyReplicaState(m.state)) {
                ++replicas;
                EXPECT_TRUE(m.lagBytes.has_value());
            }
        }
        EXPECT_EQ(replicas, 2);
        EXPECT_FALSE(c.value().paused);
    }
}

TEST_F(PatroniClientIT, PatroniOfEachMember)
{
    for (auto it = m_urls.begin(); it != m_urls.end(); ++it) {
        PatroniClient client(&m_nam, endpoint(it.value()));
        const auto s = await<PatroniNodeStatus>([&](auto cb) { client.getPatroni(cb); });
        ASSERT_TRUE(s.ok()) << it.key().toStdString() << ": " << s.error().toText().toStdString();
        EXPECT_EQ(s.value().state, QStringLiteral("running"));
        EXPECT_EQ(s.value().scope, QStringLiteral("hokm-ha"));
        EXPECT_EQ(s.value().patroniVersion, QStringLiteral("3.0.2"));
        EXPECT_GE(s.value().serverVersion, 150000);
        EXPECT_TRUE(s.value().postmasterStartTime.has_value());
        EXPECT_TRUE(s.value().dcsLastSeen.has_value());
        EXPECT_LT(qAbs(s.value().dcsLastSeen->secsTo(QDateTime::currentDateTimeUtc())), 60);
        if (it.key() == m_leader) {
            EXPECT_EQ(s.value().role, PatroniRole::Leader);
            EXPECT_TRUE(s.value().walLocation.has_value());
            EXPECT_EQ(s.value().replication.size(), 2);
        } else {
            EXPECT_EQ(s.value().role, PatroniRole::Replica);
            EXPECT_TRUE(s.value().replayedLocation.has_value());
            EXPECT_TRUE(s.value().replication.isEmpty());
        }
    }
}

TEST_F(PatroniClientIT, HistoryAndConfigRead)
{
    PatroniClient client(&m_nam, endpoint(m_urls.value(m_leader)));
    const auto h = await<QList<PatroniHistoryEntry>>([&](auto cb) { client.getHistory(cb); });
    ASSERT_TRUE(h.ok()) << h.error().toText().toStdString();
    const auto s = await<PatroniNodeStatus>([&](auto cb) { client.getPatroni(cb); });
    ASSERT_TRUE(s.ok());
    // One history line per timeline switch: the current timeline is one past the last entry.
    if (!h.value().isEmpty()) {
        EXPECT_EQ(h.value().last().timeline + 1, s.value().timeline.value_or(0));
    }
    const auto cfg = await<PatroniConfig>([&](auto cb) { client.getConfig(cb); });
    ASSERT_TRUE(cfg.ok()) << cfg.error().toText().toStdString();
    EXPECT_EQ(cfg.value().ttl, 10);
    EXPECT_TRUE(cfg.value().postgresqlParameters.contains(QStringLiteral("max_connections")));
}

TEST_F(PatroniClientIT, PrimaryIs200OnTheLeaderAnd503OnReplicas)
{
    for (auto it = m_urls.begin(); it != m_urls.end(); ++it) {
        PatroniClient client(&m_nam, endpoint(it.value()));
        const bool leader = it.key() == m_leader;
        const auto primary = await<int>([&](auto cb) { client.getPrimary(cb); });
        ASSERT_TRUE(primary.ok()) << primary.error().toText().toStdString();
        EXPECT_EQ(primary.value(), leader ? 200 : 503) << it.key().toStdString();
        const auto replica = await<int>([&](auto cb) { client.getReplica(cb); });
        ASSERT_TRUE(replica.ok());
        EXPECT_EQ(replica.value(), leader ? 503 : 200) << it.key().toStdString();
        const auto health = await<int>([&](auto cb) { client.getHealth(cb); });
        ASSERT_TRUE(health.ok());
        EXPECT_EQ(health.value(), 200) << it.key().toStdString();
    }
}

TEST_F(PatroniClientIT, SwitchoverToAnUnknownCandidateIsRefusedVerbatim)
{
    PatroniClient client(&m_nam, endpoint(m_urls.value(m_leader)));
    const auto r = await<PatroniActionResult>(
        [&](auto cb) { client.switchover(m_leader, QStringLiteral("node9"), QDateTime(), cb); });
    ASSERT_FALSE(r.ok()) << "body: " << r.value().body.toStdString();
    // Patroni 3.0.2 really answers 412 with this text (its spelling).
    EXPECT_EQ(r.error().kind, Kind::Refused);
    EXPECT_EQ(r.error().code, QStringLiteral("412"));
    EXPECT_EQ(r.error().what, QStringLiteral("POST /switchover"));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("“candidate does not exists”")))
        << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("nothing was changed")));
    EXPECT_EQ(Sandbox::leaderName(), m_leader);

    const auto wrongLeader = await<PatroniActionResult>(
        [&](auto cb) { client.switchover(QStringLiteral("node9"), aReplica(), QDateTime(), cb); });
    ASSERT_FALSE(wrongLeader.ok());
    EXPECT_EQ(wrongLeader.error().code, QStringLiteral("412"));
    EXPECT_TRUE(
        wrongLeader.error().message.contains(QStringLiteral("“leader name does not match”")));
}

TEST_F(PatroniClientIT, WrongOrMissingPasswordIsAnAuthError)
{
    // A switchover from a leader that does not exist: if authentication were skipped, Patroni
    // would answer 412; 401 proves it checked the credentials first. Nothing can move.
    PatroniEndpoint wrong = endpoint(m_urls.value(m_leader));
    wrong.password = QStringLiteral("definitely-not-the-password");
    PatroniClient wrongClient(&m_nam, wrong);
    const auto r = await<PatroniActionResult>([&](auto cb) {
        wrongClient.switchover(QStringLiteral("node9"), aReplica(), QDateTime(), cb);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Auth);
    EXPECT_EQ(r.error().code, QStringLiteral("401"));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("“not authenticated”")));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("set it in the cluster profile")));
    EXPECT_FALSE(r.error().toText().contains(wrong.password));

    PatroniClient anonymous(&m_nam, endpoint(m_urls.value(m_leader), false));
    const auto none = await<PatroniActionResult>([&](auto cb) {
        anonymous.switchover(QStringLiteral("node9"), aReplica(), QDateTime(), cb);
    });
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().kind, Kind::Auth);
    EXPECT_EQ(none.error().code, QStringLiteral("401"));
    EXPECT_TRUE(none.error().message.contains(QStringLiteral("“no auth header received”")));

    // GETs stay open in 3.0.2: reading works without credentials.
    const auto c = await<PatroniCluster>([&](auto cb) { anonymous.getCluster(cb); });
    EXPECT_TRUE(c.ok());
}

TEST_F(PatroniClientIT, FrozenMemberTimesOutWhileTheEventLoopRuns)
{
    const QString victim = aReplica(); // a replica: freezing the leader would start a failover
    ASSERT_FALSE(victim.isEmpty());
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("freeze"), victim}, &out), 0) << out.toStdString();
    Finally thaw{[victim] {
        Sandbox::run({QStringLiteral("thaw"), victim});
    }};

    PatroniClient client(&m_nam, endpoint(m_urls.value(victim)));
    client.setTimeout(std::chrono::milliseconds(1500));
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
    ticker.start(20);
    QElapsedTimer clock;
    clock.start();
    const auto r = await<PatroniNodeStatus>([&](auto cb) { client.getPatroni(cb); }, 10000);
    const qint64 elapsed = clock.elapsed();
    ticker.stop();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Timeout);
    EXPECT_TRUE(r.error().message.contains(m_urls.value(victim) + QStringLiteral("/patroni")))
        << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("1500 ms")));
    EXPECT_GE(elapsed, 1400);
    EXPECT_LT(elapsed, 4000) << "the deadline holds";
    EXPECT_GT(ticks, 30) << "the event loop kept running: " << ticks << " ticks in " << elapsed
                         << " ms";
    std::cout << "[ measure  ] frozen member: Timeout after " << elapsed
              << " ms (deadline 1500 ms), " << ticks << " event-loop ticks of 20 ms meanwhile\n";

    // The others still answer at once.
    PatroniClient leader(&m_nam, endpoint(m_urls.value(m_leader)));
    QElapsedTimer t2;
    t2.start();
    const auto ok = await<PatroniNodeStatus>([&](auto cb) { leader.getPatroni(cb); });
    EXPECT_TRUE(ok.ok());
    std::cout << "[ measure  ] leader GET /patroni while a replica is frozen: " << t2.elapsed()
              << " ms\n";
}

TEST_F(PatroniClientIT, NothingListeningIsAConnectError)
{
    const vigil::test::RefusingPort refusing; // held: no other test's server can take it
    ASSERT_TRUE(refusing.held());
    const quint16 port = refusing.port();
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    PatroniClient client(&m_nam, endpoint(url));
    QElapsedTimer clock;
    clock.start();
    const auto r = await<PatroniCluster>([&](auto cb) { client.getCluster(cb); });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Kind::Connect);
    EXPECT_EQ(r.error().host, QStringLiteral("127.0.0.1:%1").arg(port));
    EXPECT_TRUE(r.error().message.contains(url + QStringLiteral("/cluster")));
    EXPECT_LT(clock.elapsed(), 1500)
        << "a refused connection is reported at once, not at the deadline";
}

TEST_F(PatroniClientIT, PatchConfigRoundTripAndReload)
{
    PatroniClient client(&m_nam, endpoint(m_urls.value(m_leader)));
    const auto before = await<PatroniConfig>([&](auto cb) { client.getConfig(cb); });
    ASSERT_TRUE(before.ok()) << before.error().toText().toStdString();
    ASSERT_TRUE(before.value().loopWait.has_value());
    const int original = *before.value().loopWait;
    const int changed = original + 1;
    Finally revert{[&] {
        (void)await<PatroniActionResult>([&](auto cb) {
            client.patchConfig(QJsonObject{{QStringLiteral("loop_wait"), original}}, cb);
        });
    }};

    const auto patched = await<PatroniActionResult>([&](auto cb) {
        client.patchConfig(QJsonObject{{QStringLiteral("loop_wait"), changed}}, cb);
    });
    ASSERT_TRUE(patched.ok()) << patched.error().toText().toStdString();
    EXPECT_EQ(patched.value().httpStatus, 200);
    // PATCH /config answers with the whole new configuration (JSON).
    const auto answered = parsePatroniConfig(patched.value().body.toUtf8());
    ASSERT_TRUE(answered.ok()) << patched.value().body.toStdString();
    EXPECT_EQ(answered.value().loopWait, changed);
    EXPECT_EQ(answered.value().ttl, before.value().ttl) << "a PATCH changes only what it names";

    // GET /config serves Patroni's cached view: it follows within a loop.
    std::optional<int> seen;
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto c = await<PatroniConfig>([&](auto cb) { client.getConfig(cb); });
            seen = c.ok() ? c.value().loopWait : std::nullopt;
            return seen == changed;
        },
        15000))
        << "GET /config still says " << seen.value_or(-1);

    const auto reverted = await<PatroniActionResult>([&](auto cb) {
        client.patchConfig(QJsonObject{{QStringLiteral("loop_wait"), original}}, cb);
    });
    ASSERT_TRUE(reverted.ok()) << reverted.error().toText().toStdString();
    EXPECT_EQ(parsePatroniConfig(reverted.value().body.toUtf8()).value().loopWait, original);
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto c = await<PatroniConfig>([&](auto cb) { client.getConfig(cb); });
            return c.ok() && c.value().loopWait == original;
        },
        15000));

    PatroniClient replica(&m_nam, endpoint(m_urls.value(aReplica())));
    const auto reload = await<PatroniActionResult>([&](auto cb) { replica.reload(cb); });
    ASSERT_TRUE(reload.ok()) << reload.error().toText().toStdString();
    EXPECT_EQ(reload.value().httpStatus, 202);
    EXPECT_EQ(reload.value().body, QStringLiteral("reload scheduled"));

    // Not JSON Patroni can use: a clear "not accepted", nothing changed.
    const auto empty =
        await<PatroniActionResult>([&](auto cb) { client.patchConfig(QJsonObject(), cb); });
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, QStringLiteral("400"));
    EXPECT_EQ(empty.error().kind, Kind::Http);
}

TEST_F(PatroniClientIT, ScheduledSwitchoverAndRestartAreShownAndCancelled)
{
    const QString candidate = aReplica();
    PatroniClient client(&m_nam, endpoint(m_urls.value(m_leader)));
    PatroniClient replica(&m_nam, endpoint(m_urls.value(candidate)));
    Finally cancel{[&] {
        (void)await<PatroniActionResult>([&](auto cb) { client.cancelScheduledSwitchover(cb); });
        (void)await<PatroniActionResult>([&](auto cb) { replica.cancelScheduledRestart(cb); });
    }};

    // Two hours ahead, in a non-UTC offset: Patroni must get the same instant.
    const QDateTime at =
        QDateTime::currentDateTimeUtc().addSecs(7200).toOffsetFromUtc(5 * 3600 + 1800);
    const auto sw = await<PatroniActionResult>(
        [&](auto cb) { client.switchover(m_leader, candidate, at, cb); });
    ASSERT_TRUE(sw.ok()) << sw.error().toText().toStdString();
    EXPECT_EQ(sw.value().httpStatus, 202);
    EXPECT_EQ(sw.value().body, QStringLiteral("Switchover scheduled"));
    std::optional<PatroniScheduledSwitchover> shown;
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto c = cluster();
            shown = c.ok() ? c.value().scheduledSwitchover : std::nullopt;
            return shown.has_value();
        },
        10000));
    EXPECT_EQ(shown->from, m_leader);
    EXPECT_EQ(shown->to, candidate);
    EXPECT_LE(qAbs(shown->at.msecsTo(at)), 1000)
        << shown->at.toString(Qt::ISODateWithMs).toStdString();

    const auto cancelled =
        await<PatroniActionResult>([&](auto cb) { client.cancelScheduledSwitchover(cb); });
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().toText().toStdString();
    EXPECT_EQ(cancelled.value().body, QStringLiteral("scheduled switchover deleted"));
    const auto again =
        await<PatroniActionResult>([&](auto cb) { client.cancelScheduledSwitchover(cb); });
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, QStringLiteral("404"));
    EXPECT_TRUE(again.error().message.contains(QStringLiteral("“no switchover is scheduled”")));

    const QString day = QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate);
    const auto restart = await<PatroniActionResult>([&](auto cb) {
        replica.restart(QJsonObject{{QStringLiteral("schedule"), day}}, cb);
    });
    ASSERT_TRUE(restart.ok()) << restart.error().toText().toStdString();
    EXPECT_EQ(restart.value().httpStatus, 202);
    const auto twice = await<PatroniActionResult>([&](auto cb) {
        replica.restart(QJsonObject{{QStringLiteral("schedule"), day}}, cb);
    });
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().kind, Kind::Refused);
    EXPECT_EQ(twice.error().code, QStringLiteral("409"));
    const auto status = await<PatroniNodeStatus>([&](auto cb) { replica.getPatroni(cb); });
    ASSERT_TRUE(status.ok());
    ASSERT_TRUE(status.value().scheduledRestart.has_value());
    EXPECT_EQ(status.value().scheduledRestart->toString(Qt::ISODate), day);
    const auto unscheduled =
        await<PatroniActionResult>([&](auto cb) { replica.cancelScheduledRestart(cb); });
    ASSERT_TRUE(unscheduled.ok()) << unscheduled.error().toText().toStdString();
    EXPECT_EQ(unscheduled.value().body, QStringLiteral("scheduled restart deleted"));
}
