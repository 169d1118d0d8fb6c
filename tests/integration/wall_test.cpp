// `vigil --wall` against the real sandbox, offscreen: the tile of the sandbox cluster shows its
// leader and 3/3 members up; with the leader killed it shows the leader down (red), then the new
// leader and the failover. Screenshots go to ${build}/artifacts/wall-sandbox-*.png.
#include "app/gui/guilaunch.h"
#include "app/gui/wallroot.h"
#include "services/core/readonlyguard.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
#include "ui/wall/walltile.h"
#include "ui/wall/wallview.h"

#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;
using test::Sandbox;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

struct Wall
{
    Wall()
        : profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr)
        , wall(&view, &secrets, &profiles)
    {
        QStringList args = Sandbox::guiArguments(QStringLiteral("hokm-ha"));
        args << QStringLiteral("--wall") << QStringLiteral("--windowed");
        launch = app::parseGuiArguments(args);
        view.resize(1920, 1080);
        view.show();
        app::openWall(wall, launch);
    }
    models::WallTileSummary tile() const
    {
        ui::WallTile *t = view.tile(QStringLiteral("hokm-ha"));
        return t ? t->summary() : models::WallTileSummary();
    }
    quint64 sequence() const
    {
        const auto *m = wall.monitor(QStringLiteral("hokm-ha"));
        return m && m->lastSnapshot() ? m->lastSnapshot()->sequence : 0;
    }

    QTemporaryDir dir;
    app::GuiLaunch launch;
    ui::WallView view;
    services::MemorySecretStore secrets;
    services::ProfileStore profiles;
    app::WallRoot wall;
};

} // namespace

TEST(Wall, ShowsTheSandboxThenItsFailover)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    Wall w;
    ASSERT_TRUE(w.launch.error.isEmpty()) << w.launch.error.toStdString();
    ASSERT_EQ(w.view.clusters(), QStringList{QStringLiteral("hokm-ha")});
    EXPECT_TRUE(w.wall.guard().isReadOnly());

    // 1. The healthy cluster: its leader, 3/3 members.
    const QString leader = Sandbox::leaderName();
    ASSERT_FALSE(leader.isEmpty());
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const auto t = w.tile();
            // SQL (connection use) may answer a cycle after REST.
            return t.headline == QStringLiteral("Leader %1").arg(leader) && t.membersUp == 3 &&
                   t.membersTotal == 3 && t.connectionsPct.has_value();
        },
        60000))
        << "tile: " << w.tile().headline.toStdString() << " / " << w.tile().members.toStdString();
    EXPECT_EQ(w.tile().members, QStringLiteral("3/3 members up"));
    EXPECT_FALSE(w.tile().unreachable);
    QApplication::processEvents();
    w.view.grab().save(artifact(QStringLiteral("wall-sandbox-healthy.png")));

    // 2. Kill the leader: the tile turns red with the leader down (or no leader) ...
    QString out;
    ASSERT_EQ(Sandbox::run({QStringLiteral("kill-leader")}, &out), 0) << out.toStdString();
    const quint64 afterKill = w.sequence() + 1;
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const auto t = w.tile();
            return w.sequence() >= afterKill && t.health == models::Health::Critical &&
                   (t.headline == QStringLiteral("Leader %1 is down").arg(leader) ||
                    t.headline.startsWith(QStringLiteral("No leader"))) &&
                   t.membersUp == 2;
        },
        45000))
        << "tile: " << w.tile().headline.toStdString() << " / " << w.tile().members.toStdString();
    EXPECT_FALSE(w.tile().alerts.isEmpty());
    QApplication::processEvents();
    w.view.grab().save(artifact(QStringLiteral("wall-sandbox-leader-down.png")));

    // 3. ... then the new leader, and the failover said with its time.
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const auto t = w.tile();
            return t.headline.startsWith(QStringLiteral("Leader ")) &&
                   !t.headline.contains(leader) && !t.headline.endsWith(QStringLiteral("down"));
        },
        120000))
        << "no new leader on the wall within 120 s: " << w.tile().headline.toStdString();
    EXPECT_TRUE(test::waitUntil(
        [&] {
            return w.tile().change.startsWith(QStringLiteral("Failed over from %1").arg(leader));
        },
        10000))
        << w.tile().change.toStdString();
    QApplication::processEvents();
    w.view.grab().save(artifact(QStringLiteral("wall-sandbox-new-leader.png")));
    EXPECT_TRUE(w.view.tile(QStringLiteral("hokm-ha"))->isVisible());

    // 4. Restore the sandbox for the next test.
    Sandbox::ensureHealthy();
}
