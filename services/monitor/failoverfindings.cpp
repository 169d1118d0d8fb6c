#include "services/monitor/failoverfindings.h"

#include "services/core/error.h"
#include "services/monitor/findinglist.h"

#include <algorithm>

namespace vigil::services {

namespace {

using Severity = Finding::Severity;
using Code = Finding::Code;

// When the leader last answered us over either channel (invalid: never).
QDateTime lastSeen(const MemberSnapshot &m)
{
    if (m.rest.lastOk.isValid() && m.sql.lastOk.isValid())
        return std::max(m.rest.lastOk, m.sql.lastOk);
    return m.rest.lastOk.isValid() ? m.rest.lastOk : m.sql.lastOk;
}

// The leader is down: Patroni acts when its leader key expires, ttl after the leader last
// renewed it. The leader renews it every loop_wait, so counting from when it last answered us
// (lastSeen, or the poller's lastLeaderSeen) is late by at most loop_wait: hence "≈".
void primaryDownFindings(const ClusterSnapshot &s, QList<Finding> &out)
{
    if (!leaderIsDown(s))
        return;
    const MemberSnapshot &l = *s.leader();
    const PatroniConfig *cfg = s.dynamicConfig ? &*s.dynamicConfig : nullptr;
    const qint64 ttl = cfg && cfg->ttl ? *cfg->ttl : 30; // Patroni's default
    QDateTime seen = lastSeen(l);
    if (s.lastLeader == l.name && s.lastLeaderSeen.isValid() &&
        (!seen.isValid() || s.lastLeaderSeen > seen))
        seen = s.lastLeaderSeen;
    QString message;
    if (s.paused)
        message = Tr::tr("Leader %1 is down, and the cluster is paused: Patroni does not fail "
                         "over; resume it or fail over by hand.")
                      .arg(l.name);
    else if (!seen.isValid() || !s.takenAt.isValid())
        message = Tr::tr("Leader %1 is down; Patroni fails over when its key expires, at most "
                         "%2 s (ttl) after its last renewal.")
                      .arg(l.name)
                      .arg(ttl);
    else if (const qint64 left = ttl - seen.secsTo(s.takenAt); left > 0)
        message = Tr::tr("Leader %1 is down; Patroni fails over when its key expires in ≈%2 s "
                         "(ttl %3 s; last seen %4 s ago).")
                      .arg(l.name)
                      .arg(left)
                      .arg(ttl)
                      .arg(seen.secsTo(s.takenAt));
    else
        message = Tr::tr("Leader %1 is down; its key expired about %2 s ago (ttl %3 s): Patroni "
                         "should be electing a new leader now.")
                      .arg(l.name)
                      .arg(-left)
                      .arg(ttl);
    appendFinding(out, Severity::Critical, Code::PrimaryDown, l.name, message);
}

// The last leader change, for failoverNoticeSeconds (or until the next change): a failover is
// a WARNING (the old leader is gone and must be rebuilt or checked), a switchover information.
void leaderChangeFindings(const ClusterSnapshot &s, const FindingThresholds &t, QList<Finding> &out)
{
    if (!s.leaderChange || !s.takenAt.isValid())
        return;
    const LeaderChange &c = *s.leaderChange;
    const MemberSnapshot *l = s.leader();
    if (!l || l->name != c.to || c.at.secsTo(s.takenAt) > t.failoverNoticeSeconds)
        return;
    const qint64 ago = c.at.secsTo(s.takenAt);
    if (c.planned) {
        appendFinding(out, Severity::Ok, Code::FailedOver, c.to,
                      Tr::tr("The leader moved from %1 to %2 %3 s ago (a switchover: %1 still "
                             "answered).")
                          .arg(c.from, c.to)
                          .arg(ago));
        return;
    }
    const qint64 took = c.fromLastSeen.isValid() ? c.fromLastSeen.secsTo(c.at) : -1;
    QString text = took >= 0 ? Tr::tr("Leader %1 went down; Patroni failed over to %2 after %3 s "
                                      "(%4 s ago).")
                                   .arg(c.from, c.to)
                                   .arg(took)
                                   .arg(ago)
                             : Tr::tr("Leader %1 went down; Patroni failed over to %2 (%3 s ago).")
                                   .arg(c.from, c.to)
                                   .arg(ago);
    // Once the old leader runs again as a replica there is nothing left to check: the cluster is
    // whole and the failover stays listed as information.
    const bool rejoined = std::any_of(s.members.begin(), s.members.end(), [&](const auto &m) {
        return m.name == c.from && m.rest.ok() && m.role == PatroniRole::Replica && m.patroni &&
               (m.patroni->state == QLatin1String("running") ||
                m.patroni->state == QLatin1String("streaming"));
    });
    if (rejoined)
        text += QLatin1Char(' ') + Tr::tr("%1 is back as a replica.").arg(c.from);
    appendFinding(out, rejoined ? Severity::Ok : Severity::Warning, Code::FailedOver, c.to, text);
}

} // namespace

// The leader of the DCS view answers on neither channel, and not for a refused login: its
// processes are gone or its host is (Patroni keeps it as leader until its key expires).
bool leaderIsDown(const ClusterSnapshot &s)
{
    const MemberSnapshot *l = s.leader();
    if (!l || !l->inDcs || l->fromUrlOnly)
        return false;
    auto down = [](const ChannelStatus &c) {
        return c.state == ChannelStatus::State::Unresponsive ||
               (c.state == ChannelStatus::State::Unreachable &&
                c.error.kind != ServiceError::Kind::Auth);
    };
    return down(l->rest) && down(l->sql);
}

QList<Finding> failoverFindings(const ClusterSnapshot &s, const FindingThresholds &t)
{
    QList<Finding> out;
    primaryDownFindings(s, out);
    leaderChangeFindings(s, t, out);
    return out;
}

} // namespace vigil::services
