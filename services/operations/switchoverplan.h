#pragma once

#include "services/operations/preflight.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace vigil::services {

// What the user decided on the wizard's first pages (or on the command line): the operation, its
// target and options, and the pre-flight verdicts it was decided on. A value; the runner executes
// it (SwitchoverRunner) and the confirmation page renders summary().
struct SwitchoverPlan
{
    enum class Kind
    {
        Switchover,
        Failover
    };
    Kind kind = Kind::Switchover;
    QString cluster;       // Patroni's scope: what the user must type to confirm
    QString leader;        // current leader (switchover), or the lost one (failover), or empty
    QString candidate;     // empty: let Patroni choose (switchover only)
    QDateTime scheduledAt; // invalid: now (switchover only)
    bool pauseClients = false;
    int hardTimeoutSeconds = 45;   // clients are never held paused longer than this
    int verifyTimeoutSeconds = 90; // waiting for the old leader to rejoin, the timeline, ...
    QList<PreflightCheck> preflight;
    // What the user typed to confirm. The runner checks it again (below the UI): a plan whose
    // confirmation does not match the cluster name is refused.
    QString typedConfirmation;

    QString kindName() const; // "switchover", "failover" (audit log, report)
    // Red checks block execution; amber ones are acknowledged by the typed confirmation.
    bool blocked() const { return worstVerdict(preflight) == PreflightCheck::Verdict::Red; }
    // The typed confirmation: exactly the cluster name (no trimming of the inside, case counts).
    bool confirmationMatches(const QString &typed) const;
    // Full sentences for the confirmation page and the CLI.
    QString summary() const;
    // The parameters as the audit log records them.
    QJsonObject auditParameters() const;
};

} // namespace vigil::services
