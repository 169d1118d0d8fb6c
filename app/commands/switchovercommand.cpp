#include "app/commands/switchovercommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/operationcommandoptions.h"
#include "app/tr.h"
#include "services/operations/memberactionrunner.h"
#include "services/operations/preflightgatherer.h"
#include "services/operations/switchoverrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace vigil::app {

using namespace vigil::services;

namespace {

// What `vigil switchover` asks beyond the shared operation options.
struct SwitchoverArguments
{
    SwitchoverChoice choice;
    int hardTimeoutSeconds = 45;
    bool cancel = false;
    SwitchoverCommand::PlanRun how;
};

// Reads the command line into `common` and `out`; returns the exit code when the command stops
// here (--help, a bad argument).
std::optional<int> parseSwitchover(const QStringList &arguments, OperationCommandOptions &common,
                                   SwitchoverArguments &out)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        Tr::tr("Planned switchover of a Patroni cluster, with the pre-flight "
               "checks, a typed confirmation, live progress and "
               "verification (the switchover wizard's code)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption candidate(QStringLiteral("candidate"),
                                       Tr::tr("The replica to promote (default: Patroni chooses)."),
                                       Tr::tr("member"));
    const QCommandLineOption at(QStringLiteral("at"),
                                Tr::tr("Schedule it: ISO 8601 time with offset, or +MINUTES."),
                                Tr::tr("time"));
    const QCommandLineOption pause(
        QStringLiteral("pause-clients"),
        Tr::tr("Pause PgBouncer's clients during the switchover (no client errors)."));
    const QCommandLineOption hard(
        QStringLiteral("hard-timeout"),
        Tr::tr("Resume clients after at most this many seconds (default 45)."), Tr::tr("seconds"));
    const QCommandLineOption cancel(QStringLiteral("cancel"),
                                    Tr::tr("Cancel the scheduled switchover."));
    const QCommandLineOption dry(QStringLiteral("dry-run"), Tr::tr("Run the pre-flight only."));
    const QCommandLineOption markdown(QStringLiteral("markdown"),
                                      Tr::tr("Print the final report as markdown."));
    p.addOptions({help, candidate, at, pause, hard, cancel, dry, markdown});
    if (const auto rc = common.parse(p, arguments, QStringLiteral("switchover"), help,
                                     Tr::tr("Usage: vigil switchover [options]")))
        return rc;
    out.choice.candidate = p.value(candidate);
    out.choice.pauseClients = p.isSet(pause);
    if (p.isSet(at)) {
        out.choice.scheduledAt =
            SwitchoverCommand::parseAt(p.value(at), QDateTime::currentDateTimeUtc());
        if (!out.choice.scheduledAt.isValid()) {
            printErr(
                Tr::tr(
                    "vigil switchover: '%1' is not a time (ISO 8601 with an offset, or +MINUTES).")
                    .arg(p.value(at)) +
                QLatin1Char('\n'));
            return 3;
        }
    }
    if (p.isSet(hard)) {
        bool ok = false;
        out.hardTimeoutSeconds = p.value(hard).toInt(&ok);
        if (!ok || out.hardTimeoutSeconds < 2 || out.hardTimeoutSeconds > 600) {
            printErr(Tr::tr("vigil switchover: --hard-timeout needs 2 to 600 seconds.") +
                     QLatin1Char('\n'));
            return 3;
        }
    }
    out.cancel = p.isSet(cancel);
    out.how.dryRun = p.isSet(dry);
    out.how.markdown = p.isSet(markdown);
    out.how.printStarts = true;
    return std::nullopt;
}

// --cancel: cancels the scheduled switchover through the member-action runner. Returns the
// event loop's exit code.
int cancelScheduled(const OperationContext &ctx)
{
    int rc = 1;
    MemberActionRunner runner(ctx);
    PatroniClient patroni(ctx.nam, ctx.endpoint(ctx.profile.patroniUrl));
    QObject::connect(&runner, &MemberActionRunner::progress,
                     [](const QString &l) { printOut(l + QLatin1Char('\n')); });
    QObject::connect(&runner, &MemberActionRunner::finished, [&rc](const MemberActionResult &r) {
        printOut(r.text());
        rc = r.ok() ? 0 : r.outcome == MemberActionResult::Outcome::Refused ? 2 : 1;
        QCoreApplication::exit(rc);
    });
    patroni.getPatroni([&](const Result<PatroniNodeStatus> &s) {
        MemberAction a;
        a.kind = MemberAction::Kind::CancelSwitchover;
        a.cluster = s.ok() ? s->scope : QString();
        a.waitSeconds = 20;
        runner.start(a);
    });
    return QCoreApplication::exec();
}

// The plan from the gathered pre-flight input, its pre-flight printed.
std::optional<SwitchoverPlan> switchoverPlan(const PreflightInput &in,
                                             const SwitchoverArguments &args)
{
    const ClusterSnapshot &s = *in.snapshot;
    SwitchoverPlan plan;
    plan.cluster = s.scope;
    plan.leader = s.leader() ? s.leader()->name : QString();
    plan.candidate = args.choice.candidate;
    plan.scheduledAt = args.choice.scheduledAt;
    plan.pauseClients = args.choice.pauseClients;
    plan.hardTimeoutSeconds = args.hardTimeoutSeconds;
    plan.preflight = switchoverPreflight(in, args.choice);
    printOut(
        Tr::tr("Pre-flight of a switchover of %1 (leader %2):").arg(plan.cluster, plan.leader) +
        QLatin1Char('\n') + preflightText(plan.preflight));
    if (plan.blocked())
        printErr(Tr::tr("A pre-flight check is red: the switchover is refused.") +
                 QLatin1Char('\n'));
    return plan;
}

} // namespace

QDateTime SwitchoverCommand::parseAt(const QString &text, const QDateTime &now)
{
    if (text.startsWith(QLatin1Char('+'))) {
        bool ok = false;
        const int minutes = text.mid(1).toInt(&ok);
        return ok && minutes > 0 ? now.addSecs(qint64(minutes) * 60) : QDateTime();
    }
    const std::optional<QDateTime> t = parsePatroniTimestamp(text);
    return t ? *t : QDateTime();
}

int SwitchoverCommand::exitCode(const SwitchoverReport &r)
{
    switch (r.outcome) {
    case SwitchoverReport::Outcome::Succeeded:
    case SwitchoverReport::Outcome::Scheduled:
        return 0;
    case SwitchoverReport::Outcome::SucceededWithWarnings:
    case SwitchoverReport::Outcome::Failed:
        return 1;
    case SwitchoverReport::Outcome::Refused:
        return 2;
    }
    return 1;
}

int SwitchoverCommand::run(const QStringList &arguments)
{
    OperationCommandOptions common;
    SwitchoverArguments args;
    if (const auto rc = parseSwitchover(arguments, common, args))
        return *rc;
    QNetworkAccessManager nam;
    OperationContext ctx = common.context();
    ctx.nam = &nam;
    if (args.cancel)
        return cancelScheduled(ctx);
    return runPlan(ctx, common, args.how,
                   [&args](const PreflightInput &in) { return switchoverPlan(in, args); });
}

int SwitchoverCommand::runPlan(const OperationContext &ctx, const OperationCommandOptions &common,
                               const PlanRun &how, const PlanMaker &makePlan)
{
    PreflightGatherer gatherer(ctx);
    gatherer.setFallbackUrls(common.fallbackUrls());
    SwitchoverRunner runner(ctx);
    runner.setFallbackUrls(common.fallbackUrls());
    QObject::connect(&gatherer, &PreflightGatherer::gathered, [&](const PreflightInput &in) {
        std::optional<SwitchoverPlan> plan = makePlan(in);
        if (!plan) {
            QCoreApplication::exit(3);
            return;
        }
        if (how.dryRun) {
            QCoreApplication::exit(plan->blocked() ? 2 : 0);
            return;
        }
        if (!plan->blocked()) {
            printOut(QLatin1Char('\n') + plan->summary() + QLatin1Char('\n'));
            plan->typedConfirmation = common.confirmation(plan->cluster);
        }
        // The runner decides (read-only mode, red checks, the confirmation) and audits.
        runner.start(*plan);
    });
    QObject::connect(&runner, &SwitchoverRunner::stepChanged, [how](const SwitchoverStep &st) {
        if (st.state != SwitchoverStep::State::Running)
            printOut(QStringLiteral("[%1 s] %2: %3 (%4 s) %5\n")
                         .arg((st.startedMs + st.elapsedMs) / 1000.0, 5, 'f', 1)
                         .arg(st.title, stepStateName(st.state))
                         .arg(st.elapsedMs / 1000.0, 0, 'f', 1)
                         .arg(st.detail));
        else if (how.printStarts)
            printOut(QStringLiteral("[%1 s] %2 …\n")
                         .arg(st.startedMs / 1000.0, 5, 'f', 1)
                         .arg(st.title));
    });
    QObject::connect(&runner, &SwitchoverRunner::finished, [how](const SwitchoverReport &r) {
        printOut(QLatin1Char('\n') + (how.markdown ? r.markdown() : r.text()));
        QCoreApplication::exit(exitCode(r));
    });
    gatherer.gather();
    return QCoreApplication::exec();
}

} // namespace vigil::app
