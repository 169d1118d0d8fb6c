#include "models/walltilestate.h"

#include "models/clusterlistmodel.h"
#include "models/formatting.h"
#include "models/statussummary.h"
#include "models/tr.h"

#include <algorithm>

namespace vigil::models {

namespace {

QString hms(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QString findingKey(const services::Finding &f)
{
    return findingCodeName(f.code) + QLatin1Char('/') + f.member;
}

// The colour of the cluster, as the cluster list grades it: the DCS view unreadable is critical,
// otherwise the worst finding, OK without any.
Health clusterHealth(const services::ClusterSnapshot &s)
{
    if (!s.discovery.ok())
        return Health::Critical;
    if (s.findings.isEmpty())
        return Health::Ok;
    return fromSeverity(s.worstSeverity());
}

bool memberUp(const services::MemberSnapshot &m)
{
    return (m.rest.ok() || m.sql.ok()) && memberStateHealth(m.state) != Health::Critical;
}

} // namespace

bool allEndpointsDead(const services::ClusterSnapshot &s)
{
    if (s.discovery.ok())
        return false;
    return std::none_of(s.members.cbegin(), s.members.cend(),
                        [](const auto &m) { return m.rest.ok() || m.sql.ok(); });
}

WallTileState::WallTileState(const QString &profileName, int intervalMs)
    : m_name(profileName)
    , m_intervalMs(intervalMs)
{
}

void WallTileState::ingest(const services::ClusterSnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_last = snapshot;
    QHash<QString, QDateTime> raised;
    for (const services::Finding &f : snapshot->findings) {
        const QString key = findingKey(f);
        raised.insert(key, m_raisedAt.value(key, snapshot->takenAt));
    }
    m_raisedAt = raised; // a cleared finding starts a new age when it comes back
    if (!allEndpointsDead(*snapshot))
        m_unreachableSince = {};
    else if (!m_unreachableSince.isValid())
        m_unreachableSince = snapshot->takenAt;
}

WallTileSummary WallTileState::summary(const QDateTime &now) const
{
    WallTileSummary out;
    out.name = m_name;
    if (!m_last) {
        out.headline = Tr::tr("Connecting…");
        return out;
    }
    const services::ClusterSnapshot &s = *m_last;
    out.connecting = false;
    if (!s.scope.isEmpty() && s.scope != m_name && !m_name.contains(QLatin1Char(':')))
        out.name = Tr::tr("%1 (%2)").arg(m_name, s.scope);
    else if (!s.scope.isEmpty())
        out.name = s.scope == m_name ? m_name : s.scope;
    out.health = clusterHealth(s);
    const Freshness fresh = freshness(&s, now, m_intervalMs);
    if (fresh.overdue) {
        out.health = Health::Critical;
        out.freshness = Tr::tr("No data since %1 (%2)")
                            .arg(hms(s.takenAt), formatDuration(s.takenAt.secsTo(now)));
    }
    if (allEndpointsDead(s)) {
        // Since the last answer of any endpoint; a cluster never seen answering: since the
        // first snapshot that found it dead.
        QDateTime since = s.discovery.lastOk;
        for (const auto &m : s.members)
            since = std::max({since, m.rest.lastOk, m.sql.lastOk});
        if (!since.isValid())
            since = m_unreachableSince.isValid() ? m_unreachableSince : s.takenAt;
        out.unreachable = true;
        out.health = Health::Critical;
        out.headline = Tr::tr("Unreachable since %1 (%2)")
                           .arg(hms(since), formatDuration(std::max<qint64>(0, since.secsTo(now))));
    }
    summarizeMembers(out, now);
    summarizeAlerts(out, now);
    return out;
}

void WallTileState::summarizeMembers(WallTileSummary &out, const QDateTime &now) const
{
    const services::ClusterSnapshot &s = *m_last;
    for (const auto &m : s.members) {
        ++out.membersTotal;
        if (memberUp(m))
            ++out.membersUp;
        if (m.sql.ok() && m.connections && m.connections->maxConnections > 0) {
            const int pct = qRound(m.connections->usedFraction() * 100);
            out.connectionsPct = std::max(out.connectionsPct.value_or(0), pct);
        }
    }
    out.members = Tr::tr("%1/%2 members up").arg(out.membersUp).arg(out.membersTotal);
    out.connections = out.connectionsPct ? Tr::tr("Connections %1 %").arg(*out.connectionsPct)
                                         : Tr::tr("Connections —");
    const LagExtreme lag = worstLag(s);
    QStringList lagParts;
    if (lag.bytes)
        lagParts << formatBytes(*lag.bytes);
    if (lag.seconds)
        lagParts << formatSeconds(*lag.seconds);
    out.lag = lagParts.isEmpty() ? Tr::tr("Lag —")
                                 : Tr::tr("Lag %1").arg(lagParts.join(QStringLiteral(" · ")));
    if (out.unreachable)
        return;
    const services::MemberSnapshot *leader = s.leader();
    if (!leader)
        out.headline = s.lastLeader.isEmpty() ? Tr::tr("No leader")
                                              : Tr::tr("No leader (was %1, last seen %2)")
                                                    .arg(s.lastLeader, hms(s.lastLeaderSeen));
    else if (!leader->rest.ok() && !leader->sql.ok())
        out.headline = Tr::tr("Leader %1 is down").arg(leader->name);
    else
        out.headline = Tr::tr("Leader %1").arg(leader->name);
    if (s.leaderChange && s.leaderChange->at.isValid() && s.leaderChange->at.secsTo(now) < 3600) {
        const auto &c = *s.leaderChange;
        const QString age = formatDuration(std::max<qint64>(0, c.at.secsTo(now)));
        out.change =
            c.planned ? Tr::tr("Switched over from %1 at %2 (%3 ago)").arg(c.from, hms(c.at), age)
                      : Tr::tr("Failed over from %1 at %2 (%3 ago)").arg(c.from, hms(c.at), age);
    }
}

void WallTileState::summarizeAlerts(WallTileSummary &out, const QDateTime &now) const
{
    QList<services::Finding> alerts;
    for (const services::Finding &f : m_last->findings)
        if (f.severity != services::Finding::Severity::Ok)
            alerts << f;
    // Newest first; among alerts raised together, the more severe first (deriveFindings' order).
    std::stable_sort(alerts.begin(), alerts.end(), [this](const auto &a, const auto &b) {
        return m_raisedAt.value(findingKey(a)) > m_raisedAt.value(findingKey(b));
    });
    for (const services::Finding &f : alerts.mid(0, kMaxAlerts)) {
        const QDateTime raised = m_raisedAt.value(findingKey(f), m_last->takenAt);
        out.alerts.append({fromSeverity(f.severity), f.message,
                           formatDuration(std::max<qint64>(0, raised.secsTo(now)))});
    }
}

} // namespace vigil::models
