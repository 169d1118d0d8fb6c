#include "models/locktreemodel.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using services::LockNode;
using services::LockTreeSnapshot;

namespace {
LockNode node(int pid, int parent, int root, int direct = 0, int total = 0,
              const QString &start = QStringLiteral("t"))
{
    LockNode n;
    n.pid = pid;
    n.parent = parent;
    n.root = root;
    n.depth = parent == 0 ? 0 : 1;
    n.direct = direct;
    n.total = total;
    n.backendStart = start + QString::number(pid);
    n.application = QStringLiteral("app%1").arg(pid);
    n.backendType = QStringLiteral("client backend");
    if (parent) {
        n.blockedBy = {parent};
        n.lockMode = QStringLiteral("ShareLock");
        n.waitSeconds = 3;
    }
    return n;
}

// The workload's shape: A blocks W1 and W2; W2 blocks W3.
LockTreeSnapshot workloadTree(double wait = 3)
{
    LockTreeSnapshot s;
    s.nodes = {node(100, 0, 100, 2, 3), node(101, 100, 100), node(102, 100, 100, 1, 1),
               node(103, 102, 100)};
    s.nodes[3].depth = 2;
    for (auto &n : s.nodes)
        if (n.parent)
            n.waitSeconds = wait;
    return s;
}
} // namespace

TEST(LockTreeModel, BuildsTheTree)
{
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(workloadTree());
    ASSERT_EQ(model.rowCount(), 1);
    const QModelIndex root = model.index(0, 0);
    EXPECT_EQ(root.data(models::LockTreeModel::PidRole).toInt(), 100);
    EXPECT_TRUE(model.hasChildren(root));
    // Children of an unexpanded node are known but lazy.
    EXPECT_EQ(model.rowCount(root), 0);
    ASSERT_TRUE(model.canFetchMore(root));
    model.fetchMore(root);
    ASSERT_EQ(model.rowCount(root), 2);
    const QModelIndex w2 = model.indexOfPid(102);
    ASSERT_TRUE(w2.isValid());
    EXPECT_EQ(w2.parent(), root);
    model.fetchMore(w2);
    ASSERT_EQ(model.rowCount(w2), 1);
    EXPECT_EQ(model.index(0, 0, w2).data(models::LockTreeModel::PidRole).toInt(), 103);
    EXPECT_EQ(model.index(0, models::LockTreeModel::Blocking).data().toString(),
              QStringLiteral("2 direct, 3 in total"));
    EXPECT_EQ(model.rootCount(), 1);
    EXPECT_EQ(model.waitingCount(), 3);
}

TEST(LockTreeModel, RefreshUpdatesInPlaceWithoutReset)
{
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(workloadTree(3));
    model.fetchMore(model.index(0, 0));
    model.fetchMore(model.indexOfPid(102));
    const QPersistentModelIndex w3 = model.indexOfPid(103);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setSnapshot(workloadTree(4)); // waits grew
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(inserted.count(), 0);
    EXPECT_EQ(removed.count(), 0);
    EXPECT_GE(changed.count(), 2);
    EXPECT_TRUE(w3.isValid());
    EXPECT_EQ(w3.data(models::LockTreeModel::PidRole).toInt(), 103);
    EXPECT_EQ(model.nodeByPid(103)->waitSeconds.value(), 4);
}

TEST(LockTreeModel, StructureChangesMoveOnlyWhatChanged)
{
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(workloadTree());
    model.fetchMore(model.index(0, 0));
    model.fetchMore(model.indexOfPid(102));
    const QPersistentModelIndex w1 = model.indexOfPid(101);

    // The root ended: W2 becomes the root of W3; W1 is no longer waiting.
    LockTreeSnapshot after;
    after.nodes = {node(102, 0, 102, 1, 1), node(103, 102, 102)};
    model.setSnapshot(after);
    EXPECT_FALSE(w1.isValid());
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0, 0).data(models::LockTreeModel::PidRole).toInt(), 102);
    EXPECT_EQ(model.indexOfPid(103).isValid() ? 1 : 0, 0); // a new node: lazy under its new parent
    model.fetchMore(model.index(0, 0));
    EXPECT_EQ(model.indexOfPid(103).parent(), model.index(0, 0));

    // A PID reused by a new backend is a different session: a new row.
    LockTreeSnapshot reused = after;
    reused.nodes[0].backendStart = QStringLiteral("other");
    const QPersistentModelIndex old = model.index(0, 0);
    model.setSnapshot(reused);
    EXPECT_FALSE(old.isValid());
    EXPECT_EQ(model.rowCount(), 1);

    model.setSnapshot({});
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(LockTreeModel, ThousandsOfWaitersLoadInBatches)
{
    LockTreeSnapshot s;
    s.nodes.append(node(1, 0, 1, 3000, 3000));
    for (int i = 0; i < 3000; ++i)
        s.nodes.append(node(10 + i, 1, 1));
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(s);
    const QModelIndex root = model.index(0, 0);
    model.fetchMore(root);
    EXPECT_EQ(model.rowCount(root), models::LockTreeModel::fetchBatchSize());
    EXPECT_TRUE(model.canFetchMore(root));
    while (model.canFetchMore(root))
        model.fetchMore(root);
    EXPECT_EQ(model.rowCount(root), 3000);
    // New waiters under an opened node are appended; gone ones removed; nothing else moves.
    s.nodes.removeAt(5);
    s.nodes.append(node(9999, 1, 1));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setSnapshot(s);
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(model.rowCount(root), 3000);
    EXPECT_TRUE(model.indexOfPid(9999).isValid());
    EXPECT_FALSE(model.indexOfPid(14).isValid());
}

TEST(LockTreeModel, UsesTheSnapshotsIndexAndKeepsLazyChildrenAcrossRefreshes)
{
    // As LockService delivers it: indexed off the UI thread.
    LockTreeSnapshot s = workloadTree();
    s.buildIndex();
    ASSERT_TRUE(s.indexed);
    EXPECT_EQ(s.childrenOf.value(0), QList<int>{100});
    EXPECT_EQ(s.childrenOf.value(100), (QList<int>{101, 102}));
    ASSERT_NE(s.node(103), nullptr);
    EXPECT_EQ(s.node(103)->parent, 102);
    EXPECT_EQ(s.node(42), nullptr);
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(s);
    const QModelIndex root = model.index(0, 0);
    EXPECT_EQ(model.rowCount(root), 0);
    // A refresh with a new child under the collapsed root: still lazy, and fetchable.
    s.nodes.append(node(104, 100, 100));
    s.buildIndex();
    model.setSnapshot(s);
    EXPECT_EQ(model.rowCount(root), 0);
    ASSERT_TRUE(model.canFetchMore(root));
    model.fetchMore(root);
    EXPECT_EQ(model.rowCount(root), 3);
    EXPECT_TRUE(model.indexOfPid(104).isValid());
    EXPECT_EQ(model.nodeByPid(104)->parent, 100);
}

TEST(LockTreeModel, ShowsRelationNamesOfOtherDatabasesOnceKnown)
{
    LockTreeSnapshot s = workloadTree();
    s.nodes[1].relation = QStringLiteral("oid 16452 in database hokm_game");
    s.nodes[1].lockTarget = QStringLiteral("row (0,1)");
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(s);
    model.fetchMore(model.index(0, 0));
    const QModelIndex lock = model.indexOfPid(101).siblingAtColumn(models::LockTreeModel::Lock);
    EXPECT_EQ(lock.data().toString(),
              QStringLiteral("ShareLock on oid 16452 in database hokm_game, row (0,1)"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setRelationNames(
        {{QStringLiteral("oid 16452 in database hokm_game"), QStringLiteral("game_sessions")}});
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(lock.data().toString(), QStringLiteral("ShareLock on game_sessions, row (0,1)"));
    // The node keeps what the server said (for the terminal and JSON).
    EXPECT_EQ(model.nodeByPid(101)->relation, QStringLiteral("oid 16452 in database hokm_game"));
}

TEST(LockTreeModel, RefreshSignalsOnlyTheCellsWhoseDisplayChanged)
{
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(workloadTree(3));
    model.fetchMore(model.index(0, 0));
    model.fetchMore(model.indexOfPid(102));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // Waits grew by less than a second: nothing shown changes, nothing is repainted.
    model.setSnapshot(workloadTree(3.4));
    EXPECT_EQ(changed.count(), 0);
    EXPECT_DOUBLE_EQ(model.nodeByPid(101)->waitSeconds.value(), 3.4); // the data is current anyway
    // A second later: only the "Waiting / holding" cells of the three waiters (two runs: the
    // root's children, and W3 under W2).
    model.setSnapshot(workloadTree(4.4));
    ASSERT_EQ(changed.count(), 2);
    for (const auto &args : changed) {
        EXPECT_EQ(args.at(0).toModelIndex().column(), models::LockTreeModel::Waited);
        EXPECT_EQ(args.at(1).toModelIndex().column(), models::LockTreeModel::Waited);
    }
    EXPECT_EQ(changed.at(0).at(0).toModelIndex().row(), 0);
    EXPECT_EQ(changed.at(0).at(1).toModelIndex().row(), 1);
    EXPECT_TRUE(model.indexOfPid(101)
                    .siblingAtColumn(models::LockTreeModel::Waited)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("waiting")));
    // A new query text: that cell (and the wait, which did not move) only.
    changed.clear();
    LockTreeSnapshot s = workloadTree(4.4);
    s.nodes[0].query = QStringLiteral("UPDATE game_sessions SET x = 1");
    model.setSnapshot(s);
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.at(0).at(0).toModelIndex().column(), models::LockTreeModel::Query);
    EXPECT_EQ(changed.at(0).at(1).toModelIndex().column(), models::LockTreeModel::Query);
    // Holding up nobody any more: the row's colour changes, the whole row.
    changed.clear();
    s.nodes[0].total = 0;
    s.nodes[0].direct = 0;
    model.setSnapshot(s);
    ASSERT_GE(changed.count(), 1);
    EXPECT_EQ(changed.at(0).at(0).toModelIndex().column(), 0);
    EXPECT_EQ(changed.at(0).at(1).toModelIndex().column(), models::LockTreeModel::ColumnCount - 1);
}
