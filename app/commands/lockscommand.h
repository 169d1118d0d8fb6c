#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil locks [--json] (--patroni URL [--member NAME] | --sql CONNINFO)`: the blocker tree, with
// the same query (resources/sql/locks_tree.sql) and model (LockTreeModel) as the GUI. The target
// options are TargetOptions (Use::Diagnostics), the connection connectTarget().
int runLocksCommand(const QStringList &arguments);

} // namespace vigil::app
