// The table of headless commands. Each command lives in its own file pair in app/.
#include "app/application.h"
#include "app/lockscommand.h"
#include "app/sessionscommand.h"
#include "app/statuscommand.h"

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
    };
    return commands;
}

} // namespace vigil::app
