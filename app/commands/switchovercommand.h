#pragma once

#include "services/operations/operationcontext.h"
#include "services/operations/preflight.h"
#include "services/operations/switchoverreport.h"

#include <QStringList>
#include <functional>
#include <optional>

namespace vigil::app {

class OperationCommandOptions;

// `vigil switchover [--candidate NAME] [--at TIME] [--pause-clients] [--confirm CLUSTER]`:
// the switchover wizard's code without the wizard. Runs the same pre-flight (PreflightGatherer
// + switchoverPreflight), prints it, asks for the cluster name (or takes --confirm), executes
// with SwitchoverRunner printing each step with its elapsed time, and prints the verified report
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
    static int exitCode(const services::SwitchoverReport &report);
    // "--at" accepts ISO 8601 with an offset ("2026-11-27T03:00:00+01:00"), or "+MINUTES".
    static QDateTime parseAt(const QString &text, const QDateTime &now);

    // What the command line asked of runPlan().
    struct PlanRun
    {
        bool dryRun = false;      // stop after the pre-flight
        bool markdown = false;    // print the final report as markdown
        bool printStarts = false; // print each step as it starts too, not only as it ends
    };
    // Makes the plan from the gathered pre-flight input and prints its pre-flight; nullopt when
    // the command line makes no plan (the reason printed).
    using PlanMaker =
        std::function<std::optional<services::SwitchoverPlan>(const services::PreflightInput &)>;
    // The part `vigil switchover` and `vigil failover` share once their arguments are read:
    // gathers the pre-flight input (asking common's further --patroni URLs when the first is
    // down), lets makePlan() make the plan (none: exit code 3), stops there with --dry-run (2 when
    // a check is red, else 0), else prints the summary, asks for the cluster name unless a red
    // check refuses it anyway, runs the plan printing its steps and the final report, and ends
    // with exitCode(report). Returns the event loop's exit code.
    static int runPlan(const services::OperationContext &ctx, const OperationCommandOptions &common,
                       const PlanRun &how, const PlanMaker &makePlan);
};

} // namespace vigil::app
