#pragma once

#include <QStringList>

namespace vigil::app {

// `vigil checklist [--profile P | --patroni URL ...] [--run] [--tick ITEM --comment TEXT]
// [--json]`: the cluster's maintenance checklist (services/maintenance, the history the window
// keeps too, named after the profile): every task of the ops manual's schedule with its due
// state and last result. --run reads the cluster once (ClusterMonitor, as `vigil status`) and
// runs the automatic checks on that snapshot and the audit log, appending their results;
// --tick records a hand tick (the task's id or title) with the comment and the OS user.
// A table (TextTable) by default, one JSON object with --json.
// Exit 0; 1 when a check run by --run failed or could not look; 2 for unusable options.
int runChecklistCommand(const QStringList &arguments);

} // namespace vigil::app
