#include "app/commands/failovercommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/operationcommandoptions.h"
#include "app/commands/switchovercommand.h"
#include "app/tr.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace vigil::app {

using namespace vigil::services;

namespace {
} // namespace

int FailoverCommand::run(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(Tr::tr("Emergency failover: promote a replica when there is no "
                                       "healthy leader (the failover wizard's code)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption candidate(QStringLiteral("candidate"),
                                       Tr::tr("The replica to promote."), Tr::tr("member"));
    const QCommandLineOption dry(QStringLiteral("dry-run"), Tr::tr("Show the assessment only."));
    const QCommandLineOption markdown(QStringLiteral("markdown"),
                                      Tr::tr("Print the final report as markdown."));
    p.addOptions({help, candidate, dry, markdown});
    OperationCommandOptions common;
    if (const auto rc = common.parse(p, arguments, QStringLiteral("failover"), help,
                                     Tr::tr("Usage: vigil failover --candidate MEMBER [options]")))
        return *rc;
    QNetworkAccessManager nam;
    OperationContext ctx = common.context();
    ctx.nam = &nam;
    SwitchoverCommand::PlanRun how;
    how.dryRun = p.isSet(dry);
    how.markdown = p.isSet(markdown);
    return SwitchoverCommand::runPlan(
        ctx, common, how, [&](const PreflightInput &in) -> std::optional<SwitchoverPlan> {
            const ClusterSnapshot &s = *in.snapshot;
            const FailoverAssessment a = assessFailover(s);
            printOut(Tr::tr("Cluster %1: %2").arg(s.scope, a.why) + QLatin1Char('\n') +
                     Tr::tr("Candidates, best first:") + QLatin1Char('\n'));
            for (const auto &c : a.candidates)
                printOut(QStringLiteral("  %1 %2 lsn=%3 loss=%4 %5\n")
                             .arg(c.name.leftJustified(10), c.state.leftJustified(10),
                                  c.lsn ? QString::number(*c.lsn) : Tr::tr("unknown"),
                                  c.lossBytes ? formatBytes(*c.lossBytes) : Tr::tr("unknown"),
                                  c.eligible ? Tr::tr("eligible") : c.reason));
            QString cand = p.value(candidate);
            if (cand.isEmpty()) {
                printErr(Tr::tr("vigil failover: choose the replica with --candidate MEMBER.") +
                         QLatin1Char('\n'));
                return std::nullopt;
            }
            SwitchoverPlan plan;
            plan.kind = SwitchoverPlan::Kind::Failover;
            plan.cluster = s.scope;
            plan.leader = s.leader() ? s.leader()->name : QString();
            plan.candidate = cand;
            plan.preflight = failoverPreflight(s, cand);
            printOut(Tr::tr("Pre-flight:") + QLatin1Char('\n') + preflightText(plan.preflight));
            return plan;
        });
}

} // namespace vigil::app
