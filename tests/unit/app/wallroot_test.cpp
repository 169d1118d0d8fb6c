// `vigil --wall` is read-only by construction: its composition creates no operation, wizard,
// troubleshooting or audit object, and no menu, action, shortcut, context menu or double click of
// the wall reaches one or opens a dialog; its guard refuses every action.
#include "app/gui/guilaunch.h"
#include "app/gui/wallroot.h"
#include "services/core/readonlyguard.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "ui/wall/walltile.h"
#include "ui/wall/wallview.h"
#include "ui/wall/wallzoomview.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QShortcut>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <gtest/gtest.h>

using namespace vigil;

namespace {

// A wall with its own profile store and no cluster yet.
struct BareWall
{
    QTemporaryDir dir;
    ui::WallView view;
    services::MemorySecretStore secrets;
    services::ProfileStore profiles{dir.filePath(QStringLiteral("vigil.ini")), nullptr};
    app::WallRoot wall{&view, &secrets, &profiles};
};

// The wall as `vigil --wall --profile a --profile b` composes it: two saved profiles (nothing
// listens at their addresses), a third cluster opened by URL.
struct ComposedWall : BareWall
{
    ComposedWall()
    {
        for (const char *name : {"alpha", "beta"}) {
            services::ClusterProfile p;
            p.name = QString::fromLatin1(name);
            p.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
            profiles.save(p);
        }
        const app::GuiLaunch launch = app::parseGuiArguments(
            {QStringLiteral("vigil"), QStringLiteral("--wall"), QStringLiteral("--windowed"),
             QStringLiteral("--profile"), QStringLiteral("alpha"), QStringLiteral("--profile"),
             QStringLiteral("beta"), QStringLiteral("--patroni"),
             QStringLiteral("http://127.0.0.1:2")});
        EXPECT_TRUE(launch.error.isEmpty()) << launch.error.toStdString();
        EXPECT_TRUE(launch.wall);
        app::openWall(wall, launch);
        // The saved profiles' monitors start once their passwords are read (asynchronously).
        EXPECT_TRUE(test::waitUntil([this] { return wall.clusters().size() == 3; }, 10000));
        view.resize(1280, 720);
        view.show();
        QApplication::processEvents();
    }
};

// Class names of what acts on a cluster; none may exist anywhere in the wall process.
bool actsOnClusters(const QObject *o)
{
    static const QStringList forbidden = {
        QStringLiteral("Operation"),       QStringLiteral("Wizard"),
        QStringLiteral("Terminate"),       QStringLiteral("Rotation"),
        QStringLiteral("ConfigEditor"),    QStringLiteral("MemberSessionPool"),
        QStringLiteral("Troubleshooting"), QStringLiteral("AuditLog"),
        QStringLiteral("MainWindow"),      QStringLiteral("SlowQueryLogging"),
        QStringLiteral("MemberAction")};
    for (const QMetaObject *m = o->metaObject(); m; m = m->superClass()) {
        const QString name = QString::fromLatin1(m->className());
        for (const QString &f : forbidden)
            if (name.contains(f))
                return true;
    }
    return false;
}

// Every object of the process reachable from the wall, its composition and the top-level widgets.
QList<QObject *> everything(ComposedWall &c)
{
    QList<QObject *> all = {&c.view, &c.wall};
    all += c.view.findChildren<QObject *>();
    all += c.wall.findChildren<QObject *>();
    for (QWidget *w : QApplication::topLevelWidgets())
        all += w->findChildren<QObject *>() << w;
    return all;
}

void expectNothingOpened(ComposedWall &c, const std::string &after)
{
    QApplication::processEvents();
    for (QWidget *w : QApplication::topLevelWidgets()) {
        EXPECT_FALSE(qobject_cast<QDialog *>(w) && w->isVisible())
            << after << ": a dialog " << w->metaObject()->className();
        EXPECT_FALSE(qobject_cast<QMenu *>(w) && w->isVisible()) << after << ": a menu";
    }
    for (QObject *o : everything(c))
        EXPECT_FALSE(actsOnClusters(o)) << after << ": " << o->metaObject()->className();
}

} // namespace

TEST(WallRoot, TheCompositionHasNoActionMenuOrShortcut)
{
    ComposedWall c;
    EXPECT_EQ(c.view.clusters().size(), 3);
    EXPECT_EQ(c.wall.clusters().size(), 3);
    EXPECT_TRUE(c.wall.guard().isReadOnly());
    EXPECT_EQ(c.wall.guard().check(QStringLiteral("switchover")).kind,
              services::ServiceError::Kind::Refused);
    const QList<QObject *> all = everything(c);
    EXPECT_GT(all.size(), 10);
    for (QObject *o : all) {
        EXPECT_EQ(qobject_cast<QAction *>(o), nullptr)
            << "an action: " << o->objectName().toStdString();
        EXPECT_EQ(qobject_cast<QMenu *>(o), nullptr) << "a menu";
        EXPECT_EQ(qobject_cast<QShortcut *>(o), nullptr) << "a shortcut";
        EXPECT_FALSE(actsOnClusters(o)) << o->metaObject()->className();
    }
    for (QWidget *w : c.view.findChildren<QWidget *>())
        EXPECT_TRUE(w->actions().isEmpty()) << w->metaObject()->className();
    // Every monitor watches read-only, whatever its saved profile said.
    for (const QString &name : c.wall.clusters())
        EXPECT_TRUE(c.wall.monitor(name)->profile().readOnly) << name.toStdString();
}

TEST(WallRoot, NoShortcutOfTheNormalWindowDoesAnything)
{
    ComposedWall c;
    // Every shortcut the main window, the operations, security and troubleshooting menus use
    // (grep QKeySequence ui/), sent to the wall, to a tile and to the zoomed view.
    const QList<QKeySequence> keys = {QKeySequence::New,
                                      QKeySequence(QStringLiteral("Ctrl+Shift+E")),
                                      QKeySequence(QStringLiteral("Ctrl+E")),
                                      QKeySequence(QStringLiteral("Ctrl+1")),
                                      QKeySequence(QStringLiteral("Ctrl+2")),
                                      QKeySequence(QStringLiteral("Ctrl+3")),
                                      QKeySequence(QStringLiteral("Ctrl+4")),
                                      QKeySequence(QStringLiteral("Ctrl+5")),
                                      QKeySequence(QStringLiteral("Ctrl+6")),
                                      QKeySequence(QStringLiteral("Ctrl+7")),
                                      QKeySequence(QStringLiteral("Alt+1")),
                                      QKeySequence(QStringLiteral("Alt+2")),
                                      QKeySequence(QStringLiteral("Ctrl+P")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+W")),
                                      QKeySequence::FullScreen,
                                      QKeySequence::HelpContents,
                                      QKeySequence(QStringLiteral("Ctrl+Alt+S")),
                                      QKeySequence(QStringLiteral("Ctrl+Alt+F")),
                                      QKeySequence(QStringLiteral("Ctrl+Alt+R")),
                                      QKeySequence(QStringLiteral("Ctrl+Alt+P")),
                                      QKeySequence(QStringLiteral("Ctrl+Alt+E")),
                                      QKeySequence(QStringLiteral("Ctrl+Alt+L")),
                                      QKeySequence(QStringLiteral("Ctrl+Alt+W")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+A")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+S")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+L")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+Q")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+T")),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+K")),
                                      QKeySequence::Copy,
                                      QKeySequence(QStringLiteral("Delete")),
                                      QKeySequence(QStringLiteral("Menu")),
                                      QKeySequence(QStringLiteral("Shift+F10"))};
    ui::WallTile *tile = c.view.tile(QStringLiteral("alpha"));
    ASSERT_NE(tile, nullptr);
    for (int pass = 0; pass < 3; ++pass) {
        QWidget *target = pass == 0 ? static_cast<QWidget *>(&c.view) : tile;
        if (pass == 2) {
            c.view.zoomTo(QStringLiteral("beta"));
            target = c.view.focusWidget() ? c.view.focusWidget() : &c.view;
        }
        for (const QKeySequence &k : keys) {
            QTest::keySequence(target, k);
            expectNothingOpened(c, "after " + k.toString().toStdString());
        }
    }
    QTest::keyClick(&c.view, Qt::Key_Escape);
    EXPECT_TRUE(c.view.zoomedCluster().isEmpty());
}

TEST(WallRoot, RightClicksAndDoubleClicksOnTilesOpenNothing)
{
    ComposedWall c;
    for (const QString &name : c.view.clusters()) {
        ui::WallTile *tile = c.view.tile(name);
        QTest::mouseClick(tile, Qt::RightButton);
        expectNothingOpened(c, "right click on " + name.toStdString());
        // A context-menu request as the platform sends it (menu key / right click).
        QContextMenuEvent menu(QContextMenuEvent::Mouse, tile->rect().center(),
                               tile->mapToGlobal(tile->rect().center()));
        QApplication::sendEvent(tile, &menu);
        expectNothingOpened(c, "context menu on " + name.toStdString());
        EXPECT_TRUE(c.view.zoomedCluster().isEmpty());
        QTest::mouseDClick(tile, Qt::LeftButton);
        expectNothingOpened(c, "double click on " + name.toStdString());
        EXPECT_EQ(c.view.zoomedCluster(), name); // a zoom, nothing else
        // In the zoomed view too: right clicks and double clicks everywhere.
        for (QWidget *w : c.view.zoomView()->findChildren<QWidget *>()) {
            if (!w->isVisible())
                continue;
            QTest::mouseClick(w, Qt::RightButton, {}, w->rect().center());
            QTest::mouseDClick(w, Qt::LeftButton, {}, w->rect().center());
            expectNothingOpened(c, "clicks on the zoomed " +
                                       std::string(w->metaObject()->className()));
        }
        QTest::keyClick(&c.view, Qt::Key_Escape);
        EXPECT_TRUE(c.view.zoomedCluster().isEmpty());
    }
}

TEST(WallRoot, AMissingProfileIsSaidOnTheWall)
{
    BareWall w;
    EXPECT_FALSE(w.wall.openSavedProfile(QStringLiteral("nope")));
    auto *problem = w.view.findChild<QLabel *>(QStringLiteral("wallProblem"));
    ASSERT_NE(problem, nullptr);
    EXPECT_TRUE(problem->text().contains(QStringLiteral("nope")));
}

TEST(GuiLaunch, WallOptions)
{
    app::GuiLaunch l = app::parseGuiArguments(
        {QStringLiteral("vigil"), QStringLiteral("--wall"), QStringLiteral("--all-profiles")});
    EXPECT_TRUE(l.error.isEmpty());
    EXPECT_TRUE(l.wall);
    EXPECT_TRUE(l.allProfiles);
    EXPECT_FALSE(l.windowed);
    l = app::parseGuiArguments({QStringLiteral("vigil"), QStringLiteral("--all-profiles")});
    EXPECT_FALSE(l.error.isEmpty());
    l = app::parseGuiArguments({QStringLiteral("vigil"), QStringLiteral("--wall"),
                                QStringLiteral("--all-profiles"), QStringLiteral("--profile"),
                                QStringLiteral("a")});
    EXPECT_FALSE(l.error.isEmpty());
    l = app::parseGuiArguments({QStringLiteral("vigil"), QStringLiteral("--profile"),
                                QStringLiteral("a"), QStringLiteral("--profile"),
                                QStringLiteral("b")});
    EXPECT_FALSE(l.error.isEmpty()); // the window opens one
    l = app::parseGuiArguments({QStringLiteral("vigil"), QStringLiteral("--wall"),
                                QStringLiteral("--patroni"), QStringLiteral("http://h:8008")});
    ASSERT_TRUE(l.profile);
    EXPECT_TRUE(l.profile->readOnly);
}

// Clusters opened together start their monitors apart, so that their cycles (and the fresh
// connections of their periodic probes) do not fall into the same pass of the event loop. Nothing
// listens at the addresses: each monitor's first snapshot comes right after its start.
TEST(WallRoot, MonitorsOpenedTogetherStartApart)
{
    BareWall w;
    QElapsedTimer clock;
    clock.start();
    QMap<QString, qint64> firstAt;
    for (int i = 0; i < 3; ++i) {
        services::ClusterProfile p;
        p.name = QStringLiteral("c%1").arg(i);
        p.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
        p.stateIntervalMs = 1000;
        w.wall.openProfile(p, {});
        QObject::connect(w.wall.monitor(p.name), &services::ClusterMonitor::snapshotReady, &w.wall,
                         [&firstAt, &clock, name = p.name] {
                             if (!firstAt.contains(name))
                                 firstAt.insert(name, clock.elapsed());
                         });
    }
    ASSERT_TRUE(test::waitUntil([&] { return firstAt.size() == 3; }, 10000));
    // 97 ms apart: the third monitor starts 194 ms after the wall opened it, so its first snapshot
    // cannot come sooner (together, all three answer within a few ms of opening: the port is
    // refused at once). The first one starts at once.
    EXPECT_GE(firstAt.value(QStringLiteral("c2")), 190) << firstAt.value(QStringLiteral("c2"));
    EXPECT_GE(firstAt.value(QStringLiteral("c1")), 95) << firstAt.value(QStringLiteral("c1"));
    EXPECT_LT(firstAt.value(QStringLiteral("c0")), firstAt.value(QStringLiteral("c2")));
}
