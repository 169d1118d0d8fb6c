#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QDateTime>
#include <QString>

namespace vigil::services {

// An alert of one cluster: a finding (code, member) that the alert engine raised (AlertEngine,
// alertengine.h) and that has not cleared yet. Value type, apart from the engine, so models and
// the history do not drag the engine in.
struct Alert
{
    QString cluster; // the profile name
    Finding::Code code = Finding::Code::Other;
    QString member; // empty when cluster-wide
    Finding::Severity severity = Finding::Severity::Warning;
    Finding::Severity peakSeverity = Finding::Severity::Warning; // the worst since raised
    QString message;        // the rule's latest sentence at the strict thresholds
    QDateTime since;        // the snapshot that raised it
    QDateTime lastSeen;     // the last snapshot in which its rule held
    QString acknowledgedBy; // OS user; empty: not acknowledged
    QDateTime acknowledgedAt;

    QString key() const;
    bool acknowledged() const { return !acknowledgedBy.isEmpty(); }
};

// One change of an alert, as the history keeps it (one JSON line each, AlertHistory).
struct AlertEvent
{
    enum class Kind
    {
        Raised,
        Escalated,   // the severity went up (un-acknowledges the alert)
        Deescalated, // the severity went down
        Acknowledged,
        Cleared
    };
    Kind kind = Kind::Raised;
    QDateTime at; // UTC: the snapshot's time, or when acknowledged
    QString cluster;
    Finding::Code code = Finding::Code::Other;
    QString member;
    Finding::Severity severity = Finding::Severity::Warning; // after the event
    // Escalated/Deescalated: the severity before; Cleared: the worst it reached.
    Finding::Severity previousSeverity = Finding::Severity::Warning;
    QString message;
    QString by;                // Acknowledged: the OS user
    qint64 lastedSeconds = -1; // Cleared: how long the alert was active
};

// The alert key of a finding: code and member ("replica_down/node2", "no_leader/").
QString alertKey(Finding::Code code, const QString &member);
QString alertEventKindName(AlertEvent::Kind kind); // stable: "raised", "escalated", ...
std::optional<AlertEvent::Kind> alertEventKindFromName(const QString &name);
std::optional<Finding::Code> findingCodeFromName(const QString &name);  // findingCodeName's inverse
std::optional<Finding::Severity> severityFromName(const QString &name); // severityName's inverse
// Ok 0, Unknown 1, Warning 2, Critical 3 (Nagios order, as models::healthRank).
int severityRank(Finding::Severity severity);

} // namespace vigil::services
