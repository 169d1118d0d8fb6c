// The server log view without a server: entries parsed from the log recorded on the sandbox
// (tests/fixtures/logs/postgresql-sandbox.log) go into its model; the level and text filters,
// jump-to-time and the dock's shortcut are checked, and the view is rendered to PNG
// (VIGIL_ARTIFACTS_DIR/unit-server-log-*.png). The real reading is in
// tests/integration/serverlogs_test.cpp.
#include "models/serverlogfiltermodel.h"
#include "models/serverlogmodel.h"
#include "services/diagnostics/membersessionpool.h"
#include "services/logs/serverlogparser.h"
#include "support/qtprinters.h"
#include "ui/troubleshooting/serverlogview.h"
#include "ui/troubleshooting/troubleshootingviews.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QItemSelectionModel>
#include <QMainWindow>
#include <QTableView>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
std::unique_ptr<services::MemberSessionPool> pool(const QString &auditPath)
{
    services::ClusterProfile profile;
    profile.name = QStringLiteral("hokm-ha");
    return std::make_unique<services::MemberSessionPool>(
        profile, QString(), std::make_shared<services::ReadOnlyGuard>(false),
        std::make_shared<services::AuditLog>(auditPath));
}

QList<services::ServerLogEntry> recorded()
{
    QFile f(QStringLiteral(VIGIL_FIXTURES_DIR "/logs/postgresql-sandbox.log"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return services::ServerLogParser(QStringLiteral("%m [%p] %q%u@%d/%a "))
        .parse(QString::fromUtf8(f.readAll()));
}

void save(QWidget &w, const QString &name)
{
    const QString dir = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dir);
    EXPECT_TRUE(w.grab().save(dir + QLatin1Char('/') + name));
}
} // namespace

TEST(ServerLogView, FiltersJumpsAndRenders)
{
    QTemporaryDir dir;
    auto context = pool(dir.filePath(QStringLiteral("audit.jsonl")));
    context->setMembers({{QStringLiteral("node1"), QStringLiteral("127.0.0.1"), 1, true}});
    ui::ServerLogView view(context.get());
    view.resize(1280, 520);
    view.model()->append(recorded());
    const int all = view.filter()->rowCount();
    ASSERT_GT(all, 10);
    save(view, QStringLiteral("unit-server-log-all.png"));

    view.setMinimumLevel(services::ServerLogLevel::Error);
    const int errors = view.filter()->rowCount();
    EXPECT_GT(errors, 3);
    EXPECT_LT(errors, all);
    view.setFilterText(QStringLiteral("vigil-logtest"));
    EXPECT_EQ(view.filter()->rowCount(), 1);
    view.setFilterText({});
    save(view, QStringLiteral("unit-server-log-errors.png"));

    // Jump to the time of the provoked error: the first shown entry at or after it is selected.
    const QDateTime at(QDate(2026, 12, 4), QTime(2, 12, 20), Qt::UTC);
    ASSERT_TRUE(view.jumpToTime(at));
    const QModelIndexList selected = view.table()->selectionModel()->selectedRows();
    ASSERT_EQ(selected.size(), 1);
    EXPECT_EQ(selected.at(0).data().toString(),
              models::ServerLogModel::timeText(
                  QDateTime(QDate(2026, 12, 4), QTime(2, 12, 20, 224), Qt::UTC)));
    EXPECT_FALSE(view.jumpToTime(at.addDays(1)));
    EXPECT_TRUE(view.statusText().contains(QStringLiteral("of %1 entries shown").arg(all)))
        << view.statusText().toStdString();
}

TEST(ServerLogView, OpensFromTheTroubleshootingMenuWithCtrlShiftG)
{
    QTemporaryDir dir;
    auto context = pool(dir.filePath(QStringLiteral("audit.jsonl")));
    QMainWindow window;
    ui::installTroubleshootingViews(&window, context.get());
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("serverLogDock"));
    ASSERT_TRUE(dock);
    EXPECT_TRUE(qobject_cast<ui::ServerLogView *>(dock->widget()));
    EXPECT_EQ(dock->toggleViewAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    // No other action of the window uses the same shortcut.
    int same = 0;
    for (QAction *a : window.findChildren<QAction *>())
        same += a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G) ? 1 : 0;
    EXPECT_EQ(same, 1);
}
