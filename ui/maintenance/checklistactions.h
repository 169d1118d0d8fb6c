#pragma once

#include "ui/operations/operationsactions.h"

class QAction;
class QMainWindow;
class QMenu;

namespace vigil::ui {

// Adds "Maintenance checklists…" (Ctrl+Alt+M) to `menu`: opens the ChecklistDialog of the
// cluster shown in the window (its profile name names the history file), whose checks read the
// window's last snapshot of it, the profile's thresholds and the audit log. Writes only the
// local history, so read-only mode does not disable it.
QAction *installChecklistAction(QMainWindow *window, QMenu *menu, OperationsHooks hooks);

} // namespace vigil::ui
