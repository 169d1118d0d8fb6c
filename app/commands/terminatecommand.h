#pragma once

#include "services/diagnostics/sessionsservice.h"

#include <QSet>
#include <QString>
#include <QStringList>

namespace vigil::app {

// `vigil terminate --idle-longer-than 10m [--idle-in-transaction-longer-than 5m]
//  [--application PATTERN] [--user U] [--database D] [--member NAME] [--pid PID ...]
//  [--confirm CLUSTER]`: the terminate-idle wizard's code without the wizard. Reads
// pg_stat_activity on one member (the leader unless --member), makes the same exact preview
// (SessionsService::planIdleTermination: Vigil's, Patroni's, replication and background sessions
// left alone, each with the reason) and prints it. Without --confirm that is all (a dry run).
// With --confirm CLUSTER it ends exactly the previewed sessions, by (pid, backend_start) and
// required state in one statement that re-checks them on the server (SessionsService::signal,
// which asks the read-only guard and writes the audit entry), and prints per session what
// happened. --pid narrows the preview to sessions seen in an earlier dry run.
//
// Exit codes as the other operation commands: 0 previewed, or every previewed session ended
// (or none matched); 1 some were left alone at the moment of terminating (they became active,
// ended, or their PID was reused) or the server failed; 2 refused (wrong confirmation,
// read-only mode); 3 bad arguments or no connection.
class TerminateCommand
{
public:
    static int run(const QStringList &arguments);

    // The preview as printed: a headline, the sessions to end (PID, backend start, application,
    // user, database, client, state, for how long, last query) and those left alone with why.
    static QString preview(const services::IdlePlan &plan, const QString &member,
                           const QString &cluster);
    // Keeps only the sessions whose PID is in `pids` (none: all), in plan and rows alike.
    static services::IdlePlan narrowed(const services::IdlePlan &plan, const QSet<int> &pids);
    // Per session what the server did, and a closing sentence.
    static QString report(const QList<services::SignalOutcome> &outcomes);
    static int exitCode(const QList<services::SignalOutcome> &outcomes);
};

} // namespace vigil::app
