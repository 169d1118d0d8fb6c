#include "ui/troubleshooting/troubleshootingviews.h"

#include "ui/operations/terminateidlewizard.h"
#include "ui/shell/menuorder.h"
#include "ui/troubleshooting/locktreeview.h"
#include "ui/troubleshooting/serverlogview.h"
#include "ui/troubleshooting/sessionsview.h"
#include "ui/troubleshooting/statementsview.h"
#include "ui/troubleshooting/tablestatsview.h"

#include <QAction>
#include <QDockWidget>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>

namespace vigil::ui {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilTroubleshooting)
};

QDockWidget *addDock(QMainWindow *window, QMenu *menu, QWidget *view, const QString &title,
                     const QString &objectName, const QKeySequence &shortcut, QDockWidget *tabWith)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(objectName); // saveState()/restoreState() key
    dock->setWidget(view);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (tabWith)
        window->tabifyDockWidget(tabWith, dock);
    dock->hide();
    QAction *toggle = dock->toggleViewAction();
    toggle->setShortcut(shortcut);
    toggle->setShortcutContext(Qt::ApplicationShortcut);
    menu->addAction(toggle);
    window->addAction(toggle); // shortcut works while the dock is hidden
    return dock;
}
} // namespace

void installTroubleshootingViews(QMainWindow *window, services::MemberSessionPool *context)
{
    QMenu *menu = new QMenu(Tr::tr("&Troubleshooting"), window);
    menu->setObjectName(QStringLiteral("troubleshootingMenu"));
    insertMenuInOrder(window->menuBar(), menu); // after Operations, before Help

    auto *sessions = addDock(window, menu, new SessionsView(context), Tr::tr("Sessions"),
                             QStringLiteral("sessionsDock"),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), nullptr);
    addDock(window, menu, new LockTreeView(context), Tr::tr("Locks and blockers"),
            QStringLiteral("lockTreeDock"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
            sessions);
    addDock(window, menu, new StatementsView(context), Tr::tr("Slow queries"),
            QStringLiteral("slowQueriesDock"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q),
            sessions);
    addDock(window, menu, new TableStatsView(context), Tr::tr("Database and table statistics"),
            QStringLiteral("tableStatsDock"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T),
            sessions);
    addDock(window, menu, new ServerLogView(context), Tr::tr("Server log"),
            QStringLiteral("serverLogDock"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
            sessions);

    menu->addSeparator();
    QAction *wizard = menu->addAction(Tr::tr("Terminate &idle sessions…"));
    wizard->setObjectName(QStringLiteral("terminateIdleAction"));
    wizard->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    QObject::connect(wizard, &QAction::triggered, window, [window, context] {
        auto *w = new TerminateIdleWizard(context, window);
        w->setAttribute(Qt::WA_DeleteOnClose);
        w->open();
    });
    auto updateEnabled = [wizard, context] {
        const bool readOnly = context->guard()->isReadOnly();
        wizard->setEnabled(!readOnly && !context->members().isEmpty());
        wizard->setToolTip(readOnly ? Tr::tr("Read-only mode.") : QString());
    };
    QObject::connect(context, &services::MemberSessionPool::membersChanged, wizard, updateEnabled);
    updateEnabled();
}

} // namespace vigil::ui
