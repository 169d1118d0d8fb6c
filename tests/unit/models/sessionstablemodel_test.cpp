#include "models/sessionsfiltermodel.h"
#include "models/sessionstablemodel.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using services::SessionRow;

namespace {
SessionRow row(int pid, const QString &state, double age,
               const QString &app = QStringLiteral("hokm-lobby"))
{
    SessionRow r;
    r.pid = pid;
    r.backendStart = QStringLiteral("s%1").arg(pid);
    r.state = state;
    r.stateAge = age;
    r.queryAge = age;
    r.application = app;
    r.user = QStringLiteral("hokm_app");
    r.database = QStringLiteral("hokm_game");
    r.backendType = QStringLiteral("client backend");
    r.query = QStringLiteral("SELECT * FROM game_sessions WHERE id = %1").arg(pid);
    return r;
}
} // namespace

TEST(SessionsTableModel, KeyedRefreshKeepsRows)
{
    models::SessionsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSessions({row(1, QStringLiteral("idle"), 5), row(2, QStringLiteral("active"), 1),
                       row(3, QStringLiteral("idle"), 9)});
    ASSERT_EQ(model.rowCount(), 3);
    const QPersistentModelIndex two = model.index(1, 0);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    auto r2 = row(2, QStringLiteral("active"), 2);
    model.setSessions({r2, row(3, QStringLiteral("idle"), 10), row(4, QStringLiteral("idle"), 0)});
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(removed.count(), 1);
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_TRUE(two.isValid());
    EXPECT_EQ(two.data(models::SessionsTableModel::PidRole).toInt(), 2);
    // Same pid, new backend_start: a different session.
    auto reused = row(2, QStringLiteral("idle"), 0);
    reused.backendStart = QStringLiteral("later");
    model.setSessions({reused});
    EXPECT_FALSE(two.isValid());
    EXPECT_EQ(model.rowCount(), 1);
}

TEST(SessionsTableModel, HighlightsLongQueriesAndIdleInTransaction)
{
    models::SessionsTableModel model;
    model.setThresholds(60, 30);
    EXPECT_EQ(model.highlight(row(1, QStringLiteral("active"), 10)), 0);
    EXPECT_EQ(model.highlight(row(1, QStringLiteral("active"), 61)), 1);
    EXPECT_EQ(model.highlight(row(1, QStringLiteral("active"), 121)), 2);
    EXPECT_EQ(model.highlight(row(1, QStringLiteral("idle in transaction"), 31)), 1);
    EXPECT_EQ(model.highlight(row(1, QStringLiteral("idle"), 99999)), 0);
    model.setSessions({row(1, QStringLiteral("idle in transaction"), 100)});
    EXPECT_TRUE(model.index(0, 0).data(Qt::BackgroundRole).isValid());
    EXPECT_FALSE(model.index(0, 0).data(Qt::ToolTipRole).toString().isEmpty());
}

TEST(SessionsFilterModel, FiltersLikeTheManual)
{
    models::SessionsTableModel model;
    models::SessionsFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto walsender = row(9, QStringLiteral("active"), 100, QStringLiteral("node2"));
    walsender.backendType = QStringLiteral("walsender");
    model.setSessions({row(1, QStringLiteral("idle"), 4000),
                       row(2, QStringLiteral("active"), 2, QStringLiteral("hokm-game-server")),
                       row(3, QStringLiteral("idle in transaction"), 50, QStringLiteral("psql")),
                       walsender});
    EXPECT_EQ(filter.rowCount(), 3); // background processes hidden
    filter.setShowBackgroundProcesses(true);
    EXPECT_EQ(filter.rowCount(), 4);
    filter.setShowBackgroundProcesses(false);
    filter.setApplicationPattern(QStringLiteral("hokm%"));
    EXPECT_EQ(filter.rowCount(), 2);
    filter.setStates({QStringLiteral("idle")});
    EXPECT_EQ(filter.rowCount(), 1);
    filter.setStates({});
    filter.setMinimumDurationSeconds(3600);
    EXPECT_EQ(filter.rowCount(), 1);
    filter.setMinimumDurationSeconds(0);
    filter.setApplicationPattern({});
    filter.setSearchText(QStringLiteral("id = 3"));
    ASSERT_EQ(filter.rowCount(), 1);
    EXPECT_EQ(filter.index(0, 0).data(models::SessionsTableModel::PidRole).toInt(), 3);
}
