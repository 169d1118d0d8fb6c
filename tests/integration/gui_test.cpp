// The GUI against the real sandbox, offscreen: the window opened with the --patroni options shows
// the three members and the right leader; live charts after a couple of minutes of workload; a
// killed leader shows as a crash, then the new leader on a new timeline. Screenshots go to
// ${build}/artifacts/ for people to look at.
#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "models/charthistory.h"
#include "models/clusterwatch.h"
#include "models/membersmodel.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/sandbox.h"
#include "support/sandboxwindow.h"
#include "ui/charts/chartspanel.h"
#include "ui/charts/timeserieschart.h"
#include "ui/overview/overviewpage.h"
#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QTabWidget>
#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil;
using test::Sandbox;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

struct Gui : vigil::test::SandboxWindow
{
    const models::TopologyScene &scene() const
    {
        return window.watch(QStringLiteral("hokm-ha"))->topology()->scene();
    }
};

const models::TopologyNode *node(const models::TopologyScene &s, const QString &name)
{
    for (const auto &n : s.nodes)
        if (n.name == name)
            return &n;
    return nullptr;
}

} // namespace

TEST(GuiLaunch, CommandLineBuildsTheProfile)
{
    const app::GuiLaunch launch = app::parseGuiArguments(
        {QStringLiteral("vigil"), QStringLiteral("--patroni"),
         QStringLiteral("http://127.0.0.1:60320"), QStringLiteral("--read-only"),
         QStringLiteral("--haproxy-backend"), QStringLiteral("rw")});
    ASSERT_TRUE(launch.error.isEmpty()) << launch.error.toStdString();
    ASSERT_TRUE(launch.profile.has_value());
    EXPECT_EQ(launch.profile->name, QStringLiteral("127.0.0.1:60320"));
    EXPECT_TRUE(launch.profile->readOnly);
    EXPECT_TRUE(launch.options.readOnly);
    EXPECT_EQ(launch.profile->haproxyReadWriteBackend, QStringLiteral("rw"));
    EXPECT_FALSE(app::parseGuiArguments({QStringLiteral("vigil"), QStringLiteral("--patroni"),
                                         QStringLiteral("http://")})
                     .error.isEmpty());
    EXPECT_FALSE(app::parseGuiArguments({QStringLiteral("vigil"), QStringLiteral("--interval"),
                                         QStringLiteral("5"), QStringLiteral("--patroni"),
                                         QStringLiteral("http://h:1")})
                     .error.isEmpty());
}

TEST(GuiIntegration, OverviewChartsAndFailoverOnTheSandbox)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    const QString leader = Sandbox::leaderName();
    ASSERT_FALSE(leader.isEmpty());

    Gui gui;
    // 1. Three members, the right leader, everything reachable.
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const auto *s = gui.last();
            return s && s->members.size() == 3 && s->leader() && s->leader()->name == leader &&
                   s->members.at(0).sql.ok() && s->members.at(1).sql.ok() &&
                   s->members.at(2).sql.ok();
        },
        30000))
        << "the window did not show three reachable members with leader " << leader.toStdString();
    EXPECT_EQ(gui.window.membersModel()->rowCount(), 3);
    const int leaderRow = gui.window.membersModel()->rowOf(leader);
    ASSERT_GE(leaderRow, 0);
    EXPECT_EQ(
        gui.window.membersModel()->index(leaderRow, models::MembersModel::Role).data().toString(),
        QStringLiteral("Leader"));
    EXPECT_EQ(gui.scene().leader, leader);
    EXPECT_TRUE(gui.window.windowTitle().contains(QStringLiteral("leader %1").arg(leader)));
    // HAProxy routes writes to the leader and the picture says so.
    ASSERT_TRUE(
        test::waitUntil([&] { return gui.scene().haproxy.routesTo == QStringList{leader}; }, 15000))
        << gui.scene().haproxy.status.toStdString();
    test::spin(1500);
    gui.window.grab().save(artifact(QStringLiteral("gui-overview.png")));

    // 2. Live charts after some workload (kept to ~100 s for CI).
    QString out;
    ASSERT_EQ(
        Sandbox::run(
            {QStringLiteral("workload"), QStringLiteral("--seconds"), QStringLiteral("110")}, &out),
        0)
        << out.toStdString();
    test::spin(100000);
    gui.window.tabs()->setCurrentWidget(gui.window.chartsPanel());
    QApplication::processEvents();
    gui.window.chartsPanel()->renderFrame();
    QApplication::processEvents();
    gui.window.chartsPanel()->renderFrame();
    const models::ChartHistory *history = gui.window.watch(QStringLiteral("hokm-ha"))->history();
    EXPECT_GE(history->store().size(), 90);
    const auto tx = history->series(models::ChartHistory::Chart::Transactions);
    bool sawTraffic = false;
    for (const auto &s : tx)
        if (s.label == QStringLiteral("hokm_game"))
            for (int i = 0; i < history->store().size(); ++i)
                sawTraffic = sawTraffic || history->store().valueAt(s.index, i) > 1.0f;
    EXPECT_TRUE(sawTraffic) << "no transactions per second seen on hokm_game during the workload";
    EXPECT_FALSE(history->series(models::ChartHistory::Chart::LagBytes).isEmpty());
    EXPECT_FALSE(history->series(models::ChartHistory::Chart::ConnectionsByState).isEmpty());
    gui.window.chartsPanel()->exportPng(artifact(QStringLiteral("gui-charts.png")));
    gui.window.setLargeFonts(true);
    gui.window.resize(2560, 1440);
    QApplication::processEvents();
    gui.window.chartsPanel()->renderFrame();
    QApplication::processEvents();
    gui.window.grab().save(artifact(QStringLiteral("gui-charts-warroom.png")));
    gui.window.tabs()->setCurrentWidget(gui.window.overviewPage());
    QApplication::processEvents();
    gui.window.grab().save(artifact(QStringLiteral("gui-overview-warroom.png")));
    gui.window.setLargeFonts(false);
    gui.window.resize(1440, 900);
    Sandbox::run({QStringLiteral("workload"), QStringLiteral("stop")});

    // 3. Kill the leader: first the crash, then the new leader on a new timeline.
    // (Sandbox::run blocks this thread while the script runs, so the monitor's deadlines expire
    // meanwhile; only snapshots taken after it count, and the crash must be the old leader's
    // alone: another member answering over SQL in the same snapshot.)
    ASSERT_TRUE(test::waitUntil(
        [&] { return gui.last() && gui.last()->leader() && gui.last()->leader()->sql.ok(); },
        15000));
    const std::optional<int> timeline = gui.last()->leader()->timeline;
    ASSERT_EQ(Sandbox::run({QStringLiteral("kill-leader")}, &out), 0) << out.toStdString();
    const quint64 afterKill = gui.last()->sequence + 1;
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const services::ClusterSnapshot *s = gui.last();
            if (!s || s->sequence < afterKill)
                return false;
            bool othersAnswer = false;
            for (const auto &m : s->members)
                othersAnswer = othersAnswer || (m.name != leader && m.sql.ok());
            const models::TopologyNode *old = node(gui.scene(), leader);
            return othersAnswer &&
                   (gui.scene().leader != leader ||
                    (old && (old->health == models::Health::Critical || old->gone)));
        },
        30000))
        << "the topology never showed the leader's crash";
    QApplication::processEvents();
    gui.window.overviewPage()->grab().save(artifact(QStringLiteral("gui-topology-crash.png")));

    ASSERT_TRUE(test::waitUntil(
        [&] { return !gui.scene().leader.isEmpty() && gui.scene().leader != leader; }, 90000))
        << "no new leader shown within 90 s";
    const QString newLeader = gui.scene().leader;
    // Patroni reports the new role a moment before the promoted server's new timeline.
    ASSERT_TRUE(timeline.has_value());
    EXPECT_TRUE(test::waitUntil(
        [&] {
            const models::TopologyNode *nl = node(gui.scene(), newLeader);
            return nl && nl->timeline && *nl->timeline > *timeline;
        },
        30000))
        << "the new leader's timeline did not move past " << *timeline;
    bool announced = false;
    for (const auto &e : gui.window.watch(QStringLiteral("hokm-ha"))->topology()->events())
        announced = announced || e.text.contains(newLeader);
    EXPECT_TRUE(announced);
    EXPECT_TRUE(test::waitUntil(
        [&] {
            return gui.window.windowTitle().contains(QStringLiteral("leader %1").arg(newLeader));
        },
        5000));
    test::spin(3000);
    gui.window.overviewPage()->grab().save(artifact(QStringLiteral("gui-topology-failover.png")));
    gui.window.grab().save(artifact(QStringLiteral("gui-overview-after-failover.png")));

    // 4. Restore the sandbox for the next test.
    Sandbox::ensureHealthy();
}
