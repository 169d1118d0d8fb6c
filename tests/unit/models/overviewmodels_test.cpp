// The overview's table models: run under QAbstractItemModelTester, refreshed with diffs (never a
// reset), selection surviving a refresh, and the figures a DBA reads.
#include "models/archivermodel.h"
#include "models/clusterlistmodel.h"
#include "models/connectionbreakdownmodel.h"
#include "models/findingsmodel.h"
#include "models/health.h"
#include "models/membersmodel.h"
#include "models/replicationmodel.h"
#include "models/replicationslotsmodel.h"
#include "models/swatchiconengine.h"
#include "services/monitor/alertengine.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;
using vigil::test::SandboxShape;

namespace {

// Counts what a refresh emitted.
struct ChangeSpy
{
    explicit ChangeSpy(QAbstractItemModel *m)
        : reset(m, &QAbstractItemModel::modelReset)
        , inserted(m, &QAbstractItemModel::rowsInserted)
        , removed(m, &QAbstractItemModel::rowsRemoved)
        , changed(m, &QAbstractItemModel::dataChanged)
        , layout(m, &QAbstractItemModel::layoutChanged)
    {
    }
    void clear()
    {
        reset.clear();
        inserted.clear();
        removed.clear();
        changed.clear();
        layout.clear();
    }
    QSignalSpy reset, inserted, removed, changed, layout;
};

QString cell(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role).toString();
}

int rowOfKey(const CellTableModel &m, const QString &key)
{
    return m.rowOf(key);
}

} // namespace

TEST(MembersModel, ShowsWhatPatronictlListShows)
{
    MembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(test::share(test::healthySnapshot()));
    ASSERT_EQ(model.rowCount(), 3);
    ASSERT_EQ(model.columnCount(), int(MembersModel::ColumnCount));
    const int r1 = rowOfKey(model, QStringLiteral("node1"));
    EXPECT_EQ(cell(model, r1, MembersModel::Role), QStringLiteral("Leader"));
    EXPECT_EQ(cell(model, r1, MembersModel::Host), QStringLiteral("127.0.0.1:60310"));
    EXPECT_EQ(cell(model, r1, MembersModel::State), QStringLiteral("running"));
    EXPECT_EQ(cell(model, r1, MembersModel::Timeline), QStringLiteral("1"));
    EXPECT_EQ(cell(model, r1, MembersModel::Lag), QString()); // the leader has no lag
    EXPECT_TRUE(cell(model, r1, MembersModel::Rest).startsWith(QStringLiteral("OK")));
    const int r2 = rowOfKey(model, QStringLiteral("node2"));
    EXPECT_EQ(cell(model, r2, MembersModel::Role), QStringLiteral("Replica"));
    EXPECT_EQ(cell(model, r2, MembersModel::Lag), QStringLiteral("0 B"));
}

TEST(MembersModel, RefreshIsADiffNotAReset)
{
    MembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    ChangeSpy spy(&model);

    // Same data again: nothing at all is emitted.
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    EXPECT_EQ(spy.reset.count() + spy.inserted.count() + spy.removed.count() + spy.changed.count(),
              0);

    // node3 lags: exactly one dataChanged, on node3's row.
    auto s = test::healthySnapshot(shape);
    test::setLag(s, QStringLiteral("node3"), 40LL * 1024 * 1024, 12.4);
    model.setSnapshot(test::share(s));
    EXPECT_EQ(spy.reset.count(), 0);
    EXPECT_EQ(spy.inserted.count(), 0);
    EXPECT_EQ(spy.removed.count(), 0);
    ASSERT_EQ(spy.changed.count(), 1);
    const QModelIndex topLeft = spy.changed.at(0).at(0).value<QModelIndex>();
    EXPECT_EQ(model.keyAt(topLeft.row()), QStringLiteral("node3"));
    const int r3 = model.rowOf(QStringLiteral("node3"));
    EXPECT_EQ(cell(model, r3, MembersModel::Lag), QStringLiteral("40 MiB"));
    EXPECT_EQ(cell(model, r3, MembersModel::ReplayDelay), QStringLiteral("12 s"));
}

TEST(MembersModel, SelectionSurvivesRefreshAndFailover)
{
    MembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QItemSelectionModel selection(&model);
    SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    const int r3 = model.rowOf(QStringLiteral("node3"));
    selection.setCurrentIndex(model.index(r3, MembersModel::State),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    ChangeSpy spy(&model);

    for (quint64 seq = 2; seq < 5; ++seq) {
        shape.sequence = seq;
        auto s = test::healthySnapshot(shape);
        test::setLag(s, QStringLiteral("node2"), qint64(seq) * 1000, 0.1 * double(seq));
        model.setSnapshot(test::share(s));
    }
    ASSERT_TRUE(selection.currentIndex().isValid());
    EXPECT_EQ(model.keyAt(selection.currentIndex().row()), QStringLiteral("node3"));
    EXPECT_TRUE(selection.isRowSelected(selection.currentIndex().row(), {}));

    // Failover: node1 disappears, node2 leads; node3 stays selected, node1's row is removed.
    spy.clear();
    model.setSnapshot(test::share(test::afterFailoverSnapshot(shape, QStringLiteral("node2"))));
    EXPECT_EQ(spy.reset.count(), 0);
    EXPECT_EQ(spy.removed.count(), 1);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.keyAt(selection.currentIndex().row()), QStringLiteral("node3"));
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("node2")), MembersModel::Role),
              QStringLiteral("Leader"));
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("node2")), MembersModel::Timeline),
              QStringLiteral("2"));

    // node1 comes back as a replica: one insert, appended.
    spy.clear();
    SandboxShape back = shape;
    back.leader = QStringLiteral("node2");
    back.timeline = 2;
    model.setSnapshot(test::share(test::healthySnapshot(back)));
    EXPECT_EQ(spy.inserted.count(), 1);
    EXPECT_EQ(spy.reset.count(), 0);
    EXPECT_EQ(model.keyAt(2), QStringLiteral("node1"));
    EXPECT_EQ(model.keyAt(selection.currentIndex().row()), QStringLiteral("node3"));
}

TEST(MembersModel, ReachabilityCarriesTheReason)
{
    MembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SandboxShape shape;
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    const int r1 = model.rowOf(QStringLiteral("node1"));
    EXPECT_EQ(cell(model, r1, MembersModel::Rest),
              QStringLiteral("Unreachable: Connection refused"));
    EXPECT_TRUE(cell(model, r1, MembersModel::Rest, Qt::ToolTipRole)
                    .contains(QStringLiteral("GET /patroni")));
    EXPECT_EQ(cell(model, r1, MembersModel::Sql),
              QStringLiteral("Unreachable: Connection refused"));

    auto s = test::healthySnapshot(shape);
    test::memberOf(s, QStringLiteral("node2"))->pendingRestart = true;
    test::memberOf(s, QStringLiteral("node2"))->pendingRestartReason =
        QStringLiteral("max_connections: 100 -> 1200");
    test::memberOf(s, QStringLiteral("node3"))->tags = {
        {QStringLiteral("nofailover"), true},
        {QStringLiteral("replicatefrom"), QStringLiteral("node2")}};
    model.setSnapshot(test::share(s));
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("node2")), MembersModel::PendingRestart),
              QStringLiteral("yes: max_connections: 100 -> 1200"));
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("node3")), MembersModel::Tags),
              QStringLiteral("nofailover, replicatefrom=node2"));
}

TEST(ReplicationModel, OneRowPerReplicaWithSenderView)
{
    ReplicationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SandboxShape shape;
    auto s = test::healthySnapshot(shape);
    test::setLag(s, QStringLiteral("node2"), 5LL * 1024 * 1024, 1.5);
    model.setSnapshot(test::share(s));
    ASSERT_EQ(model.rowCount(), 2);
    const int r2 = model.rowOf(QStringLiteral("node2"));
    EXPECT_EQ(cell(model, r2, ReplicationModel::Upstream), QStringLiteral("node1"));
    EXPECT_EQ(cell(model, r2, ReplicationModel::State), QStringLiteral("streaming"));
    EXPECT_EQ(cell(model, r2, ReplicationModel::Sync), QStringLiteral("async"));
    EXPECT_EQ(cell(model, r2, ReplicationModel::LagBytes), QStringLiteral("5.0 MiB"));
    EXPECT_EQ(cell(model, r2, ReplicationModel::ReplayLag), QStringLiteral("1.5 s"));
    EXPECT_TRUE(cell(model, r2, ReplicationModel::Receiver)
                    .startsWith(QStringLiteral("streaming from 127.0.0.1:")));
    EXPECT_FALSE(cell(model, r2, ReplicationModel::SentLsn).isEmpty());

    // The leader crashes: the replicas are no longer streaming; rows stay (no reset).
    ChangeSpy spy(&model);
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    EXPECT_EQ(spy.reset.count(), 0);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("node2")), ReplicationModel::State),
              QStringLiteral("not streaming"));
}

TEST(ReplicationModel, CascadeShowsItsUpstreamReplica)
{
    ReplicationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto s = test::healthySnapshot();
    // node3 replicates from node2: the leader no longer lists it, node2 does.
    services::MemberSnapshot *leader = test::memberOf(s, QStringLiteral("node1"));
    services::ReplicationStat moved;
    for (int i = 0; i < leader->replication.size(); ++i)
        if (leader->replication[i].applicationName == QStringLiteral("node3"))
            moved = leader->replication.takeAt(i);
    test::memberOf(s, QStringLiteral("node2"))->replication.append(moved);
    model.setSnapshot(test::share(s));
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("node3")), ReplicationModel::Upstream),
              QStringLiteral("node2"));
}

TEST(ReplicationSlotsModel, ActiveAndRetainedWal)
{
    ReplicationSlotsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    EXPECT_EQ(model.rowCount(), 2);
    ChangeSpy spy(&model);
    model.setSnapshot(test::share(test::afterFailoverSnapshot(shape, QStringLiteral("node2"))));
    EXPECT_EQ(spy.reset.count(), 0);
    const int r = model.rowOf(QStringLiteral("node2/node1"));
    ASSERT_GE(r, 0);
    EXPECT_EQ(cell(model, r, ReplicationSlotsModel::Active), QStringLiteral("inactive"));
    EXPECT_EQ(cell(model, r, ReplicationSlotsModel::RetainedWal), QStringLiteral("3.0 MiB"));
}

// pg_stat_archiver as the sandbox reports it (archive_mode on: the primary archives), then the
// archive_command failing on the leader: its state turns "failing" in the critical colour, as the
// finding "WAL archiving fails" decides; a later success heals it.
TEST(ArchiverModel, ArchivingFailingAndHealed)
{
    ArchiverModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SandboxShape shape;
    auto s = test::healthySnapshot(shape);
    const QDateTime at = shape.takenAt;
    for (services::MemberSnapshot &m : s.members) {
        services::ArchiverStat a;
        a.archiveMode = QStringLiteral("on");
        a.archiveCommand = QStringLiteral("test ! -f /tmp/a/%f && cp %p /tmp/a/%f");
        if (m.isLeader()) {
            a.archivedCount = 12;
            a.lastArchivedWal = QStringLiteral("00000001000000000000000C");
            a.lastArchivedTime = at.addSecs(-125);
        }
        m.archiver = a;
    }
    model.setSnapshot(test::share(s));
    ASSERT_EQ(model.rowCount(), 3);
    const int leader = model.rowOf(QStringLiteral("node1"));
    const int replica = model.rowOf(QStringLiteral("node2"));
    EXPECT_EQ(cell(model, leader, ArchiverModel::State), QStringLiteral("archiving"));
    EXPECT_EQ(cell(model, leader, ArchiverModel::Archived), QStringLiteral("12"));
    EXPECT_TRUE(
        cell(model, leader, ArchiverModel::LastSuccess).endsWith(QStringLiteral("(2 min 5 s ago)")))
        << cell(model, leader, ArchiverModel::LastSuccess).toStdString();
    EXPECT_EQ(cell(model, replica, ArchiverModel::State),
              QStringLiteral("replica: the primary archives"));

    services::ArchiverStat &a = *test::memberOf(s, QStringLiteral("node1"))->archiver;
    a.failedCount = 3;
    a.lastFailedWal = QStringLiteral("00000001000000000000000D");
    a.lastFailedTime = at.addSecs(-5);
    model.setSnapshot(test::share(s));
    EXPECT_EQ(cell(model, leader, ArchiverModel::State), QStringLiteral("failing"));
    EXPECT_EQ(model.index(leader, ArchiverModel::State)
                  .data(Qt::DecorationRole)
                  .value<QIcon>()
                  .cacheKey(),
              SwatchIconEngine::icon(healthColor(Health::Critical)).cacheKey());
    EXPECT_TRUE(cell(model, leader, ArchiverModel::LastFailure)
                    .startsWith(QStringLiteral("00000001000000000000000D at ")));

    a.lastArchivedWal = QStringLiteral("00000001000000000000000D");
    a.lastArchivedTime = at;
    model.setSnapshot(test::share(s));
    EXPECT_EQ(cell(model, leader, ArchiverModel::State), QStringLiteral("archiving"));

    a.archiveMode = QStringLiteral("off");
    model.setSnapshot(test::share(s));
    EXPECT_EQ(cell(model, leader, ArchiverModel::State), QStringLiteral("off (archive_mode)"));
}

TEST(ConnectionBreakdownModel, ByStateApplicationDatabase)
{
    const auto s = test::healthySnapshot();
    ConnectionBreakdownModel byState(ConnectionBreakdownModel::Dimension::State);
    ConnectionBreakdownModel byApp(ConnectionBreakdownModel::Dimension::Application);
    QAbstractItemModelTester t1(&byState, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester t2(&byApp, QAbstractItemModelTester::FailureReportingMode::Fatal);
    byState.setStats(connectionStatsOf(s, QStringLiteral("node1")));
    ASSERT_EQ(byState.rowCount(), 3);
    const int idle = byState.rowOf(QStringLiteral("idle"));
    EXPECT_EQ(cell(byState, idle, ConnectionBreakdownModel::Count), QStringLiteral("20"));
    EXPECT_EQ(cell(byState, idle, ConnectionBreakdownModel::Share), QStringLiteral("69 %"));

    // All members summed.
    const auto all = connectionStatsOf(s, QString());
    ASSERT_TRUE(all.has_value());
    EXPECT_EQ(all->total, 29 + 3 + 3);
    EXPECT_EQ(all->maxConnections, 3600);
    byApp.setStats(all);
    EXPECT_EQ(cell(byApp, byApp.rowOf(QStringLiteral("vigil")), ConnectionBreakdownModel::Count),
              QStringLiteral("9"));

    // A member without figures empties the model by removals.
    ChangeSpy spy(&byState);
    byState.setStats(std::nullopt);
    EXPECT_EQ(byState.rowCount(), 0);
    EXPECT_EQ(spy.reset.count(), 0);
}

TEST(FindingsModel, PersistingFindingKeepsItsRowAndSince)
{
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    SandboxShape shape;
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    ASSERT_EQ(model.rowCount(), 1);
    const QString since = cell(model, 0, FindingsModel::Since);
    EXPECT_EQ(cell(model, 0, FindingsModel::Severity), QStringLiteral("Critical"));
    EXPECT_EQ(cell(model, 0, FindingsModel::Member), QStringLiteral("node1"));

    ChangeSpy spy(&model);
    shape.takenAt = shape.takenAt.addSecs(5);
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    EXPECT_EQ(spy.changed.count(), 0);
    EXPECT_EQ(cell(model, 0, FindingsModel::Since), since);
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(spy.removed.count(), 1);
    EXPECT_EQ(spy.reset.count(), 0);
}

TEST(ClusterListModel, SeveralClustersSideBySide)
{
    ClusterListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QItemSelectionModel selection(&model);
    model.addCluster(QStringLiteral("hokm-ha"), QStringLiteral("http://127.0.0.1:60320"));
    model.addCluster(QStringLiteral("billing"), QStringLiteral("http://127.0.0.1:61320"));
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(cell(model, model.rowOf(QStringLiteral("hokm-ha")), ClusterListModel::Health),
              QStringLiteral("connecting"));
    selection.setCurrentIndex(model.index(model.rowOf(QStringLiteral("billing")), 0),
                              QItemSelectionModel::ClearAndSelect);

    ChangeSpy spy(&model);
    SandboxShape shape;
    auto s = test::healthySnapshot(shape);
    test::setLag(s, QStringLiteral("node3"), 2LL * 1024 * 1024, 0.5);
    model.setSnapshot(test::share(s));
    const int r = model.rowOf(QStringLiteral("hokm-ha"));
    EXPECT_EQ(cell(model, r, ClusterListModel::Health), QStringLiteral("OK"));
    EXPECT_EQ(cell(model, r, ClusterListModel::Leader), QStringLiteral("node1"));
    EXPECT_EQ(cell(model, r, ClusterListModel::WorstLag), QStringLiteral("2.0 MiB · 500 ms"));
    EXPECT_EQ(cell(model, r, ClusterListModel::Alerts), QStringLiteral("0"));
    EXPECT_EQ(spy.reset.count(), 0);
    EXPECT_EQ(spy.changed.count(), 1);

    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    EXPECT_EQ(cell(model, r, ClusterListModel::Health), QStringLiteral("Critical"));
    // A finding is no alert until the engine raised it (see AlertsColumnCountsTheEngines...).
    EXPECT_EQ(cell(model, r, ClusterListModel::Alerts), QStringLiteral("0"));
    EXPECT_EQ(model.keyAt(selection.currentIndex().row()), QStringLiteral("billing"));

    model.removeCluster(QStringLiteral("billing"));
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(spy.reset.count(), 0);
}

namespace {
// healthyOnDefaultPorts() `second` seconds later (fresh REST/SQL/DCS times), named hokm-ha, with
// node2 and node3 behind by the given replay lag in seconds.
services::ClusterSnapshot laggedCluster(int second, double node2Lag, double node3Lag)
{
    services::ClusterSnapshot s = test::healthyOnDefaultPorts();
    s.profileName = QStringLiteral("hokm-ha");
    s.sequence += quint64(second);
    s.takenAt = s.takenAt.addSecs(second);
    for (services::MemberSnapshot &m : s.members) {
        m.rest.lastOk = m.sql.lastOk = s.takenAt;
        if (m.patroni)
            m.patroni->dcsLastSeen = s.takenAt.addSecs(-1);
    }
    test::setLag(s, QStringLiteral("node2"), 0, node2Lag);
    test::setLag(s, QStringLiteral("node3"), 0, node3Lag);
    return s;
}

QColor alertPartColor(const QAbstractItemModel &m, int row, int part)
{
    const QVariantList parts =
        m.index(row, ClusterListModel::Alerts).data(ClusterListModel::AlertPartsRole).toList();
    if (part >= parts.size())
        return QColor();
    return parts.at(part).toMap().value(QStringLiteral("color")).value<QColor>();
}
} // namespace

// Issue 15 §2: the cluster list counts the alert engine's ACTIVE alerts, not the findings, and
// follows raise, acknowledge and clear: a real AlertEngine fed snapshots with node2 40 s behind
// (critical: raises on the 2nd snapshot) and node3 15 s behind (warning: on the 3rd).
// Acknowledged alerts are counted apart, grey; unacknowledged critical ones in the critical
// colour, warnings in the warning colour.
TEST(ClusterListModel, AlertsColumnCountsTheEnginesActiveAlerts)
{
    ClusterListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addCluster(QStringLiteral("hokm-ha"), QStringLiteral("http://127.0.0.1:5432"));
    services::AlertEngine engine(QStringLiteral("hokm-ha"));
    QObject::connect(&engine, &services::AlertEngine::activeAlertsChanged, &model,
                     [&] { model.setAlerts(QStringLiteral("hokm-ha"), engine.activeAlerts()); });
    const int r = model.rowOf(QStringLiteral("hokm-ha"));
    ASSERT_GE(r, 0);
    int second = 0;
    auto step = [&](double node2Lag, double node3Lag) {
        const services::ClusterSnapshot s = laggedCluster(++second, node2Lag, node3Lag);
        model.setSnapshot(test::share(s));
        engine.ingest(s);
        return cell(model, r, ClusterListModel::Alerts);
    };
    const QColor critical = healthColor(Health::Critical);
    const QColor warning = healthColor(Health::Warning);

    EXPECT_EQ(step(40, 15), QStringLiteral("0")) << "findings, but no alert raised yet";
    EXPECT_EQ(step(40, 15), QStringLiteral("1 crit"));
    EXPECT_EQ(alertPartColor(model, r, 0), critical);
    EXPECT_EQ(model.index(r, ClusterListModel::Alerts).data(Qt::ForegroundRole).value<QColor>(),
              critical);
    EXPECT_EQ(step(40, 15), QStringLiteral("1 crit · 1 warn"));
    EXPECT_EQ(alertPartColor(model, r, 1), warning);
    EXPECT_TRUE(cell(model, r, ClusterListModel::Alerts, Qt::ToolTipRole)
                    .contains(QLatin1String("1 critical and 1 warning not acknowledged")))
        << cell(model, r, ClusterListModel::Alerts, Qt::ToolTipRole).toStdString();

    const auto rank = [&] {
        return model.index(r, ClusterListModel::Alerts).data(CellTableModel::SortRole).toLongLong();
    };
    const qint64 rankBefore = rank();
    ChangeSpy spy(&model);
    ASSERT_TRUE(engine.acknowledge(
        services::alertKey(services::Finding::Code::ReplicationLag, QStringLiteral("node2")),
        QStringLiteral("dba")));
    EXPECT_EQ(cell(model, r, ClusterListModel::Alerts), QStringLiteral("1 warn · 1 ack"));
    EXPECT_EQ(alertPartColor(model, r, 0), warning);
    EXPECT_EQ(alertPartColor(model, r, 1), healthColor(Health::Unknown)) << "acknowledged: grey";
    EXPECT_EQ(spy.changed.count(), 1) << "one dataChanged, no reset";
    EXPECT_EQ(spy.reset.count(), 0);

    // Sorting puts what needs a look first: an unacknowledged critical outranks any warnings.
    EXPECT_GT(rankBefore, rank());
    EXPECT_GT(rank(), 0);

    // Both replicas catch up: the alerts clear after alertClearSnapshots (5) clean snapshots.
    for (int i = 0; i < 4; ++i)
        EXPECT_NE(step(0, 0), QStringLiteral("0")) << "still active after " << i + 1;
    EXPECT_EQ(step(0, 0), QStringLiteral("0"));
    EXPECT_FALSE(
        model.index(r, ClusterListModel::Alerts).data(ClusterListModel::AlertPartsRole).isValid());

    // Alerts of a cluster not listed are ignored (no row appears).
    model.setAlerts(QStringLiteral("billing"), engine.activeAlerts());
    EXPECT_EQ(model.rowCount(), 1);
}

TEST(KeyedTableModel, RemovesRunsAndKeepsOrder)
{
    // Five clusters, remove the 2nd and 3rd and the 5th: two removal runs, survivors in order.
    ClusterListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (const char *n : {"a", "b", "c", "d", "e"})
        model.addCluster(QLatin1String(n), QStringLiteral("http://x"));
    ChangeSpy spy(&model);
    for (const char *n : {"b", "c", "e"})
        model.removeCluster(QLatin1String(n));
    EXPECT_EQ(model.keys(), (QStringList{QStringLiteral("a"), QStringLiteral("d")}));
    EXPECT_EQ(spy.removed.count(), 3);
    EXPECT_EQ(spy.reset.count(), 0);
}

TEST(ReplicationModel, UnreachableSenderIsNotAnUpstream)
{
    // Just after a failover the old leader no longer answers, but its last known
    // pg_stat_replication still lists the replicas: it must not be shown as their upstream.
    ReplicationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    test::SandboxShape shape;
    auto s = test::healthySnapshot(shape);
    auto old = *test::memberOf(s, QStringLiteral("node1"));
    s = test::afterFailoverSnapshot(shape, QStringLiteral("node2"));
    // node2 leads but does not stream to node3 yet; node1 is back in the view, unreachable,
    // with its stale rows.
    test::memberOf(s, QStringLiteral("node2"))->replication.clear();
    old.role = services::PatroniRole::Unknown;
    old.sql =
        test::downChannel(services::ServiceError::Kind::Connect, QStringLiteral("connect"),
                          QStringLiteral("127.0.0.1:60310"), QStringLiteral("Connection refused"));
    s.members.append(old);
    model.setSnapshot(test::share(s));
    const int r3 = model.rowOf(QStringLiteral("node3"));
    ASSERT_GE(r3, 0);
    EXPECT_EQ(cell(model, r3, ReplicationModel::Upstream), QStringLiteral("none"));
    EXPECT_EQ(cell(model, r3, ReplicationModel::State), QStringLiteral("not streaming"));
}

TEST(ReplicationModel, NoSqlAnswerAnywhereIsUnknownNotNotStreaming)
{
    // A wrong SQL password on every member: nobody's walsenders can be read. That is not "not
    // streaming" (red); it is unknown.
    ReplicationModel model;
    auto s = test::allSqlDownSnapshot();
    model.setSnapshot(test::share(s));
    const int r3 = model.rowOf(QStringLiteral("node3"));
    ASSERT_GE(r3, 0);
    EXPECT_EQ(cell(model, r3, ReplicationModel::State),
              QStringLiteral("unknown: no member answered over SQL"));
}

TEST(MembersModel, HostFiguresFromNodeExporterAreShownWithTheDiskRulesColour)
{
    MembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    services::ClusterSnapshot s = test::healthySnapshot();
    EXPECT_FALSE(MembersModel::hasHostFigures(s));
    model.setSnapshot(test::share(s));
    const int r2 = rowOfKey(model, QStringLiteral("node2"));
    EXPECT_TRUE(cell(model, r2, MembersModel::DataFree).isEmpty());

    services::HostFigures h;
    h.instance = QStringLiteral("127.0.0.1:9100");
    h.mountPoint = QStringLiteral("/var/lib/postgresql");
    h.dataSizeBytes = qint64(100) << 30;
    h.dataFreeBytes = qint64(8) << 30;
    h.cpuBusy = 0.42;
    h.memoryTotalBytes = qint64(16) << 30;
    h.memoryAvailableBytes = qint64(4) << 30;
    h.readBytesPerSecond = 2048;
    h.writtenBytesPerSecond = 1 << 20;
    for (services::MemberSnapshot &m : s.members)
        if (m.name == QLatin1String("node2"))
            m.hostFigures = h;
    s.findings.append({services::Finding::Severity::Critical, services::Finding::Code::DiskSpace,
                       QStringLiteral("node2"), QStringLiteral("node2's data volume ...")});
    EXPECT_TRUE(MembersModel::hasHostFigures(s));
    model.setSnapshot(test::share(s));
    EXPECT_EQ(cell(model, r2, MembersModel::DataFree), QStringLiteral("8.0 GiB (8 %)"));
    EXPECT_TRUE(cell(model, r2, MembersModel::DataFree, Qt::ToolTipRole)
                    .contains(QStringLiteral("/var/lib/postgresql")));
    EXPECT_EQ(model.data(model.index(r2, MembersModel::DataFree), Qt::ForegroundRole),
              QVariant(healthColor(Health::Critical)));
    EXPECT_EQ(cell(model, r2, MembersModel::Cpu), QStringLiteral("42 %"));
    EXPECT_EQ(cell(model, r2, MembersModel::Memory), QStringLiteral("75 %"));
    EXPECT_EQ(cell(model, r2, MembersModel::DiskIo), QStringLiteral("2.0 KiB/s · 1.0 MiB/s"));
    EXPECT_TRUE(cell(model, r2, MembersModel::DiskIo, Qt::ToolTipRole)
                    .contains(QStringLiteral("1.0 MiB/s written")));
    // node1 has none: empty cells, sorted below every figure.
    const int r1 = rowOfKey(model, QStringLiteral("node1"));
    EXPECT_TRUE(cell(model, r1, MembersModel::Cpu).isEmpty());
}
