#include "app/commands/memberactioncommands.h"

#include "app/commands/commandoutput.h"
#include "app/commands/operationcommandoptions.h"
#include "app/commands/switchovercommand.h"
#include "app/tr.h"
#include "services/core/confirmation.h"
#include "services/operations/memberactionrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace vigil::app {

using namespace vigil::services;
using Kind = MemberAction::Kind;

namespace {

// The command's name as typed: "reinit" for a reinitialize, "cancel-restart".
QString commandName(const MemberAction &action)
{
    if (action.kind == Kind::Reinitialize)
        return QStringLiteral("reinit");
    if (action.kind == Kind::CancelRestart)
        return QStringLiteral("cancel-restart");
    return action.kindName();
}

// Reads the command line into `action` and `common`: the action's own options (--at, --pending,
// --force, --wait), the member, the shared operation options. Returns the exit code when the
// command stops here (--help, a bad argument).
std::optional<int> parseAction(MemberAction &action, OperationCommandOptions &common,
                               const QStringList &arguments)
{
    const QString name = commandName(action);
    const bool needsMember = !action.isClusterWide();
    QCommandLineParser p;
    p.setApplicationDescription(Tr::tr("Runs '%1' through Patroni's REST API, with a typed "
                                       "confirmation, progress and verification.")
                                    .arg(name));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption at(QStringLiteral("at"),
                                Tr::tr("restart: schedule it (ISO 8601 with offset, or +MINUTES)."),
                                Tr::tr("time"));
    const QCommandLineOption pending(QStringLiteral("pending"),
                                     Tr::tr("restart: only if the member has a pending restart."));
    const QCommandLineOption force(QStringLiteral("force"),
                                   Tr::tr("reinit: also when the member is running."));
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  Tr::tr("Seconds to wait for the result to show (default 120)."),
                                  Tr::tr("seconds"));
    p.addOptions({help, wait});
    if (action.kind == Kind::Restart)
        p.addOptions({at, pending});
    if (action.kind == Kind::Reinitialize)
        p.addOption(force);
    if (const auto rc =
            common.parse(p, arguments, name, help,
                         Tr::tr("Usage: vigil %1 %2[options]")
                             .arg(name, needsMember ? QStringLiteral("MEMBER ") : QString())))
        return rc;
    const QStringList pos = p.positionalArguments();
    if (needsMember != (pos.size() == 1) || pos.size() > 1) {
        printErr(needsMember
                     ? Tr::tr("vigil %1: name the member, e.g. vigil %1 node2.").arg(name) +
                           QLatin1Char('\n')
                     : Tr::tr("vigil %1: unexpected argument '%2'.").arg(name, pos.value(0)) +
                           QLatin1Char('\n'));
        return 3;
    }
    action.member = pos.value(0);
    // Only the options this command registered: asking QCommandLineParser about another one
    // prints "option not defined" on stderr.
    const bool isRestart = action.kind == Kind::Restart;
    if (isRestart && p.isSet(at)) {
        action.scheduledAt =
            SwitchoverCommand::parseAt(p.value(at), QDateTime::currentDateTimeUtc());
        if (!action.scheduledAt.isValid()) {
            printErr(Tr::tr("vigil %1: '%2' is not a time.").arg(name, p.value(at)) +
                     QLatin1Char('\n'));
            return 3;
        }
    }
    action.onlyIfPendingRestart = isRestart && p.isSet(pending);
    action.force = action.kind == Kind::Reinitialize && p.isSet(force);
    if (p.isSet(wait))
        action.waitSeconds = std::clamp(p.value(wait).toInt(), 1, 3600);
    return std::nullopt;
}

// The member's REST URL from the cluster view, into `action`; false (the reason printed) when
// the cluster has no such member.
bool findMemberApi(MemberAction &action, const PatroniCluster &cluster)
{
    bool found = false;
    for (const auto &m : cluster.members)
        if (m.name == action.member) {
            action.memberApi = m.apiBaseUrl();
            action.memberIsLeader = m.role == PatroniRole::Leader;
            found = true;
        }
    if (!found)
        printErr(Tr::tr("vigil %1: %2 is not a member of %3.")
                     .arg(commandName(action), action.member, action.cluster) +
                 QLatin1Char('\n'));
    return found;
}

// Asks Patroni for the scope (what must be typed) and the member's REST URL, then confirms and
// runs the action, printing its progress and result. Returns the event loop's exit code.
int execute(MemberAction action, OperationCommandOptions &common)
{
    const QString name = commandName(action);
    QNetworkAccessManager nam;
    OperationContext ctx = common.context();
    ctx.nam = &nam;
    MemberActionRunner runner(ctx);
    PatroniClient patroni(&nam, ctx.endpoint(ctx.profile.patroniUrl));
    QObject::connect(&runner, &MemberActionRunner::progress,
                     [](const QString &l) { printOut(l + QLatin1Char('\n')); });
    QObject::connect(&runner, &MemberActionRunner::finished, [](const MemberActionResult &r) {
        if (!r.verified.isEmpty() || !r.explanation.isEmpty())
            printOut((r.ok() ? Tr::tr("Done.") : Tr::tr("Not done.")) + QLatin1Char(' ') +
                     r.explanation + QLatin1Char('\n'));
        QCoreApplication::exit(r.outcome == MemberActionResult::Outcome::Succeeded ? 0
                               : r.outcome == MemberActionResult::Outcome::Refused ? 2
                                                                                   : 1);
    });
    patroni.getPatroni([&](const Result<PatroniNodeStatus> &st) {
        if (!st.ok()) {
            printCommandError(name, st.error().toText());
            QCoreApplication::exit(1);
            return;
        }
        action.cluster = st->scope;
        patroni.getCluster([&](const Result<PatroniCluster> &c) {
            if (c.ok() && !action.isClusterWide() && !findMemberApi(action, c.value())) {
                QCoreApplication::exit(2);
                return;
            }
            printOut(action.summary() + QLatin1Char('\n'));
            action.typedConfirmation = common.confirmation(action.cluster);
            if (!confirmationMatches(action.typedConfirmation, action.cluster) &&
                !ctx.profile.readOnly) {
                printErr(Tr::tr("The typed name does not match %1; nothing was done.")
                             .arg(action.cluster) +
                         QLatin1Char('\n'));
                QCoreApplication::exit(2);
                return;
            }
            runner.start(action);
        });
    });
    return QCoreApplication::exec();
}

} // namespace

int MemberActionCommands::restart(const QStringList &a)
{
    return run(Kind::Restart, a);
}
int MemberActionCommands::reload(const QStringList &a)
{
    return run(Kind::Reload, a);
}
int MemberActionCommands::reinit(const QStringList &a)
{
    return run(Kind::Reinitialize, a);
}
int MemberActionCommands::pause(const QStringList &a)
{
    return run(Kind::Pause, a);
}
int MemberActionCommands::resume(const QStringList &a)
{
    return run(Kind::Resume, a);
}

int MemberActionCommands::cancelRestart(const QStringList &a)
{
    return run(Kind::CancelRestart, a);
}

int MemberActionCommands::run(Kind kind, const QStringList &arguments)
{
    MemberAction action;
    action.kind = kind;
    OperationCommandOptions common;
    if (const auto rc = parseAction(action, common, arguments))
        return *rc;
    return execute(action, common);
}

} // namespace vigil::app
