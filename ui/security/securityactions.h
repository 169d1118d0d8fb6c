#pragma once

#include "ui/operations/operationsactions.h"

class QMainWindow;
class QMenu;
class QWidget;

namespace vigil::services {
class MemberSessionPool;
class SecretStore;
} // namespace vigil::services

namespace vigil::ui {

// Adds the "Security" menu (after Operations, see insertMenuInOrder):
//   Rotate password…  Ctrl+Alt+W
// The wizard acts on the cluster shown when it is triggered (hooks.context()); the profile's
// keychain entry is updated through `secrets` when the rotated role is the profile's own.
// Disabled in read-only mode (a convenience only; the services refuse regardless).
QMenu *installSecurityActions(QMainWindow *window, OperationsHooks hooks,
                              services::SecretStore *secrets);

// Adds to the Security menu (created when it is not there yet) what needs the cluster's members
// and sessions, installed with the first cluster opened (as the troubleshooting views):
//   Access rules and TLS   Ctrl+Shift+A (a dock with AccessView, hidden until opened)
//   Create application role…  (the role wizard; disabled in read-only mode)
// The access view's "Edit in configuration…" opens the dynamic-configuration editor of the
// Operations menu (hooks: the context and the latest snapshot, asked when clicked) on its text
// tab, where postgresql.pg_hba lives. `context` (members and sessions) is owned by the window.
// Returns the menu.
QMenu *installSecurityViews(QMainWindow *window, services::MemberSessionPool *context,
                            OperationsHooks hooks);

// Opens the configuration editor on the current dynamic configuration (text tab), or says why
// it cannot (not read yet).
void openHbaConfiguration(QWidget *parent, const OperationsHooks &hooks);

} // namespace vigil::ui
