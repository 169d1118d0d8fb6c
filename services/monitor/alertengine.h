#pragma once

#include "services/core/auditlog.h"
#include "services/monitor/alerttypes.h"
#include "services/monitor/findingthresholds.h"

#include <QHash>
#include <QObject>

namespace vigil::services {

class AlertHistory;

// The alerts of ONE cluster over time: fed each of its snapshots (ingest), it derives the
// findings itself with the profile's thresholds and keeps the active alerts keyed by
// (finding code, member), with raise, escalate/de-escalate, acknowledge and clear events.
//
// Hysteresis, so that a value wandering around a threshold raises once and clears once:
// - an alert raises after alertRaiseSnapshots consecutive snapshots showing its finding
//   (alertRaiseSnapshotsCritical when the finding is CRITICAL), escalates after as many
//   consecutive snapshots at a higher severity;
// - once raised, it stays while its rule still holds at the relaxed thresholds
//   (relaxedThresholds: every measured threshold moved by alertHysteresis towards "fine"; the
//   same rules, deriveFindings, run a second time) and clears after alertClearSnapshots
//   consecutive snapshots in which it does not hold even there; likewise it de-escalates after
//   alertClearSnapshots snapshots below its severity at the relaxed thresholds.
// Acknowledging records the OS user and when; it lasts until the alert clears, or until its
// severity goes up (a worse problem needs a new look).
//
// A "primary down" that clears because Patroni failed over carries the failover's sentence (the
// new leader and how long it took) in its Cleared event.
// Findings of severity OK (information) never raise. Events carry the snapshot's time, so the
// engine is pure apart from acknowledge()'s default clock: unit-tested on hand-built snapshots.
// Nothing is restored from the history on start: the snapshots decide what is active.
// Lives on one thread (the UI thread in the GUI); not thread-safe.
class AlertEngine : public QObject
{
    Q_OBJECT
public:
    explicit AlertEngine(QString cluster, const FindingThresholds &thresholds = {},
                         QObject *parent = nullptr);

    QString cluster() const { return m_cluster; }
    void setThresholds(const FindingThresholds &thresholds) { m_thresholds = thresholds; }
    const FindingThresholds &thresholds() const { return m_thresholds; }
    // Every event is appended there (not owned; may be null). Write failures: historyFailed.
    void setHistory(AlertHistory *history) { m_history = history; }

    // Advances the alerts by one snapshot of this cluster; returns the events it caused (also
    // emitted one by one as alertEvent, then activeAlertsChanged once when anything changed).
    QList<AlertEvent> ingest(const ClusterSnapshot &snapshot);

    // Active alerts, worst first, then oldest first.
    QList<Alert> activeAlerts() const;
    std::optional<Alert> activeAlert(const QString &key) const;
    // False when no such alert is active or it is acknowledged already.
    bool acknowledge(const QString &key, const QString &user = AuditLog::currentOsUser(),
                     const QDateTime &at = QDateTime::currentDateTimeUtc());

    // The thresholds at which an active alert still holds (see the class comment).
    static FindingThresholds relaxedThresholds(const FindingThresholds &thresholds);

Q_SIGNALS:
    void alertEvent(const vigil::services::AlertEvent &event);
    void activeAlertsChanged();
    void historyFailed(const QString &message);

private:
    struct Track
    {
        Alert alert;
        bool active = false;
        int raiseStreak = 0;    // consecutive snapshots with the finding, while not active
        int escalateStreak = 0; // ... at a severity above the alert's
        int lowerStreak = 0;    // ... below the alert's severity, even at relaxed thresholds
        int cleanStreak = 0;    // ... without the finding, even at relaxed thresholds
    };
    void stepInactive(Track &track, const Finding *strict, const QDateTime &at,
                      QList<AlertEvent> &events);
    void stepActive(Track &track, const Finding *strict, const Finding *relaxed,
                    const QDateTime &at, QList<AlertEvent> &events);
    void changeSeverity(Track &track, Finding::Severity to, const QDateTime &at,
                        QList<AlertEvent> &events);
    int raiseNeeded(Finding::Severity severity) const;
    AlertEvent eventOf(const Alert &alert, AlertEvent::Kind kind, const QDateTime &at) const;
    void publish(const QList<AlertEvent> &events);

    QString m_cluster;
    FindingThresholds m_thresholds;
    AlertHistory *m_history = nullptr;
    QHash<QString, Track> m_tracks;
};

} // namespace vigil::services
