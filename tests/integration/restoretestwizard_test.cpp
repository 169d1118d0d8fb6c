// The restore-test wizard against the sandbox, page by page: each page rendered to PNG under
// build/artifacts (restoretest_*.png), a passing run whose result table says "pass" per table,
// and a run whose scratch copy loses a table (the service's test seam) showing that table as
// FAIL. Both runs reach the audit log; the scratch instance is gone afterwards.
#include "models/restoreresultmodel.h"
#include "services/backup/restoretest.h"
#include "support/eventloop.h"
#include "support/sandbox.h"
#include "ui/backup/restoretestwizard.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::test;

namespace {

QString appPassword()
{
    QFile f(Sandbox::dir() + QStringLiteral("/secrets.env"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("PW_HOKM_APP="))
            return QString::fromUtf8(line.mid(12)).trimmed();
    return {};
}

int memberPort(const QString &name)
{
    return Sandbox::portBase() + 10 + name.mid(4).toInt() - 1;
}

void expectScratchGone(const services::RestoreTestResult &r)
{
    EXPECT_TRUE(r.scratchRemoved) << r.cleanupError.toStdString();
    EXPECT_FALSE(r.scratchLocation.isEmpty());
    EXPECT_FALSE(QFileInfo::exists(r.scratchLocation)) << r.scratchLocation.toStdString();
}

} // namespace

namespace {

// The sandbox as the window's snapshot names it (roles from Patroni).
services::ClusterSnapshotPtr sandboxSnapshot()
{
    auto s = std::make_shared<services::ClusterSnapshot>();
    s->scope = QStringLiteral("hokm-ha");
    const QString leader = Sandbox::leaderName();
    for (int i = 1; i <= 3; ++i) {
        services::MemberSnapshot m;
        m.name = QStringLiteral("node%1").arg(i);
        m.host = QStringLiteral("127.0.0.1");
        m.port = memberPort(m.name);
        m.role = m.name == leader ? services::PatroniRole::Leader : services::PatroniRole::Replica;
        m.state = m.name == leader ? QStringLiteral("running") : QStringLiteral("streaming");
        m.lagBytes = m.name == leader ? std::nullopt : std::optional<qint64>(0);
        m.databaseSizes = {{QStringLiteral("postgres"), 8 << 20},
                           {QStringLiteral("hokm_game"), 9 << 20}};
        s->members.append(m);
    }
    return s;
}

void shoot(QWidget *w, const QString &name)
{
    const QString dir =
        qEnvironmentVariable("VIGIL_ARTIFACTS_DIR", QStringLiteral(VIGIL_ARTIFACTS_DIR));
    QDir().mkpath(dir);
    QApplication::processEvents();
    EXPECT_TRUE(w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

services::OperationContext wizardContext(const QTemporaryDir &dir)
{
    services::OperationContext ctx;
    ctx.profile.name = QStringLiteral("hokm-ha");
    ctx.profile.sqlConninfo = QStringLiteral("dbname=postgres user=hokm_app");
    ctx.secrets.sqlPassword = appPassword();
    ctx.audit = std::make_shared<services::AuditLog>(dir.filePath(QStringLiteral("audit.jsonl")));
    return ctx;
}

} // namespace

// The wizard as the window opens it, through every page against the sandbox: rendered on each
// page (while it runs too), the result table says pass per table, the audit log has the test.
TEST(RestoreTestWizard, RunsEveryPageAndShowsPassPerTable)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const services::OperationContext ctx = wizardContext(dir);
    ui::RestoreTestWizard w(ctx, sandboxSnapshot());
    EXPECT_NE(w.member(), Sandbox::leaderName());
    EXPECT_EQ(w.database(), QStringLiteral("hokm_game"));
    EXPECT_EQ(w.target(), services::RestoreTarget::LocalInstance);
    EXPECT_TRUE(ui::RestoreTestWizard::helpText().contains(QStringLiteral("n_tup_ins")));
    w.resize(900, 660);
    w.show();
    shoot(&w, QStringLiteral("restoretest_1_choose"));
    w.next();
    ASSERT_EQ(w.currentId(), ui::RestoreTestWizard::PreviewPage);
    EXPECT_TRUE(w.previewText().contains(QStringLiteral("--snapshot")));
    shoot(&w, QStringLiteral("restoretest_2_preview"));
    bool shotRunning = false;
    QObject::connect(
        w.test(), &services::RestoreTest::progressChanged, &w, [&](const QString &, int, int) {
            if (!shotRunning && w.test()->phase() == services::RestoreTest::Phase::Restoring) {
                shoot(&w, QStringLiteral("restoretest_3_running"));
                shotRunning = true;
            }
        });
    w.next(); // the commit page's Start
    ASSERT_EQ(w.currentId(), ui::RestoreTestWizard::RunPage);
    ASSERT_TRUE(
        waitUntil([&] { return w.currentId() == ui::RestoreTestWizard::ResultPage; }, 300000));
    EXPECT_TRUE(shotRunning);
    w.resize(900, 660);
    shoot(&w, QStringLiteral("restoretest_4_result_pass"));
    const auto &r = w.test()->result();
    EXPECT_TRUE(r.passed()) << r.error.toText().toStdString();
    ASSERT_EQ(w.resultModel()->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        EXPECT_EQ(
            w.resultModel()->index(row, models::RestoreResultModel::Verdict).data().toString(),
            QStringLiteral("pass"));
    EXPECT_TRUE(w.verdictLabel()->text().contains(QStringLiteral("PASS")));
    const auto entries = ctx.audit->readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].action, QStringLiteral("restore_test"));
    EXPECT_EQ(entries[0].result, QStringLiteral("ok"));
    expectScratchGone(r);
}

// The failing run in the wizard: the truncated table is named, FAIL in the critical colour.
TEST(RestoreTestWizard, ShowsTheTruncatedTableAsFail)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir dir;
    const services::OperationContext ctx = wizardContext(dir);
    ui::RestoreTestWizard w(ctx, sandboxSnapshot());
    w.test()->setSqlBeforeCount(QStringLiteral("TRUNCATE public.game_sessions CASCADE"));
    w.resize(900, 660);
    w.show();
    w.next();
    w.next();
    ASSERT_TRUE(
        waitUntil([&] { return w.currentId() == ui::RestoreTestWizard::ResultPage; }, 300000));
    shoot(&w, QStringLiteral("restoretest_5_result_fail"));
    const int row = w.resultModel()->rowOf(QStringLiteral("public.game_sessions"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(w.resultModel()->index(row, models::RestoreResultModel::Verdict).data().toString(),
              QStringLiteral("FAIL"));
    EXPECT_TRUE(w.verdictLabel()->text().contains(QStringLiteral("FAIL")));
    const auto entries = ctx.audit->readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].result, QStringLiteral("failed"));
}
