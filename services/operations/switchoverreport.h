#pragma once

#include "services/core/error.h"
#include "services/operations/preflight.h"
#include "services/operations/switchoverplan.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace vigil::services {

// One step of an executed operation, as the progress list and the report show it.
struct SwitchoverStep
{
    enum class State
    {
        Running,
        Done,
        Warning,
        Failed,
        Skipped
    };
    QString id;    // stable: "baseline", "pause", "switchover", "wait_leader", "resume", ...
    QString title; // translated
    State state = State::Running;
    qint64 startedMs = 0; // since the operation started
    qint64 elapsedMs = 0; // duration of the step
    QString detail;       // what happened, verbatim answers included
};
QString stepStateName(SwitchoverStep::State state);

// The outcome of a switchover or failover run, verified. Rendered as markdown for the user to
// copy, and as text for the CLI.
struct SwitchoverReport
{
    enum class Outcome
    {
        Succeeded,
        SucceededWithWarnings,
        Scheduled,
        Failed,
        Refused
    };
    SwitchoverPlan plan;
    Outcome outcome = Outcome::Failed;
    QDateTime startedAt;
    qint64 totalMs = 0;
    QList<SwitchoverStep> steps;
    QList<PreflightCheck> verification; // after the fact: new leader, old leader, routing, ...
    QString oldLeader, newLeader;
    std::optional<int> timelineBefore, timelineAfter;
    QString actionSentTo;              // the REST API the action was posted to (scheme://host:port)
    bool actionSentToFallback = false; // the leader's (candidate's) own URL could not be reached
    QString actionFallbackReason;      // why not, when actionSentToFallback
    int patroniStatus = 0;             // HTTP status of the action, 0 when none
    QString patroniAnswer;             // Patroni's answer (or refusal) verbatim
    QString explanation;               // what the refusal means, in words a DBA understands
    ServiceError error;                // the first error that decided a Failed/Refused outcome
    bool resumedByTimeout = false;
    std::optional<qint64> clientsPausedMs; // how long PgBouncer held its clients
    bool reinitializeSuggested = false;    // the old leader did not come back as a replica

    bool ok() const { return outcome == Outcome::Succeeded || outcome == Outcome::Scheduled; }
    QString outcomeText() const;      // one sentence
    QString actionTargetText() const; // where the action went, one sentence (empty when none)
    QString markdown() const;
    QString text() const; // plain text for the terminal
};

// Words for Patroni's refusals: what a 412/503/... on an action usually means.
QString explainPatroniRefusal(const QString &action, const ServiceError &error);

} // namespace vigil::services
