// Sessions on the sandbox: the terminate-idle wizard's preview lists exactly the sessions idle
// past the threshold and terminates only those; a session whose identity changed between the
// preview and the execution is never touched; the sessions view and `vigil sessions`.
#include "models/sessionsfiltermodel.h"
#include "models/sessionstablemodel.h"
#include "services/diagnostics/sessionsservice.h"
#include "troubleshooting_fixture.h"
#include "ui/operations/terminateidlewizard.h"
#include "ui/troubleshooting/sessionsview.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTableView>

using namespace vigil;
using namespace vigil::test;

class SessionsTest : public WorkloadTest
{
};

namespace {
QSet<int> pidsOf(const QList<services::SignalPlanEntry> &entries)
{
    QSet<int> s;
    for (const auto &e : entries)
        s.insert(e.ref.pid);
    return s;
}
bool alive(services::PgSession &s)
{
    const auto a = exec(s, QStringLiteral("SELECT 1"));
    return a.answered && !a.error.isError();
}
} // namespace

TEST_F(SessionsTest, IdlePreviewIsExactAndOnlyThoseAreTerminated)
{
    std::vector<std::unique_ptr<services::PgSession>> old, fresh;
    for (int i = 0; i < 3; ++i) {
        old.push_back(openSession(QStringLiteral("it-idle-old")));
        ASSERT_TRUE(alive(*old.back()));
    }
    spin(4000);
    for (int i = 0; i < 2; ++i) {
        fresh.push_back(openSession(QStringLiteral("it-idle-new")));
        ASSERT_TRUE(alive(*fresh.back()));
    }
    spin(300);

    ui::TerminateIdleWizard wizard(m_context.get());
    services::IdleCriteria c;
    c.idleSeconds = 3;
    c.applicationPattern = QStringLiteral("it-idle-%");
    wizard.setCriteria(c);
    wizard.loadPreview();
    ASSERT_TRUE(waitUntil([&] { return wizard.previewLoaded(); }, 15000));
    QSet<int> expected;
    for (const auto &s : old)
        expected.insert(s->backendPid());
    EXPECT_EQ(pidsOf(wizard.plan().entries), expected);
    // Independent ground truth: psql's view of who is idle past 3 s with that name.
    QSet<int> truth;
    for (const QString &pid :
         psqlLeader(QStringLiteral("SELECT pid FROM pg_stat_activity WHERE state = 'idle' AND "
                                   "application_name LIKE 'it-idle-%' "
                                   "AND now() - state_change > interval '3 s'"))
             .split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        truth.insert(pid.toInt());
    EXPECT_EQ(truth, expected);

    // Without the application filter, the workload's idle sessions (idle since it started) are in
    // the preview too, and Vigil's own connection never is.
    {
        ui::TerminateIdleWizard all(m_context.get());
        services::IdleCriteria any;
        any.idleSeconds = 3;
        all.setCriteria(any);
        all.loadPreview();
        ASSERT_TRUE(waitUntil([&] { return all.previewLoaded(); }, 15000));
        int lobby = 0;
        for (const auto &r : all.plan().rows) {
            EXPECT_FALSE(r.isVigil());
            EXPECT_TRUE(r.isClientBackend());
            lobby += r.application == QLatin1String("hokm-lobby") ? 1 : 0;
        }
        EXPECT_EQ(lobby, 2) << "the workload's two idle hokm-lobby sessions";
    }

    wizard.setTypedConfirmation(QStringLiteral("hokm-ha"));
    wizard.execute();
    ASSERT_TRUE(waitUntil([&] { return wizard.executed(); }, 15000));
    ASSERT_EQ(wizard.outcomes().size(), 3);
    for (const auto &o : wizard.outcomes())
        EXPECT_TRUE(o.done()) << o.describe(services::SignalAction::Terminate).toStdString();
    for (const auto &s : fresh)
        EXPECT_TRUE(alive(*s)) << "a session idle for less than the threshold was touched";
    spin(500);
    EXPECT_EQ(psqlLeader(QStringLiteral(
                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'it-idle-old'")),
              QStringLiteral("0"));
    EXPECT_EQ(psqlLeader(QStringLiteral(
                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'it-idle-new'")),
              QStringLiteral("2"));
    const auto audit = m_context->audit()->readAll();
    ASSERT_EQ(audit.size(), 1);
    EXPECT_EQ(audit.first().parameters.value(QStringLiteral("sessions")).toArray().size(), 3);
}

TEST_F(SessionsTest, ASessionWhoseIdentityChangedIsNotTouched)
{
    auto victim = openSession(QStringLiteral("it-reuse"));
    auto leaving = openSession(QStringLiteral("it-reuse"));
    ASSERT_TRUE(alive(*victim));
    ASSERT_TRUE(alive(*leaving));
    spin(1500);
    services::IdleCriteria c;
    c.idleSeconds = 1;
    c.applicationPattern = QStringLiteral("it-reuse");
    services::SessionsService *service = m_context->sessions(Sandbox::leaderName());
    auto rows = await<QList<services::SessionRow>>([&](auto cb) { service->fetch(cb); });
    ASSERT_TRUE(rows && rows->ok());
    services::IdlePlan plan = services::SessionsService::planIdleTermination(rows->value(), c);
    ASSERT_EQ(plan.entries.size(), 2);

    // Between preview and execution: (1) the victim's PID now "belongs to another backend": the
    // plan's backend_start no longer matches; (2) the other session ends and a new one opens.
    for (auto &e : plan.entries)
        if (e.ref.pid == victim->backendPid())
            e.ref.backendStart = QStringLiteral("2001-01-01 00:00:00.000001+00");
    const int leftPid = leaving->backendPid();
    leaving.reset();
    auto newcomer = openSession(QStringLiteral("it-reuse"));
    ASSERT_TRUE(alive(*newcomer));
    spin(300);

    auto outcomes = await<QList<services::SignalOutcome>>([&](auto cb) {
        service->signal(services::SignalAction::Terminate, plan.entries, cb,
                        QStringLiteral("terminate_idle_sessions"));
    });
    ASSERT_TRUE(outcomes && outcomes->ok());
    ASSERT_EQ(outcomes->value().size(), 2);
    for (const auto &o : outcomes->value()) {
        EXPECT_FALSE(o.done());
        if (o.ref.pid == victim->backendPid()) {
            EXPECT_EQ(o.kind, services::SignalOutcome::Kind::PidReused);
        }
        if (o.ref.pid == leftPid) { // gone, or (if the OS reused the PID already) reused: never hit
            EXPECT_TRUE(o.kind == services::SignalOutcome::Kind::Gone ||
                        o.kind == services::SignalOutcome::Kind::PidReused);
        }
    }
    EXPECT_TRUE(alive(*victim));
    EXPECT_TRUE(alive(*newcomer));
    const auto audit = m_context->audit()->readAll();
    ASSERT_EQ(audit.size(), 1);
    EXPECT_EQ(audit.first().result, QStringLiteral("failed")); // nothing was ended

    // A session that became active since the preview is not touched either.
    auto busy = openSession(QStringLiteral("it-busy"));
    spin(1200);
    rows = await<QList<services::SessionRow>>([&](auto cb) { service->fetch(cb); });
    c.applicationPattern = QStringLiteral("it-busy");
    plan = services::SessionsService::planIdleTermination(rows->value(), c);
    ASSERT_EQ(plan.entries.size(), 1);
    bool sleepDone = false;
    busy->exec(
        QStringLiteral("SELECT pg_sleep(3)"), {},
        [&](const services::PgResult &, const services::ServiceError &) { sleepDone = true; });
    spin(500);
    outcomes = await<QList<services::SignalOutcome>>(
        [&](auto cb) { service->signal(services::SignalAction::Terminate, plan.entries, cb); });
    ASSERT_TRUE(outcomes && outcomes->ok());
    EXPECT_EQ(outcomes->value().first().kind, services::SignalOutcome::Kind::StateChanged);
    ASSERT_TRUE(waitUntil([&] { return sleepDone; }, 10000));
    EXPECT_TRUE(alive(*busy));
}

TEST_F(SessionsTest, SessionsViewScreenshotAndHeadlessCommand)
{
    ui::SessionsView view(m_context.get());
    view.resize(1500, 760);
    bool refreshed = false;
    QObject::connect(&view, &ui::SessionsView::refreshed, [&] { refreshed = true; });
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    view.show();
    ASSERT_TRUE(waitUntil([&] { return refreshed; }, 15000));
    view.setApplicationFilter(QStringLiteral("hokm%"));
    int admin = 0;
    for (const auto &r : view.model()->rows())
        if (r.application == QLatin1String("hokm-admin-batch"))
            admin = r.pid;
    ASSERT_NE(admin, 0);
    view.selectPid(admin);
    refreshed = false;
    view.refresh();
    ASSERT_TRUE(waitUntil([&] { return refreshed; }, 15000));
    spin(800); // the detail pane's locks
    EXPECT_GE(view.filterModel()->rowCount(), 8);
    for (int r = 0; r < view.filterModel()->rowCount(); ++r)
        EXPECT_TRUE(view.filterModel()
                        ->index(r, models::SessionsTableModel::Application)
                        .data()
                        .toString()
                        .startsWith(QLatin1String("hokm")));
    saveScreenshot(&view, QStringLiteral("sessions.png"));

    // Sessions only age: psql's answer just before the command is a subset of the command's,
    // and its answer just after a superset (the threshold can be crossed in between).
    auto truthNow = [] {
        QSet<int> truth;
        for (const QString &pid :
             psqlLeader(QStringLiteral("SELECT pid FROM pg_stat_activity WHERE state = 'idle in "
                                       "transaction' AND application_name LIKE 'hokm%' "
                                       "AND now() - state_change > interval '2 s'"))
                 .split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            truth.insert(pid.toInt());
        return truth;
    };
    const QSet<int> before = truthNow();
    QProcess p;
    p.start(QStringLiteral(VIGIL_BINARY),
            {QStringLiteral("sessions"), QStringLiteral("--json"), QStringLiteral("--state"),
             QStringLiteral("idle in transaction"), QStringLiteral("--application"),
             QStringLiteral("hokm%"), QStringLiteral("--min-duration"), QStringLiteral("2s"),
             QStringLiteral("--patroni"), Sandbox::patroniUrl()});
    ASSERT_TRUE(p.waitForFinished(30000));
    ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    const auto sessions = QJsonDocument::fromJson(p.readAllStandardOutput())
                              .object()
                              .value(QStringLiteral("sessions"))
                              .toArray();
    QSet<int> cli;
    for (const auto &s : sessions) {
        EXPECT_EQ(s.toObject().value(QStringLiteral("state")).toString(),
                  QStringLiteral("idle in transaction"));
        cli.insert(s.toObject().value(QStringLiteral("pid")).toInt());
    }
    const QSet<int> after = truthNow();
    EXPECT_TRUE(cli.contains(before)) << "missing sessions psql saw before";
    EXPECT_TRUE(after.contains(cli)) << "sessions psql does not see";
    EXPECT_TRUE(cli.contains(admin));
}
