#pragma once

#include "services/monitor/clustersnapshot.h"
#include "services/operations/operationcontext.h"
#include "ui/operations/operationsactions.h"

class QAction;
class QMainWindow;
class QMenu;
class QWidget;

namespace vigil::ui {

// Adds "Full backup…" (Ctrl+Alt+B) to `menu` (the Operations menu): opens a BackupDialog for
// the cluster shown in the window, window-modally (open()). A backup writes only a local file,
// so read-only mode does not disable it (it reads, like the troubleshooting views).
QAction *installBackupAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks);

// Adds "Restore test…" (Ctrl+Alt+T) to `menu`: opens a RestoreTestWizard for the cluster shown,
// window-modally. Like a backup it reads the cluster (the scratch copy is its own), so
// read-only mode does not disable it.
QAction *installRestoreTestAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks);

// Opens the restore-test wizard over `parent` (the backup dialog's "Restore test…" too).
void openRestoreTestWizard(QWidget *parent, const services::OperationContext &ctx,
                           const services::ClusterSnapshotPtr &snapshot,
                           const QString &database = {}, const QString &member = {});

} // namespace vigil::ui
