#include "services/monitor/alertengine.h"

#include "services/monitor/alerthistory.h"
#include "services/monitor/findings.h"

#include <QSet>
#include <algorithm>

namespace vigil::services {

namespace {
// The findings that can be alerts (not OK), by alert key; the worst when a key appears twice.
QHash<QString, Finding> alertable(const QList<Finding> &findings)
{
    QHash<QString, Finding> out;
    for (const Finding &f : findings) {
        if (f.severity == Finding::Severity::Ok)
            continue;
        const QString key = alertKey(f.code, f.member);
        auto it = out.find(key);
        if (it == out.end())
            out.insert(key, f);
        else if (severityRank(f.severity) > severityRank(it->severity))
            *it = f;
    }
    return out;
}

// A cleared "primary down" says how it ended: when the snapshot that clears it shows Patroni's
// failover away from that leader, the clear carries the failover's sentence ("Leader node1 went
// down; Patroni failed over to node3 after 9 s ..."), not the stale "fails over when its key
// expires in ≈2 s" of the last snapshot that still held it. A leader that came back by itself
// keeps its last sentence.
void describeFailoverClears(QList<AlertEvent> &events, const ClusterSnapshot &snapshot,
                            const QList<Finding> &findings)
{
    if (!snapshot.leaderChange || snapshot.leaderChange->planned)
        return;
    const LeaderChange &change = *snapshot.leaderChange;
    for (AlertEvent &e : events) {
        if (e.kind != AlertEvent::Kind::Cleared || e.code != Finding::Code::PrimaryDown ||
            e.member != change.from)
            continue;
        for (const Finding &f : findings)
            if (f.code == Finding::Code::FailedOver && f.member == change.to)
                e.message = f.message;
    }
}
} // namespace

AlertEngine::AlertEngine(QString cluster, const FindingThresholds &thresholds, QObject *parent)
    : QObject(parent)
    , m_cluster(std::move(cluster))
    , m_thresholds(thresholds)
{
}

FindingThresholds AlertEngine::relaxedThresholds(const FindingThresholds &t)
{
    // Thresholds that fire above a value move down, those that fire below a value move up.
    // The timing rules of the DCS and of a promotion (dcsLoopSlackSeconds,
    // leaderInRecoveryCriticalSeconds) are states rather than measurements wandering around a
    // level: they keep their values, and the snapshot counts are their hysteresis.
    const double down = 1.0 - qBound(0.0, t.alertHysteresis, 0.9);
    const double up = 1.0 + qBound(0.0, t.alertHysteresis, 0.9);
    FindingThresholds r = t;
    r.lagWarningSeconds *= down;
    r.lagCriticalSeconds *= down;
    r.connectionsWarning *= down;
    r.connectionsCritical *= down;
    r.pgbouncerWaitCriticalSeconds *= down;
    r.inactiveSlotWarningBytes = qint64(double(t.inactiveSlotWarningBytes) * down);
    r.scheduledSwitchoverWarningSeconds = qint64(double(t.scheduledSwitchoverWarningSeconds) * up);
    r.blockerWarningSeconds *= down;
    r.idleInTransactionWarningSeconds *= down;
    r.slowQueryWarningMs *= down;
    r.rollbacksWarningPerSecond *= down;
    r.diskFreeWarning *= up;
    r.diskFreeCritical *= up;
    r.customMetricLevelScale *= down;
    return r;
}

int AlertEngine::raiseNeeded(Finding::Severity severity) const
{
    return qMax(1, severity == Finding::Severity::Critical
                       ? m_thresholds.alertRaiseSnapshotsCritical
                       : m_thresholds.alertRaiseSnapshots);
}

AlertEvent AlertEngine::eventOf(const Alert &alert, AlertEvent::Kind kind,
                                const QDateTime &at) const
{
    AlertEvent e;
    e.kind = kind;
    e.at = at.toUTC();
    e.cluster = m_cluster;
    e.code = alert.code;
    e.member = alert.member;
    e.severity = alert.severity;
    e.previousSeverity = alert.severity;
    e.message = alert.message;
    return e;
}

QList<AlertEvent> AlertEngine::ingest(const ClusterSnapshot &snapshot)
{
    const QList<Finding> findings = deriveFindings(snapshot, m_thresholds);
    const QHash<QString, Finding> strict = alertable(findings);
    const QHash<QString, Finding> relaxed =
        alertable(deriveFindings(snapshot, relaxedThresholds(m_thresholds)));
    QSet<QString> keys(m_tracks.keyBegin(), m_tracks.keyEnd());
    for (auto it = strict.keyBegin(); it != strict.keyEnd(); ++it)
        keys.insert(*it);
    QList<AlertEvent> events;
    for (const QString &key : std::as_const(keys)) {
        auto s = strict.constFind(key);
        auto r = relaxed.constFind(key);
        Track &track = m_tracks[key];
        if (track.active)
            stepActive(track, s == strict.cend() ? nullptr : &*s,
                       r == relaxed.cend() ? nullptr : &*r, snapshot.takenAt, events);
        else
            stepInactive(track, s == strict.cend() ? nullptr : &*s, snapshot.takenAt, events);
        if (!track.active && track.raiseStreak == 0)
            m_tracks.remove(key);
    }
    describeFailoverClears(events, snapshot, findings);
    std::stable_sort(events.begin(), events.end(), [](const AlertEvent &a, const AlertEvent &b) {
        return severityRank(a.severity) > severityRank(b.severity);
    });
    publish(events);
    return events;
}

void AlertEngine::stepInactive(Track &track, const Finding *strict, const QDateTime &at,
                               QList<AlertEvent> &events)
{
    if (!strict) {
        track.raiseStreak = 0;
        return;
    }
    ++track.raiseStreak;
    if (track.raiseStreak < raiseNeeded(strict->severity))
        return;
    Alert a;
    a.cluster = m_cluster;
    a.code = strict->code;
    a.member = strict->member;
    a.severity = a.peakSeverity = strict->severity;
    a.message = strict->message;
    a.since = a.lastSeen = at;
    track = Track{};
    track.alert = a;
    track.active = true;
    events.append(eventOf(a, AlertEvent::Kind::Raised, at));
}

void AlertEngine::stepActive(Track &track, const Finding *strict, const Finding *relaxed,
                             const QDateTime &at, QList<AlertEvent> &events)
{
    Alert &a = track.alert;
    if (!strict && !relaxed) {
        track.escalateStreak = track.lowerStreak = 0;
        if (++track.cleanStreak < qMax(1, m_thresholds.alertClearSnapshots))
            return;
        AlertEvent e = eventOf(a, AlertEvent::Kind::Cleared, at);
        e.previousSeverity = a.peakSeverity;
        e.lastedSeconds = a.since.secsTo(at);
        events.append(e);
        track = Track{};
        return;
    }
    track.cleanStreak = 0;
    a.lastSeen = at;
    if (strict)
        a.message = strict->message;
    const int current = severityRank(a.severity);
    const int strictRank = strict ? severityRank(strict->severity) : 0;
    const Finding *held =
        !strict || (relaxed && severityRank(relaxed->severity) > strictRank) ? relaxed : strict;
    if (strictRank > current) {
        track.lowerStreak = 0;
        if (++track.escalateStreak >= raiseNeeded(strict->severity))
            changeSeverity(track, strict->severity, at, events);
        return;
    }
    track.escalateStreak = 0;
    if (severityRank(held->severity) >= current) {
        track.lowerStreak = 0;
        return;
    }
    if (++track.lowerStreak >= qMax(1, m_thresholds.alertClearSnapshots))
        changeSeverity(track, held->severity, at, events);
}

void AlertEngine::changeSeverity(Track &track, Finding::Severity to, const QDateTime &at,
                                 QList<AlertEvent> &events)
{
    Alert &a = track.alert;
    const bool up = severityRank(to) > severityRank(a.severity);
    AlertEvent e = eventOf(a, up ? AlertEvent::Kind::Escalated : AlertEvent::Kind::Deescalated, at);
    e.severity = to;
    a.severity = to;
    if (severityRank(to) > severityRank(a.peakSeverity))
        a.peakSeverity = to;
    if (up) {
        a.acknowledgedBy.clear();
        a.acknowledgedAt = QDateTime();
    }
    track.escalateStreak = track.lowerStreak = 0;
    events.append(e);
}

QList<Alert> AlertEngine::activeAlerts() const
{
    QList<Alert> out;
    for (const Track &t : m_tracks)
        if (t.active)
            out.append(t.alert);
    std::sort(out.begin(), out.end(), [](const Alert &a, const Alert &b) {
        if (severityRank(a.severity) != severityRank(b.severity))
            return severityRank(a.severity) > severityRank(b.severity);
        if (a.since != b.since)
            return a.since < b.since;
        return a.key() < b.key();
    });
    return out;
}

std::optional<Alert> AlertEngine::activeAlert(const QString &key) const
{
    auto it = m_tracks.constFind(key);
    if (it == m_tracks.cend() || !it->active)
        return std::nullopt;
    return it->alert;
}

bool AlertEngine::acknowledge(const QString &key, const QString &user, const QDateTime &at)
{
    auto it = m_tracks.find(key);
    if (it == m_tracks.end() || !it->active || it->alert.acknowledged())
        return false;
    Alert &a = it->alert;
    a.acknowledgedBy = user.isEmpty() ? AuditLog::currentOsUser() : user;
    a.acknowledgedAt = at.toUTC();
    AlertEvent e = eventOf(a, AlertEvent::Kind::Acknowledged, at);
    e.by = a.acknowledgedBy;
    publish({e});
    return true;
}

void AlertEngine::publish(const QList<AlertEvent> &events)
{
    for (const AlertEvent &e : events) {
        QString error;
        if (m_history && !m_history->append(e, &error))
            Q_EMIT historyFailed(error);
        Q_EMIT alertEvent(e);
    }
    if (!events.isEmpty())
        Q_EMIT activeAlertsChanged();
}

} // namespace vigil::services
