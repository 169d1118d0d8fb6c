#pragma once

#include "ui/operations/operationsactions.h"

class QAction;

namespace vigil::ui {

class MainWindow;

// Adds "Health report…" (Ctrl+Shift+R) to the File menu: a HealthReportDialog for the cluster
// shown, with its last snapshot and the last hour of its chart history (less when the window has
// watched it for less). Reads only, so read-only mode does not disable it.
QAction *installHealthReportAction(MainWindow *window, OperationsHooks hooks);

} // namespace vigil::ui
