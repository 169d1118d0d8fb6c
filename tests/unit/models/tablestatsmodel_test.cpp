#include "models/tablestatsmodel.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>

using namespace vigil;

TEST(TableStatsModel, TablesWithManySequentialScansAreHighlighted)
{
    models::TableStatsModel model(models::TableStatsModel::Kind::Tables);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    services::TableStat scanned;
    scanned.schema = QStringLiteral("public");
    scanned.name = QStringLiteral("game_moves");
    scanned.seqScan = 5000;
    scanned.seqTupRead = 50000000;
    scanned.idxScan = 10;
    services::TableStat fine = scanned;
    fine.name = QStringLiteral("game_sessions");
    fine.seqScan = 3;
    fine.idxScan = 90000;
    model.setTables({scanned, fine});
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_TRUE(model.index(0, 0).data(models::TableStatsModel::HighlightRole).toBool());
    EXPECT_FALSE(model.index(1, 0).data(models::TableStatsModel::HighlightRole).toBool());
    EXPECT_EQ(model.index(0, 0).data().toString(), QStringLiteral("game_moves"));
    EXPECT_EQ(model.index(0, 7).data(models::TableStatsModel::SortRole).toLongLong(), 5000);

    models::TableStatsModel dbs(models::TableStatsModel::Kind::Databases);
    services::DatabaseStat d;
    d.name = QStringLiteral("hokm_game");
    d.bytes = 10 * 1024 * 1024;
    d.blksHit = 99;
    d.blksRead = 1;
    dbs.setDatabases({d});
    EXPECT_EQ(dbs.index(0, 1).data().toString(), QStringLiteral("10 MiB"));
    EXPECT_EQ(dbs.index(0, 8).data().toString(), QStringLiteral("99.0 %"));
}
