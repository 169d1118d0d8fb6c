// The headless commands the light `vigil` runs itself (application.h): those that need no Qt
// Gui. `locks` and `sessions` print through the lock-tree and activity models, whose data()
// also carries fonts and colours for the window, so they run in vigil-gui (commands.cpp).
#include "app/application.h"
#include "app/commands/backupcommand.h"
#include "app/commands/checklistcommand.h"
#include "app/commands/editconfigcommand.h"
#include "app/commands/exportrulescommand.h"
#include "app/commands/failovercommand.h"
#include "app/commands/memberactioncommands.h"
#include "app/commands/profilecommand.h"
#include "app/commands/restoretestcommand.h"
#include "app/commands/rotatepasswordcommand.h"
#include "app/commands/statuscommand.h"
#include "app/commands/switchovercommand.h"
#include "app/commands/terminatecommand.h"
#include "app/commands/timelinecommand.h"

#include <QList>

namespace vigil::app {

const QList<HeadlessCommand> &lightCommands()
{
    static const QList<HeadlessCommand> commands = {
        {"status",
         QT_TRANSLATE_NOOP("VigilApp", "Show the cluster's state once, or with --watch until "
                                       "Ctrl-C; exit code as Nagios."),
         &StatusCommand::run},
        {"switchover",
         QT_TRANSLATE_NOOP(
             "VigilApp",
             "Planned switchover: pre-flight, typed confirmation, progress, verified report."),
         &SwitchoverCommand::run},
        {"failover",
         QT_TRANSLATE_NOOP("VigilApp",
                           "Emergency failover to a replica when there is no healthy leader."),
         &FailoverCommand::run},
        {"edit-config",
         QT_TRANSLATE_NOOP("VigilApp", "Change Patroni's dynamic configuration (--set "
                                       "KEY=VALUE): diff, then --confirm CLUSTER applies it."),
         &EditConfigCommand::run},
        {"terminate",
         QT_TRANSLATE_NOOP("VigilApp", "Terminate idle sessions (--idle-longer-than 10m): "
                                       "exact preview, then --confirm CLUSTER ends them."),
         &TerminateCommand::run},
        {"restart",
         QT_TRANSLATE_NOOP(
             "VigilApp", "Restart a member through Patroni (now, scheduled, or only if pending)."),
         &MemberActionCommands::restart},
        {"cancel-restart",
         QT_TRANSLATE_NOOP("VigilApp", "Cancel a member's scheduled restart through Patroni."),
         &MemberActionCommands::cancelRestart},
        {"reload",
         QT_TRANSLATE_NOOP("VigilApp", "Reload a member's configuration through Patroni."),
         &MemberActionCommands::reload},
        {"reinit",
         QT_TRANSLATE_NOOP("VigilApp", "Reinitialize a replica (wipes its data directory)."),
         &MemberActionCommands::reinit},
        {"pause",
         QT_TRANSLATE_NOOP("VigilApp",
                           "Put the cluster into maintenance mode (no automatic failover)."),
         &MemberActionCommands::pause},
        {"resume", QT_TRANSLATE_NOOP("VigilApp", "Take the cluster out of maintenance mode."),
         &MemberActionCommands::resume},
        {"rotate-password",
         QT_TRANSLATE_NOOP("VigilApp", "Rotate a role's password (client-side SCRAM, PgBouncer, "
                                       "verified); password on stdin."),
         &RotatePasswordCommand::run},
        {"profile",
         QT_TRANSLATE_NOOP("VigilApp", "Import a cluster profile from the members' "
                                       "patroni.yml or a patronictl.yaml (profile import FILE)."),
         &ProfileCommand::run},
        {"backup",
         QT_TRANSLATE_NOOP("VigilApp", "Take a full backup with pg_dump -Fc, from a replica "
                                       "(--database, --out)."),
         &runBackupCommand},
        {"restore-test",
         QT_TRANSLATE_NOOP("VigilApp", "Prove a dump restores: dump at a snapshot, restore, "
                                       "compare every table's rows and checksum (--database or "
                                       "--dump)."),
         &runRestoreTestCommand},
        {"timeline",
         QT_TRANSLATE_NOOP("VigilApp", "Print a cluster's incident timeline (--since 2h, "
                                       "--markdown for a post-mortem)."),
         &runTimelineCommand},
        {"checklist",
         QT_TRANSLATE_NOOP("VigilApp", "Print a cluster's maintenance checklist with what is "
                                       "overdue; --run checks, --tick ITEM --comment TEXT."),
         &runChecklistCommand},
        {"export-rules",
         QT_TRANSLATE_NOOP("VigilApp", "Write a profile's Prometheus alerting rules (the "
                                       "manual's alerts at its thresholds) for promtool."),
         &ExportRulesCommand::run},
    };
    return commands;
}

} // namespace vigil::app
