#pragma once

#include "ui/operations/operationsactions.h"

class QMainWindow;
class QMenu;

namespace vigil::services {
class MemberSessionPool;
}

namespace vigil::ui {

class AccessView;

// Adds a "Security" menu (after Troubleshooting, before Help, see insertMenuInOrder) to
// `window`:
//   Access rules and TLS   Ctrl+Shift+A (a dock with AccessView, hidden until opened)
//   Create application role…  (the role wizard; disabled in read-only mode)
// The access view's "Edit in configuration…" opens the dynamic-configuration editor of the
// Operations menu (hooks: the context and the latest snapshot, asked when clicked) on its text
// tab, where postgresql.pg_hba lives. `context` (members and sessions) is owned by the window.
// Returns the menu.
QMenu *installSecurityActions(QMainWindow *window, services::MemberSessionPool *context,
                              OperationsHooks hooks);

// Opens the configuration editor on the current dynamic configuration (text tab), or says why
// it cannot (not read yet).
void openHbaConfiguration(QWidget *parent, const OperationsHooks &hooks);

} // namespace vigil::ui
