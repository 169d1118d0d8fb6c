// The PgBouncer dock: the clear messages (not configured, console unreachable), reading only
// while visible, the main window's shortcut, and a screenshot with answers recorded from the
// sandbox PgBouncer (tests/fixtures/pgbouncer) in VIGIL_ARTIFACTS_DIR/unit-pgbouncer-view.png.
#include "models/pgbouncerconfigmodel.h"
#include "models/pgbouncerconnectionsmodel.h"
#include "models/pgbouncerpoolsmodel.h"
#include "models/pgbouncerstatsmodel.h"
#include "support/csvresult.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/pgbouncer/pgbouncerview.h"
#include "ui/shell/mainwindow.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QTabWidget>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::services;

namespace {
PgResult fixture(const char *name)
{
    return vigil::test::loadPsqlCsv(QStringLiteral(VIGIL_FIXTURES_DIR "/pgbouncer/") +
                                    QLatin1String(name));
}
} // namespace

TEST(PgBouncerView, SaysWhichSettingToFillWhenNotConfigured)
{
    ui::PgBouncerView view;
    view.setTarget(QStringLiteral("hokm-ha"), QString(), QString(), 1000);
    view.show();
    EXPECT_TRUE(view.message().contains(QLatin1String("PgBouncer admin")))
        << view.message().toStdString();
    EXPECT_TRUE(view.message().contains(QLatin1String("hokm-ha")));
    EXPECT_FALSE(view.isRefreshing()); // nothing to ask
}

TEST(PgBouncerView, UnreachableConsoleIsNamedAndRetried)
{
    ui::PgBouncerView view;
    // Port 1 on the loopback: refused at once.
    view.setTarget(QStringLiteral("hokm-ha"),
                   QStringLiteral("host=127.0.0.1 port=1 dbname=pgbouncer user=pgbouncer_admin "
                                  "connect_timeout=2"),
                   QString(), 1000);
    view.show();
    ASSERT_TRUE(vigil::test::waitUntil([&] { return !view.message().isEmpty(); }, 10000));
    EXPECT_TRUE(view.message().contains(QLatin1String("did not answer")))
        << view.message().toStdString();
    EXPECT_TRUE(view.message().contains(QLatin1String("PgBouncer admin")));
    EXPECT_FALSE(view.isRefreshing());
}

TEST(PgBouncerView, ReadsOnlyWhileVisible)
{
    ui::PgBouncerView view;
    view.setTarget(QStringLiteral("hokm-ha"),
                   QStringLiteral("host=127.0.0.1 port=1 dbname=pgbouncer"), QString(), 2000);
    EXPECT_FALSE(view.isPolling());
    EXPECT_FALSE(view.isRefreshing());
    view.show();
    EXPECT_TRUE(view.isPolling());
    EXPECT_EQ(view.intervalMs(), 2000);
    view.hide();
    EXPECT_FALSE(view.isPolling());
    EXPECT_FALSE(view.isRefreshing()); // the round in flight is dropped with the connection
}

TEST(PgBouncerView, MainWindowOpensItWithCtrl7)
{
    ui::MainWindow window(ui::MainWindow::Options{});
    QAction *toggle = window.findChild<QAction *>(QStringLiteral("showPgBouncer"));
    ASSERT_NE(toggle, nullptr);
    EXPECT_EQ(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_7));
    window.show();
    EXPECT_FALSE(window.pgBouncerDock()->isVisible());
    toggle->trigger();
    EXPECT_TRUE(window.pgBouncerDock()->isVisible());
    EXPECT_TRUE(window.pgBouncerView()->isPolling());
    toggle->trigger();
    EXPECT_FALSE(window.pgBouncerView()->isPolling());
}

TEST(PgBouncerView, ScreenshotWithRecordedAnswers)
{
    ui::PgBouncerView view;
    view.setTarget(QStringLiteral("hokm-ha"),
                   QStringLiteral("host=127.0.0.1 port=1 dbname=pgbouncer"), QString(), 1000);
    view.poolsModel()->setPools(parsePgBouncerPools(fixture("show_pools.csv")).value());
    auto stats = parsePgBouncerStats(fixture("show_stats.csv")).value();
    view.statsModel()->setStats(stats, 1.0);
    for (auto &s : stats) {
        s.transactions += 120;
        s.queries += 360;
        s.received += 48000;
        s.sent += 256000;
        s.queryTimeUs += 900000;
    }
    view.statsModel()->setStats(stats, 2.0);
    view.clientsModel()->setConnections(
        parsePgBouncerConnections(fixture("show_clients.csv"), QStringLiteral("SHOW CLIENTS"))
            .value());
    view.serversModel()->setConnections(
        parsePgBouncerConnections(fixture("show_servers.csv"), QStringLiteral("SHOW SERVERS"))
            .value());
    view.configModel()->setConfig(parsePgBouncerConfig(fixture("show_config.csv")).value());
    view.resize(1100, 720);
    const QString dir = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dir);
    EXPECT_TRUE(view.grab().save(dir + QStringLiteral("/unit-pgbouncer-view.png")));
    view.tabs()->setCurrentIndex(3);
    EXPECT_TRUE(view.grab().save(dir + QStringLiteral("/unit-pgbouncer-view-config.png")));
    view.tabs()->setCurrentIndex(1);
    EXPECT_TRUE(view.grab().save(dir + QStringLiteral("/unit-pgbouncer-view-clients.png")));
}
