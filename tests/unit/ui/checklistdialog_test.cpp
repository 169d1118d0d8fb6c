// The maintenance checklist dialog (ui/maintenance) and its model: checks run on a snapshot of
// the sandbox's cluster and audit entries, hand ticks (one refused without a comment), overdue
// items, the model under QAbstractItemModelTester; a screenshot to build/artifacts.
#include "models/checklistmodel.h"
#include "services/maintenance/checkliststore.h"
#include "services/monitor/findings.h"
#include "support/snapshotbuilder.h"
#include "ui/maintenance/checklistdialog.h"
#include "ui/widgets/tableview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using services::ChecklistRecord;

namespace {

services::ChecklistCheckInput sandboxInput(const QDateTime &now)
{
    test::SandboxShape shape;
    shape.takenAt = now.addSecs(-2);
    services::ClusterSnapshot s = test::healthySnapshot(shape);
    s.findings = services::deriveFindings(s);
    services::ChecklistCheckInput in;
    in.snapshot = std::make_shared<const services::ClusterSnapshot>(std::move(s));
    in.clusterNames = {QStringLiteral("hokm-ha")};
    services::AuditEntry switchover;
    switchover.when = now.addDays(-3);
    switchover.osUser = QStringLiteral("carol");
    switchover.cluster = QStringLiteral("hokm-ha");
    switchover.member = QStringLiteral("node2");
    switchover.action = QStringLiteral("switchover");
    switchover.result = QStringLiteral("ok");
    switchover.serverAnswer = QStringLiteral("200 Successfully switched over to \"node2\"");
    in.audit = {switchover};
    return in;
}

QString cell(const models::ChecklistModel *m, const QString &id, int column)
{
    return m->index(m->rowOf(id), column).data().toString();
}

} // namespace

TEST(ChecklistDialog, RunsChecksTicksAndShowsWhatIsOverdue)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const services::ChecklistStore store(QStringLiteral("hokm-ha"), dir.path());
    // Done long ago, by hand: overdue now.
    ChecklistRecord old;
    old.at = now.addDays(-40);
    old.item = QStringLiteral("monthly.security-audit");
    old.outcome = ChecklistRecord::Outcome::Ticked;
    old.who = QStringLiteral("dave");
    old.comment = QStringLiteral("pg_hba and role review, no findings");
    ASSERT_TRUE(store.append(old));

    ui::ChecklistDialog dialog(store, [now] { return sandboxInput(now); });
    QAbstractItemModelTester tester(dialog.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    bool opened = false;
    dialog.setOpenServerLog([&opened] { opened = true; });
    EXPECT_EQ(dialog.model()->overdue(), 16);

    dialog.runChecks();
    EXPECT_FALSE(dialog.tick(QStringLiteral("weekly.security-patches"), QStringLiteral("  ")));
    EXPECT_TRUE(dialog.tick(QStringLiteral("weekly.security-patches"),
                            QStringLiteral("apt upgrade of postgresql-15 on all three nodes")));
    EXPECT_TRUE(dialog.tick(QStringLiteral("daily.error-logs"),
                            QStringLiteral("2 FATAL password failures from the game, reported")));

    const models::ChecklistModel *m = dialog.model();
    using C = models::ChecklistModel;
    EXPECT_EQ(cell(m, QStringLiteral("daily.health"), C::LastResult), QStringLiteral("passed"));
    EXPECT_EQ(cell(m, QStringLiteral("daily.backup"), C::LastResult), QStringLiteral("failed"));
    EXPECT_EQ(cell(m, QStringLiteral("weekly.restore-test"), C::LastResult),
              QStringLiteral("failed"));
    EXPECT_TRUE(cell(m, QStringLiteral("weekly.restore-test"), C::Evidence)
                    .contains(QStringLiteral("none was run")));
    EXPECT_EQ(cell(m, QStringLiteral("monthly.failover-test"), C::LastResult),
              QStringLiteral("passed"));
    EXPECT_EQ(cell(m, QStringLiteral("daily.error-logs"), C::LastResult),
              QStringLiteral("ticked by hand"));
    EXPECT_TRUE(cell(m, QStringLiteral("monthly.security-audit"), C::Due)
                    .startsWith(QStringLiteral("overdue since")));
    // 16 tasks; done: health, metrics, failover test, patches, error logs.
    EXPECT_EQ(m->overdue(), 11);
    EXPECT_EQ(services::ChecklistStore(QStringLiteral("hokm-ha"), dir.path()).readAll().size(),
              1 + 5 + 2);

    dialog.selectItem(QStringLiteral("daily.backup"));
    dialog.show();
    QCoreApplication::processEvents();
    EXPECT_TRUE(dialog.findChild<QLabel *>(QStringLiteral("checklistSummary"))
                    ->text()
                    .contains(QStringLiteral("11 of 16 tasks overdue")));
    const QString artifacts = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(artifacts);
    EXPECT_TRUE(dialog.grab().save(artifacts + QStringLiteral("/checklists-dialog.png")));
}
