// Every keyboard shortcut of the fully composed main window (overview, troubleshooting docks,
// operations menu) is unique: when two actions share one, Qt fires neither. The composed menu bar
// keeps Help last.
#include "app/gui/compositionroot.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/qtprinters.h"
#include "ui/shell/mainwindow.h"

#include <QAction>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
// The window as the application composes it, with one cluster open (nothing listens there), so
// that the operations and troubleshooting actions are installed.
struct Composed
{
    Composed()
    {
        services::ClusterProfile profile;
        profile.name = QStringLiteral("nowhere");
        profile.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
        session.openProfile(profile);
    }
    QTemporaryDir dir;
    ui::MainWindow window{ui::MainWindow::Options{}};
    services::MemorySecretStore secrets;
    services::ProfileStore profiles{dir.filePath(QStringLiteral("vigil.ini")), nullptr};
    app::CompositionRoot session{&window, &secrets, &profiles};
};
} // namespace

TEST(Shortcuts, EveryShortcutOfTheComposedWindowIsUnique)
{
    Composed c;
    ui::MainWindow &window = c.window;

    QMap<QString, QStringList> byShortcut;
    const auto actions = window.findChildren<QAction *>();
    ASSERT_GT(actions.size(), 10);
    int withShortcut = 0;
    for (QAction *a : actions) {
        for (const QKeySequence &k : a->shortcuts()) {
            if (k.isEmpty())
                continue;
            ++withShortcut;
            byShortcut[k.toString()] << a->text();
        }
    }
    EXPECT_GT(withShortcut, 15) << "the operations and troubleshooting actions were not installed";
    for (auto it = byShortcut.cbegin(); it != byShortcut.cend(); ++it)
        EXPECT_EQ(it.value().size(), 1)
            << it.key().toStdString()
            << " is used by: " << it.value().join(QStringLiteral(", ")).toStdString();
}

// Help → Keyboard shortcuts is read from the menus; every shortcut of the composed window must be
// reachable there (an action with a shortcut but in no menu is a shortcut nobody can discover).
TEST(Shortcuts, HelpListsEveryShortcutOfTheComposedWindow)
{
    Composed c;
    ui::MainWindow &window = c.window;

    QStringList listed;
    for (const auto &[keys, what] : window.shortcutList()) {
        listed << keys;
        EXPECT_FALSE(what.contains(QLatin1Char('&'))) << what.toStdString();
    }
    EXPECT_TRUE(
        listed.contains(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
    for (QAction *a : window.findChildren<QAction *>()) {
        // Widget-local shortcuts (Copy on a table) live in that widget's context menu.
        if (a->shortcut().isEmpty() || a->shortcutContext() == Qt::WidgetShortcut)
            continue;
        EXPECT_TRUE(listed.contains(a->shortcut().toString(QKeySequence::NativeText)))
            << a->text().toStdString() << " (" << a->shortcut().toString().toStdString()
            << ") is not in the help";
    }
}

// The operations menu is installed with the window, the troubleshooting menu with the first
// cluster opened; both go between View and Help.
TEST(Menus, TheComposedMenuBarEndsWithHelp)
{
    Composed c;
    QStringList names, titles;
    for (QAction *a : c.window.menuBar()->actions()) {
        ASSERT_TRUE(a->menu()) << a->text().toStdString();
        names << a->menu()->objectName();
        titles << QString(a->text()).remove(QLatin1Char('&'));
    }
    EXPECT_EQ(names,
              (QStringList{QStringLiteral("fileMenu"), QStringLiteral("viewMenu"),
                           QStringLiteral("operationsMenu"), QStringLiteral("securityMenu"),
                           QStringLiteral("troubleshootingMenu"), QStringLiteral("helpMenu")}));
    EXPECT_EQ(titles, (QStringList{QStringLiteral("File"), QStringLiteral("View"),
                                   QStringLiteral("Operations"), QStringLiteral("Security"),
                                   QStringLiteral("Troubleshooting"), QStringLiteral("Help")}));
}
