// The blocker tree on the sandbox's workload: rebuilt exactly (service, model, view, headless
// command), and terminating the root blocker through the terminate-idle wizard unblocks the
// sessions it held up.
#include "models/locktreemodel.h"
#include "services/diagnostics/lockservice.h"
#include "troubleshooting_fixture.h"
#include "ui/operations/terminateidlewizard.h"
#include "ui/troubleshooting/locktreeview.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTreeView>

using namespace vigil;
using namespace vigil::test;

namespace {

struct Tree
{
    int root = 0;
    QList<int> waiters; // pg_blocking_pids ground truth
};

// The workload's tree as psql sees it: A (hokm-admin-batch) and who waits on whom.
QMap<int, QString> blockingGroundTruth()
{
    QMap<int, QString> byPid;
    const QString out = psqlLeader(QStringLiteral(
        "SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity WHERE datname = 'hokm_game' "
        "AND wait_event_type = 'Lock' ORDER BY pid"));
    for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        byPid.insert(line.section(QLatin1Char('|'), 0, 0).toInt(),
                     line.section(QLatin1Char('|'), 1));
    return byPid;
}

services::LockTreeSnapshot fetchTree(services::MemberSessionPool &context)
{
    services::LockService *service = context.locks(Sandbox::leaderName());
    auto r = await<services::LockTreeSnapshot>([&](auto cb) { service->fetch(cb); });
    EXPECT_TRUE(r.has_value() && r->ok())
        << (r && !r->ok() ? r->error().toText().toStdString() : "no answer");
    return r && r->ok() ? r->value() : services::LockTreeSnapshot{};
}

const services::LockNode *adminRoot(const services::LockTreeSnapshot &s)
{
    const services::LockNode *found = nullptr;
    for (const auto &n : s.nodes)
        if (n.isRoot() && n.application == QLatin1String("hokm-admin-batch"))
            found = &n;
    return found;
}

} // namespace

class LocksTest : public WorkloadTest
{
};

TEST_F(LocksTest, BlockingTreeIsRebuiltExactly)
{
    const services::LockTreeSnapshot snapshot = fetchTree(*m_context);
    const services::LockNode *root = adminRoot(snapshot);
    ASSERT_TRUE(root) << "no hokm-admin-batch root in the tree";
    EXPECT_EQ(root->direct, 2);
    EXPECT_EQ(root->total, 3);
    EXPECT_EQ(root->state, QStringLiteral("idle in transaction"));

    // Exactly one root in hokm_game holds anyone up (the pgbench traffic never touches rows 1..3).
    int rootsInGame = 0;
    QList<const services::LockNode *> direct, second;
    for (const auto &n : snapshot.nodes) {
        if (n.isRoot() && n.database == QLatin1String("hokm_game") && n.total > 0)
            ++rootsInGame;
        if (n.parent == root->pid)
            direct.append(&n);
    }
    EXPECT_EQ(rootsInGame, 1);
    ASSERT_EQ(direct.size(), 2);
    for (const auto &n : snapshot.nodes)
        for (const auto *d : direct)
            if (n.parent == d->pid)
                second.append(&n);
    ASSERT_EQ(second.size(), 1) << "one waiter behind a waiter";
    // The two direct waiters wait on different rows of game_sessions.
    EXPECT_NE(direct.at(0)->lockTarget, direct.at(1)->lockTarget);
    for (const auto *d : direct) {
        EXPECT_EQ(d->relation,
                  QStringLiteral("oid %1 in database hokm_game")
                      .arg(psqlLeader(QStringLiteral("SELECT 'game_sessions'::regclass::oid"))))
            << "the vigil connection is on 'postgres': relations of hokm_game show as oid and "
               "database";
        EXPECT_EQ(d->blockedBy, QList<int>{root->pid});
        EXPECT_FALSE(d->lockMode.isEmpty());
        EXPECT_TRUE(d->waitSeconds.has_value());
    }
    const auto *middle = second.first()->parent == direct.at(0)->pid ? direct.at(0) : direct.at(1);
    EXPECT_EQ(middle->direct, 1);
    EXPECT_EQ(middle->total, 1);
    EXPECT_EQ(second.first()->blockedBy, QList<int>{middle->pid});
    EXPECT_EQ(second.first()->depth, 2);

    // Same edges as pg_blocking_pids seen by psql (independent ground truth).
    const auto truth = blockingGroundTruth();
    for (const auto *d : direct)
        EXPECT_EQ(truth.value(d->pid), QStringLiteral("{%1}").arg(root->pid));
    EXPECT_EQ(truth.value(second.first()->pid), QStringLiteral("{%1}").arg(middle->pid));

    // The GUI's model builds the same tree, and keeps its rows across a refresh.
    models::LockTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(snapshot);
    const QModelIndex rootIndex = model.indexOfPid(root->pid);
    ASSERT_TRUE(rootIndex.isValid());
    while (model.canFetchMore(rootIndex))
        model.fetchMore(rootIndex);
    EXPECT_EQ(model.rowCount(rootIndex), 2);
    const QModelIndex middleIndex = model.indexOfPid(middle->pid);
    while (model.canFetchMore(middleIndex))
        model.fetchMore(middleIndex);
    ASSERT_TRUE(middleIndex.isValid());
    EXPECT_EQ(middleIndex.parent(), rootIndex);
    EXPECT_EQ(model.rowCount(middleIndex), 1);
    EXPECT_EQ(model.index(rootIndex.row(), models::LockTreeModel::Blocking).data().toString(),
              QStringLiteral("2 direct, 3 in total"));
    int resets = 0, removed = 0;
    QObject::connect(&model, &QAbstractItemModel::modelReset, [&] { ++resets; });
    QObject::connect(&model, &QAbstractItemModel::rowsRemoved, [&] { ++removed; });
    model.setSnapshot(fetchTree(*m_context));
    EXPECT_EQ(resets, 0);
    EXPECT_EQ(model.indexOfPid(root->pid), rootIndex) << "rows survive a refresh";
}

TEST_F(LocksTest, LockTreeViewScreenshotAndHeadlessCommand)
{
    ui::LockTreeView view(m_context.get());
    view.resize(1400, 420);
    view.setRefreshIntervalMs(500);
    int refreshes = 0;
    QObject::connect(&view, &ui::LockTreeView::refreshed, [&] { ++refreshes; });
    view.show();
    // The second refresh shows relation names (looked up on hokm_game after the first).
    ASSERT_TRUE(waitUntil([&] { return refreshes >= 3; }, 15000));
    const QModelIndex adminRow = view.model()->index(0, 0);
    ASSERT_TRUE(adminRow.isValid());
    const QModelIndex firstWaiter = view.model()->index(0, models::LockTreeModel::Lock, adminRow);
    EXPECT_TRUE(firstWaiter.data().toString().contains(QStringLiteral("game_sessions")))
        << firstWaiter.data().toString().toStdString();
    spin(200);
    EXPECT_GE(view.model()->rootCount(), 1);
    saveScreenshot(&view, QStringLiteral("locktree.png"));

    // vigil locks --json: the same tree from the terminal, the leader found through Patroni.
    QProcess p;
    p.start(QStringLiteral(VIGIL_BINARY), {QStringLiteral("locks"), QStringLiteral("--json"),
                                           QStringLiteral("--patroni"), Sandbox::patroniUrl()});
    ASSERT_TRUE(p.waitForFinished(30000));
    ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QJsonObject admin;
    for (const auto &r : doc.value(QStringLiteral("roots")).toArray())
        if (r.toObject().value(QStringLiteral("application")).toString() ==
            QLatin1String("hokm-admin-batch"))
            admin = r.toObject();
    ASSERT_FALSE(admin.isEmpty());
    EXPECT_EQ(admin.value(QStringLiteral("direct")).toInt(), 2);
    EXPECT_EQ(admin.value(QStringLiteral("total")).toInt(), 3);
    const QJsonArray blocked = admin.value(QStringLiteral("blocked")).toArray();
    ASSERT_EQ(blocked.size(), 2);
    int grandchildren = 0;
    for (const auto &b : blocked)
        grandchildren += b.toObject().value(QStringLiteral("blocked")).toArray().size();
    EXPECT_EQ(grandchildren, 1);

    QProcess text;
    text.start(QStringLiteral(VIGIL_BINARY),
               {QStringLiteral("locks"), QStringLiteral("--patroni"), Sandbox::patroniUrl()});
    ASSERT_TRUE(text.waitForFinished(30000));
    const QString out = QString::fromUtf8(text.readAllStandardOutput());
    EXPECT_TRUE(out.contains(QStringLiteral("hokm-admin-batch"))) << out.toStdString();
    EXPECT_TRUE(out.contains(QStringLiteral("2 direct, 3 in total"))) << out.toStdString();
    // No password on the command line: refused outright.
    QProcess pw;
    pw.start(QStringLiteral(VIGIL_BINARY), {QStringLiteral("locks"), QStringLiteral("--sql"),
                                            QStringLiteral("host=127.0.0.1 password=x")});
    ASSERT_TRUE(pw.waitForFinished(10000));
    EXPECT_EQ(pw.exitCode(), 2);
}

TEST_F(LocksTest, TerminatingTheRootBlockerThroughTheWizardUnblocksTheRest)
{
    const services::LockTreeSnapshot before = fetchTree(*m_context);
    const services::LockNode *root = adminRoot(before);
    ASSERT_TRUE(root);
    const int rootPid = root->pid;
    QList<int> direct;
    int middlePid = 0, lastPid = 0;
    for (const auto &n : before.nodes)
        if (n.parent == rootPid)
            direct.append(n.pid);
    for (const auto &n : before.nodes)
        if (direct.contains(n.parent)) {
            middlePid = n.parent;
            lastPid = n.pid;
        }
    ASSERT_EQ(direct.size(), 2);

    ui::TerminateIdleWizard wizard(m_context.get());
    services::IdleCriteria c;
    c.idleSeconds.reset();
    c.idleInTransactionSeconds = 1;
    c.applicationPattern = QStringLiteral("hokm-admin-%");
    wizard.setCriteria(c);
    wizard.loadPreview();
    ASSERT_TRUE(waitUntil([&] { return wizard.previewLoaded(); }, 15000));
    ASSERT_EQ(wizard.plan().entries.size(), 1);
    EXPECT_EQ(wizard.plan().entries.first().ref.pid, rootPid);
    EXPECT_EQ(wizard.plan().entries.first().ref.backendStart, root->backendStart);

    wizard.setTypedConfirmation(QStringLiteral("hokm-ha-typo"));
    wizard.execute();
    EXPECT_FALSE(wizard.executed()) << "a wrong cluster name does not execute";
    wizard.setTypedConfirmation(QStringLiteral("hokm-ha"));
    wizard.execute();
    ASSERT_TRUE(waitUntil([&] { return wizard.executed(); }, 15000));
    ASSERT_EQ(wizard.outcomes().size(), 1);
    EXPECT_TRUE(wizard.outcomes().first().done()) << wizard.resultText().toStdString();

    // The root is gone; its two direct waiters got their rows. The last waiter still waits,
    // now behind the middle session, which holds row 3 in its open transaction.
    services::LockTreeSnapshot after;
    ASSERT_TRUE(waitUntil(
        [&] {
            after = fetchTree(*m_context);
            for (const auto &n : after.nodes)
                if (n.pid == rootPid || (direct.contains(n.pid) && n.isWaiting()))
                    return false;
            return true;
        },
        10000));
    EXPECT_EQ(
        psqlLeader(
            QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = %1").arg(rootPid)),
        QStringLiteral("0"));
    for (int pid : direct)
        EXPECT_EQ(psqlLeader(QStringLiteral(
                                 "SELECT state || ' ' || (wait_event_type IS DISTINCT FROM 'Lock') "
                                 "FROM pg_stat_activity WHERE pid = %1")
                                 .arg(pid)),
                  QStringLiteral("idle in transaction true"))
            << "session " << pid << " should have its row and be idle in its transaction";
    const services::LockNode *newRoot = nullptr;
    for (const auto &n : after.nodes)
        if (n.pid == middlePid)
            newRoot = &n;
    ASSERT_TRUE(newRoot);
    EXPECT_TRUE(newRoot->isRoot());
    EXPECT_EQ(newRoot->total, 1);
    Q_UNUSED(lastPid);

    const auto entries = m_context->audit()->readAll();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries.first().action, QStringLiteral("terminate_idle_sessions"));
    EXPECT_EQ(entries.first().result, QStringLiteral("ok"));
    EXPECT_EQ(entries.first().cluster, QStringLiteral("hokm-ha"));
    EXPECT_EQ(entries.first().member, Sandbox::leaderName());
    EXPECT_EQ(entries.first()
                  .parameters.value(QStringLiteral("idle_in_transaction_longer_than_s"))
                  .toDouble(),
              1.0);
}
