#include "services/monitor/restcadence.h"

namespace vigil::services {

namespace {

bool leaderRole(PatroniRole r)
{
    return r == PatroniRole::Leader || r == PatroniRole::StandbyLeader;
}

} // namespace

bool restAgreesWithSql(const MemberSnapshot &m)
{
    if (!m.patroni || !m.inRecovery)
        return false;
    const PatroniNodeStatus &p = *m.patroni;
    // Recovery: a primary is out of it; a replica and a standby cluster's leader are in it.
    // Patroni's role "unknown" (it could not query its PostgreSQL) agrees with nothing.
    if (p.role == PatroniRole::Unknown || *m.inRecovery != (p.role != PatroniRole::Leader))
        return false;
    // The timeline a replica receives (pg_stat_wal_receiver) against the one Patroni reports. A
    // primary's timeline changes only with a promotion, which the recovery check above sees.
    if (m.walReceiver && m.walReceiver->receivedTimeline && p.timeline &&
        *m.walReceiver->receivedTimeline != *p.timeline)
        return false;
    // The DCS view, as ClusterPoller::membersAgreeWithDcs compares it (not the state: Patroni
    // 3.0.2 says "running" in /patroni and "streaming" in /cluster for the same replica).
    if (m.inDcs && (leaderRole(p.role) != m.isLeader() ||
                    (p.timeline && m.timeline && *p.timeline != *m.timeline)))
        return false;
    return true;
}

std::optional<qint64> dcsAgeAtAnswer(const MemberSnapshot &m, const QDateTime &fallback)
{
    if (!m.patroni || !m.patroni->dcsLastSeen)
        return std::nullopt;
    const QDateTime at = m.rest.lastOk.isValid() ? m.rest.lastOk : fallback;
    if (!at.isValid())
        return std::nullopt;
    return std::max<qint64>(0, m.patroni->dcsLastSeen->secsTo(at));
}

// The order matters only for the reason reported; every reason but Skip sends the request.
RestPoll restPollReason(const MemberSnapshot &m, const RestCadence &c)
{
    if (c.forced)
        return RestPoll::Forced;
    if (!m.patroni || !m.rest.ok() || c.sinceAskedMs < 0)
        return RestPoll::NoAnswerYet;
    if (!m.inDcs)
        return RestPoll::NotInDcs;
    if (m.sql.state == ChannelStatus::State::Unknown)
        return RestPoll::NoSql;
    if (!m.sql.ok())
        return RestPoll::SqlFailed;
    if (m.patroni->state != QLatin1String("running"))
        return RestPoll::NotRunning;
    if (!restAgreesWithSql(m))
        return RestPoll::Disagrees;
    // dcs_last_seen is renewed every loop_wait (whole seconds: one more for the rounding):
    // older than that at the answer, the DCS may be gone, and the finding (past loop_wait +
    // dcsLoopSlackSeconds) must not wait for the slow cadence.
    if (const auto age = dcsAgeAtAnswer(m); age && *age > c.loopWaitSeconds + 1)
        return RestPoll::DcsLate;
    // A cycle up to half an interval early counts (as for /cluster, see dcsViewStillGood).
    if (c.sinceAskedMs + c.stateIntervalMs / 2 >= c.slowIntervalMs)
        return RestPoll::Cadence;
    return RestPoll::Skip;
}

} // namespace vigil::services
