#include "ui/maintenance/checklistactions.h"

#include "ui/maintenance/checklistdialog.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>

namespace vigil::ui {

namespace {

// The server-log dock of the troubleshooting views (ui/troubleshooting), shown and raised.
void openServerLog(QMainWindow *window)
{
    if (auto *dock = window->findChild<QDockWidget *>(QStringLiteral("serverLogDock"))) {
        dock->show();
        dock->raise();
    }
}

} // namespace

QAction *installChecklistAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks)
{
    QAction *a = menu->addAction(QObject::tr("Maintenance &checklists…"));
    a->setObjectName(QStringLiteral("checklistsAction"));
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_M));
    a->setStatusTip(QObject::tr("The ops manual's daily, weekly, monthly and quarterly tasks of "
                                "this cluster: run the checks, tick the rest."));
    QObject::connect(a, &QAction::triggered, window, [window, hooks] {
        const services::OperationContext ctx = hooks.context();
        if (ctx.profile.name.isEmpty()) {
            QMessageBox::information(window, QObject::tr("Maintenance checklists"),
                                     QObject::tr("No cluster is open. Add one with File → Add "
                                                 "cluster (Ctrl+N)."));
            return;
        }
        auto input = [hooks, ctx] {
            services::ChecklistCheckInput in;
            in.snapshot = hooks.snapshot ? hooks.snapshot() : nullptr;
            in.thresholds = ctx.profile.thresholds;
            in.audit = ctx.audit ? ctx.audit->readAll() : services::AuditLog().readAll();
            in.clusterNames = {ctx.profile.name};
            if (in.snapshot && !in.snapshot->scope.isEmpty())
                in.clusterNames << in.snapshot->scope;
            return in;
        };
        auto *dialog =
            new ChecklistDialog(services::ChecklistStore(ctx.profile.name), input, window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        if (window->findChild<QDockWidget *>(QStringLiteral("serverLogDock")))
            dialog->setOpenServerLog([window] { openServerLog(window); });
        dialog->open();
    });
    return a;
}

} // namespace vigil::ui
