// The table of headless commands: the light ones (lightcommands.cpp) and those that print
// through the models (report: with Qt Gui, see HeadlessCommand::needsGui). Each command lives in
// its own file pair in app/.
#include "app/application.h"
#include "app/commands/lockscommand.h"
#include "app/commands/logscommand.h"
#include "app/commands/reportcommand.h"
#include "app/commands/sessionscommand.h"

#include <QList>

namespace vigil::app {

const QList<HeadlessCommand> &headlessCommands()
{
    static const QList<HeadlessCommand> commands = [] {
        QList<HeadlessCommand> all = lightCommands();
        all.insert(1,
                   {"locks",
                    QT_TRANSLATE_NOOP("VigilApp", "Print the lock blocker tree (--json for JSON)."),
                    &runLocksCommand});
        all.insert(2, {"sessions",
                       QT_TRANSLATE_NOOP("VigilApp",
                                         "List sessions, filtered (--state, --min-duration, ...)."),
                       &runSessionsCommand});
        all.insert(3, {"logs",
                       QT_TRANSLATE_NOOP("VigilApp", "Print or follow a member's server log "
                                                     "(--level, --since, --grep, --follow)."),
                       &runLogsCommand});
        all.insert(4, {"report",
                       QT_TRANSLATE_NOOP("VigilApp", "Write a cluster's health report "
                                                     "(--out FILE.pdf or FILE.html)."),
                       &ReportCommand::run, true});
        return all;
    }();
    return commands;
}

} // namespace vigil::app
