#pragma once

// A recorded failover as the monitor saw it, for the timeline's tests: snapshots built from the
// real sandbox cluster's GET /cluster answers (tests/fixtures/patroni: cluster.json before,
// cluster-after-kill.json 0.3 s after `kill-leader`, cluster-new-leader.json once node2 was
// elected, cluster-rejoined.json with node1 back as a replica) and its GET /history after the
// failover (timeline 1 ended 2026-11-27T00:41:18.239712Z, node2 the new leader).

#include "services/monitor/alerttypes.h"
#include "services/monitor/clustersnapshot.h"
#include "services/patroni/patronitypes.h"
#include "services/timeline/timelineevent.h"
#include "support/fixturefile.h"

#include <QList>
#include <gtest/gtest.h>

namespace vigil::test {

inline QByteArray patroniFixture(const QString &name)
{
    return fixtureFile(QStringLiteral("patroni/") + name);
}

// One snapshot of the recorded /cluster answer `file`, taken at `at`; members named in `down`
// answered neither on REST nor on SQL in that cycle.
inline services::ClusterSnapshot recordedSnapshot(const QString &file, const QDateTime &at,
                                                  const QStringList &down = {})
{
    services::ClusterSnapshot s;
    s.profileName = QStringLiteral("hokm-ha");
    s.scope = QStringLiteral("hokm-ha");
    s.takenAt = at;
    s.discovery.state = services::ChannelStatus::State::Ok;
    const auto cluster = services::parsePatroniCluster(patroniFixture(file));
    EXPECT_TRUE(cluster.ok()) << file.toStdString();
    for (const services::PatroniMember &pm : cluster->members) {
        services::MemberSnapshot m;
        m.name = pm.name;
        m.role = pm.role;
        m.state = pm.state;
        m.timeline = pm.timeline;
        m.host = pm.host;
        m.port = pm.port;
        const auto state = down.contains(pm.name) ? services::ChannelStatus::State::Unreachable
                                                  : services::ChannelStatus::State::Ok;
        m.rest.state = m.sql.state = state;
        s.members.append(m);
    }
    return s;
}

inline QDateTime failoverStart()
{
    return QDateTime(QDate(2026, 11, 27), QTime(0, 41, 0), Qt::UTC);
}

// Healthy at 00:41:00 and :01; node1 killed (unreachable from :02, its key alive until :17);
// node2 elected at :18 on timeline 2 (node1 gone from the DCS view); node1 rejoined at :50.
inline QList<services::ClusterSnapshot> recordedFailover()
{
    const QDateTime t0 = failoverStart();
    QList<services::ClusterSnapshot> all;
    all << recordedSnapshot(QStringLiteral("cluster.json"), t0)
        << recordedSnapshot(QStringLiteral("cluster.json"), t0.addSecs(1));
    for (int s = 2; s < 18; ++s)
        all << recordedSnapshot(QStringLiteral("cluster-after-kill.json"), t0.addSecs(s),
                                {QStringLiteral("node1")});
    for (int s = 18; s < 50; ++s)
        all << recordedSnapshot(QStringLiteral("cluster-new-leader.json"), t0.addSecs(s));
    for (int s = 50; s < 53; ++s)
        all << recordedSnapshot(QStringLiteral("cluster-rejoined.json"), t0.addSecs(s));
    return all;
}

// The alert engine's events during that failover (primary down raised 4 s after the kill,
// acknowledged by alice, cleared once node2 led; replica_down for node1 until it rejoined).
inline QList<services::AlertEvent> recordedFailoverAlerts()
{
    using services::AlertEvent;
    using services::Finding;
    const QDateTime t0 = failoverStart();
    const auto make = [&](AlertEvent::Kind kind, int second, Finding::Code code,
                          const QString &member, const QString &message) {
        AlertEvent e;
        e.kind = kind;
        e.at = t0.addSecs(second);
        e.cluster = QStringLiteral("hokm-ha");
        e.code = code;
        e.member = member;
        e.severity = e.previousSeverity = Finding::Severity::Critical;
        e.message = message;
        return e;
    };
    const QString down = QStringLiteral("Leader node1 is down; Patroni fails over when its key "
                                        "expires in ≈14 s (ttl 20 s).");
    AlertEvent raised = make(AlertEvent::Kind::Raised, 4, Finding::Code::PrimaryDown,
                             QStringLiteral("node1"), down);
    AlertEvent ack = make(AlertEvent::Kind::Acknowledged, 10, Finding::Code::PrimaryDown,
                          QStringLiteral("node1"), down);
    ack.by = QStringLiteral("alice");
    AlertEvent cleared = make(AlertEvent::Kind::Cleared, 22, Finding::Code::PrimaryDown,
                              QStringLiteral("node1"), down);
    cleared.lastedSeconds = 18;
    AlertEvent replica =
        make(AlertEvent::Kind::Raised, 24, Finding::Code::ReplicaDown, QStringLiteral("node1"),
             QStringLiteral("Replica node1 is not running."));
    replica.severity = replica.previousSeverity = Finding::Severity::Warning;
    AlertEvent replicaCleared = replica;
    replicaCleared.kind = AlertEvent::Kind::Cleared;
    replicaCleared.at = t0.addSecs(52);
    replicaCleared.lastedSeconds = 28;
    return {raised, ack, cleared, replica, replicaCleared};
}

inline int countKind(const QList<services::TimelineEvent> &events,
                     services::TimelineEvent::Kind kind)
{
    return int(std::count_if(events.begin(), events.end(),
                             [kind](const services::TimelineEvent &e) { return e.kind == kind; }));
}

} // namespace vigil::test
