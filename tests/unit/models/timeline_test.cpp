// The timeline's model (window filter, rows sorted by time, under QAbstractItemModelTester) and its
// markdown post-mortem, both on the recorded failover (leader killed → failover → clear).
#include "models/timelinemarkdown.h"
#include "models/timelinemodel.h"
#include "services/timeline/timelinerecorder.h"
#include "support/qtprinters.h"
#include "support/recordedfailover.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>

using namespace vigil;
using services::TimelineEvent;
using vigil::test::failoverStart;

namespace {

// Everything the recorder makes of the recorded failover, its alerts and one audit entry.
QList<TimelineEvent> recordedIncident()
{
    services::TimelineRecorder recorder(QStringLiteral("hokm-ha"));
    for (const services::ClusterSnapshot &s : test::recordedFailover())
        recorder.ingest(s);
    for (const services::AlertEvent &a : test::recordedFailoverAlerts())
        recorder.ingestAlert(a);
    services::AuditEntry a;
    a.when = failoverStart().addSecs(30);
    a.osUser = QStringLiteral("bob");
    a.cluster = QStringLiteral("hokm-ha");
    a.member = QStringLiteral("node1");
    a.action = QStringLiteral("reinit");
    a.result = QStringLiteral("ok");
    a.serverAnswer = QStringLiteral("reinitialize started");
    recorder.importAudit({a});
    return recorder.events();
}

models::TimelineReportOptions reportOptions()
{
    models::TimelineReportOptions o;
    o.from = failoverStart().addSecs(-60);
    o.to = failoverStart().addSecs(120);
    o.local = QTimeZone(3600); // UTC+01:00, so the test does not depend on the machine's zone
    return o;
}

} // namespace

TEST(TimelineModel, ShowsTheWindowNewestFirst)
{
    models::TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QDateTime now = failoverStart().addSecs(60);
    model.setClock([&now] { return now; });
    model.setWindowSeconds(0);
    const QList<TimelineEvent> events = recordedIncident();
    model.setCluster(QStringLiteral("hokm-ha"), events);
    ASSERT_EQ(model.rowCount(), events.size());
    EXPECT_EQ(model.index(0, models::TimelineModel::What).data().toString(),
              events.constLast().text);
    int byBob = 0;
    for (int r = 0; r < model.rowCount(); ++r)
        byBob +=
            model.index(r, models::TimelineModel::Who).data().toString() == QLatin1String("bob");
    EXPECT_EQ(byBob, 1); // the reinit

    model.setWindowSeconds(15 * 60);
    EXPECT_EQ(model.rowCount(), events.size());
    now = failoverStart().addSecs(15 * 60 + 25); // only what happened after 00:41:25 is left
    model.refresh();
    EXPECT_EQ(model.rowCount(), 3); // node1 running again, replica_down cleared, the reinit
    EXPECT_EQ(model.eventsInWindow().size(), 3);

    TimelineEvent other = events.constFirst();
    other.cluster = QStringLiteral("other");
    model.append(other); // another cluster's event is not shown
    EXPECT_EQ(model.rowCount(), 3);
    TimelineEvent late = events.constLast();
    late.at = now;
    late.text = QStringLiteral("later");
    model.append(late); // a new row at the end (the view sorts), the others keep their places
    ASSERT_EQ(model.rowCount(), 4);
    EXPECT_EQ(model.index(3, models::TimelineModel::What).data().toString(),
              QStringLiteral("later"));
    EXPECT_EQ(model.index(3, models::TimelineModel::TimeUtc)
                  .data(models::CellTableModel::SortRole)
                  .toDateTime(),
              now);
}

TEST(TimelineMarkdown, RecordedFailoverSaysWhatWhenHowLongAndWho)
{
    const QString md =
        models::timelineMarkdown(QStringLiteral("hokm-ha"), recordedIncident(), reportOptions());
    const auto has = [&md](const QString &text) {
        EXPECT_TRUE(md.contains(text)) << text.toStdString() << "\n---\n" << md.toStdString();
    };
    has(QStringLiteral("# Incident timeline: hokm-ha"));
    has(QStringLiteral("Leader changes: node2 at 2026-11-27 00:41:18 UTC."));
    has(QStringLiteral("Alerts: 2 raised, 2 cleared, 1 acknowledged."));
    has(QStringLiteral("people involved: alice, bob"));
    // What happened: UTC and local time side by side.
    has(QStringLiteral("| 2026-11-27 00:41:18 UTC | 2026-11-27 01:41:18 UTC+01:00 | Leader change "
                       "| node2 | Failover: the leader changed from node1 to node2. |"));
    // How long: node1 led until the failover (before the window began: at least 1 min 18 s),
    // node2 since; node1 unreachable 16 s, gone 32 s; primary down lasted 18 s.
    has(QStringLiteral("| node1 | leader | before the window | 2026-11-27 00:41:18 UTC |"));
    has(QStringLiteral("| node2 | leader | 2026-11-27 00:41:18 UTC | still at export |"));
    has(QStringLiteral("| node1 | unreachable | 2026-11-27 00:41:02 UTC | 2026-11-27 00:41:18 UTC "
                       "| 16 s |"));
    has(QStringLiteral("| node1 | gone | 2026-11-27 00:41:18 UTC | 2026-11-27 00:41:50 UTC | 32 s "
                       "|"));
    has(QStringLiteral("| primary_down/node1 |"));
    has(QStringLiteral("| 2026-11-27 00:41:04 UTC | 2026-11-27 00:41:22 UTC | 18 s | alice |"));
    // Who did what.
    has(QStringLiteral("- 2026-11-27 00:41:30 UTC (2026-11-27 01:41:30 UTC+01:00) — bob: reinit → "
                       "ok: reinitialize started"));
    has(QStringLiteral("— alice: alice acknowledged the alert"));
}

TEST(TimelineMarkdown, EmptyWindowSaysSo)
{
    const QString md = models::timelineMarkdown(QStringLiteral("hokm-ha"), {}, reportOptions());
    EXPECT_TRUE(md.contains(QStringLiteral("Nothing was recorded in this window.")));
    EXPECT_TRUE(md.contains(QStringLiteral("No operator action and no acknowledgement")));
}
