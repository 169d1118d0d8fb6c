// Issue 13: with Patroni 3.0.2 (no pending_restart_reason) the members table names the parameter
// that needs the restart, from the SQL probe's pg_settings; the table still fits at 1440 x 900.
// Screenshot: unit-members-pending-restart.png.
#include "models/membersmodel.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/overview/overviewpage.h"
#include "ui/shell/mainwindow.h"
#include "ui/widgets/tableview.h"

#include <QApplication>
#include <QDir>
#include <QScrollBar>
#include <gtest/gtest.h>

using namespace vigil;

TEST(PendingRestartReason, MembersTableNamesTheParameterAndFits)
{
    ui::MainWindow window(
        ui::MainWindow::Options{QStringLiteral("http://127.0.0.1:60320"), QString(), false});
    window.addCluster(QStringLiteral("hokm-ha"), QStringLiteral("http://127.0.0.1:60320"));
    window.resize(1440, 900);
    window.show();
    test::SandboxShape shape;
    shape.takenAt = QDateTime::currentDateTimeUtc();
    services::ClusterSnapshot s = test::healthySnapshot(shape);
    for (auto &m : s.members) {
        m.pendingRestart = true;
        m.pendingRestartReason = QStringLiteral("max_connections: 1200 → 1250");
    }
    window.showSnapshot(test::share(s));
    QApplication::processEvents();
    ui::TableView *members = window.overviewPage()->membersTable();
    const QModelIndex cell = members->model()->index(0, models::MembersModel::PendingRestart);
    EXPECT_EQ(cell.data().toString(), QStringLiteral("yes: max_connections: 1200 → 1250"));
    const auto fits = [members] {
        return members->allColumnsFit() && members->horizontalScrollBar()->maximum() == 0;
    };
    EXPECT_TRUE(test::waitUntil(fits, 5000))
        << "the members table needs " << members->contentsWidth() << " px and has "
        << members->width();
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    window.grab().save(QStringLiteral(VIGIL_ARTIFACTS_DIR "/unit-members-pending-restart.png"));
}
