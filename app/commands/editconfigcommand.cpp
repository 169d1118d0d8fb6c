#include "app/commands/editconfigcommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/operationcommandoptions.h"
#include "app/tr.h"
#include "services/core/confirmation.h"
#include "services/operations/memberactionrunner.h"
#include "services/operations/parameterreloadcheck.h"
#include "services/patroni/configchange.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <algorithm>

namespace vigil::app {

using namespace vigil::services;

namespace {

const QString kName = QStringLiteral("edit-config");

void fail(const QString &message, int code)
{
    failCommand(kName, message, code);
}

struct Request
{
    QList<EditConfigCommand::Edit> edits;
    int waitSeconds = 60;
};

// Reads the command line: --set/--unset, --wait, the shared operation options. Returns the exit
// code when the command stops here (--help, a bad argument).
std::optional<int> parseRequest(Request &request, OperationCommandOptions &common,
                                const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        Tr::tr("Changes Patroni's dynamic configuration (PATCH /config): shows the exact "
               "diff, and applies it only with --confirm CLUSTER."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption set(QStringLiteral("set"),
                                 Tr::tr("Set a key, by its dotted path: loop_wait=5, "
                                        "postgresql.parameters.work_mem=8MB (repeatable)."),
                                 Tr::tr("key=value"));
    const QCommandLineOption unset(QStringLiteral("unset"),
                                   Tr::tr("Remove a key, by its dotted path (repeatable)."),
                                   Tr::tr("key"));
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  Tr::tr("Seconds to wait for the change to show (default 60)."),
                                  Tr::tr("seconds"));
    p.addOptions({help, set, unset, wait});
    if (const auto rc = common.parse(p, arguments, kName, help,
                                     Tr::tr("Usage: vigil edit-config --set KEY=VALUE ... "
                                            "[--unset KEY ...] [--confirm CLUSTER] [options]")))
        return rc;
    if (!p.positionalArguments().isEmpty()) {
        printErr(Tr::tr("vigil %1: unexpected argument '%2'.")
                     .arg(kName, p.positionalArguments().constFirst()) +
                 QLatin1Char('\n'));
        return 3;
    }
    for (const QString &a : p.values(set)) {
        QString error;
        const auto edit = EditConfigCommand::parseAssignment(a, &error);
        if (!edit) {
            printCommandError(kName, error);
            return 3;
        }
        request.edits << *edit;
    }
    for (const QString &k : p.values(unset))
        request.edits << EditConfigCommand::Edit{k.trimmed(), std::nullopt};
    if (request.edits.isEmpty()) {
        printErr(Tr::tr("vigil %1: name a change, e.g. --set loop_wait=5.").arg(kName) +
                 QLatin1Char('\n'));
        return 3;
    }
    if (p.isSet(wait))
        request.waitSeconds = std::clamp(p.value(wait).toInt(), 1, 3600);
    return std::nullopt;
}

// After /config shows the change: reads every member (pg_settings) until it runs with the new
// PostgreSQL parameter values, prints one line per member, and exits (1 when a member does not
// show them: not yet reloaded, or unreachable).
void verifyMembers(ParameterReloadCheck &check, const QJsonObject &patch, int waitSeconds)
{
    const QMap<QString, QString> expected = expectedParameters(patch);
    if (expected.isEmpty()) {
        QCoreApplication::exit(0);
        return;
    }
    printOut(Tr::tr("Reading the new values on every member (Patroni applies them on its next "
                    "cycle)…") +
             QLatin1Char('\n'));
    QObject::connect(
        &check, &ParameterReloadCheck::finished,
        [](const QList<MemberParameterStatus> &members, const QString &error) {
            if (!error.isEmpty())
                return fail(error, 1);
            bool all = true;
            for (const MemberParameterStatus &m : members) {
                printOut(Tr::tr("  %1: %2 (%3)").arg(m.member, applyStateText(m.state), m.shown) +
                         QLatin1Char('\n'));
                all = all && isFinal(m.state);
            }
            if (!all)
                return fail(Tr::tr("not every member runs with the new value; "
                                   "check the members above (a member that is not "
                                   "yet reloaded picks it up on Patroni's next "
                                   "cycle)."),
                            1);
            printOut(Tr::tr("Every member shows the new value (or a pending "
                            "restart).") +
                     QLatin1Char('\n'));
            QCoreApplication::exit(0);
        });
    check.start(expected, std::chrono::seconds(waitSeconds));
}

// Runs the patch and, once the runner is done, reads /config again, then every member, to
// verify it.
void applyPatch(MemberActionRunner &runner, PatroniClient &patroni, ParameterReloadCheck &check,
                const QString &cluster, const QJsonObject &patch, int waitSeconds)
{
    QObject::connect(&runner, &MemberActionRunner::progress,
                     [](const QString &l) { printOut(l + QLatin1Char('\n')); });
    QObject::connect(
        &runner, &MemberActionRunner::finished,
        [&patroni, &check, patch, waitSeconds](const MemberActionResult &r) {
            QStringList pending;
            for (auto it = r.pendingRestart.begin(); it != r.pendingRestart.end(); ++it)
                if (it.value())
                    pending << it.key();
            if (!r.ok()) {
                printOut(Tr::tr("Not applied: %1").arg(r.explanation) + QLatin1Char('\n'));
                QCoreApplication::exit(r.outcome == MemberActionResult::Outcome::Refused ? 2 : 1);
                return;
            }
            if (!pending.isEmpty())
                printOut(Tr::tr("Members with a pending restart: %1.")
                             .arg(pending.join(QStringLiteral(", "))) +
                         QLatin1Char('\n'));
            patroni.getConfig([&check, patch, waitSeconds](const Result<PatroniConfig> &c) {
                if (!c.ok())
                    return fail(Tr::tr("the change was sent, but GET /config could not be read "
                                       "back to verify it: %1")
                                    .arg(c.error().toText()),
                                1);
                const QStringList missing = configPatchMismatches(patch, c->raw);
                if (!missing.isEmpty())
                    return fail(Tr::tr("GET /config does not show every change: %1")
                                    .arg(missing.join(QStringLiteral("; "))),
                                1);
                printOut(Tr::tr("Done. GET /config shows every change.") + QLatin1Char('\n'));
                verifyMembers(check, patch, waitSeconds);
            });
        });
    MemberAction a;
    a.kind = MemberAction::Kind::PatchConfig;
    a.cluster = cluster;
    a.patch = patch;
    a.waitSeconds = waitSeconds;
    runner.start(a);
}

// Reads the scope and /config, prints the preview, and applies it when confirmed.
int execute(const Request &request, OperationCommandOptions &common)
{
    QNetworkAccessManager nam;
    OperationContext ctx = common.context();
    ctx.nam = &nam;
    MemberActionRunner runner(ctx);
    ParameterReloadCheck check(ctx);
    PatroniClient patroni(&nam, ctx.endpoint(ctx.profile.patroniUrl));
    QString cluster;
    patroni.getPatroni([&](const Result<PatroniNodeStatus> &st) {
        if (!st.ok())
            return fail(st.error().toText(), 3);
        cluster = st->scope;
        patroni.getConfig([&](const Result<PatroniConfig> &c) {
            if (!c.ok())
                return fail(c.error().toText(), 3);
            QString error;
            const auto edited = EditConfigCommand::applyEdits(c->raw, request.edits, &error);
            if (!edited)
                return fail(error, 3);
            printOut(EditConfigCommand::preview(cluster, c->raw, *edited));
            const QJsonObject patch = configMergePatch(c->raw, *edited);
            if (patch.isEmpty()) {
                printOut(Tr::tr("Nothing was sent.") + QLatin1Char('\n'));
                return QCoreApplication::exit(0);
            }
            if (!common.confirmGiven()) {
                printOut(Tr::tr("Dry run: nothing was changed. To apply it, run the same "
                                "command with --confirm %1.")
                             .arg(cluster) +
                         QLatin1Char('\n'));
                return QCoreApplication::exit(0);
            }
            if (!confirmationMatches(common.confirm(), cluster))
                return fail(Tr::tr("--confirm names %1, but this is cluster %2; nothing was "
                                   "changed.")
                                .arg(common.confirm(), cluster),
                            2);
            applyPatch(runner, patroni, check, cluster, patch, request.waitSeconds);
        });
    });
    return QCoreApplication::exec();
}

} // namespace

std::optional<EditConfigCommand::Edit> EditConfigCommand::parseAssignment(const QString &argument,
                                                                          QString *error)
{
    const qsizetype eq = argument.indexOf(QLatin1Char('='));
    const QString key = argument.left(eq).trimmed();
    if (eq < 0 || key.isEmpty()) {
        *error = Tr::tr("'%1' is not KEY=VALUE (e.g. --set loop_wait=5).").arg(argument);
        return std::nullopt;
    }
    return Edit{key, argument.mid(eq + 1).trimmed()};
}

std::optional<QJsonObject> EditConfigCommand::applyEdits(const QJsonObject &current,
                                                         const QList<Edit> &edits, QString *error)
{
    QJsonObject edited = current;
    for (const Edit &e : edits) {
        std::optional<QJsonValue> value;
        if (e.text)
            value = configValueFromText(*e.text, configValue(current, e.path));
        if (const QString why = setConfigValue(edited, e.path, value); !why.isEmpty()) {
            *error = why;
            return std::nullopt;
        }
    }
    return edited;
}

QString EditConfigCommand::preview(const QString &cluster, const QJsonObject &current,
                                   const QJsonObject &edited)
{
    const QStringList lines = configChangeLines(current, edited);
    if (lines.isEmpty())
        return Tr::tr("Dynamic configuration of %1: nothing changes (the values are already "
                      "set).")
                   .arg(cluster) +
               QLatin1Char('\n');
    QString out = Tr::tr("Dynamic configuration of %1: %n change(s) through Patroni (PATCH "
                         "/config, never ALTER SYSTEM):",
                         nullptr, int(lines.size()))
                      .arg(cluster) +
                  QLatin1Char('\n');
    for (const QString &l : lines)
        out += QStringLiteral("  ") + l + QLatin1Char('\n');
    const QStringList restart = restartRequiredParameters(configMergePatch(current, edited));
    out += restart.isEmpty()
               ? Tr::tr("No change needs a restart: every member applies it on its next cycle.")
               : Tr::tr("Needs a restart of every member to take effect: %1 (until then each "
                        "member shows a pending restart).")
                     .arg(restart.join(QStringLiteral(", ")));
    return out + QLatin1Char('\n');
}

int EditConfigCommand::run(const QStringList &arguments)
{
    Request request;
    OperationCommandOptions common;
    if (const auto rc = parseRequest(request, common, arguments))
        return *rc;
    return execute(request, common);
}

} // namespace vigil::app
