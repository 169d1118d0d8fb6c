#pragma once

#include "services/operationreport.h"
#include "services/preflight.h"

#include <QStringList>

namespace vigil::app {

// `vigil switchover [--candidate NAME] [--at TIME] [--pause-clients] [--confirm CLUSTER]`:
// the switchover wizard's code without the wizard. Runs the same pre-flight (PreflightGatherer
// + switchoverPreflight), prints it, asks for the cluster name (or takes --confirm), executes
// with OperationRunner printing each step with its elapsed time, and prints the verified report
// (--markdown: as markdown). `--cancel` cancels a scheduled switchover; `--dry-run` stops after
// the pre-flight.
//
// Exit codes: 0 done and verified (or scheduled/cancelled), 1 it did not go as planned (failed,
// or happened but not everything verified), 2 refused (red pre-flight, read-only mode, wrong
// confirmation, Patroni's refusal), 3 bad arguments.
class SwitchoverCommand
{
public:
    static int run(const QStringList &arguments);
    static int exitCode(const services::OperationReport &report);
    // "--at" accepts ISO 8601 with an offset ("2026-11-27T03:00:00+01:00"), or "+MINUTES".
    static QDateTime parseAt(const QString &text, const QDateTime &now);
};

} // namespace vigil::app
