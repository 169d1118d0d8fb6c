// Guided operations end to end on the real sandbox cluster (packaging/sandbox/sandbox.sh): the
// wizards' logic (PreflightGatherer, switchoverPreflight, SwitchoverRunner, MemberActionRunner)
// and, for the flagship, the switchover wizard itself driven page by page with offscreen
// screenshots. Each test starts from a healthy sandbox (Sandbox::ensureHealthy) and leaves it
// un-paused.
#include "services/core/auditlog.h"
#include "services/operations/memberactionrunner.h"
#include "services/operations/preflightgatherer.h"
#include "services/operations/switchoverrunner.h"
#include "services/patroni/patroniclient.h"
#include "support/eventloop.h"
#include "support/sandbox.h"
#include "ui/operations/operationprogresspage.h"
#include "ui/operations/switchoverwizard.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

// Lets failure messages stream Qt strings (`<< qstring`).
static std::ostream &operator<<(std::ostream &os, const QString &s)
{
    return os << s.toStdString();
}

using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {

struct Env
{
    QTemporaryDir dir;
    QNetworkAccessManager nam;
    OperationContext ctx;
    explicit Env(bool readOnly = false)
    {
        ctx.nam = &nam;
        ctx.profile.name = QStringLiteral("sandbox");
        ctx.profile.patroniUrl = QUrl(Sandbox::patroniUrl());
        ctx.profile.sqlConninfo = QStringLiteral("dbname=postgres user=vigil");
        ctx.profile.haproxyStatsUrl = QUrl(Sandbox::haproxyStatsUrl());
        ctx.profile.haproxyReadWriteBackend = QStringLiteral("rw");
        ctx.profile.pgbouncerConninfo = QStringLiteral("service=vigil-bouncer-admin");
        ctx.profile.restUser = Sandbox::restUser();
        ctx.secrets.restPassword = Sandbox::restPassword();
        ctx.guard = std::make_shared<ReadOnlyGuard>(readOnly);
        ctx.audit = std::make_shared<AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    }

    PreflightInput gather()
    {
        PreflightGatherer g(ctx);
        QList<QUrl> urls;
        for (const QString &u : Sandbox::patroniUrls())
            urls << QUrl(u);
        g.setFallbackUrls(urls); // node1 may be the member that was just killed
        std::optional<PreflightInput> in;
        QObject::connect(&g, &PreflightGatherer::gathered,
                         [&in](const PreflightInput &i) { in = i; });
        g.gather();
        EXPECT_TRUE(waitUntil([&] { return in.has_value(); }, 15000));
        return in.value_or(PreflightInput{});
    }

    SwitchoverReport run(const SwitchoverPlan &plan)
    {
        SwitchoverRunner r(ctx);
        QList<QUrl> urls;
        for (const QString &u : Sandbox::patroniUrls())
            urls << QUrl(u);
        r.setFallbackUrls(urls);
        std::optional<SwitchoverReport> out;
        QObject::connect(&r, &SwitchoverRunner::finished,
                         [&out](const SwitchoverReport &x) { out = x; });
        EXPECT_TRUE(r.start(plan));
        EXPECT_FALSE(r.start(plan)) << "double submission";
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 240000));
        return out.value_or(SwitchoverReport{});
    }

    MemberActionResult run(const MemberAction &a)
    {
        MemberActionRunner r(ctx);
        std::optional<MemberActionResult> out;
        QObject::connect(&r, &MemberActionRunner::finished,
                         [&out](const MemberActionResult &x) { out = x; });
        EXPECT_TRUE(r.start(a));
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 300000));
        return out.value_or(MemberActionResult{});
    }

    // GET /cluster from the first member that answers.
    PatroniCluster cluster()
    {
        for (const QString &url : Sandbox::patroniUrls()) {
            PatroniClient c(&nam, ctx.endpoint(QUrl(url)));
            std::optional<Result<PatroniCluster>> out;
            c.getCluster([&out](const Result<PatroniCluster> &r) { out = r; });
            waitUntil([&] { return out.has_value(); }, 5000);
            if (out && out->ok())
                return out->value();
        }
        ADD_FAILURE() << "no member answered GET /cluster";
        return PatroniCluster{};
    }

    int historyLength()
    {
        PatroniClient c(&nam, ctx.endpoint(ctx.profile.patroniUrl));
        std::optional<Result<QList<PatroniHistoryEntry>>> out;
        c.getHistory([&out](const auto &r) { out = r; });
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 5000));
        return out && out->ok() ? int(out->value().size()) : -1;
    }

    MemberAction action(MemberAction::Kind kind, const QString &member = {})
    {
        MemberAction a;
        a.kind = kind;
        a.cluster = QStringLiteral("hokm-ha");
        a.member = member;
        for (const auto &m : cluster().members)
            if (m.name == member)
                a.memberApi = m.apiBaseUrl();
        a.typedConfirmation = a.cluster;
        return a;
    }
};

QString aReplica(const PatroniCluster &c)
{
    for (const auto &m : c.members)
        if (m.role != PatroniRole::Leader && isHealthyReplicaState(m.state))
            return m.name;
    return {};
}

QString artifacts()
{
    const QString d =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(d);
    return d;
}

void shoot(QWidget *w, const QString &name)
{
    w->grab().save(artifacts() + QLatin1Char('/') + name + QStringLiteral(".png"));
}

bool waitHealthyCluster(Env &e)
{
    return waitUntil(
        [&] {
            const PatroniCluster c = e.cluster();
            int replicas = 0;
            for (const auto &m : c.members)
                replicas += m.role != PatroniRole::Leader && isHealthyReplicaState(m.state) &&
                            m.lagBytes.has_value();
            return c.leader() && replicas == 2 && !c.paused;
        },
        90000);
}

} // namespace

TEST(Operations, SwitchoverWizardPauseClientsToAChosenCandidate)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const PatroniCluster before = e.cluster();
    const QString oldLeader = before.leader()->name;
    const QString cand = aReplica(before);
    const int historyBefore = e.historyLength();

    vigil::ui::SwitchoverWizard w(e.ctx, nullptr);
    w.resize(900, 640);
    w.show();
    // Choose: the candidate list is filled once the pre-flight data arrived; go to the pre-flight
    // page, which gathers (asynchronously).
    w.next();
    ASSERT_TRUE(waitUntil([&] { return !w.checks().isEmpty(); }, 20000));
    w.back();
    const int idx = w.candidateBox()->findData(cand);
    ASSERT_GE(idx, 0);
    w.candidateBox()->setCurrentIndex(idx);
    ASSERT_TRUE(w.pauseClientsBox()->isChecked());
    shoot(&w, QStringLiteral("switchover-1-choose"));
    w.next();
    ASSERT_TRUE(waitUntil([&] { return !w.checks().isEmpty(); }, 20000));
    for (const auto &c : w.checks())
        EXPECT_NE(c.verdict, PreflightCheck::Verdict::Red)
            << c.id.toStdString() << ": " << c.sentence.toStdString();
    shoot(&w, QStringLiteral("switchover-2-preflight"));
    ASSERT_TRUE(w.button(QWizard::NextButton)->isEnabled());
    w.next();
    ASSERT_EQ(w.currentId(), vigil::ui::SwitchoverWizard::ConfirmPage);
    EXPECT_FALSE(w.button(QWizard::CommitButton)->isEnabled());
    w.confirmationEdit()->setText(QStringLiteral("hokm"));
    EXPECT_FALSE(w.button(QWizard::CommitButton)->isEnabled());
    w.confirmationEdit()->setText(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(w.button(QWizard::CommitButton)->isEnabled());
    shoot(&w, QStringLiteral("switchover-3-confirm"));
    w.button(QWizard::CommitButton)->click();
    w.button(QWizard::CommitButton)->click(); // a double click: must not submit twice
    ASSERT_EQ(w.currentId(), vigil::ui::SwitchoverWizard::ExecutePage);
    waitUntil([&] { return w.runner()->report().steps.size() >= 4; }, 30000);
    shoot(&w, QStringLiteral("switchover-4-executing"));
    ASSERT_TRUE(waitUntil([&] { return w.progressPage()->hasFinished(); }, 240000));
    shoot(&w, QStringLiteral("switchover-4-executed"));
    const SwitchoverReport r = w.progressPage()->report();
    w.next();
    shoot(&w, QStringLiteral("switchover-5-report"));

    EXPECT_EQ(r.outcome, SwitchoverReport::Outcome::Succeeded) << r.text().toStdString();
    EXPECT_EQ(r.oldLeader, oldLeader);
    EXPECT_EQ(r.newLeader, cand);
    EXPECT_FALSE(r.resumedByTimeout);
    ASSERT_TRUE(r.clientsPausedMs.has_value());
    EXPECT_LT(*r.clientsPausedMs, 45000);
    int switchoverPosts = 0;
    for (const auto &s : r.steps)
        switchoverPosts += s.id == QLatin1String("switchover");
    EXPECT_EQ(switchoverPosts, 1);
    const PatroniCluster after = e.cluster();
    ASSERT_TRUE(after.leader());
    EXPECT_EQ(after.leader()->name, cand);
    EXPECT_GT(e.historyLength(), historyBefore) << "timeline switch recorded in /history";
    EXPECT_TRUE(
        r.markdown().contains(QStringLiteral("Leader before: %1, after: %2").arg(oldLeader, cand)));
    const auto audit = e.ctx.audit->readAll();
    ASSERT_EQ(audit.size(), 1);
    EXPECT_EQ(audit[0].action, QStringLiteral("switchover"));
    EXPECT_EQ(audit[0].result, QStringLiteral("ok"));
    EXPECT_EQ(audit[0].member, cand);
}

// pgbench through PgBouncer at a fixed rate, in the background, for `seconds`: what a client of
// the game sees during an operation. failures() counts failed transactions and aborted clients
// (a client that loses its connection aborts, with all its remaining transactions).
class ClientLoad
{
public:
    explicit ClientLoad(int seconds)
    {
        const QString conninfo =
            QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres")
                .arg(Sandbox::pgbouncerPort());
        QFile script(m_dir.filePath(QStringLiteral("tx.sql")));
        if (script.open(QIODevice::WriteOnly))
            script.write("SELECT count(*) FROM pg_class;\n");
        script.close();
        m_pgbench.setProcessChannelMode(QProcess::MergedChannels);
        m_pgbench.start(QStringLiteral("pgbench"),
                        {conninfo, QStringLiteral("-n"), QStringLiteral("-f"), script.fileName(),
                         QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-T"),
                         QString::number(seconds), QStringLiteral("-R"), QStringLiteral("100"),
                         QStringLiteral("--failures-detailed")});
    }
    bool started() { return m_pgbench.waitForStarted(5000); }
    // Waits for pgbench to end; returns its whole output.
    QString finish(int timeoutMs)
    {
        waitUntil([&] { return m_pgbench.state() == QProcess::NotRunning; }, timeoutMs);
        m_output += QString::fromUtf8(m_pgbench.readAll());
        return m_output;
    }
    static int failures(const QString &out)
    {
        static const QRegularExpression failed(
            QStringLiteral("number of failed transactions: (\\d+)"));
        static const QRegularExpression aborted(
            QStringLiteral("client \\d+ (script \\d+ )?aborted"));
        const auto m = failed.match(out);
        int n = m.hasMatch() ? m.captured(1).toInt() : 1; // no summary: pgbench itself failed
        for (auto it = aborted.globalMatch(out); it.hasNext(); it.next())
            ++n;
        return n;
    }

private:
    QTemporaryDir m_dir;
    QProcess m_pgbench;
    QString m_output;
};

// How many switchover requests a member's Patroni has logged ("received switchover request"):
// who really got the POST, independently of what Vigil's report says.
int switchoverRequestsLogged(const QString &member)
{
    QFile log(Sandbox::dir() + QStringLiteral("/log/") + member + QStringLiteral(".log"));
    if (!log.open(QIODevice::ReadOnly))
        return -1;
    return int(log.readAll().count("received switchover request"));
}

// Issue 13: the profile holds a REPLICA's REST URL, as it may on any cluster. The switchover must
// still go to the leader's REST API (Patroni acts on it there at once; a replica leaves it to
// the leader's next HA loop while the clients wait), and with the clients paused no client
// transaction fails.
TEST(Operations, SwitchoverFromAReplicasUrlGoesToTheLeaderAndNoClientFails)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const PatroniCluster before = e.cluster();
    ASSERT_TRUE(before.leader());
    const QString cand = aReplica(before);
    QUrl replicaApi, leaderApi;
    for (const auto &m : before.members) {
        if (m.name == cand)
            replicaApi = m.apiBaseUrl();
        if (m.role == PatroniRole::Leader)
            leaderApi = m.apiBaseUrl();
    }
    ASSERT_TRUE(replicaApi.isValid() && leaderApi.isValid());
    e.ctx.profile.patroniUrl = replicaApi;

    PreflightInput in = e.gather();
    SwitchoverPlan plan;
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = before.leader()->name;
    plan.candidate = cand;
    plan.pauseClients = true;
    plan.typedConfirmation = plan.cluster;
    plan.preflight = switchoverPreflight(in, SwitchoverChoice{cand, {}, true});

    const int atLeader = switchoverRequestsLogged(plan.leader);
    const int atReplica = switchoverRequestsLogged(cand);
    ASSERT_GE(atLeader, 0) << "no Patroni log for " << plan.leader;
    ClientLoad load(25);
    ASSERT_TRUE(load.started()) << "pgbench did not start";
    QTest::qWait(4000); // clients are running before the switchover
    const SwitchoverReport r = e.run(plan);
    const QString out = load.finish(60000);

    EXPECT_EQ(r.outcome, SwitchoverReport::Outcome::Succeeded) << r.text();
    EXPECT_EQ(r.actionSentTo, leaderApi.toString()) << r.text();
    EXPECT_FALSE(r.actionSentToFallback);
    EXPECT_EQ(r.newLeader, cand);
    EXPECT_EQ(switchoverRequestsLogged(plan.leader), atLeader + 1) << "the leader's Patroni log";
    EXPECT_EQ(switchoverRequestsLogged(cand), atReplica) << "the replica's Patroni log";
    EXPECT_EQ(ClientLoad::failures(out), 0) << out;
}

TEST(Operations, CommandLineSwitchoverRunsTheSameCode)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const PatroniCluster before = e.cluster();
    const QString cand = aReplica(before);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VIGIL_BINARY),
            {QStringLiteral("switchover"), QStringLiteral("--patroni"), Sandbox::patroniUrl(),
             QStringLiteral("--haproxy-stats"), Sandbox::haproxyStatsUrl(),
             QStringLiteral("--rest-user"), Sandbox::restUser(), QStringLiteral("--sql"),
             QStringLiteral("dbname=postgres user=vigil"), QStringLiteral("--candidate"), cand,
             QStringLiteral("--confirm"), QStringLiteral("hokm-ha"), QStringLiteral("--audit-log"),
             e.dir.filePath(QStringLiteral("cli-audit.jsonl"))});
    ASSERT_TRUE(p.waitForFinished(240000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    EXPECT_EQ(p.exitCode(), 0) << out.toStdString() << p.readAllStandardError().toStdString();
    EXPECT_TRUE(out.contains(QLatin1String("Pre-flight of a switchover of hokm-ha")))
        << out.toStdString();
    EXPECT_TRUE(out.contains(QLatin1String("The switchover succeeded"))) << out.toStdString();
    EXPECT_EQ(e.cluster().leader()->name, cand);
    EXPECT_EQ(AuditLog(e.dir.filePath(QStringLiteral("cli-audit.jsonl"))).readAll().size(), 1);
}

TEST(Operations, ScheduledSwitchoverAppearsAndCanBeCancelled)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const PatroniCluster c = e.cluster();
    SwitchoverPlan plan;
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = c.leader()->name;
    plan.candidate = aReplica(c);
    plan.scheduledAt = QDateTime::currentDateTimeUtc().addSecs(3600);
    plan.typedConfirmation = plan.cluster;
    const SwitchoverReport r = e.run(plan);
    EXPECT_EQ(r.outcome, SwitchoverReport::Outcome::Scheduled) << r.text().toStdString();
    const PatroniCluster scheduled = e.cluster();
    ASSERT_TRUE(scheduled.scheduledSwitchover.has_value());
    EXPECT_EQ(scheduled.scheduledSwitchover->to, plan.candidate);
    EXPECT_LE(qAbs(scheduled.scheduledSwitchover->at.secsTo(plan.scheduledAt)), 1);
    // A second switchover while one is scheduled: the pre-flight says red.
    const PreflightInput in = e.gather();
    EXPECT_EQ(worstVerdict(switchoverPreflight(in, {plan.candidate, {}, false})),
              PreflightCheck::Verdict::Red);
    const MemberActionResult cancel = e.run(e.action(MemberAction::Kind::CancelSwitchover));
    EXPECT_EQ(cancel.outcome, MemberActionResult::Outcome::Succeeded)
        << cancel.text().toStdString();
    EXPECT_FALSE(e.cluster().scheduledSwitchover.has_value());
    EXPECT_EQ(e.cluster().leader()->name, plan.leader);
}

TEST(Operations, PausedClusterFailsThePreflightAndPauseResumeWork)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const MemberActionResult paused = e.run(e.action(MemberAction::Kind::Pause));
    EXPECT_EQ(paused.outcome, MemberActionResult::Outcome::Succeeded)
        << paused.text().toStdString();
    EXPECT_TRUE(e.cluster().paused);
    const PreflightInput in = e.gather();
    const PatroniCluster c = e.cluster();
    SwitchoverPlan plan;
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = c.leader()->name;
    plan.candidate = aReplica(c);
    plan.typedConfirmation = plan.cluster;
    plan.preflight = switchoverPreflight(in, {plan.candidate, {}, false});
    bool pausedRed = false;
    for (const auto &ck : plan.preflight)
        pausedRed |= ck.id == QLatin1String("paused") && ck.verdict == PreflightCheck::Verdict::Red;
    EXPECT_TRUE(pausedRed);
    EXPECT_EQ(e.run(plan).outcome, SwitchoverReport::Outcome::Refused);
    const MemberActionResult resumed = e.run(e.action(MemberAction::Kind::Resume));
    EXPECT_EQ(resumed.outcome, MemberActionResult::Outcome::Succeeded)
        << resumed.text().toStdString();
    EXPECT_FALSE(e.cluster().paused);
    EXPECT_EQ(e.cluster().leader()->name, plan.leader);
}

TEST(Operations, PatroniRefusalIsShownVerbatimWithAnExplanation)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    SwitchoverPlan plan; // no pre-flight: Patroni itself must refuse
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = e.cluster().leader()->name;
    plan.candidate = QStringLiteral("node9");
    plan.typedConfirmation = plan.cluster;
    const SwitchoverReport r = e.run(plan);
    EXPECT_EQ(r.outcome, SwitchoverReport::Outcome::Failed);
    EXPECT_EQ(r.patroniStatus, 412);
    EXPECT_TRUE(r.patroniAnswer.contains(QLatin1String("candidate does not exist")))
        << r.patroniAnswer.toStdString();
    EXPECT_TRUE(r.explanation.contains(QLatin1String("does not know the candidate")))
        << r.explanation.toStdString();
    EXPECT_EQ(e.cluster().leader()->name, plan.leader);
}

// The sandbox has no API for tags, but Patroni re-reads its patroni.yml on POST /reload (tags
// included): the test adds `tags: {nofailover: true}` to one replica's file, reloads it, and
// restores the file (and reloads) afterwards; `sandbox.sh up` rewrites the file anyway.
TEST(Operations, NofailoverTaggedCandidateFailsThePreflightAndPatroniRefusesIt)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const PatroniCluster c = e.cluster();
    const QString cand = aReplica(c);
    QFile yml(Sandbox::dir() + QStringLiteral("/%1/patroni.yml").arg(cand));
    ASSERT_TRUE(yml.open(QIODevice::ReadOnly));
    const QByteArray original = yml.readAll();
    yml.close();
    struct Restore
    {
        QFile &f;
        QByteArray content;
        ~Restore()
        {
            if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                f.write(content);
            f.close();
        }
    } restore{yml, original};
    ASSERT_TRUE(yml.open(QIODevice::WriteOnly | QIODevice::Truncate));
    yml.write(original + "\ntags:\n  nofailover: true\n");
    yml.close();
    ASSERT_EQ(e.run(e.action(MemberAction::Kind::Reload, cand)).outcome,
              MemberActionResult::Outcome::Succeeded);
    ASSERT_TRUE(waitUntil(
        [&] {
            for (const auto &m : e.cluster().members)
                if (m.name == cand)
                    return m.noFailover();
            return false;
        },
        20000))
        << "Patroni did not pick up the tag";

    const PreflightInput in = e.gather();
    const auto checks = switchoverPreflight(in, {cand, {}, false});
    bool tagRed = false;
    for (const auto &ck : checks)
        tagRed |=
            ck.id == QLatin1String("candidate_tags") && ck.verdict == PreflightCheck::Verdict::Red;
    EXPECT_TRUE(tagRed);
    // Patroni itself refuses as well (the plan is sent without its pre-flight to show that).
    SwitchoverPlan plan;
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = c.leader()->name;
    plan.candidate = cand;
    plan.typedConfirmation = plan.cluster;
    const SwitchoverReport r = e.run(plan);
    std::cout << r.text().toStdString();
    EXPECT_EQ(r.outcome, SwitchoverReport::Outcome::Failed);
    EXPECT_EQ(r.patroniStatus, 412);
    EXPECT_TRUE(r.patroniAnswer.contains(QLatin1String("no good candidates"))) << r.patroniAnswer;
    EXPECT_TRUE(r.explanation.contains(QLatin1String("nofailover"))) << r.explanation;
    for (const auto &st : r.steps)
        EXPECT_NE(st.state, SwitchoverStep::State::Running) << st.id;
    EXPECT_EQ(e.cluster().leader()->name, plan.leader);

    // Restore now (not only at scope exit) and reload, so the next test starts clean.
    ASSERT_TRUE(yml.open(QIODevice::WriteOnly | QIODevice::Truncate));
    yml.write(original);
    yml.close();
    EXPECT_EQ(e.run(e.action(MemberAction::Kind::Reload, cand)).outcome,
              MemberActionResult::Outcome::Succeeded);
    EXPECT_TRUE(waitUntil(
        [&] {
            for (const auto &m : e.cluster().members)
                if (m.name == cand)
                    return !m.noFailover();
            return false;
        },
        20000));
}

TEST(Operations, FailoverAfterTheLeaderWasKilled)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    // The hard case: the member the profile names (node1) is the leader that dies, so the
    // cluster must be found through the other members.
    if (e.cluster().leader()->name != QLatin1String("node1")) {
        SwitchoverPlan toNode1;
        toNode1.cluster = QStringLiteral("hokm-ha");
        toNode1.leader = e.cluster().leader()->name;
        toNode1.candidate = QStringLiteral("node1");
        toNode1.typedConfirmation = toNode1.cluster;
        ASSERT_EQ(e.run(toNode1).outcome, SwitchoverReport::Outcome::Succeeded);
    }
    const QString oldLeader = e.cluster().leader()->name;
    ASSERT_EQ(oldLeader, QStringLiteral("node1"));
    ASSERT_EQ(Sandbox::run({QStringLiteral("kill-leader")}), 0);
    const PreflightInput in = e.gather();
    const FailoverAssessment a = assessFailover(*in.snapshot);
    ASSERT_FALSE(a.candidates.isEmpty()) << "the cluster was not found through node2/node3";
    SwitchoverPlan plan;
    plan.kind = SwitchoverPlan::Kind::Failover;
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = oldLeader;
    plan.candidate = a.candidates.first().name;
    plan.preflight = failoverPreflight(*in.snapshot, plan.candidate);
    plan.typedConfirmation = plan.cluster;
    plan.verifyTimeoutSeconds = 40;
    const SwitchoverReport r = e.run(plan);
    std::cout << r.text().toStdString();
    EXPECT_FALSE(a.leaderHealthy) << a.why.toStdString();
    EXPECT_TRUE(r.outcome == SwitchoverReport::Outcome::Succeeded ||
                r.outcome == SwitchoverReport::Outcome::SucceededWithWarnings)
        << r.text().toStdString();
    EXPECT_EQ(r.newLeader, plan.candidate);
    EXPECT_EQ(e.cluster().leader()->name, plan.candidate);
    Sandbox::ensureHealthy(); // brings the killed member back
    EXPECT_TRUE(waitHealthyCluster(e));
}

TEST(Operations, RestartReloadReinitializeAReplica)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const QString replica = aReplica(e.cluster());
    const MemberActionResult reload = e.run(e.action(MemberAction::Kind::Reload, replica));
    EXPECT_EQ(reload.outcome, MemberActionResult::Outcome::Succeeded)
        << reload.text().toStdString();
    const MemberActionResult restart = e.run(e.action(MemberAction::Kind::Restart, replica));
    EXPECT_EQ(restart.outcome, MemberActionResult::Outcome::Succeeded)
        << restart.text().toStdString();
    EXPECT_EQ(restart.httpStatus, 200);
    MemberAction reinit = e.action(MemberAction::Kind::Reinitialize, replica);
    reinit.force = true;
    reinit.waitSeconds = 180;
    const MemberActionResult r = e.run(reinit);
    EXPECT_EQ(r.outcome, MemberActionResult::Outcome::Succeeded) << r.text().toStdString();
    EXPECT_TRUE(waitHealthyCluster(e));
    const auto audit = e.ctx.audit->readAll();
    ASSERT_EQ(audit.size(), 3);
    EXPECT_EQ(audit[2].action, QStringLiteral("reinitialize"));
    EXPECT_EQ(audit[2].member, replica);
}

TEST(Operations, RestartRequiringConfigChangeShowsPendingRestart)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    MemberAction change = e.action(MemberAction::Kind::PatchConfig);
    change.patch =
        QJsonObject{{QStringLiteral("postgresql"),
                     QJsonObject{{QStringLiteral("parameters"),
                                  QJsonObject{{QStringLiteral("max_connections"), 1250}}}}}};
    change.waitSeconds = 40;
    const MemberActionResult r = e.run(change);
    EXPECT_EQ(r.outcome, MemberActionResult::Outcome::Succeeded) << r.text().toStdString();
    ASSERT_EQ(r.pendingRestart.size(), 3);
    for (auto it = r.pendingRestart.begin(); it != r.pendingRestart.end(); ++it)
        EXPECT_TRUE(it.value()) << it.key().toStdString();
    // Revert; the pending restart goes away once every member reloaded the old value.
    MemberAction revert = change;
    revert.patch =
        QJsonObject{{QStringLiteral("postgresql"),
                     QJsonObject{{QStringLiteral("parameters"),
                                  QJsonObject{{QStringLiteral("max_connections"), 1200}}}}}};
    EXPECT_EQ(e.run(revert).outcome, MemberActionResult::Outcome::Succeeded);
    EXPECT_TRUE(waitUntil(
        [&] {
            for (const auto &m : e.cluster().members)
                if (m.pendingRestart)
                    return false;
            return true;
        },
        60000))
        << "pending restart did not clear after reverting";
}

TEST(Operations, ReadOnlyModeRefusesEveryActionOnTheRealCluster)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e(true);
    ASSERT_TRUE(waitHealthyCluster(e));
    const PatroniCluster c = e.cluster();
    const QString leader = c.leader()->name, replica = aReplica(c);
    SwitchoverPlan plan;
    plan.cluster = QStringLiteral("hokm-ha");
    plan.leader = leader;
    plan.candidate = replica;
    plan.typedConfirmation = plan.cluster;
    EXPECT_EQ(e.run(plan).outcome, SwitchoverReport::Outcome::Refused);
    plan.kind = SwitchoverPlan::Kind::Failover;
    EXPECT_EQ(e.run(plan).outcome, SwitchoverReport::Outcome::Refused);
    using K = MemberAction::Kind;
    for (K k : {K::Restart, K::Reload, K::Reinitialize, K::Pause, K::Resume, K::PatchConfig,
                K::CancelSwitchover, K::CancelRestart}) {
        MemberAction a = e.action(k, replica);
        a.patch = QJsonObject{{QStringLiteral("ttl"), 30}};
        EXPECT_EQ(e.run(a).outcome, MemberActionResult::Outcome::Refused)
            << a.kindName().toStdString();
    }
    const PatroniCluster after = e.cluster();
    EXPECT_EQ(after.leader()->name, leader);
    EXPECT_FALSE(after.paused);
    EXPECT_EQ(e.ctx.audit->readAll().size(), 10);
    // The command line too.
    QProcess p;
    p.start(QStringLiteral(VIGIL_BINARY),
            {QStringLiteral("pause"), QStringLiteral("--patroni"), Sandbox::patroniUrl(),
             QStringLiteral("--read-only"), QStringLiteral("--confirm"), QStringLiteral("hokm-ha"),
             QStringLiteral("--audit-log"), e.dir.filePath(QStringLiteral("cli.jsonl"))});
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 2) << p.readAllStandardOutput().toStdString();
    EXPECT_FALSE(e.cluster().paused);
}

// Issue 13: a scheduled restart can be cancelled from the command line (the GUI's Operations menu
// has "Cancel scheduled restart…" on the same MemberAction).
TEST(Operations, ScheduledRestartIsCancelledFromTheCommandLine)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Env e;
    ASSERT_TRUE(waitHealthyCluster(e));
    const QString replica = aReplica(e.cluster());
    MemberAction a = e.action(MemberAction::Kind::Restart, replica);
    a.scheduledAt = QDateTime::currentDateTimeUtc().addSecs(3600);
    a.waitSeconds = 20;
    ASSERT_EQ(e.run(a).outcome, MemberActionResult::Outcome::Succeeded);
    auto scheduled = [&] {
        for (const auto &m : e.cluster().members)
            if (m.name == replica)
                return m.scheduledRestart.has_value();
        return false;
    };
    ASSERT_TRUE(waitUntil(scheduled, 20000)) << "the restart was not scheduled";

    QProcess p;
    p.setProcessEnvironment([] {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
        return env;
    }());
    p.start(QStringLiteral(VIGIL_BINARY),
            {QStringLiteral("cancel-restart"), replica, QStringLiteral("--patroni"),
             Sandbox::patroniUrl(), QStringLiteral("--rest-user"), Sandbox::restUser(),
             QStringLiteral("--confirm"), QStringLiteral("hokm-ha"), QStringLiteral("--audit-log"),
             e.dir.filePath(QStringLiteral("cli.jsonl"))});
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 0) << p.readAll().toStdString();
    EXPECT_TRUE(waitUntil([&] { return !scheduled(); }, 20000))
        << "the scheduled restart is still there";
}
