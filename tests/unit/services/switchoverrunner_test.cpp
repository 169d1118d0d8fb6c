// SwitchoverRunner / MemberActionRunner refusals, below the UI and without a network: read-only
// mode, a red pre-flight, a wrong typed confirmation, a missing guard or audit log; each refusal
// is audited, a second start() while running is refused, finished() never comes from start().
// (Executions against a real cluster: tests/integration/operations_test.cpp.)
#include "services/operations/memberactionrunner.h"
#include "services/operations/switchoverrunner.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/qtprinters.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;
using vigil::test::FakeHttpServer;

namespace {

struct Fixture
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    OperationContext ctx;
    Fixture(bool readOnly)
    {
        ctx.nam = &nam;
        ctx.profile.name = QStringLiteral("test");
        // Nothing listens here: a request that was sent would fail with Connect, not Refused.
        ctx.profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        ctx.guard = std::make_shared<ReadOnlyGuard>(readOnly);
        ctx.audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    }
};

SwitchoverPlan plan()
{
    SwitchoverPlan p;
    p.cluster = QStringLiteral("hokm-ha");
    p.leader = QStringLiteral("node1");
    p.candidate = QStringLiteral("node2");
    p.typedConfirmation = QStringLiteral("hokm-ha");
    return p;
}

SwitchoverReport runToEnd(SwitchoverRunner &r, const SwitchoverPlan &p)
{
    std::optional<SwitchoverReport> out;
    QObject::connect(&r, &SwitchoverRunner::finished,
                     [&out](const SwitchoverReport &rep) { out = rep; });
    EXPECT_TRUE(r.start(p));
    EXPECT_FALSE(out.has_value()) << "finished() must not come from inside start()";
    EXPECT_FALSE(r.start(p)) << "a second start while running must be refused";
    EXPECT_TRUE(vigil::test::waitUntil([&] { return out.has_value(); }, 5000));
    return out.value_or(SwitchoverReport{});
}

} // namespace

TEST(SwitchoverRunner, ReadOnlyModeRefusesSwitchoverAndFailoverAndAuditsIt)
{
    Fixture f(true);
    for (auto kind : {SwitchoverPlan::Kind::Switchover, SwitchoverPlan::Kind::Failover}) {
        SwitchoverRunner r(f.ctx);
        SwitchoverPlan p = plan();
        p.kind = kind;
        const SwitchoverReport rep = runToEnd(r, p);
        EXPECT_EQ(rep.outcome, SwitchoverReport::Outcome::Refused);
        EXPECT_EQ(rep.error.kind, ServiceError::Kind::Refused);
        EXPECT_TRUE(rep.error.message.contains(QLatin1String("read-only"))) << rep.error.toText();
        EXPECT_TRUE(rep.steps.isEmpty()) << "nothing may run in read-only mode";
    }
    const auto entries = f.ctx.audit->readAll();
    ASSERT_EQ(entries.size(), 2);
    EXPECT_EQ(entries[0].action, QStringLiteral("switchover"));
    EXPECT_EQ(entries[0].result, QStringLiteral("refused"));
    EXPECT_EQ(entries[1].action, QStringLiteral("failover"));
}

TEST(SwitchoverRunner, RedPreflightAndWrongConfirmationAreRefused)
{
    Fixture f(false);
    SwitchoverRunner r(f.ctx);
    SwitchoverPlan p = plan();
    p.preflight = {{QStringLiteral("paused"), QStringLiteral("Maintenance mode"),
                    PreflightCheck::Verdict::Red, QStringLiteral("paused")}};
    SwitchoverReport rep = runToEnd(r, p);
    EXPECT_EQ(rep.outcome, SwitchoverReport::Outcome::Refused);
    EXPECT_TRUE(rep.error.message.contains(QLatin1String("red"))) << rep.error.toText();
    p.preflight.clear();
    p.typedConfirmation = QStringLiteral("hokm");
    rep = runToEnd(r, p);
    EXPECT_EQ(rep.outcome, SwitchoverReport::Outcome::Refused);
    EXPECT_TRUE(rep.error.message.contains(QLatin1String("confirmation"))) << rep.error.toText();
    EXPECT_EQ(f.ctx.audit->readAll().size(), 2);
}

TEST(SwitchoverRunner, NoGuardOrNoAuditLogRefuses)
{
    Fixture f(false);
    f.ctx.guard.reset();
    SwitchoverRunner a(f.ctx);
    EXPECT_EQ(runToEnd(a, plan()).outcome, SwitchoverReport::Outcome::Refused);
    Fixture g(false);
    g.ctx.audit.reset();
    SwitchoverRunner b(g.ctx);
    EXPECT_EQ(runToEnd(b, plan()).outcome, SwitchoverReport::Outcome::Refused);
}

TEST(SwitchoverRunner, WithoutReadOnlyItReallyTriesAndReportsTheConnectError)
{
    Fixture f(false);
    SwitchoverRunner r(f.ctx);
    const SwitchoverReport rep = runToEnd(r, plan());
    EXPECT_EQ(rep.outcome, SwitchoverReport::Outcome::Failed);
    EXPECT_EQ(rep.error.kind, ServiceError::Kind::Connect) << rep.error.toText();
    ASSERT_FALSE(rep.steps.isEmpty());
    EXPECT_EQ(rep.steps.first().id, QStringLiteral("baseline"));
    EXPECT_TRUE(rep.markdown().contains(QLatin1String("| Step | Result |")));
    EXPECT_EQ(f.ctx.audit->readAll().value(0).result, QStringLiteral("failed"));
}

namespace {

// GET /cluster as Patroni 3.0.2 answers it: node1 leads, its REST API at `leaderApi`; node2 is a
// streaming replica at `replicaApi`.
QByteArray clusterJson(const QUrl &leaderApi, const QUrl &replicaApi)
{
    return QStringLiteral(
               R"({"members": [)"
               R"({"name": "node1", "role": "leader", "state": "running", "api_url": "%1",)"
               R"( "host": "127.0.0.1", "port": 5432, "timeline": 1},)"
               R"({"name": "node2", "role": "replica", "state": "streaming", "api_url": "%2",)"
               R"( "host": "127.0.0.1", "port": 5433, "timeline": 1, "lag": 0}]})")
        .arg(leaderApi.toString(), replicaApi.toString())
        .toUtf8();
}

bool posted(const FakeHttpServer &server, const QByteArray &path)
{
    for (const auto &r : server.requests())
        if (r.method == "POST" && r.path == path)
            return true;
    return false;
}

} // namespace

// Patroni acts on a switchover at once only on the leader (a replica writes it to the DCS for
// the leader's next HA loop, up to loop_wait later, while clients wait): the request goes to the
// leader's own REST API even when the profile names a replica's.
TEST(SwitchoverRunner, SwitchoverIsPostedToTheLeadersRestApiNotTheProfilesUrl)
{
    FakeHttpServer replica, leader;
    const QByteArray cluster = clusterJson(leader.url(QStringLiteral("/patroni")),
                                           replica.url(QStringLiteral("/patroni")));
    replica.answerWith(200, cluster);
    leader.answerWith(200, cluster);
    Fixture f(false);
    f.ctx.profile.patroniUrl = replica.url();
    SwitchoverRunner r(f.ctx);
    ASSERT_TRUE(r.start(plan()));
    ASSERT_TRUE(vigil::test::waitUntil([&] { return posted(leader, "/switchover"); }, 5000))
        << "the leader's REST API never received POST /switchover";
    EXPECT_FALSE(posted(replica, "/switchover")) << "the replica named by the profile got it";
}

// When the leader's own REST API cannot be reached, the profile's URL is the way in, and the
// report says so and what it costs.
TEST(SwitchoverRunner, FallsBackToTheProfilesUrlWhenTheLeadersApiIsUnreachableAndSaysSo)
{
    FakeHttpServer replica;
    const QUrl deadLeader(QStringLiteral("http://127.0.0.1:9/patroni")); // nothing listens
    replica.answerWith(200, clusterJson(deadLeader, replica.url(QStringLiteral("/patroni"))));
    Fixture f(false);
    f.ctx.profile.patroniUrl = replica.url();
    SwitchoverRunner r(f.ctx);
    std::optional<SwitchoverStep> action;
    QObject::connect(&r, &SwitchoverRunner::stepChanged, [&](const SwitchoverStep &s) {
        if (s.id == QLatin1String("switchover") && s.state != SwitchoverStep::State::Running)
            action = s;
    });
    ASSERT_TRUE(r.start(plan()));
    ASSERT_TRUE(vigil::test::waitUntil([&] { return action.has_value(); }, 5000));
    EXPECT_TRUE(posted(replica, "/switchover")) << action->detail;
    EXPECT_TRUE(action->detail.contains(replica.url().toString())) << action->detail;
    EXPECT_TRUE(action->detail.contains(QLatin1String("could not be reached"))) << action->detail;
}

TEST(MemberActionRunner, ReadOnlyModeRefusesEveryKind)
{
    Fixture f(true);
    using K = MemberAction::Kind;
    const QList<K> kinds = {K::Restart, K::Reload,      K::Reinitialize,     K::Pause,
                            K::Resume,  K::PatchConfig, K::CancelSwitchover, K::CancelRestart};
    for (K k : kinds) {
        MemberActionRunner r(f.ctx);
        MemberAction a;
        a.kind = k;
        a.cluster = QStringLiteral("hokm-ha");
        a.member = QStringLiteral("node2");
        a.typedConfirmation = QStringLiteral("hokm-ha");
        std::optional<MemberActionResult> out;
        QObject::connect(&r, &MemberActionRunner::finished,
                         [&out](const MemberActionResult &x) { out = x; });
        ASSERT_TRUE(r.start(a));
        EXPECT_FALSE(r.start(a));
        ASSERT_TRUE(vigil::test::waitUntil([&] { return out.has_value(); }, 5000));
        EXPECT_EQ(out->outcome, MemberActionResult::Outcome::Refused) << a.kindName();
        EXPECT_EQ(out->error.kind, ServiceError::Kind::Refused) << a.kindName();
    }
    const auto entries = f.ctx.audit->readAll();
    ASSERT_EQ(entries.size(), kinds.size());
    for (const auto &e : entries)
        EXPECT_EQ(e.result, QStringLiteral("refused")) << e.action;
}

// Reinitialize wipes a data directory, a restart drops clients (every client, on the leader),
// pause turns automatic failover off and resume back on: each needs the cluster's name typed,
// and the runner refuses below the UI without it. Reload does not.
TEST(MemberActionRunner, DestructiveKindsWithoutTheTypedNameAreRefused)
{
    using K = MemberAction::Kind;
    for (K kind : {K::Reinitialize, K::Restart, K::Pause, K::Resume}) {
        Fixture f(false);
        MemberActionRunner r(f.ctx);
        MemberAction a;
        a.kind = kind;
        a.cluster = QStringLiteral("hokm-ha");
        a.member = QStringLiteral("node3");
        a.typedConfirmation = QStringLiteral("node3");
        EXPECT_TRUE(a.needsTypedConfirmation()) << a.kindName();
        std::optional<MemberActionResult> out;
        QObject::connect(&r, &MemberActionRunner::finished,
                         [&out](const MemberActionResult &x) { out = x; });
        ASSERT_TRUE(r.start(a));
        ASSERT_TRUE(vigil::test::waitUntil([&] { return out.has_value(); }, 5000));
        EXPECT_EQ(out->outcome, MemberActionResult::Outcome::Refused) << a.kindName();
        EXPECT_TRUE(out->error.message.contains(QLatin1String("confirmation"))) << a.kindName();
    }
    for (K kind : {K::Reload, K::CancelRestart, K::CancelSwitchover}) {
        MemberAction a;
        a.kind = kind;
        EXPECT_FALSE(a.needsTypedConfirmation()) << a.kindName();
    }
}

// Restarting the leader drops every client of the cluster: the confirmation says so.
TEST(MemberAction, RestartOfTheLeaderStatesThatEveryClientIsDisconnected)
{
    MemberAction a;
    a.kind = MemberAction::Kind::Restart;
    a.cluster = QStringLiteral("hokm-ha");
    a.member = QStringLiteral("node1");
    EXPECT_FALSE(a.summary().contains(QLatin1String("every client")));
    a.memberIsLeader = true;
    EXPECT_TRUE(a.summary().contains(QLatin1String("the leader"))) << a.summary();
    EXPECT_TRUE(a.summary().contains(QLatin1String("every client of the cluster is disconnected")))
        << a.summary();
}
