#pragma once

#include "services/monitor/clustersnapshot.h"
#include "services/operations/operationcontext.h"

#include <functional>

class QMainWindow;
class QMenu;

namespace vigil::ui {

// What the operations actions need from the main window, asked at the moment an action is
// triggered (the profile may have changed, the snapshot is the latest the monitor emitted).
struct OperationsHooks
{
    std::function<services::OperationContext()> context;
    std::function<services::ClusterSnapshotPtr()> snapshot;
    // Optional: the member selected in the overview (pre-selected in member dialogs).
    std::function<QString()> selectedMember;
};

// Adds an "Operations" menu (and its toolbar) to `window` with shortcuts:
//   Planned switchover…  Ctrl+Shift+S      Emergency failover…  Ctrl+Shift+F
//   Restart member…      Ctrl+Shift+R      Reload member…       (no shortcut)
//   Reinitialize replica…                  Pause / Resume cluster  Ctrl+Shift+P
//   Edit dynamic configuration…  Ctrl+Shift+E   Cancel scheduled switchover
//   Audit log…           Ctrl+Shift+L
// Each opens its wizard/dialog window-modally (open(), no nested event loop). In read-only mode
// (the guard) the destructive actions are disabled — a convenience only; the services refuse
// them anyway. Returns the menu.
QMenu *installOperationsActions(QMainWindow *window, OperationsHooks hooks);

} // namespace vigil::ui
