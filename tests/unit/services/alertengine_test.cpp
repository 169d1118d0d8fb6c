// AlertEngine on hand-built snapshots: hysteresis at the edges, raise and clear counts,
// acknowledge, escalation, and the history file.
#include "services/monitor/alertengine.h"
#include "services/monitor/alerthistory.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::healthyOnDefaultPorts;
using vigil::test::memberNamed;
using vigil::test::setLag;
using Kind = AlertEvent::Kind;
using Sev = Finding::Severity;

namespace {

const QString kLagKey = alertKey(Finding::Code::ReplicationLag, QStringLiteral("node2"));

// The healthy cluster `second` seconds after healthyOnDefaultPorts(), node2 behind by `lag` s.
ClusterSnapshot lagged(int second, double lag)
{
    ClusterSnapshot s = healthyOnDefaultPorts();
    s.sequence += quint64(second);
    s.takenAt = s.takenAt.addSecs(second);
    for (MemberSnapshot &m : s.members) {
        m.rest.lastOk = m.sql.lastOk = s.takenAt;
        if (m.patroni)
            m.patroni->dcsLastSeen = s.takenAt.addSecs(-1);
    }
    setLag(s, QStringLiteral("node2"), 0, lag);
    return s;
}

// Feeds the lag series one snapshot a second from `start`; returns every event.
QList<AlertEvent> feed(AlertEngine &engine, const QList<double> &lags, int start = 0)
{
    QList<AlertEvent> all;
    for (int i = 0; i < lags.size(); ++i)
        all += engine.ingest(lagged(start + i, lags.at(i)));
    return all;
}

int count(const QList<AlertEvent> &events, Kind kind)
{
    return int(std::count_if(events.begin(), events.end(),
                             [kind](const AlertEvent &e) { return e.kind == kind; }));
}

} // namespace

TEST(AlertEngine, HealthyClusterRaisesNothing)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(feed(engine, {0, 0, 0, 0}).isEmpty());
    EXPECT_TRUE(engine.activeAlerts().isEmpty());
}

TEST(AlertEngine, RelaxedThresholdsMoveEveryLevelTowardsFine)
{
    const FindingThresholds r = AlertEngine::relaxedThresholds({});
    EXPECT_DOUBLE_EQ(r.lagCriticalSeconds, 27);
    EXPECT_DOUBLE_EQ(r.lagWarningSeconds, 9);
    EXPECT_DOUBLE_EQ(r.connectionsCritical, 0.855);
    EXPECT_DOUBLE_EQ(r.diskFreeCritical, 0.11);
}

TEST(AlertEngine, WarningNeedsThreeConsecutiveSnapshots)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    // Above 10 s, then back, twice: never three in a row.
    EXPECT_TRUE(feed(engine, {11, 11, 8, 11, 11, 8}).isEmpty());
    const auto events = feed(engine, {11, 11, 11}, 6);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().kind, Kind::Raised);
    EXPECT_EQ(events.first().severity, Sev::Warning);
    EXPECT_EQ(events.first().cluster, QStringLiteral("hokm-ha"));
    EXPECT_EQ(events.first().at, lagged(8, 0).takenAt);
    const auto alert = engine.activeAlert(kLagKey);
    ASSERT_TRUE(alert);
    EXPECT_EQ(alert->since, lagged(8, 0).takenAt);
    EXPECT_TRUE(alert->message.contains(QLatin1String("node2")));
}

TEST(AlertEngine, FlappingAroundTheEdgeRaisesOnceAndClearsOnce)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    // Raised on the third; then wandering between 9.2 and 11 s stays above the relaxed 9 s.
    QList<AlertEvent> events =
        feed(engine, {11, 11, 11, 9.5, 10.5, 9.2, 11, 9.8, 10.2, 9.9, 10.1, 9.6});
    EXPECT_EQ(count(events, Kind::Raised), 1);
    EXPECT_EQ(count(events, Kind::Cleared), 0);
    ASSERT_TRUE(engine.activeAlert(kLagKey));
    // Below 9 s: clears after five clean snapshots, once.
    events = feed(engine, {8, 8, 8, 8, 8, 8, 8}, 12);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().kind, Kind::Cleared);
    EXPECT_EQ(events.first().at, lagged(16, 0).takenAt);
    EXPECT_EQ(events.first().lastedSeconds, 14); // raised at second 2, cleared at 16
    EXPECT_FALSE(engine.activeAlert(kLagKey));
}

TEST(AlertEngine, ClearNeedsMConsecutiveCleanSnapshots)
{
    FindingThresholds t;
    t.alertClearSnapshots = 4;
    AlertEngine engine(QStringLiteral("hokm-ha"), t);
    feed(engine, {15, 15, 15});
    ASSERT_TRUE(engine.activeAlert(kLagKey));
    // Three clean, then the rule holds again (at the relaxed level): the count starts over.
    EXPECT_TRUE(feed(engine, {2, 2, 2, 9.5, 2, 2, 2}, 3).isEmpty());
    ASSERT_TRUE(engine.activeAlert(kLagKey));
    const auto events = feed(engine, {2}, 10);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().kind, Kind::Cleared);
    EXPECT_TRUE(engine.activeAlerts().isEmpty());
}

TEST(AlertEngine, CriticalRaisesAfterTwoSnapshots)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    EXPECT_TRUE(feed(engine, {45}).isEmpty());
    const auto events = feed(engine, {45}, 1);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().kind, Kind::Raised);
    EXPECT_EQ(events.first().severity, Sev::Critical);
}

TEST(AlertEngine, AcknowledgeLastsUntilTheSeverityRises)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    QList<AlertEvent> emitted;
    QObject::connect(&engine, &AlertEngine::alertEvent,
                     [&](const AlertEvent &e) { emitted.append(e); });
    feed(engine, {15, 15, 15});
    EXPECT_FALSE(engine.acknowledge(QStringLiteral("no_leader/")));
    const QDateTime ackAt = lagged(3, 0).takenAt;
    ASSERT_TRUE(engine.acknowledge(kLagKey, QStringLiteral("dba"), ackAt));
    EXPECT_FALSE(engine.acknowledge(kLagKey, QStringLiteral("dba"), ackAt)) << "already";
    ASSERT_FALSE(emitted.isEmpty());
    EXPECT_EQ(emitted.last().kind, Kind::Acknowledged);
    EXPECT_EQ(emitted.last().by, QStringLiteral("dba"));
    EXPECT_EQ(engine.activeAlert(kLagKey)->acknowledgedAt, ackAt);

    // Still a warning: stays acknowledged.
    feed(engine, {18, 19, 14}, 4);
    EXPECT_TRUE(engine.activeAlert(kLagKey)->acknowledged());

    // Above 30 s once: not yet; twice: escalated, and no longer acknowledged.
    EXPECT_TRUE(feed(engine, {35}, 7).isEmpty());
    const auto events = feed(engine, {36}, 8);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().kind, Kind::Escalated);
    EXPECT_EQ(events.first().previousSeverity, Sev::Warning);
    EXPECT_EQ(events.first().severity, Sev::Critical);
    const auto alert = engine.activeAlert(kLagKey);
    EXPECT_EQ(alert->severity, Sev::Critical);
    EXPECT_FALSE(alert->acknowledged());
    EXPECT_EQ(alert->since, lagged(2, 0).takenAt) << "one alert: escalating does not re-raise";
}

TEST(AlertEngine, DeescalatesOnlyBelowTheRelaxedLevelForMSnapshots)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    feed(engine, {45, 45});
    ASSERT_EQ(engine.activeAlert(kLagKey)->severity, Sev::Critical);
    // 28-29 s is below 30 but above the relaxed 27 s: still critical.
    EXPECT_TRUE(feed(engine, {29, 28, 29, 28, 29, 28}, 2).isEmpty());
    ASSERT_TRUE(engine.acknowledge(kLagKey, QStringLiteral("dba"), lagged(8, 0).takenAt));
    const auto events = feed(engine, {20, 20, 20, 20, 20}, 8);
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().kind, Kind::Deescalated);
    EXPECT_EQ(events.first().severity, Sev::Warning);
    EXPECT_TRUE(engine.activeAlert(kLagKey)->acknowledged()) << "going down keeps the ack";
    // Cleared: its worst severity is in the event (a cleared critical notifies).
    const auto cleared = feed(engine, {0, 0, 0, 0, 0}, 13);
    ASSERT_EQ(cleared.size(), 1);
    EXPECT_EQ(cleared.first().previousSeverity, Sev::Critical);
}

TEST(AlertEngine, ReplicaDownRaisesAndClearsByCounts)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    QList<AlertEvent> events;
    for (int i = 0; i < 10; ++i) {
        ClusterSnapshot s = lagged(i, 0);
        if (i < 4)
            memberNamed(s, QStringLiteral("node3")).state = QStringLiteral("stopped");
        events += engine.ingest(s);
    }
    ASSERT_EQ(count(events, Kind::Raised), 1);
    EXPECT_EQ(count(events, Kind::Cleared), 1);
    EXPECT_EQ(events.first().code, Finding::Code::ReplicaDown);
    EXPECT_EQ(events.first().member, QStringLiteral("node3"));
    EXPECT_EQ(events.last().lastedSeconds, 6); // raised at 2, clean from 4, cleared at 8
}

TEST(AlertEngine, HistoryKeepsEveryEventAndSkipsBadLines)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    AlertHistory history(dir.filePath(QStringLiteral("alerts.jsonl")));
    AlertEngine engine(QStringLiteral("hokm-ha"));
    engine.setHistory(&history);
    feed(engine, {45, 45});
    engine.acknowledge(kLagKey, QStringLiteral("dba"), lagged(2, 0).takenAt);
    {
        QFile f(history.filePath());
        ASSERT_TRUE(f.open(QIODevice::Append));
        f.write("not json\n{\"event\":\"nonsense\"}\n");
    }
    feed(engine, {0, 0, 0, 0, 0}, 3);
    const QList<AlertEvent> read = history.readAll();
    ASSERT_EQ(read.size(), 3);
    EXPECT_EQ(read.at(0).kind, Kind::Raised);
    EXPECT_EQ(read.at(0).severity, Sev::Critical);
    EXPECT_EQ(read.at(0).code, Finding::Code::ReplicationLag);
    EXPECT_EQ(read.at(1).kind, Kind::Acknowledged);
    EXPECT_EQ(read.at(1).by, QStringLiteral("dba"));
    EXPECT_EQ(read.at(2).kind, Kind::Cleared);
    EXPECT_EQ(read.at(2).lastedSeconds, 6);
    for (const AlertEvent &e : read)
        EXPECT_EQ(e.cluster, QStringLiteral("hokm-ha"));

    // A new engine (a restart) starts with nothing active, whatever the history says.
    AlertEngine restarted(QStringLiteral("hokm-ha"));
    restarted.setHistory(&history);
    EXPECT_TRUE(restarted.activeAlerts().isEmpty());
}

TEST(AlertEngine, HistoryWriteFailureIsReported)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    // A folder where the file should be: open fails.
    ASSERT_TRUE(QDir(dir.path()).mkpath(QStringLiteral("alerts.jsonl")));
    AlertHistory history(dir.filePath(QStringLiteral("alerts.jsonl")));
    AlertEngine engine(QStringLiteral("hokm-ha"));
    engine.setHistory(&history);
    QString failure;
    QObject::connect(&engine, &AlertEngine::historyFailed, [&](const QString &m) { failure = m; });
    feed(engine, {45, 45});
    EXPECT_TRUE(failure.contains(QLatin1String("alert history"))) << failure.toStdString();
    EXPECT_TRUE(engine.activeAlert(kLagKey)) << "the alert itself is not lost";
}

namespace {

vigil::test::SandboxShape shapeAt(int seconds)
{
    vigil::test::SandboxShape shape;
    shape.sequence += quint64(seconds);
    shape.takenAt = shape.takenAt.addSecs(seconds);
    return shape;
}

// The leader node1 crashed at second 0; from second 10 node3 leads (an unplanned failover).
ClusterSnapshot failoverAt(int seconds)
{
    if (seconds < 10)
        return vigil::test::leaderCrashedSnapshot(shapeAt(seconds));
    ClusterSnapshot s =
        vigil::test::afterFailoverSnapshot(shapeAt(seconds), QStringLiteral("node3"));
    const QDateTime start = shapeAt(0).takenAt;
    s.leaderChange = LeaderChange{QStringLiteral("node1"), QStringLiteral("node3"),
                                  start.addSecs(-2), start.addSecs(10), false};
    return s;
}

// The events of the "primary down" alert of node1.
QList<AlertEvent> primaryDownOf(const QList<AlertEvent> &events)
{
    const QString key = alertKey(Finding::Code::PrimaryDown, QStringLiteral("node1"));
    QList<AlertEvent> own;
    for (const AlertEvent &e : events)
        if (alertKey(e.code, e.member) == key)
            own << e;
    return own;
}

} // namespace

// The sandbox's leader-kill drill (tests/integration/alertfaults_test.cpp) showed the cleared
// "primary down" still saying "fails over when its key expires in ≈2 s": the clear now carries
// the failover's sentence, with the new leader and how long it took.
TEST(AlertEngine, PrimaryDownClearedByAFailoverNamesTheNewLeaderAndHowLongItTook)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    QList<AlertEvent> events;
    for (int i = 0; i < 20; ++i)
        events += engine.ingest(failoverAt(i));
    const QList<AlertEvent> own = primaryDownOf(events);
    ASSERT_EQ(own.size(), 2);
    EXPECT_EQ(own.first().kind, Kind::Raised);
    EXPECT_TRUE(own.first().message.startsWith(QStringLiteral("Leader node1 is down")))
        << own.first().message.toStdString();
    EXPECT_EQ(own.last().kind, Kind::Cleared);
    EXPECT_TRUE(own.last().message.contains(
        QStringLiteral("Leader node1 went down; Patroni failed over to node3 after 12 s")))
        << own.last().message.toStdString();
}

// A leader that answers again without a failover (Patroni restarted it in place) keeps the
// sentence it had: there is no failover to tell.
TEST(AlertEngine, PrimaryDownClearedWithoutAFailoverKeepsItsSentence)
{
    AlertEngine engine(QStringLiteral("hokm-ha"));
    QList<AlertEvent> events;
    for (int i = 0; i < 12; ++i)
        events += engine.ingest(i < 4 ? vigil::test::leaderCrashedSnapshot(shapeAt(i))
                                      : vigil::test::healthySnapshot(shapeAt(i)));
    const QList<AlertEvent> own = primaryDownOf(events);
    ASSERT_EQ(own.size(), 2);
    EXPECT_EQ(own.first().kind, Kind::Raised);
    EXPECT_EQ(own.last().kind, Kind::Cleared);
    EXPECT_TRUE(own.last().message.startsWith(QStringLiteral("Leader node1 is down")))
        << own.last().message.toStdString();
}
