#pragma once

#include "ui/operations/operationsactions.h"

class QAction;
class QMainWindow;
class QMenu;

namespace vigil::ui {

// Adds "Full backup…" (Ctrl+Alt+B) to `menu` (the Operations menu): opens a BackupDialog for
// the cluster shown in the window, window-modally (open()). A backup writes only a local file,
// so read-only mode does not disable it (it reads, like the troubleshooting views).
QAction *installBackupAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks);

} // namespace vigil::ui
