#include "ui/security/securityactions.h"

#include "ui/security/passwordrotationwizard.h"
#include "ui/shell/menuorder.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace vigil::ui {

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

} // namespace vigil::ui
