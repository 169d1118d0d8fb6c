// The PgBouncer view's models, fed with answers recorded from the sandbox PgBouncer
// (tests/fixtures/pgbouncer, record.sh): run under QAbstractItemModelTester, refreshed without a
// reset, waiting clients highlighted; SHOW STATS turned into per-second rates, a restart reset.
#include "models/pgbouncerconfigmodel.h"
#include "models/pgbouncerconnectionsmodel.h"
#include "models/pgbouncerpoolsmodel.h"
#include "models/pgbouncerstatsmodel.h"
#include "models/pgbouncerstatsrates.h"
#include "support/csvresult.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;
using namespace vigil::services;

namespace {

PgResult fixture(const char *name)
{
    return vigil::test::loadPsqlCsv(QStringLiteral(VIGIL_FIXTURES_DIR "/pgbouncer/") +
                                    QLatin1String(name));
}

QString cell(const QAbstractItemModel &m, int row, int col, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, col), role).toString();
}

PgBouncerStats stats(const char *db, qint64 xacts, qint64 queries, qint64 queryUs, qint64 waitUs)
{
    PgBouncerStats s;
    s.database = QLatin1String(db);
    s.transactions = xacts;
    s.queries = queries;
    s.received = queries * 100;
    s.sent = queries * 200;
    s.xactTimeUs = queryUs;
    s.queryTimeUs = queryUs;
    s.waitTimeUs = waitUs;
    return s;
}

} // namespace

TEST(PgBouncerPoolsModel, ShowsRecordedPoolsAndHighlightsWaitingClients)
{
    PgBouncerPoolsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto pools = parsePgBouncerPools(fixture("show_pools.csv"));
    ASSERT_TRUE(pools.ok());
    model.setPools(pools.value());
    ASSERT_EQ(model.rowCount(), pools->size());

    const int game = model.rowOf(QStringLiteral("hokm_game/hokm_app"));
    ASSERT_GE(game, 0);
    EXPECT_EQ(cell(model, game, PgBouncerPoolsModel::ClientsWaiting), QStringLiteral("2"));
    EXPECT_EQ(cell(model, game, PgBouncerPoolsModel::ClientsActive), QStringLiteral("20"));
    // 2 clients waiting, maxwait 2.53 s: a warning, in colour and in the row's background.
    EXPECT_TRUE(
        model.index(game, PgBouncerPoolsModel::ClientsWaiting).data(Qt::ForegroundRole).isValid());
    EXPECT_TRUE(
        model.index(game, PgBouncerPoolsModel::Database).data(Qt::BackgroundRole).isValid());
    EXPECT_EQ(
        model.index(game, PgBouncerPoolsModel::MaxWait).data(CellTableModel::SortRole).toDouble(),
        2.529938);

    const int admin = model.rowOf(QStringLiteral("pgbouncer/pgbouncer"));
    ASSERT_GE(admin, 0);
    EXPECT_FALSE(
        model.index(admin, PgBouncerPoolsModel::ClientsWaiting).data(Qt::ForegroundRole).isValid());
}

TEST(PgBouncerPoolsModel, WaitLevels)
{
    PgBouncerPool pool;
    EXPECT_EQ(PgBouncerPoolsModel::waitLevel(pool), 0);
    pool.clientsWaiting = 1;
    EXPECT_EQ(PgBouncerPoolsModel::waitLevel(pool), 1);
    pool.maxWait = 5.0;
    EXPECT_EQ(PgBouncerPoolsModel::waitLevel(pool), 2);
    pool.clientsWaiting = 0;
    pool.maxWait = 1.5;
    EXPECT_EQ(PgBouncerPoolsModel::waitLevel(pool), 1);
}

TEST(PgBouncerPoolsModel, RefreshIsADiffNotAReset)
{
    PgBouncerPoolsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto pools = parsePgBouncerPools(fixture("show_pools.csv")).value();
    model.setPools(pools);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    pools[0].clientsWaiting = 0;
    pools[0].maxWait = 0;
    model.setPools(pools);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(inserted.count(), 0);
    EXPECT_EQ(changed.count(), 1);
}

TEST(PgBouncerStatsRates, DeltasPerSecondBetweenTwoReads)
{
    PgBouncerStatsRates rates;
    EXPECT_TRUE(rates.update({stats("game", 100, 200, 1'000'000, 0)}, 2.0).isEmpty());
    const auto r = rates.update({stats("game", 120, 240, 3'000'000, 500'000)}, 2.0);
    ASSERT_EQ(r.size(), 1);
    EXPECT_DOUBLE_EQ(r[0].transactionsPerSecond, 10.0);
    EXPECT_DOUBLE_EQ(r[0].queriesPerSecond, 20.0);
    EXPECT_DOUBLE_EQ(r[0].receivedPerSecond, 2000.0);
    EXPECT_DOUBLE_EQ(r[0].sentPerSecond, 4000.0);
    EXPECT_DOUBLE_EQ(r[0].avgQuerySeconds, 0.05); // 2 s of query time over 40 queries
    EXPECT_DOUBLE_EQ(r[0].waitSecondsPerSecond, 0.25);
}

TEST(PgBouncerStatsRates, CounterGoingBackwardsIsARestart)
{
    PgBouncerStatsRates rates;
    rates.update({stats("game", 1000, 2000, 9'000'000, 0)}, 1.0);
    // PgBouncer restarted: every counter starts again from a small number. No negative rate;
    // this read is the new baseline.
    EXPECT_TRUE(rates.update({stats("game", 5, 10, 100, 0)}, 1.0).isEmpty());
    const auto r = rates.update({stats("game", 15, 30, 100, 0)}, 1.0);
    ASSERT_EQ(r.size(), 1);
    EXPECT_DOUBLE_EQ(r[0].transactionsPerSecond, 10.0);
    EXPECT_DOUBLE_EQ(r[0].avgQuerySeconds, 0.0);
}

TEST(PgBouncerStatsRates, NoElapsedTimeKeepsTheBaseline)
{
    PgBouncerStatsRates rates;
    rates.update({stats("game", 10, 10, 0, 0)}, 1.0);
    EXPECT_TRUE(rates.update({stats("game", 20, 20, 0, 0)}, 0.0).isEmpty());
    const auto r = rates.update({stats("game", 30, 30, 0, 0)}, 2.0);
    ASSERT_EQ(r.size(), 1);
    EXPECT_DOUBLE_EQ(r[0].transactionsPerSecond, 10.0); // against the read of 10, over 2 s
}

TEST(PgBouncerStatsModel, RecordedStatsThenRates)
{
    PgBouncerStatsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto recorded = parsePgBouncerStats(fixture("show_stats.csv")).value();
    model.setStats(recorded, 1.0);
    const int game = model.rowOf(QStringLiteral("hokm_game"));
    ASSERT_GE(game, 0);
    EXPECT_EQ(cell(model, game, PgBouncerStatsModel::Transactions), QStringLiteral("…"));
    for (auto &s : recorded)
        s.transactions += 30;
    model.setStats(recorded, 2.0);
    EXPECT_EQ(cell(model, game, PgBouncerStatsModel::Transactions), QStringLiteral("15/s"));
    EXPECT_EQ(
        model.index(game, PgBouncerStatsModel::Queries).data(CellTableModel::SortRole).toDouble(),
        0.0);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(PgBouncerConnectionsModel, RecordedClientsWithWaitingHighlighted)
{
    PgBouncerConnectionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto clients =
        parsePgBouncerConnections(fixture("show_clients.csv"), QStringLiteral("SHOW CLIENTS"));
    ASSERT_TRUE(clients.ok());
    model.setConnections(clients.value());
    ASSERT_EQ(model.rowCount(), clients->size());
    int highlighted = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const bool waiting =
            cell(model, row, PgBouncerConnectionsModel::State) == QLatin1String("waiting");
        const bool marked =
            model.index(row, PgBouncerConnectionsModel::State).data(Qt::ForegroundRole).isValid();
        EXPECT_EQ(waiting, marked) << row;
        highlighted += marked;
    }
    EXPECT_EQ(highlighted, 3);
    EXPECT_EQ(cell(model, 0, PgBouncerConnectionsModel::Address),
              QStringLiteral("127.0.0.1:54036"));
}

TEST(PgBouncerConfigModel, FailoverSettingsFromRecordedConfig)
{
    PgBouncerConfigModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto config = parsePgBouncerConfig(fixture("show_config.csv"));
    ASSERT_TRUE(config.ok());
    model.setConfig(config.value());
    ASSERT_EQ(model.rowCount(), pgBouncerFailoverSettings().size());
    const int retry = model.rowOf(QStringLiteral("server_login_retry"));
    ASSERT_GE(retry, 0);
    EXPECT_EQ(cell(model, retry, PgBouncerConfigModel::Value), QStringLiteral("1"));
    EXPECT_EQ(cell(model, retry, PgBouncerConfigModel::Default), QStringLiteral("15"));
    EXPECT_FALSE(cell(model, retry, PgBouncerConfigModel::Meaning).isEmpty());

    model.setConfig({}); // an older PgBouncer that reports none of them
    EXPECT_EQ(cell(model, retry, PgBouncerConfigModel::Value), model.tr("not reported"));
}
