#pragma once

#include "ui/operations/operationsactions.h"

class QMainWindow;
class QMenu;

namespace vigil::services {
class SecretStore;
}

namespace vigil::ui {

// Adds the "Security" menu (after Operations, see insertMenuInOrder):
//   Rotate password…  Ctrl+Alt+W
// The wizard acts on the cluster shown when it is triggered (hooks.context()); the profile's
// keychain entry is updated through `secrets` when the rotated role is the profile's own.
// Disabled in read-only mode (a convenience only; the services refuse regardless).
QMenu *installSecurityActions(QMainWindow *window, OperationsHooks hooks,
                              services::SecretStore *secrets);

} // namespace vigil::ui
