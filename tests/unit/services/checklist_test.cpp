// The maintenance checklists (services/maintenance): due and overdue per period, the JSONL
// history (reload, bad lines skipped) and each automatic check on recorded snapshots (the
// sandbox's recorded failover, the snapshot builder's sandbox cluster) and audit entries as
// Vigil's own writers make them.
#include "services/backup/backupaudit.h"
#include "services/maintenance/checklistchecks.h"
#include "services/maintenance/checkliststore.h"
#include "services/monitor/findings.h"
#include "support/recordedfailover.h"
#include "support/snapshotbuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;
using Outcome = ChecklistRecord::Outcome;

namespace {

const QDateTime kNow(QDate(2026, 12, 4), QTime(14, 0, 0), Qt::UTC);

ChecklistRecord rec(const QString &item, Outcome outcome, const QDateTime &at)
{
    ChecklistRecord r;
    r.item = item;
    r.outcome = outcome;
    r.at = at;
    r.who = QStringLiteral("alice");
    return r;
}

ChecklistItemStatus statusOf(const QList<ChecklistRecord> &records, const QString &id,
                             const QDateTime &now = kNow)
{
    for (const ChecklistItemStatus &s : checklistStatus(records, now))
        if (s.item.id == id)
            return s;
    ADD_FAILURE() << "no item " << id.toStdString();
    return {};
}

ChecklistItem item(const QString &id)
{
    const auto found = findChecklistItem(id);
    EXPECT_TRUE(found) << id.toStdString();
    return found.value_or(ChecklistItem{});
}

ChecklistCheckInput input(ClusterSnapshot s)
{
    s.findings = deriveFindings(s);
    ChecklistCheckInput in;
    in.snapshot = std::make_shared<const ClusterSnapshot>(std::move(s));
    in.clusterNames = {QStringLiteral("prod"), QStringLiteral("hokm-ha")};
    in.now = kNow;
    in.who = QStringLiteral("alice");
    return in;
}

AuditEntry backupEntry(const QDateTime &when, bool ok,
                       const QString &cluster = QStringLiteral("hokm-ha"))
{
    PgDumpRequest request;
    request.database = QStringLiteral("hokm_game");
    request.outputFile = QStringLiteral("/backups/hokm_game.dump");
    BackupResult result;
    result.file = request.outputFile;
    result.bytes = 85'000'000;
    result.sha256Hex = QByteArrayLiteral("ab12");
    result.host = QStringLiteral("127.0.0.1:62111");
    result.pgDumpVersion = QStringLiteral("pg_dump (PostgreSQL) 15.10");
    const ServiceError failed = ServiceError::make(
        ServiceError::Kind::Connect, QStringLiteral("pg_dump"), QStringLiteral("127.0.0.1:62111"),
        {}, QStringLiteral("connection refused"));
    AuditEntry e =
        backupAuditEntry(cluster, QStringLiteral("node2"), request, ok ? &result : nullptr, failed);
    e.when = when;
    e.osUser = QStringLiteral("bob");
    return e;
}

// As SwitchoverRunner writes it (action = the plan's kind, result from the outcome).
AuditEntry operationEntry(const QString &action, const QDateTime &when, const QString &result)
{
    AuditEntry e;
    e.when = when;
    e.osUser = QStringLiteral("carol");
    e.cluster = QStringLiteral("hokm-ha");
    e.member = QStringLiteral("node2");
    e.action = action;
    e.result = result;
    e.serverAnswer = QStringLiteral("200 Successfully switched over to \"node2\"");
    return e;
}

} // namespace

TEST(ChecklistDue, NeverDoneIsOverdue)
{
    const ChecklistItemStatus s = statusOf({}, QStringLiteral("daily.health"));
    EXPECT_TRUE(s.overdue);
    EXPECT_FALSE(s.dueAt.isValid());
    EXPECT_EQ(overdueCount(checklistStatus({}, kNow)), maintenanceSchedule().size());
}

TEST(ChecklistDue, EachPeriodFromTheLastPassOrTick)
{
    const QList<ChecklistRecord> records = {
        rec(QStringLiteral("daily.health"), Outcome::Passed, kNow.addSecs(-23 * 3600)),
        rec(QStringLiteral("daily.metrics"), Outcome::Passed, kNow.addSecs(-25 * 3600)),
        rec(QStringLiteral("weekly.slow-queries"), Outcome::Ticked, kNow.addDays(-6)),
        rec(QStringLiteral("weekly.security-patches"), Outcome::Ticked, kNow.addDays(-8)),
        rec(QStringLiteral("monthly.security-audit"), Outcome::Ticked, kNow.addMonths(-1)),
        rec(QStringLiteral("quarterly.documentation"), Outcome::Ticked, kNow.addMonths(-2))};
    EXPECT_FALSE(statusOf(records, QStringLiteral("daily.health")).overdue);
    EXPECT_TRUE(statusOf(records, QStringLiteral("daily.metrics")).overdue);
    EXPECT_FALSE(statusOf(records, QStringLiteral("weekly.slow-queries")).overdue);
    EXPECT_TRUE(statusOf(records, QStringLiteral("weekly.security-patches")).overdue);
    // Exactly one calendar month: due now, so overdue.
    EXPECT_TRUE(statusOf(records, QStringLiteral("monthly.security-audit")).overdue);
    const ChecklistItemStatus docs = statusOf(records, QStringLiteral("quarterly.documentation"));
    EXPECT_FALSE(docs.overdue);
    EXPECT_EQ(docs.dueAt, kNow.addMonths(1));
    EXPECT_EQ(overdueCount(checklistStatus(records, kNow)), maintenanceSchedule().size() - 3);
}

TEST(ChecklistDue, MonthsAreCalendarMonths)
{
    const QDateTime jan31(QDate(2026, 1, 31), QTime(9, 0), Qt::UTC);
    EXPECT_EQ(nextDue(ChecklistItem::Period::Monthly, jan31).date(), QDate(2026, 2, 28));
    EXPECT_EQ(nextDue(ChecklistItem::Period::Quarterly, jan31).date(), QDate(2026, 4, 30));
}

TEST(ChecklistDue, AFailureAfterAPassKeepsThePassAndShowsTheFailure)
{
    const QList<ChecklistRecord> records = {
        rec(QStringLiteral("daily.health"), Outcome::Passed, kNow.addSecs(-3 * 3600)),
        rec(QStringLiteral("daily.health"), Outcome::Failed, kNow.addSecs(-3600)),
        rec(QStringLiteral("daily.health"), Outcome::Unknown, kNow.addSecs(-7200))};
    const ChecklistItemStatus s = statusOf(records, QStringLiteral("daily.health"));
    EXPECT_FALSE(s.overdue);
    ASSERT_TRUE(s.last);
    EXPECT_EQ(s.last->outcome, Outcome::Failed);
    ASSERT_TRUE(s.lastDone);
    EXPECT_EQ(s.lastDone->outcome, Outcome::Passed);
}

TEST(ChecklistDue, APassCountsFromWhenTheEvidenceHappened)
{
    // A restore test six days old found today is due again tomorrow, not in a week.
    ChecklistRecord r = rec(QStringLiteral("weekly.restore-test"), Outcome::Passed, kNow);
    r.doneAt = kNow.addDays(-6);
    const ChecklistItemStatus s = statusOf({r}, QStringLiteral("weekly.restore-test"));
    EXPECT_EQ(s.dueAt, kNow.addDays(1));
    EXPECT_TRUE(statusOf({r}, QStringLiteral("weekly.restore-test"), kNow.addDays(1)).overdue);
}

TEST(ChecklistItems, FoundByIdOrTitle)
{
    EXPECT_EQ(item(QStringLiteral("Review error logs")).id, QStringLiteral("daily.error-logs"));
    EXPECT_EQ(item(QStringLiteral("MONTHLY.FAILOVER-TEST")).check,
              ChecklistItem::Check::FailoverTest);
    EXPECT_FALSE(findChecklistItem(QStringLiteral("daily.coffee")));
    EXPECT_EQ(maintenanceSchedule().size(), 16);
}

TEST(ChecklistStore, ReloadsWhatItAppendedAndSkipsBadLines)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const ChecklistStore store(QStringLiteral("prod/eu 1"), dir.path());
    EXPECT_TRUE(store.filePath().endsWith(QStringLiteral("/prod%2Feu%201.jsonl")));
    ChecklistRecord tick = rec(QStringLiteral("weekly.security-patches"), Outcome::Ticked, kNow);
    tick.comment = QStringLiteral("apt upgrade on node1-3, rolling restart");
    ChecklistRecord check = rec(QStringLiteral("daily.backup"), Outcome::Passed, kNow.addSecs(-60));
    check.evidence = QStringLiteral("Last backup: hokm_game");
    check.doneAt = kNow.addSecs(-3600);
    QString error;
    ASSERT_TRUE(store.append(tick, &error)) << error.toStdString();
    {
        QFile f(store.filePath());
        ASSERT_TRUE(f.open(QIODevice::Append));
        f.write("{\"at\":\"2026-12-04T1"); // a torn line
        f.write("\n{\"at\":\"2026-12-04T10:00:00Z\",\"item\":\"daily.health\",\"outcome\":"
                "\"maybe\"}\n");
        f.write("[1,2]\n");
    }
    ASSERT_TRUE(store.append(check, &error)) << error.toStdString();

    const QList<ChecklistRecord> back =
        ChecklistStore(QStringLiteral("prod/eu 1"), dir.path()).readAll();
    ASSERT_EQ(back.size(), 2);
    EXPECT_EQ(back[0].item, QStringLiteral("daily.backup")); // oldest first
    EXPECT_EQ(back[0].doneAt, check.doneAt);
    EXPECT_EQ(back[0].evidence, check.evidence);
    EXPECT_EQ(back[1].outcome, Outcome::Ticked);
    EXPECT_EQ(back[1].comment, tick.comment);
    EXPECT_EQ(back[1].who, QStringLiteral("alice"));
    EXPECT_EQ(back[1].at, kNow);
    EXPECT_FALSE(
        QFile(store.filePath()).permissions().testAnyFlags(QFile::ReadOther | QFile::ReadGroup));
}

TEST(ChecklistChecks, HealthPassesOnAHealthyCluster)
{
    const ChecklistRecord r = runChecklistCheck(item(QStringLiteral("daily.health")),
                                                input(vigil::test::healthySnapshot()));
    EXPECT_EQ(r.outcome, Outcome::Passed) << r.evidence.toStdString();
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("leader node1"))) << r.evidence.toStdString();
    EXPECT_EQ(r.item, QStringLiteral("daily.health"));
    EXPECT_EQ(r.who, QStringLiteral("alice"));
}

TEST(ChecklistChecks, HealthFailsInTheRecordedFailover)
{
    // 5 s after the leader was killed: node1 answers nothing.
    const ClusterSnapshot s = vigil::test::recordedFailover().at(5);
    const ChecklistRecord r = runChecklistCheck(item(QStringLiteral("daily.health")), input(s));
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("CRITICAL"))) << r.evidence.toStdString();
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("node1"))) << r.evidence.toStdString();
}

TEST(ChecklistChecks, HealthFailsWithAFrozenReplica)
{
    ClusterSnapshot s = vigil::test::healthySnapshot();
    auto &node2 = vigil::test::memberNamed(s, QStringLiteral("node2"));
    node2.rest.state = node2.sql.state = ChannelStatus::State::Unresponsive;
    const ChecklistRecord r = runChecklistCheck(item(QStringLiteral("daily.health")), input(s));
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("WARNING node2"))) << r.evidence.toStdString();
}

TEST(ChecklistChecks, WithoutASnapshotNothingIsClaimed)
{
    ChecklistCheckInput in;
    in.now = kNow;
    for (const QString &id : {QStringLiteral("daily.health"), QStringLiteral("daily.metrics")})
        EXPECT_EQ(runChecklistCheck(item(id), in).outcome, Outcome::Unknown);
}

TEST(ChecklistChecks, MetricsAgainstTheProfilesThresholds)
{
    ClusterSnapshot s = vigil::test::healthySnapshot();
    ChecklistRecord r = runChecklistCheck(item(QStringLiteral("daily.metrics")), input(s));
    EXPECT_EQ(r.outcome, Outcome::Passed) << r.evidence.toStdString();
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("node2 lag 0.0 s"))) << r.evidence.toStdString();

    vigil::test::setLag(s, QStringLiteral("node3"), 64 << 20, 45.0);
    r = runChecklistCheck(item(QStringLiteral("daily.metrics")), input(s));
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("node3 lag 45.0 s")))
        << r.evidence.toStdString();

    ChecklistCheckInput relaxed = input(s);
    relaxed.thresholds.lagWarningSeconds = 60;
    EXPECT_EQ(runChecklistCheck(item(QStringLiteral("daily.metrics")), relaxed).outcome,
              Outcome::Passed);
}

TEST(ChecklistChecks, BackupNeedsARecentSuccessfulDumpAndAWorkingArchiver)
{
    const ChecklistItem backup = item(QStringLiteral("daily.backup"));
    ChecklistCheckInput in = input(vigil::test::healthySnapshot());
    ChecklistRecord r = runChecklistCheck(backup, in);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("No backup"))) << r.evidence.toStdString();

    in.audit = {backupEntry(kNow.addSecs(-7200), true),
                backupEntry(kNow.addSecs(-60), false, QStringLiteral("other-cluster"))};
    r = runChecklistCheck(backup, in);
    EXPECT_EQ(r.outcome, Outcome::Passed) << r.evidence.toStdString();
    EXPECT_EQ(r.doneAt, kNow.addSecs(-7200));
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("hokm_game from node2")));
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("81 MiB"))) << r.evidence.toStdString();

    in.audit << backupEntry(kNow.addSecs(-600), false);
    r = runChecklistCheck(backup, in);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("connection refused")))
        << r.evidence.toStdString();

    in.audit = {backupEntry(kNow.addSecs(-26 * 3600), true)};
    EXPECT_EQ(runChecklistCheck(backup, in).outcome, Outcome::Failed);

    // A fresh dump, but the archiver's last attempt failed.
    ClusterSnapshot s = vigil::test::healthySnapshot();
    ArchiverStat &a = *vigil::test::memberNamed(s, QStringLiteral("node1")).archiver;
    a.archiveMode = QStringLiteral("on");
    a.archivedCount = 40;
    a.failedCount = 3;
    a.lastArchivedWal = QStringLiteral("000000010000000000000027");
    a.lastArchivedTime = kNow.addSecs(-900);
    a.lastFailedWal = QStringLiteral("000000010000000000000028");
    a.lastFailedTime = kNow.addSecs(-30);
    ChecklistCheckInput failing = input(s);
    failing.audit = {backupEntry(kNow.addSecs(-7200), true)};
    r = runChecklistCheck(backup, failing);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("000000010000000000000028 failed")))
        << r.evidence.toStdString();
}

TEST(ChecklistChecks, RestoreTestSaysNoneWasRun)
{
    const ChecklistItem restore = item(QStringLiteral("weekly.restore-test"));
    ChecklistCheckInput in = input(vigil::test::healthySnapshot());
    in.audit = {backupEntry(kNow.addSecs(-7200), true)};
    ChecklistRecord r = runChecklistCheck(restore, in);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("none was run"))) << r.evidence.toStdString();

    in.audit << operationEntry(QStringLiteral("restore_test"), kNow.addDays(-2),
                               QStringLiteral("ok"));
    r = runChecklistCheck(restore, in);
    EXPECT_EQ(r.outcome, Outcome::Passed) << r.evidence.toStdString();
    EXPECT_EQ(r.doneAt, kNow.addDays(-2));

    in.audit << operationEntry(QStringLiteral("restore_test"), kNow.addDays(-1),
                               QStringLiteral("failed"));
    EXPECT_EQ(runChecklistCheck(restore, in).outcome, Outcome::Failed);
}

TEST(ChecklistChecks, FailoverTestingFromTheLastSwitchover)
{
    const ChecklistItem failover = item(QStringLiteral("monthly.failover-test"));
    ChecklistCheckInput in = input(vigil::test::healthySnapshot());
    EXPECT_EQ(runChecklistCheck(failover, in).outcome, Outcome::Failed);

    in.audit = {
        operationEntry(QStringLiteral("switchover"), kNow.addDays(-40), QStringLiteral("ok"))};
    ChecklistRecord r = runChecklistCheck(failover, in);
    EXPECT_EQ(r.outcome, Outcome::Failed);
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("longer ago"))) << r.evidence.toStdString();

    in.audit << operationEntry(QStringLiteral("switchover"), kNow.addDays(-3),
                               QStringLiteral("ok"));
    r = runChecklistCheck(failover, in);
    EXPECT_EQ(r.outcome, Outcome::Passed) << r.evidence.toStdString();
    EXPECT_TRUE(r.evidence.contains(QStringLiteral("by carol"))) << r.evidence.toStdString();

    in.audit << operationEntry(QStringLiteral("switchover"), kNow.addDays(-1),
                               QStringLiteral("refused"));
    EXPECT_EQ(runChecklistCheck(failover, in).outcome, Outcome::Failed);
}

TEST(ChecklistChecks, RunsEveryAutomaticItemAndNoManualOne)
{
    const QList<ChecklistRecord> all = runAutomaticChecks(input(vigil::test::healthySnapshot()));
    QStringList ids;
    for (const ChecklistRecord &r : all)
        ids << r.item;
    EXPECT_EQ(ids,
              (QStringList{QStringLiteral("daily.health"), QStringLiteral("daily.backup"),
                           QStringLiteral("daily.metrics"), QStringLiteral("weekly.restore-test"),
                           QStringLiteral("monthly.failover-test")}));
}
