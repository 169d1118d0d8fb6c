// The incident timeline on a recorded failover (tests/support/recordedfailover.h): what the
// recorder derives from the snapshots, alerts, audit entries and Patroni's /history, how it
// deduplicates, and how the store persists, reloads and rotates.
#include "services/core/auditlog.h"
#include "services/timeline/timelinerecorder.h"
#include "services/timeline/timelinestore.h"
#include "support/qtprinters.h"
#include "support/recordedfailover.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::countKind;
using vigil::test::failoverStart;
using vigil::test::recordedFailover;
using vigil::test::recordedFailoverAlerts;
using Kind = TimelineEvent::Kind;

namespace {

QList<PatroniHistoryEntry> recordedHistory()
{
    const auto h = parsePatroniHistory(
        vigil::test::patroniFixture(QStringLiteral("history-after-failover.json")));
    EXPECT_TRUE(h.ok());
    return h.value();
}

AuditEntry switchoverEntry(const QString &cluster, int second)
{
    AuditEntry a;
    a.when = failoverStart().addSecs(second);
    a.osUser = QStringLiteral("bob");
    a.cluster = cluster;
    a.action = QStringLiteral("switchover");
    a.parameters = {{QStringLiteral("candidate"), QStringLiteral("node3")}};
    a.result = QStringLiteral("ok");
    a.serverAnswer = QStringLiteral("Successfully switched over to \"node3\"");
    return a;
}

void feedFailover(TimelineRecorder &recorder)
{
    for (const ClusterSnapshot &s : recordedFailover())
        recorder.ingest(s);
}

} // namespace

TEST(TimelineRecorder, RecordedFailoverGivesLeaderTimelineAndMemberEvents)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    int wanted = 0;
    QObject::connect(&recorder, &TimelineRecorder::historyWanted, [&wanted] { ++wanted; });
    feedFailover(recorder);
    const QList<TimelineEvent> &events = recorder.events();

    ASSERT_EQ(countKind(events, Kind::LeaderObserved), 1);
    const auto leader = std::find_if(events.begin(), events.end(), [](const TimelineEvent &e) {
        return e.kind == Kind::LeaderObserved;
    });
    EXPECT_EQ(leader->from, QStringLiteral("node1"));
    EXPECT_EQ(leader->to, QStringLiteral("node2"));
    EXPECT_EQ(leader->at, failoverStart().addSecs(18));
    EXPECT_TRUE(leader->text.contains(QStringLiteral("Failover"))) << leader->text.toStdString();

    ASSERT_EQ(countKind(events, Kind::TimelineBump), 1);
    EXPECT_GE(wanted, 2);

    // node1: unreachable from the first of two failed cycles (:02), gone at :18, back at :50;
    // one slow cycle never makes an event.
    QStringList node1;
    for (const TimelineEvent &e : events)
        if (e.kind == Kind::MemberState && e.member == QStringLiteral("node1"))
            node1 << QStringLiteral("%1@%2").arg(e.to).arg(failoverStart().secsTo(e.at));
    EXPECT_EQ(node1, QStringList({QStringLiteral("unreachable@2"), QStringLiteral("gone@18"),
                                  QStringLiteral("running@50")}));
    for (const TimelineEvent &e : events)
        EXPECT_EQ(e.cluster, QStringLiteral("hokm-ha"));
}

TEST(TimelineRecorder, OneFailedCycleIsNoStateChange)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    const QDateTime t0 = failoverStart();
    recorder.ingest(vigil::test::recordedSnapshot(QStringLiteral("cluster.json"), t0));
    recorder.ingest(vigil::test::recordedSnapshot(QStringLiteral("cluster.json"), t0.addSecs(1),
                                                  {QStringLiteral("node3")}));
    recorder.ingest(vigil::test::recordedSnapshot(QStringLiteral("cluster.json"), t0.addSecs(2)));
    EXPECT_TRUE(recorder.events().isEmpty());
}

TEST(TimelineRecorder, HistoryOfAnObservedFailoverAddsNothing)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    feedFailover(recorder);
    const qsizetype before = recorder.events().size();
    recorder.mergeHistory(recordedHistory());
    EXPECT_EQ(recorder.events().size(), before);
    EXPECT_EQ(countKind(recorder.events(), Kind::LeaderFromHistory), 0);
}

TEST(TimelineRecorder, HistoryOfAnUnseenFailoverIsAddedOnce)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    recorder.mergeHistory(recordedHistory());
    recorder.mergeHistory(recordedHistory());
    ASSERT_EQ(recorder.events().size(), 1);
    const TimelineEvent &e = recorder.events().constFirst();
    EXPECT_EQ(e.kind, Kind::LeaderFromHistory);
    EXPECT_EQ(e.to, QStringLiteral("node2"));
    EXPECT_EQ(e.timeline, 2);
    EXPECT_EQ(e.at,
              QDateTime::fromString(QStringLiteral("2026-11-27T00:41:18.239Z"), Qt::ISODateWithMs));
    EXPECT_TRUE(e.text.contains(QStringLiteral("no recovery target specified")));
}

TEST(TimelineRecorder, AlertEventsBecomeRaisedAcknowledgedCleared)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    for (const AlertEvent &a : recordedFailoverAlerts())
        recorder.ingestAlert(a);
    const QList<TimelineEvent> &events = recorder.events();
    EXPECT_EQ(countKind(events, Kind::AlertRaised), 2);
    EXPECT_EQ(countKind(events, Kind::AlertAcknowledged), 1);
    EXPECT_EQ(countKind(events, Kind::AlertCleared), 2);
    EXPECT_EQ(events.at(1).who, QStringLiteral("alice"));
    EXPECT_EQ(events.at(2).lastedSeconds, 18);
    EXPECT_EQ(events.at(0).key, QStringLiteral("primary_down/node1"));
}

TEST(TimelineRecorder, AuditEntriesOfThisClusterAreImportedOnce)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    const QList<AuditEntry> log = {switchoverEntry(QStringLiteral("hokm-ha"), 60),
                                   switchoverEntry(QStringLiteral("other"), 61)};
    recorder.importAudit(log);
    recorder.importAudit(log);
    ASSERT_EQ(recorder.events().size(), 1);
    const TimelineEvent &e = recorder.events().constFirst();
    EXPECT_EQ(e.kind, Kind::OperatorAction);
    EXPECT_EQ(e.who, QStringLiteral("bob"));
    EXPECT_EQ(e.key, QStringLiteral("switchover"));
    EXPECT_TRUE(e.text.contains(QStringLiteral("node3"))) << e.text.toStdString();
}

TEST(TimelineRecorder, KeepsTheNewestEventsInMemoryAndStillDeduplicates)
{
    TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    recorder.setMemoryLimit(10);
    QList<AuditEntry> log;
    for (int i = 0; i < 25; ++i)
        log << switchoverEntry(QStringLiteral("hokm-ha"), i);
    recorder.importAudit(log);
    // Trimmed to 10 whenever it passed 11 (a tenth of slack): 25 -> between 10 and 11.
    ASSERT_GE(recorder.events().size(), 10);
    ASSERT_LE(recorder.events().size(), 11);
    EXPECT_EQ(recorder.events().constLast().at, failoverStart().addSecs(24));
    EXPECT_EQ(recorder.events().constFirst().at,
              failoverStart().addSecs(25 - recorder.events().size()));
    // The trimmed ones were seen: reading the same log again adds nothing.
    const qsizetype before = recorder.events().size();
    recorder.importAudit(log);
    EXPECT_EQ(recorder.events().size(), before);

    // No limit: everything is kept (the CLI and the health report read a whole period).
    TimelineRecorder all(QStringLiteral("hokm-ha"));
    all.setMemoryLimit(0);
    all.importAudit(log);
    EXPECT_EQ(all.events().size(), 25);

    QList<TimelineEvent> events = all.events();
    trimTimeline(events, 20); // 25 is past 20 and a tenth (22): cut to 20
    ASSERT_EQ(events.size(), 20);
    EXPECT_EQ(events.constFirst().at, failoverStart().addSecs(5));
    trimTimeline(events, 19); // 20 is within 19 and a tenth (20): kept as it is
    EXPECT_EQ(events.size(), 20);
}

// The CLI logs its operations under the Patroni scope, the GUI under the profile name: a profile
// named otherwise sees the scope's entries once the scope is known, also from an audit file it
// had already read before (vigil timeline missed CLI switchovers before the scope was learnt).
TEST(TimelineRecorder, AuditEntriesUnderTheScopeAreReadOnceTheScopeIsKnown)
{
    QTemporaryDir dir;
    AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
    ASSERT_TRUE(log.append(switchoverEntry(QStringLiteral("hokm-ha"), 60)));
    TimelineRecorder recorder(QStringLiteral("production east"));
    recorder.importAuditFile(log);
    EXPECT_TRUE(recorder.events().isEmpty());
    recorder.setScope(QString()); // an unknown scope changes nothing
    recorder.importAuditFile(log);
    EXPECT_TRUE(recorder.events().isEmpty());
    recorder.setScope(QStringLiteral("hokm-ha"));
    recorder.importAuditFile(log);
    ASSERT_EQ(recorder.events().size(), 1);
    EXPECT_EQ(recorder.events().constFirst().key, QStringLiteral("switchover"));
    recorder.importAuditFile(log); // unchanged file and scope: not read again
    EXPECT_EQ(recorder.events().size(), 1);
}

TEST(TimelineStore, PersistsReloadsAndDeduplicatesAcrossRestarts)
{
    QTemporaryDir dir;
    const TimelineStore store(QStringLiteral("hokm-ha"), dir.path());
    {
        TimelineRecorder recorder(QStringLiteral("hokm-ha"), &store);
        feedFailover(recorder);
        for (const AlertEvent &a : recordedFailoverAlerts())
            recorder.ingestAlert(a);
        recorder.importAudit({switchoverEntry(QStringLiteral("hokm-ha"), 60)});
    }
    const QList<TimelineEvent> stored = store.readAll();
    EXPECT_EQ(stored.size(), 11);
    EXPECT_TRUE(std::is_sorted(stored.begin(), stored.end(),
                               [](const auto &a, const auto &b) { return a.at < b.at; }));

    // A new process: the audit entry and the history are not added again.
    TimelineRecorder again(QStringLiteral("hokm-ha"), &store);
    EXPECT_EQ(again.events(), stored);
    again.importAudit({switchoverEntry(QStringLiteral("hokm-ha"), 60)});
    again.mergeHistory(recordedHistory());
    EXPECT_EQ(store.readAll().size(), 11);
    EXPECT_EQ(store.readSince(failoverStart().addSecs(30)).size(), 3);
    EXPECT_TRUE(QFileInfo(store.filePath()).fileName() == QStringLiteral("hokm-ha.jsonl"));
}

TEST(TimelineStore, RotatesAtTheLimitAndKeepsOnePreviousFile)
{
    QTemporaryDir dir;
    TimelineStore store(QStringLiteral("a/b c"), dir.path());
    EXPECT_EQ(QFileInfo(store.filePath()).fileName(), QStringLiteral("a%2Fb%20c.jsonl"));
    store.setMaxBytes(1000);
    TimelineEvent e;
    e.cluster = store.cluster();
    e.kind = Kind::MemberState;
    e.text = QString(150, QLatin1Char('x'));
    for (int i = 0; i < 40; ++i) {
        e.at = failoverStart().addSecs(i);
        ASSERT_TRUE(store.append(e));
    }
    EXPECT_LE(QFileInfo(store.filePath()).size(), 1000 + 400);
    EXPECT_TRUE(QFileInfo::exists(store.rotatedFilePath()));
    const QList<TimelineEvent> kept = store.readAll();
    EXPECT_LT(kept.size(), 40);
    EXPECT_GE(kept.size(), 5);
    EXPECT_EQ(kept.constLast().at, failoverStart().addSecs(39));
}

TEST(TimelineStore, BadLinesAreSkippedAndWriteFailuresNamed)
{
    QTemporaryDir dir;
    const TimelineStore store(QStringLiteral("hokm-ha"), dir.path());
    TimelineEvent e;
    e.at = failoverStart();
    e.kind = Kind::TimelineBump;
    e.timeline = 2;
    ASSERT_TRUE(store.append(e));
    QFile f(store.filePath());
    ASSERT_TRUE(f.open(QIODevice::Append));
    f.write("{not json\n{\"kind\":\"nonsense\",\"when\":\"2026-11-27T00:00:00Z\"}\n");
    f.close();
    ASSERT_EQ(store.readAll().size(), 1);
    EXPECT_EQ(store.readAll().constFirst().timeline, 2);

    const TimelineStore blocked(QStringLiteral("x"), store.filePath()); // a file, not a folder
    QString error;
    EXPECT_FALSE(blocked.append(e, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("incident timeline"))) << error.toStdString();
}
