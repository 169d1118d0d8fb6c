#include "services/operations/switchoverreport.h"

namespace vigil::services {

QString stepStateName(SwitchoverStep::State s)
{
    switch (s) {
    case SwitchoverStep::State::Running:
        return Tr::tr("running");
    case SwitchoverStep::State::Done:
        return Tr::tr("done");
    case SwitchoverStep::State::Warning:
        return Tr::tr("warning");
    case SwitchoverStep::State::Failed:
        return Tr::tr("failed");
    case SwitchoverStep::State::Skipped:
        return Tr::tr("skipped");
    }
    return {};
}

QString SwitchoverReport::actionTargetText() const
{
    if (actionSentTo.isEmpty())
        return {};
    const bool failover = plan.kind == SwitchoverPlan::Kind::Failover;
    if (actionSentToFallback)
        return failover ? Tr::tr("Sent to %1: the candidate's own REST API could not be reached "
                                 "(%2).")
                              .arg(actionSentTo, actionFallbackReason)
                        : Tr::tr("Sent to %1: the leader's own REST API could not be reached "
                                 "(%2), so the leader acts on it only when its HA loop next "
                                 "wakes (up to loop_wait later).")
                              .arg(actionSentTo, actionFallbackReason);
    return failover ? Tr::tr("Sent to the candidate's REST API at %1.").arg(actionSentTo)
                    : Tr::tr("Sent to the leader's REST API at %1.").arg(actionSentTo);
}

QString explainPatroniRefusal(const QString &action, const ServiceError &e)
{
    const QString m = e.message.toLower();
    if (e.kind == ServiceError::Kind::Refused && e.what.isEmpty() == false && e.code.isEmpty() &&
        m.contains(QLatin1String("read-only")))
        return Tr::tr("Vigil is in read-only mode; switch it off in the profile or start Vigil "
                      "without --read-only.");
    if (m.contains(QLatin1String("candidate does not exist")))
        return Tr::tr("Patroni does not know the candidate: it is not a member in the DCS right "
                      "now (stopped, or its name is misspelled).");
    if (m.contains(QLatin1String("leader name does not match")))
        return Tr::tr("The leader changed since the pre-flight; look at the cluster again and "
                      "re-run the %1.")
            .arg(action);
    if (m.contains(QLatin1String("sync_standby")))
        return Tr::tr("Synchronous mode is on and the candidate is not the synchronous standby.");
    if (m.contains(QLatin1String("no good candidates")))
        return Tr::tr("Patroni asked the candidates and none qualified: they are unreachable, "
                      "tagged nofailover, or lag more than maximum_lag_on_failover behind the "
                      "leader position cached in the DCS.");
    if (m.contains(QLatin1String("paused")))
        return Tr::tr(
            "The cluster is in maintenance mode (paused); resume it, or name a candidate.");
    if (m.contains(QLatin1String("already")) || e.code == QLatin1String("409"))
        return Tr::tr("Another switchover or restart is already scheduled or running; cancel it "
                      "first.");
    if (e.code == QLatin1String("503"))
        return Tr::tr("Patroni accepted the request but could not confirm the result in time "
                      "(503): the %1 may have failed or still be running. Look at the cluster "
                      "before trying again.")
            .arg(action);
    if (e.kind == ServiceError::Kind::Auth)
        return Tr::tr("Patroni refused the credentials: set the REST user and password in the "
                      "cluster profile (VIGIL_REST_PASSWORD on the command line).");
    if (e.kind == ServiceError::Kind::Timeout)
        return Tr::tr("Patroni did not answer in time; the %1 may still be in progress.")
            .arg(action);
    if (e.kind == ServiceError::Kind::Connect)
        return Tr::tr("Patroni's REST API could not be reached.");
    return Tr::tr("Patroni did not accept the %1.").arg(action);
}

QString SwitchoverReport::outcomeText() const
{
    const QString what = plan.kindName();
    switch (outcome) {
    case Outcome::Succeeded:
        return Tr::tr("The %1 succeeded: %2 is the leader, everything verified.")
            .arg(what, newLeader);
    case Outcome::SucceededWithWarnings:
        return Tr::tr("The %1 happened (%2 is the leader), but not everything could be verified.")
            .arg(what, newLeader.isEmpty() ? Tr::tr("unknown") : newLeader);
    case Outcome::Scheduled:
        return Tr::tr("The %1 is scheduled for %2.")
            .arg(what, plan.scheduledAt.toString(Qt::ISODate));
    case Outcome::Failed:
        return Tr::tr("The %1 did not go as planned.").arg(what);
    case Outcome::Refused:
        return Tr::tr("The %1 was refused; nothing was changed.").arg(what);
    }
    return {};
}

QString SwitchoverReport::markdown() const
{
    QString md;
    md += Tr::tr("# %1 of %2")
              .arg(plan.kindName() == QLatin1String("failover") ? Tr::tr("Failover")
                                                                : Tr::tr("Switchover"),
                   plan.cluster) +
          QStringLiteral("\n\n");
    md += QStringLiteral("**%1**\n\n").arg(outcomeText());
    md += Tr::tr("- Started: %1 (took %2 s)")
              .arg(startedAt.toString(Qt::ISODate))
              .arg(totalMs / 1000.0, 0, 'f', 1) +
          QLatin1Char('\n');
    md += Tr::tr("- Leader before: %1, after: %2")
              .arg(oldLeader.isEmpty() ? Tr::tr("none") : oldLeader,
                   newLeader.isEmpty() ? Tr::tr("unknown") : newLeader) +
          QLatin1Char('\n');
    md += Tr::tr("- Timeline before: %1, after: %2")
              .arg(timelineBefore ? QString::number(*timelineBefore) : Tr::tr("unknown"),
                   timelineAfter ? QString::number(*timelineAfter) : Tr::tr("unknown")) +
          QLatin1Char('\n');
    if (clientsPausedMs)
        md += Tr::tr("- PgBouncer clients paused for %1 s%2")
                  .arg(*clientsPausedMs / 1000.0, 0, 'f', 1)
                  .arg(resumedByTimeout ? Tr::tr(" (resumed by the hard timeout)") : QString()) +
              QLatin1Char('\n');
    if (!actionSentTo.isEmpty())
        md += QStringLiteral("- ") + actionTargetText() + QLatin1Char('\n');
    if (patroniStatus != 0 || !patroniAnswer.isEmpty())
        md += Tr::tr("- Patroni answered: %1 `%2`")
                  .arg(patroniStatus ? QString::number(patroniStatus) : QString(), patroniAnswer) +
              QLatin1Char('\n');
    if (!explanation.isEmpty())
        md += Tr::tr("- What it means: %1").arg(explanation) + QLatin1Char('\n');
    md += QLatin1Char('\n') + Tr::tr("## Plan") + QStringLiteral("\n\n") + plan.summary() +
          QStringLiteral("\n\n");
    md += Tr::tr("## Steps") + QStringLiteral("\n\n") +
          Tr::tr("| Step | Result | At | Took | Detail |") +
          QStringLiteral("\n|---|---|---|---|---|\n");
    for (const auto &s : steps) {
        QString d = s.detail;
        d.replace(QLatin1Char('|'), QStringLiteral("\\|"))
            .replace(QLatin1Char('\n'), QLatin1Char(' '));
        md += QStringLiteral("| %1 | %2 | %3 s | %4 s | %5 |\n")
                  .arg(s.title, stepStateName(s.state))
                  .arg(s.startedMs / 1000.0, 0, 'f', 1)
                  .arg(s.elapsedMs / 1000.0, 0, 'f', 1)
                  .arg(d);
    }
    if (!verification.isEmpty())
        md += QLatin1Char('\n') + Tr::tr("## Verification") + QStringLiteral("\n\n") +
              preflightMarkdown(verification);
    if (!plan.preflight.isEmpty())
        md += QLatin1Char('\n') + Tr::tr("## Pre-flight") + QStringLiteral("\n\n") +
              preflightMarkdown(plan.preflight);
    if (reinitializeSuggested)
        md += QLatin1Char('\n') +
              Tr::tr("The old leader %1 did not come back as a streaming replica; "
                     "consider reinitializing it (its data directory is wiped "
                     "and copied from the new leader).")
                  .arg(oldLeader) +
              QLatin1Char('\n');
    return md;
}

QString SwitchoverReport::text() const
{
    QString t = outcomeText() + QLatin1Char('\n');
    for (const auto &s : steps)
        t += QStringLiteral("  %1 %2 (%3 s): %4\n")
                 .arg(stepStateName(s.state).leftJustified(8), s.title)
                 .arg(s.elapsedMs / 1000.0, 0, 'f', 1)
                 .arg(s.detail);
    if (!verification.isEmpty())
        t += Tr::tr("Verification:") + QLatin1Char('\n') + preflightText(verification);
    if (!explanation.isEmpty())
        t += Tr::tr("What it means: %1").arg(explanation) + QLatin1Char('\n');
    return t;
}

} // namespace vigil::services
