#include "services/timeline/timelinerecorder.h"

#include "services/core/error.h"
#include "services/timeline/timelinestore.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <algorithm>

namespace vigil::services {

namespace {
using Kind = TimelineEvent::Kind;

QString auditId(const QDateTime &at, const QString &action, const QString &member)
{
    return at.toUTC().toString(Qt::ISODateWithMs) + QLatin1Char('|') + action + QLatin1Char('|') +
           member;
}

bool channelDown(const ChannelStatus &c)
{
    return c.state == ChannelStatus::State::Unreachable ||
           c.state == ChannelStatus::State::Unresponsive;
}

QString lsnText(qint64 lsn)
{
    return QStringLiteral("%1/%2")
        .arg(quint64(lsn) >> 32, 0, 16)
        .arg(quint64(lsn) & 0xffffffffu, 0, 16)
        .toUpper();
}

// "switchover {"candidate":"node2"} → ok: Successfully switched over to "node2"".
QString describeAudit(const AuditEntry &e)
{
    QString text = e.action;
    if (!e.parameters.isEmpty())
        text += QLatin1Char(' ') +
                QString::fromUtf8(QJsonDocument(e.parameters).toJson(QJsonDocument::Compact));
    QString answer = e.serverAnswer.simplified();
    if (answer.size() > 200)
        answer = answer.left(199) + QStringLiteral("…");
    return answer.isEmpty() ? Tr::tr("%1 → %2").arg(text, e.result)
                            : Tr::tr("%1 → %2: %3").arg(text, e.result, answer);
}
} // namespace

TimelineRecorder::TimelineRecorder(QString cluster, const TimelineStore *store, QObject *parent)
    : QObject(parent)
    , m_cluster(std::move(cluster))
    , m_store(store)
{
    if (m_store)
        setKnownEvents(m_store->readAll());
}

void TimelineRecorder::setKnownEvents(QList<TimelineEvent> events)
{
    sortTimeline(events);
    m_events = std::move(events);
    for (const TimelineEvent &e : std::as_const(m_events)) {
        if (e.kind == Kind::OperatorAction)
            m_auditSeen.insert(auditId(e.at, e.key, e.member));
        else if (e.kind == Kind::LeaderFromHistory)
            m_historyKeys.insert(e.key);
    }
    trimTimeline(m_events, m_memoryLimit);
}

void TimelineRecorder::record(TimelineEvent event)
{
    event.cluster = m_cluster;
    event.at = event.at.toUTC();
    const auto pos =
        std::upper_bound(m_events.begin(), m_events.end(), event.at,
                         [](const QDateTime &at, const TimelineEvent &e) { return at < e.at; });
    m_events.insert(pos, event);
    trimTimeline(m_events, m_memoryLimit);
    QString error;
    if (m_store && !m_store->append(event, &error))
        Q_EMIT writeFailed(error);
    Q_EMIT eventRecorded(event);
}

void TimelineRecorder::ingest(const ClusterSnapshot &s)
{
    setScope(s.scope);
    // Without the DCS view the leader and the member list are not known this cycle.
    if (!s.discovery.ok() && s.members.isEmpty())
        return;
    const QDateTime at = s.takenAt.toUTC();
    ingestLeader(s, at);
    ingestMembers(s, at);
    m_baseline = true;
}

void TimelineRecorder::ingestLeader(const ClusterSnapshot &s, const QDateTime &at)
{
    const MemberSnapshot *l = s.leader();
    const QString leader = l ? l->name : QString();
    const std::optional<int> timeline = l ? l->timeline : std::nullopt;
    if (m_baseline && leader != m_leader) {
        TimelineEvent e;
        e.at = at;
        e.kind = Kind::LeaderObserved;
        e.from = leader.isEmpty() ? m_leader : m_lastLeader;
        e.to = leader;
        e.member = leader.isEmpty() ? m_leader : leader;
        e.timeline = timeline;
        const bool planned =
            s.leaderChange && s.leaderChange->to == leader && s.leaderChange->planned;
        if (leader.isEmpty())
            e.text = Tr::tr("%1 no longer holds the leader key: the cluster has no leader.")
                         .arg(m_leader);
        else if (e.from.isEmpty())
            e.text = Tr::tr("%1 holds the leader key.").arg(leader);
        else if (e.from == leader)
            e.text = Tr::tr("%1 holds the leader key again.").arg(leader);
        else if (planned)
            e.text = Tr::tr("Switchover: the leader changed from %1 to %2.").arg(e.from, leader);
        else
            e.text = Tr::tr("Failover: the leader changed from %1 to %2.").arg(e.from, leader);
        record(e);
        Q_EMIT historyWanted();
    }
    if (m_baseline && timeline && m_timeline && *timeline > *m_timeline) {
        TimelineEvent e;
        e.at = at;
        e.kind = Kind::TimelineBump;
        e.member = leader;
        e.from = QString::number(*m_timeline);
        e.to = QString::number(*timeline);
        e.timeline = timeline;
        e.text = Tr::tr("Timeline %1 → %2 on %3.").arg(e.from, e.to, leader);
        record(e);
        Q_EMIT historyWanted();
    }
    m_leader = leader;
    if (!leader.isEmpty())
        m_lastLeader = leader;
    if (timeline)
        m_timeline = timeline;
}

QString TimelineRecorder::memberState(const MemberSnapshot &m)
{
    if (!m.inDcs)
        return QStringLiteral("gone");
    if (channelDown(m.rest) && (channelDown(m.sql) || m.sql.state == ChannelStatus::State::Unknown))
        return m.rest.state == ChannelStatus::State::Unresponsive ? QStringLiteral("unresponsive")
                                                                  : QStringLiteral("unreachable");
    return m.state;
}

void TimelineRecorder::ingestMembers(const ClusterSnapshot &s, const QDateTime &at)
{
    QSet<QString> seen;
    for (const MemberSnapshot &m : s.members) {
        if (m.fromUrlOnly)
            continue;
        seen.insert(m.name);
        stepMember(m.name, memberState(m), at);
    }
    // Dropped from the snapshot altogether (the monitor forgets ghosts after a while).
    if (s.discovery.ok())
        for (auto it = m_members.cbegin(); it != m_members.cend(); ++it)
            if (!seen.contains(it.key()))
                stepMember(it.key(), QStringLiteral("gone"), at);
}

void TimelineRecorder::stepMember(const QString &name, const QString &state, const QDateTime &at)
{
    if (state.isEmpty())
        return;
    MemberTrack &t = m_members[name];
    if (t.state.isEmpty()) {
        t.state = state;
        if (m_baseline) {
            TimelineEvent e;
            e.at = at;
            e.kind = Kind::MemberState;
            e.member = name;
            e.to = state;
            e.text = Tr::tr("%1 joined the cluster (%2).").arg(name, state);
            record(e);
        }
        return;
    }
    if (state == t.state) {
        t.pending.clear();
        t.pendingCount = 0;
        return;
    }
    if (state != t.pending) {
        t.pending = state;
        t.pendingSince = at;
        t.pendingCount = 0;
    }
    if (++t.pendingCount < kStateConfirmSnapshots)
        return;
    TimelineEvent e;
    e.at = t.pendingSince;
    e.kind = Kind::MemberState;
    e.member = name;
    e.from = t.state;
    e.to = state;
    e.text = Tr::tr("%1 is %2 (was %3).").arg(name, state, t.state);
    t.state = state;
    t.pending.clear();
    t.pendingCount = 0;
    record(e);
}

void TimelineRecorder::ingestAlert(const AlertEvent &a)
{
    TimelineEvent e;
    e.at = a.at;
    e.member = a.member;
    e.key = alertKey(a.code, a.member);
    e.to = severityName(a.severity);
    switch (a.kind) {
    case AlertEvent::Kind::Raised:
        e.kind = Kind::AlertRaised;
        e.text = Tr::tr("%1 alert raised: %2").arg(e.to, a.message);
        break;
    case AlertEvent::Kind::Escalated:
        e.kind = Kind::AlertRaised;
        e.from = severityName(a.previousSeverity);
        e.text = Tr::tr("Alert escalated to %1: %2").arg(e.to, a.message);
        break;
    case AlertEvent::Kind::Deescalated:
        e.kind = Kind::AlertChanged;
        e.from = severityName(a.previousSeverity);
        e.text = Tr::tr("Alert eased to %1: %2").arg(e.to, a.message);
        break;
    case AlertEvent::Kind::Acknowledged:
        e.kind = Kind::AlertAcknowledged;
        e.who = a.by;
        e.text = Tr::tr("%1 acknowledged the alert: %2").arg(a.by, a.message);
        break;
    case AlertEvent::Kind::Cleared:
        e.kind = Kind::AlertCleared;
        e.from = severityName(a.previousSeverity);
        e.lastedSeconds = a.lastedSeconds;
        e.text = Tr::tr("Alert cleared: %1").arg(a.message);
        break;
    }
    record(e);
}

void TimelineRecorder::importAudit(const QList<AuditEntry> &entries)
{
    for (const AuditEntry &a : entries) {
        if (a.cluster != m_cluster && (m_scope.isEmpty() || a.cluster != m_scope))
            continue;
        const QString id = auditId(a.when, a.action, a.member);
        if (!a.when.isValid() || m_auditSeen.contains(id))
            continue;
        m_auditSeen.insert(id);
        TimelineEvent e;
        e.at = a.when;
        e.kind = Kind::OperatorAction;
        e.member = a.member;
        e.who = a.osUser;
        e.key = a.action;
        e.to = a.result;
        e.text = describeAudit(a);
        record(e);
    }
}

void TimelineRecorder::setScope(const QString &scope)
{
    if (!scope.isEmpty())
        m_scope = scope;
}

void TimelineRecorder::importAuditFile(const AuditLog &log)
{
    const QFileInfo info(log.filePath());
    // A scope learnt since the last read makes the CLI's entries (named by scope) ours too.
    if (!info.exists() || (info.lastModified() == m_auditFileStamp &&
                           info.size() == m_auditFileSize && m_scope == m_auditFileScope))
        return;
    m_auditFileStamp = info.lastModified();
    m_auditFileSize = info.size();
    m_auditFileScope = m_scope;
    importAudit(log.readAll());
}

bool TimelineRecorder::observedLeaderChangeNear(const QDateTime &at, const QString &leader) const
{
    return std::any_of(m_events.cbegin(), m_events.cend(), [&](const TimelineEvent &e) {
        return e.kind == Kind::LeaderObserved && !e.to.isEmpty() &&
               (leader.isEmpty() || e.to == leader) &&
               qAbs(e.at.secsTo(at)) <= kHistoryMatchSeconds;
    });
}

void TimelineRecorder::mergeHistory(const QList<PatroniHistoryEntry> &history)
{
    for (const PatroniHistoryEntry &h : history) {
        const QString key = QStringLiteral("history/%1").arg(h.timeline);
        if (!h.at || m_historyKeys.contains(key) || observedLeaderChangeNear(*h.at, h.newLeader))
            continue;
        m_historyKeys.insert(key);
        TimelineEvent e;
        e.at = *h.at;
        e.kind = Kind::LeaderFromHistory;
        e.member = h.newLeader;
        e.to = h.newLeader;
        e.timeline = h.timeline + 1;
        e.key = key;
        e.text = h.newLeader.isEmpty()
                     ? Tr::tr("Patroni's history: timeline %1 ended at %2 (%3); timeline %4 "
                              "began.")
                           .arg(h.timeline)
                           .arg(lsnText(h.lsn), h.reason)
                           .arg(h.timeline + 1)
                     : Tr::tr("Patroni's history: timeline %1 ended at %2 (%3); %4 became the "
                              "leader on timeline %5.")
                           .arg(h.timeline)
                           .arg(lsnText(h.lsn), h.reason, h.newLeader)
                           .arg(h.timeline + 1);
        record(e);
    }
}

} // namespace vigil::services
