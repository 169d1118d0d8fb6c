#include "ui/security/securityactions.h"

#include "services/diagnostics/membersessionpool.h"
#include "ui/operations/configeditor.h"
#include "ui/security/accessview.h"
#include "ui/security/applicationrolewizard.h"
#include "ui/security/passwordrotationwizard.h"
#include "ui/shell/menuorder.h"

#include <QAction>
#include <QDockWidget>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace vigil::ui {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilSecurity)
};
} // namespace

void openHbaConfiguration(QWidget *parent, const OperationsHooks &hooks)
{
    const services::ClusterSnapshotPtr s = hooks.snapshot ? hooks.snapshot() : nullptr;
    if (!s || !s->dynamicConfig || !hooks.context) {
        QMessageBox::information(parent, Tr::tr("Dynamic configuration"),
                                 Tr::tr("The dynamic configuration has not been read yet; try "
                                        "again after the next refresh."));
        return;
    }
    auto *editor = new ConfigEditor(hooks.context(), *s->dynamicConfig, s->scope, parent);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->showTextTab(); // postgresql.pg_hba is a list: only the text tab shows it
    editor->open();
}

QMenu *installSecurityActions(QMainWindow *window, OperationsHooks hooks,
                              services::SecretStore *secrets)
{
    auto *menu = new QMenu(QObject::tr("&Security"), window);
    menu->setObjectName(QStringLiteral("securityMenu"));
    insertMenuInOrder(window->menuBar(), menu);
    QAction *rotate = menu->addAction(QObject::tr("&Rotate password…"));
    rotate->setObjectName(QStringLiteral("rotatePassword"));
    rotate->setShortcut(QKeySequence(QStringLiteral("Ctrl+Alt+W")));
    QObject::connect(rotate, &QAction::triggered, window, [window, hooks, secrets] {
        auto *wizard = new PasswordRotationWizard(hooks.context(), secrets, window);
        wizard->setAttribute(Qt::WA_DeleteOnClose);
        wizard->open();
    });
    QObject::connect(menu, &QMenu::aboutToShow, window, [hooks, rotate] {
        const services::OperationContext c = hooks.context();
        rotate->setEnabled(c.guard && !c.guard->isReadOnly() && c.profile.isValid());
    });
    return menu;
}

QMenu *installSecurityViews(QMainWindow *window, services::MemberSessionPool *context,
                            OperationsHooks hooks)
{
    QMenu *menu = window->findChild<QMenu *>(QStringLiteral("securityMenu"));
    if (!menu) {
        menu = new QMenu(Tr::tr("&Security"), window);
        menu->setObjectName(QStringLiteral("securityMenu"));
        insertMenuInOrder(window->menuBar(), menu);
    }
    menu->addSeparator();

    auto *view = new AccessView(context);
    view->setEditConfiguration([view, hooks] { openHbaConfiguration(view, hooks); });
    auto *dock = new QDockWidget(Tr::tr("Access rules and TLS"), window);
    dock->setObjectName(QStringLiteral("accessDock")); // saveState()/restoreState() key
    dock->setWidget(view);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
    QAction *toggle = dock->toggleViewAction();
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    toggle->setShortcutContext(Qt::ApplicationShortcut);
    menu->addAction(toggle);
    window->addAction(toggle); // shortcut works while the dock is hidden

    menu->addSeparator();
    QAction *wizard = menu->addAction(Tr::tr("Create application roCreate application &role…le…"));
    wizard->setObjectName(QStringLiteral("createApplicationRoleAction"));
    QObject::connect(wizard, &QAction::triggered, window, [window, context] {
        auto *w = new ApplicationRoleWizard(context, window);
        w->setAttribute(Qt::WA_DeleteOnClose);
        w->open();
    });
    // Read-only mode: disabled for convenience; the service refuses regardless.
    auto updateEnabled = [wizard, context] {
        const bool readOnly = context->guard()->isReadOnly();
        wizard->setEnabled(!readOnly && !context->leaderName().isEmpty());
        wizard->setToolTip(readOnly ? Tr::tr("Read-only mode.") : QString());
    };
    QObject::connect(context, &services::MemberSessionPool::membersChanged, wizard, updateEnabled);
    updateEnabled();
    return menu;
}

} // namespace vigil::ui
