// The table of headless commands. Each command lives in its own file pair in app/.
#include "app/application.h"
#include "app/statuscommand.h"
#include "app/lockscommand.h"
#include "app/sessionscommand.h"
#include "app/switchovercommand.h"
#include "app/failovercommand.h"
#include "app/memberactioncommands.h"

#include <QList>

namespace vigil::app {

const QList<HeadlessCommand> &headlessCommands()
{
    static const QList<HeadlessCommand> commands = {
        {"status",
         QT_TRANSLATE_NOOP("VigilApp", "Show the cluster's state once, or with --watch until "
                                       "Ctrl-C; exit code as Nagios."),
         &StatusCommand::run},
        {"locks", QT_TRANSLATE_NOOP("VigilApp", "Print the lock blocker tree (--json for JSON)."),
         &runLocksCommand},
        {"sessions", QT_TRANSLATE_NOOP("VigilApp", "List sessions, filtered (--state, --min-duration, ...)."),
         &runSessionsCommand},
        {"switchover", QT_TRANSLATE_NOOP("VigilApp", "Planned switchover: pre-flight, typed confirmation, progress, verified report."),
         &SwitchoverCommand::run},
        {"failover", QT_TRANSLATE_NOOP("VigilApp", "Emergency failover to a replica when there is no healthy leader."),
         &FailoverCommand::run},
        {"restart", QT_TRANSLATE_NOOP("VigilApp", "Restart a member through Patroni (now, scheduled, or only if pending)."),
         &MemberActionCommands::restart},
        {"reload", QT_TRANSLATE_NOOP("VigilApp", "Reload a member's configuration through Patroni."),
         &MemberActionCommands::reload},
        {"reinit", QT_TRANSLATE_NOOP("VigilApp", "Reinitialize a replica (wipes its data directory)."),
         &MemberActionCommands::reinit},
        {"pause", QT_TRANSLATE_NOOP("VigilApp", "Put the cluster into maintenance mode (no automatic failover)."),
         &MemberActionCommands::pause},
        {"resume", QT_TRANSLATE_NOOP("VigilApp", "Take the cluster out of maintenance mode."),
         &MemberActionCommands::resume},
    };
    return commands;
}

} // namespace vigil::app
