// The wall: tiles laid out for 1, 4, 12 and 30 clusters (screenshots at 1920x1080, one cluster
// failing over, one unreachable; the failing tile alone as well), zoom by click or Enter, arrows
// between tiles, Esc back.
#include "models/clusterwatch.h"
#include "services/monitor/findings.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/charts/chartspanel.h"
#include "ui/overview/topologywidget.h"
#include "ui/wall/walltile.h"
#include "ui/wall/wallview.h"
#include "ui/wall/wallzoomview.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QTest>
#include <QToolButton>
#include <gtest/gtest.h>

using namespace vigil;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

const QDateTime kNoon = test::SandboxShape().takenAt;

test::SandboxShape at(int seconds)
{
    test::SandboxShape shape;
    shape.takenAt = kNoon.addSecs(seconds);
    shape.sequence = quint64(1000 + seconds);
    return shape;
}

services::ClusterSnapshotPtr named(services::ClusterSnapshot s, const QString &name)
{
    s.profileName = name;
    s.scope = name;
    s.findings = services::deriveFindings(s);
    return test::share(std::move(s));
}

services::ClusterSnapshot unreachable(int seconds)
{
    services::ClusterSnapshot s = test::healthySnapshot(at(seconds));
    s.discovery =
        test::downChannel(services::ServiceError::Kind::Connect, QStringLiteral("GET /cluster"),
                          QStringLiteral("10.0.4.11"), QStringLiteral("Connection refused"));
    s.discovery.lastOk = kNoon.addSecs(-9 * 60);
    for (auto &m : s.members) {
        m.rest = s.discovery;
        m.sql = s.discovery;
    }
    return s;
}

// The state of cluster `i` of the 30 on the wall (12 and on: healthy); 0 is failing over (its
// leader just died).
services::ClusterSnapshot stateOf(int i, int seconds)
{
    switch (i) {
    case 0:
        return test::leaderCrashedSnapshot(at(seconds));
    case 3: {
        services::ClusterSnapshot s = test::healthySnapshot(at(seconds));
        test::setLag(s, QStringLiteral("node2"), 48LL * 1024 * 1024, 34);
        return s;
    }
    case 5:
        return unreachable(seconds);
    case 7: {
        services::ClusterSnapshot s = test::healthySnapshot(at(seconds));
        test::memberNamed(s, QStringLiteral("node1")).connections->total = 1010;
        return s;
    }
    case 9: {
        services::ClusterSnapshot s =
            test::afterFailoverSnapshot(at(seconds), QStringLiteral("node3"));
        services::LeaderChange c{QStringLiteral("node1"), QStringLiteral("node3"),
                                 kNoon.addSecs(-200), kNoon.addSecs(-190), false};
        s.leaderChange = c;
        return s;
    }
    default:
        return test::healthySnapshot(at(seconds));
    }
}

const QStringList kNames = {
    QStringLiteral("hokm-ha"),   QStringLiteral("billing-eu"), QStringLiteral("billing-us"),
    QStringLiteral("ledger"),    QStringLiteral("auth"),       QStringLiteral("search-legacy"),
    QStringLiteral("orders-eu"), QStringLiteral("orders-us"),  QStringLiteral("analytics"),
    QStringLiteral("inventory"), QStringLiteral("payments"),   QStringLiteral("telemetry"),
    QStringLiteral("catalog"),   QStringLiteral("checkout"),   QStringLiteral("chat"),
    QStringLiteral("fraud"),     QStringLiteral("geo"),        QStringLiteral("invoices"),
    QStringLiteral("mail"),      QStringLiteral("maps"),       QStringLiteral("media"),
    QStringLiteral("metrics"),   QStringLiteral("notify"),     QStringLiteral("profiles"),
    QStringLiteral("ranking"),   QStringLiteral("reports"),    QStringLiteral("sessions"),
    QStringLiteral("shipping"),  QStringLiteral("stock"),      QStringLiteral("wallet")};

// A wall of `count` clusters at 1920x1080, fed two minutes of snapshots, the clock at 12:02.
struct Wall
{
    explicit Wall(int count)
    {
        view.setClock([] { return kNoon.addSecs(120); });
        for (int i = 0; i < count; ++i)
            view.addCluster(kNames[i]);
        for (int t = -60; t <= 120; t += 60)
            for (int i = 0; i < count; ++i)
                view.showSnapshot(named(stateOf(i, t), kNames[i]));
        view.resize(1920, 1080);
        view.show();
        view.refreshTiles();
        QApplication::processEvents();
    }
    ui::WallView view;
};

} // namespace

TEST(WallView, OneTilePerClusterInTheChosenGrid)
{
    for (int count : {1, 4, 12, 30}) {
        Wall w(count);
        EXPECT_EQ(w.view.clusters().size(), count);
        const models::WallGrid g = w.view.grid();
        EXPECT_GE(g.columns * g.rows, count);
        // Every tile is on screen and none overlaps another.
        QList<QRect> rects;
        for (const QString &name : w.view.clusters()) {
            ui::WallTile *tile = w.view.tile(name);
            ASSERT_NE(tile, nullptr);
            EXPECT_TRUE(tile->isVisible());
            const QRect r = tile->geometry();
            EXPECT_TRUE(tile->parentWidget()->rect().contains(r)) << name.toStdString();
            for (const QRect &other : rects)
                EXPECT_FALSE(r.intersects(other)) << name.toStdString();
            rects << r;
        }
        w.view.grab().save(artifact(QStringLiteral("wall-%1.png").arg(count)));
    }
}

TEST(WallView, TheFailingClusterIsRedAndSaysItsLeaderIsDown)
{
    Wall w(4);
    const models::WallTileSummary &s = w.view.tile(QStringLiteral("hokm-ha"))->summary();
    EXPECT_EQ(s.health, models::Health::Critical);
    EXPECT_EQ(s.headline, QStringLiteral("Leader node1 is down"));
    EXPECT_EQ(s.members, QStringLiteral("2/3 members up"));
    EXPECT_FALSE(s.alerts.isEmpty());
    const models::WallTileSummary &healthy = w.view.tile(QStringLiteral("billing-eu"))->summary();
    EXPECT_NE(ui::WallTile::background(s), ui::WallTile::background(healthy));
    EXPECT_EQ(w.view.tile(QStringLiteral("billing-eu"))->summary().health, models::Health::Ok);
}

TEST(WallView, TheFailingOverTileReadsFromAcrossTheRoom)
{
    // The failing tile alone, at the size it has on a wall of 12 and of 30 clusters.
    for (int count : {12, 30}) {
        Wall w(count);
        ui::WallTile *tile = w.view.tile(QStringLiteral("hokm-ha"));
        tile->grab().save(artifact(QStringLiteral("wall-tile-failover-%1.png").arg(count)));
        EXPECT_EQ(tile->summary().headline, QStringLiteral("Leader node1 is down"));
        // The text does not shrink below the room-readable size to fit every alert: a small
        // tile shows fewer of them (at least the newest).
        const ui::WallTile::TextLayout t =
            ui::WallTile::textLayout(ui::WallTile::textArea(tile->size()).height());
        EXPECT_GE(t.basePx, ui::WallTile::kMinBasePx) << count;
        EXPECT_EQ(t.alertSlots, count == 12 ? 3 : 1) << count;
    }
}

TEST(WallView, AnUnreachableClusterStaysOnTheWall)
{
    Wall w(12);
    const models::WallTileSummary &s = w.view.tile(QStringLiteral("search-legacy"))->summary();
    EXPECT_TRUE(s.unreachable);
    EXPECT_TRUE(s.headline.startsWith(QStringLiteral("Unreachable since ")))
        << s.headline.toStdString();
    EXPECT_TRUE(s.headline.endsWith(QStringLiteral("(11 min)"))) << s.headline.toStdString();
    EXPECT_TRUE(w.view.tile(QStringLiteral("search-legacy"))->isVisible());
}

TEST(WallView, TileTextKeepsContrastWithItsColour)
{
    // WCAG contrast ratio >= 4.5 for every state colour with its text colour.
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    for (models::Health h : {models::Health::Ok, models::Health::Warning, models::Health::Critical,
                             models::Health::Unknown}) {
        models::WallTileSummary s;
        s.connecting = false;
        s.health = h;
        const double a = luminance(ui::WallTile::background(s));
        const double b = luminance(ui::WallTile::foreground(s));
        const double ratio = (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
        EXPECT_GE(ratio, 4.5) << models::healthName(h).toStdString();
    }
}

TEST(WallView, ClickZoomsToTheClusterAndEscReturns)
{
    Wall w(4);
    ui::WallTile *tile = w.view.tile(QStringLiteral("hokm-ha"));
    QTest::mouseClick(tile, Qt::LeftButton);
    EXPECT_EQ(w.view.zoomedCluster(), QStringLiteral("hokm-ha"));
    ui::WallZoomView *zoom = w.view.zoomView();
    EXPECT_EQ(zoom->topology()->model(), w.view.watch(QStringLiteral("hokm-ha"))->topology());
    // No button of the zoomed view opens a dialog (the charts' Export is gone).
    for (QToolButton *b : zoom->findChildren<QToolButton *>())
        EXPECT_FALSE(b->text().contains(QStringLiteral("Export"))) << b->text().toStdString();
    QTest::keyClick(&w.view, Qt::Key_Escape);
    EXPECT_TRUE(w.view.zoomedCluster().isEmpty());
    EXPECT_TRUE(tile->hasFocus() || !QApplication::focusWidget());
}

TEST(WallView, ArrowsMoveBetweenTilesAndEnterZooms)
{
    Wall w(4); // 2x2
    w.view.activateWindow();
    ui::WallTile *first = w.view.tile(kNames[0]);
    first->setFocus();
    QTest::keyClick(first, Qt::Key_Right);
    EXPECT_TRUE(w.view.tile(kNames[1])->hasFocus());
    QTest::keyClick(w.view.tile(kNames[1]), Qt::Key_Down);
    EXPECT_TRUE(w.view.tile(kNames[3])->hasFocus());
    QTest::keyClick(w.view.tile(kNames[3]), Qt::Key_Return);
    EXPECT_EQ(w.view.zoomedCluster(), kNames[3]);
    QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : &w.view,
                    Qt::Key_Escape);
    EXPECT_TRUE(w.view.zoomedCluster().isEmpty());
}

TEST(WallView, ZoomedScreenshotShowsTopologyAndCharts)
{
    Wall w(4);
    // Two minutes of 1 s samples for the charts of the lagging cluster.
    for (int t = -120; t <= 120; ++t) {
        services::ClusterSnapshot s = test::healthySnapshot(at(t));
        test::setLag(s, QStringLiteral("node2"), (t + 130) * 200 * 1024LL, 0.05 * (t + 130));
        w.view.showSnapshot(named(s, QStringLiteral("ledger")));
    }
    w.view.zoomTo(QStringLiteral("ledger"));
    QApplication::processEvents();
    w.view.zoomView()->charts()->renderFrame();
    QApplication::processEvents();
    w.view.grab().save(artifact(QStringLiteral("wall-zoomed.png")));
    EXPECT_FALSE(w.view.zoomView()->topology()->nodeRect(QStringLiteral("node1")).isEmpty());
}
