#include "ui/backup/backupactions.h"

#include "ui/backup/backupdialog.h"
#include "ui/backup/restoretestwizard.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>

namespace vigil::ui {

QAction *installBackupAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks)
{
    QAction *a = menu->addAction(QObject::tr("Full &backup…"));
    a->setObjectName(QStringLiteral("fullBackupAction"));
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_B));
    a->setStatusTip(QObject::tr("Dump one database with pg_dump -Fc, from a replica by default."));
    QObject::connect(a, &QAction::triggered, window, [window, hooks] {
        const services::ClusterSnapshotPtr s = hooks.snapshot ? hooks.snapshot() : nullptr;
        if (!s || s->members.isEmpty()) {
            QMessageBox::information(window, QObject::tr("Full backup"),
                                     QObject::tr("The cluster has not been read yet."));
            return;
        }
        auto *dialog = new BackupDialog(hooks.context(), s, window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    return a;
}

void openRestoreTestWizard(QWidget *parent, const services::OperationContext &ctx,
                           const services::ClusterSnapshotPtr &snapshot, const QString &database,
                           const QString &member)
{
    auto *wizard = new RestoreTestWizard(ctx, snapshot, parent);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    if (!database.isEmpty())
        wizard->setDatabase(database);
    if (!member.isEmpty())
        wizard->setMember(member);
    wizard->open();
}

QAction *installRestoreTestAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks)
{
    QAction *a = menu->addAction(QObject::tr("Restore &test…"));
    a->setObjectName(QStringLiteral("restoreTestAction"));
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T));
    a->setStatusTip(QObject::tr("Prove that a dump restores: dump at a snapshot, restore into a "
                                "scratch copy, compare every table."));
    QObject::connect(a, &QAction::triggered, window, [window, hooks] {
        const services::ClusterSnapshotPtr s = hooks.snapshot ? hooks.snapshot() : nullptr;
        if (!s || s->members.isEmpty()) {
            QMessageBox::information(window, QObject::tr("Restore test"),
                                     QObject::tr("The cluster has not been read yet."));
            return;
        }
        openRestoreTestWizard(window, hooks.context(), s);
    });
    return a;
}

} // namespace vigil::ui
