// When a member's GET /patroni is asked (issue 13, "lighter on the leader"): at the slow cadence
// while the member's SQL probe and the DCS view agree with its last answer, at once otherwise.
// Every decision of restPollReason on members of the healthy sandbox snapshot, changed one
// thing at a time.
#include "services/monitor/restcadence.h"
#include "support/snapshotbuilder.h"

#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::memberNamed;

namespace {

// Asked 1 s ago, cycles every second, /cluster every 5 s, loop_wait 10: all agrees.
RestCadence quiet(qint64 sinceAskedMs = 1000)
{
    RestCadence c;
    c.sinceAskedMs = sinceAskedMs;
    c.stateIntervalMs = 1000;
    c.slowIntervalMs = 5000;
    c.loopWaitSeconds = 10;
    return c;
}

struct Members
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    MemberSnapshot &leader = memberNamed(s, QStringLiteral("node1"));
    MemberSnapshot &replica = memberNamed(s, QStringLiteral("node2"));
};

} // namespace

TEST(RestCadence, WaitsForTheSlowCadenceWhileSqlAgrees)
{
    Members m;
    for (const MemberSnapshot *member : {&m.leader, &m.replica}) {
        EXPECT_TRUE(restAgreesWithSql(*member)) << member->name.toStdString();
        EXPECT_EQ(restPollReason(*member, quiet(1000)), RestPoll::Skip);
        EXPECT_EQ(restPollReason(*member, quiet(4000)), RestPoll::Skip);
        // A cycle up to half an interval early counts, as for /cluster: every 5th cycle asks.
        EXPECT_EQ(restPollReason(*member, quiet(4500)), RestPoll::Cadence);
        EXPECT_EQ(restPollReason(*member, quiet(30000)), RestPoll::Cadence);
    }
}

TEST(RestCadence, AsksEveryCycleWhenForcedOrWithoutAnAnswer)
{
    Members m;
    RestCadence forced = quiet();
    forced.forced = true;
    EXPECT_EQ(restPollReason(m.leader, forced), RestPoll::Forced);
    EXPECT_EQ(restPollReason(m.leader, quiet(-1)), RestPoll::NoAnswerYet) << "never asked";

    MemberSnapshot failed = m.leader;
    failed.rest.state = ChannelStatus::State::Unresponsive;
    EXPECT_EQ(restPollReason(failed, quiet()), RestPoll::NoAnswerYet);
    MemberSnapshot none = m.leader;
    none.patroni.reset();
    EXPECT_EQ(restPollReason(none, quiet()), RestPoll::NoAnswerYet);
}

TEST(RestCadence, AsksAtOnceWhenTheSqlProbeCannotVouchForTheAnswer)
{
    Members m;
    MemberSnapshot sqlDown = m.replica;
    sqlDown.sql.state = ChannelStatus::State::Unreachable;
    EXPECT_EQ(restPollReason(sqlDown, quiet()), RestPoll::SqlFailed);
    sqlDown.sql.state = ChannelStatus::State::Unresponsive;
    EXPECT_EQ(restPollReason(sqlDown, quiet()), RestPoll::SqlFailed);

    MemberSnapshot noSql = m.replica; // a member known by URL only: no SQL address
    noSql.sql.state = ChannelStatus::State::Unknown;
    EXPECT_EQ(restPollReason(noSql, quiet()), RestPoll::NoSql);

    MemberSnapshot gone = m.replica; // gone from /cluster: its own REST is its role's source
    gone.inDcs = false;
    EXPECT_EQ(restPollReason(gone, quiet()), RestPoll::NotInDcs);

    MemberSnapshot starting = m.replica;
    starting.patroni->state = QStringLiteral("starting");
    EXPECT_EQ(restPollReason(starting, quiet()), RestPoll::NotRunning);
}

TEST(RestCadence, AsksAtOnceWhenRoleTimelineOrRecoveryDisagree)
{
    Members m;
    // The last answer called node2 a replica; its SQL now says it left recovery (promoted).
    MemberSnapshot promoted = m.replica;
    promoted.inRecovery = false;
    EXPECT_FALSE(restAgreesWithSql(promoted));
    EXPECT_EQ(restPollReason(promoted, quiet()), RestPoll::Disagrees);

    // The leader's answer says primary; its SQL says in recovery (demoted, or a failed promote).
    MemberSnapshot demoted = m.leader;
    demoted.inRecovery = true;
    EXPECT_EQ(restPollReason(demoted, quiet()), RestPoll::Disagrees);

    // A replica follows a new timeline (a failover elsewhere) that the last answer predates.
    MemberSnapshot followed = m.replica;
    followed.walReceiver->receivedTimeline = *followed.patroni->timeline + 1;
    EXPECT_EQ(restPollReason(followed, quiet()), RestPoll::Disagrees);

    // The DCS view names node2 the leader now; its last answer said replica.
    MemberSnapshot dcsMoved = m.replica;
    dcsMoved.role = PatroniRole::Leader;
    EXPECT_EQ(restPollReason(dcsMoved, quiet()), RestPoll::Disagrees);
    MemberSnapshot dcsTimeline = m.leader;
    dcsTimeline.timeline = *dcsTimeline.patroni->timeline + 1;
    EXPECT_EQ(restPollReason(dcsTimeline, quiet()), RestPoll::Disagrees);

    // Patroni could not query its PostgreSQL (role unknown), or SQL has no recovery flag.
    MemberSnapshot unknownRole = m.leader;
    unknownRole.patroni->role = PatroniRole::Unknown;
    EXPECT_EQ(restPollReason(unknownRole, quiet()), RestPoll::Disagrees);
    MemberSnapshot noFlag = m.leader;
    noFlag.inRecovery.reset();
    EXPECT_EQ(restPollReason(noFlag, quiet()), RestPoll::Disagrees);

    // A standby cluster's leader is in recovery and agrees.
    MemberSnapshot standbyLeader = m.leader;
    standbyLeader.role = PatroniRole::StandbyLeader;
    standbyLeader.patroni->role = PatroniRole::StandbyLeader;
    standbyLeader.inRecovery = true;
    EXPECT_EQ(restPollReason(standbyLeader, quiet()), RestPoll::Skip);
}

// The DCS age is counted to the answer's own time: an answer 4 s old with a contact 1 s before
// it is a 1 s old contact, not 5 s. Past loop_wait at the answer, /patroni comes every cycle so
// the finding (past loop_wait + slack) is not late by a slow cycle.
TEST(RestCadence, DcsAgeIsCountedToTheAnswerAndALateContactIsWatchedEveryCycle)
{
    Members m;
    const QDateTime answeredAt = m.s.takenAt.addSecs(-4);
    m.leader.rest.lastOk = answeredAt;
    m.leader.patroni->dcsLastSeen = answeredAt.addSecs(-1);
    EXPECT_EQ(dcsAgeAtAnswer(m.leader, m.s.takenAt), 1);
    EXPECT_EQ(restPollReason(m.leader, quiet()), RestPoll::Skip);

    // loop_wait (10 s), in whole seconds: 11 s may be a loop on time.
    m.leader.patroni->dcsLastSeen = answeredAt.addSecs(-11);
    EXPECT_EQ(restPollReason(m.leader, quiet()), RestPoll::Skip) << "a loop on time";
    m.leader.patroni->dcsLastSeen = answeredAt.addSecs(-12);
    EXPECT_EQ(restPollReason(m.leader, quiet()), RestPoll::DcsLate);
    RestCadence fast = quiet();
    fast.loopWaitSeconds = 2; // the fast sandbox's loop_wait
    m.leader.patroni->dcsLastSeen = answeredAt.addSecs(-4);
    EXPECT_EQ(restPollReason(m.leader, fast), RestPoll::DcsLate);

    // Without the answer's time (a snapshot from elsewhere), the fallback counts.
    m.leader.rest.lastOk = QDateTime();
    EXPECT_EQ(dcsAgeAtAnswer(m.leader, m.s.takenAt), 8);
    EXPECT_FALSE(dcsAgeAtAnswer(m.leader).has_value());
    m.leader.patroni->dcsLastSeen.reset();
    EXPECT_FALSE(dcsAgeAtAnswer(m.leader, m.s.takenAt).has_value());
}
