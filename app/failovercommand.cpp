#include "app/failovercommand.h"

#include "app/operationcommandoptions.h"
#include "app/switchovercommand.h"
#include "services/operationrunner.h"
#include "services/preflightgatherer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace vigil::app {

using namespace vigil::services;

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(VigilFailover)
};
} // namespace

int FailoverCommand::run(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(Tr::tr("Emergency failover: promote a replica when there is no "
                                       "healthy leader (the failover wizard's code)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption candidate(QStringLiteral("candidate"), Tr::tr("The replica to promote."), Tr::tr("member"));
    const QCommandLineOption dry(QStringLiteral("dry-run"), Tr::tr("Show the assessment only."));
    const QCommandLineOption markdown(QStringLiteral("markdown"), Tr::tr("Print the final report as markdown."));
    p.addOptions({help, candidate, dry, markdown});
    OperationCommandOptions common;
    if (const auto rc = common.parse(p, arguments, QStringLiteral("failover"), help,
                                     Tr::tr("Usage: vigil failover --candidate MEMBER [options]")))
        return *rc;
    QNetworkAccessManager nam;
    OperationContext ctx = common.context();
    ctx.nam = &nam;
    int rc = 1;
    PreflightGatherer gatherer(ctx);
    gatherer.setFallbackUrls(common.fallbackUrls());
    OperationRunner runner(ctx);
    runner.setFallbackUrls(common.fallbackUrls());
    QObject::connect(&gatherer, &PreflightGatherer::gathered, [&](const PreflightInput &in) {
        const ClusterSnapshot &s = *in.snapshot;
        const FailoverAssessment a = assessFailover(s);
        printOut(Tr::tr("Cluster %1: %2").arg(s.scope, a.why) + QLatin1Char('\n') + Tr::tr("Candidates, best first:") + QLatin1Char('\n'));
        for (const auto &c : a.candidates)
            printOut(QStringLiteral("  %1 %2 lsn=%3 loss=%4 %5\n")
                         .arg(c.name.leftJustified(10), c.state.leftJustified(10),
                              c.lsn ? QString::number(*c.lsn) : Tr::tr("unknown"),
                              c.lossBytes ? formatBytes(*c.lossBytes) : Tr::tr("unknown"),
                              c.eligible ? Tr::tr("eligible") : c.reason));
        QString cand = p.value(candidate);
        if (cand.isEmpty()) {
            printErr(Tr::tr("vigil failover: choose the replica with --candidate MEMBER.") + QLatin1Char('\n'));
            QCoreApplication::exit(3);
            return;
        }
        SwitchoverPlan plan;
        plan.kind = SwitchoverPlan::Kind::Failover;
        plan.cluster = s.scope;
        plan.leader = s.leader() ? s.leader()->name : QString();
        plan.candidate = cand;
        plan.preflight = failoverPreflight(s, cand);
        printOut(Tr::tr("Pre-flight:") + QLatin1Char('\n') + preflightText(plan.preflight));
        if (p.isSet(dry)) {
            QCoreApplication::exit(plan.blocked() ? 2 : 0);
            return;
        }
        if (!plan.blocked()) {
            printOut(QLatin1Char('\n') + plan.summary() + QLatin1Char('\n'));
            plan.typedConfirmation = common.confirmation(plan.cluster);
        }
        runner.start(plan);
    });
    QObject::connect(&runner, &OperationRunner::stepChanged, [](const OperationStep &st) {
        if (st.state != OperationStep::State::Running)
            printOut(QStringLiteral("[%1 s] %2: %3 (%4 s) %5\n")
                         .arg((st.startedMs + st.elapsedMs) / 1000.0, 5, 'f', 1)
                         .arg(st.title, stepStateName(st.state))
                         .arg(st.elapsedMs / 1000.0, 0, 'f', 1)
                         .arg(st.detail));
    });
    QObject::connect(&runner, &OperationRunner::finished, [&](const OperationReport &r) {
        printOut(QLatin1Char('\n') + (p.isSet(markdown) ? r.markdown() : r.text()));
        rc = SwitchoverCommand::exitCode(r);
        QCoreApplication::exit(rc);
    });
    gatherer.gather();
    return QCoreApplication::exec();
}

} // namespace vigil::app
