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

// Adds an "Operations" menu (between View and Troubleshooting, see insertMenuInOrder) and its
// toolbar to `window`, with shortcuts:
//   Planned switchover…  Ctrl+Alt+S        Emergency failover…  Ctrl+Alt+F
//   Restart member…      Ctrl+Alt+R        Reload member…       (no shortcut)
//   Reinitialize replica…                  Pause / resume cluster…  Ctrl+Alt+P
//   Cancel scheduled switchover…           Edit dynamic configuration…  Ctrl+Alt+E
//   Slow-query logging…  (no shortcut)
//   Audit log…           Ctrl+Alt+L
// Each opens its wizard/dialog window-modally (open(), no nested event loop). In read-only mode
// (the guard) the destructive actions are disabled — a convenience only; the services refuse
// them anyway. Returns the menu.
QMenu *installOperationsActions(QMainWindow *window, OperationsHooks hooks);

} // namespace vigil::ui
