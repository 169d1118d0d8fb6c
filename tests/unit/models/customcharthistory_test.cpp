// ChartHistory's custom metric charts: one chart per metric in the profile's order, one line per
// label, the last value repeated until the next run, a gap for a failed run.
#include "models/charthistory.h"
#include "support/qtprinters.h"

#include <QSignalSpy>
#include <cmath>
#include <gtest/gtest.h>

using vigil::models::ChartHistory;
using namespace vigil::services;

namespace {
ClusterSnapshot snapshotAt(int second, const QList<CustomMetricReading> &readings)
{
    ClusterSnapshot s;
    s.takenAt = QDateTime(QDate(2026, 12, 5), QTime(12, 0), Qt::UTC).addSecs(second);
    s.customMetrics = readings;
    return s;
}

CustomMetricReading metric(const QString &name, const QString &unit,
                           const QList<CustomMetricValue> &values, const QString &error = {})
{
    CustomMetricReading r;
    r.name = name;
    r.unit = unit;
    r.values = values;
    r.error = error;
    r.takenAt = QDateTime::currentDateTimeUtc();
    return r;
}
} // namespace

TEST(CustomChartHistory, OneChartPerMetricOneLinePerLabel)
{
    ChartHistory history(100);
    QSignalSpy changed(&history, &ChartHistory::customChartsChanged);
    const auto games = QStringLiteral("Active game sessions");
    const auto players = QStringLiteral("Player connections");
    history.ingest(snapshotAt(
        0, {metric(games, QStringLiteral("games"), {{{}, 17}}),
            metric(players, QStringLiteral("connections"),
                   {{QStringLiteral("hokm-lobby"), 3}, {QStringLiteral("hokm-game-server"), 8}})}));
    EXPECT_EQ(changed.count(), 1);
    const auto charts = history.customCharts();
    ASSERT_EQ(charts.size(), 2);
    EXPECT_EQ(charts.at(0).name, games);
    EXPECT_EQ(charts.at(0).unit, QStringLiteral("games"));
    EXPECT_EQ(charts.at(1).name, players);

    const auto gameLines = history.customSeries(games);
    ASSERT_EQ(gameLines.size(), 1);
    EXPECT_EQ(gameLines.first().label, games); // a one-number metric's line is named after it
    EXPECT_FLOAT_EQ(history.store().valueAt(gameLines.first().index, 0), 17);
    const auto playerLines = history.customSeries(players);
    ASSERT_EQ(playerLines.size(), 2);
    EXPECT_EQ(playerLines.at(0).label, QStringLiteral("hokm-game-server"));
    EXPECT_EQ(playerLines.at(1).label, QStringLiteral("hokm-lobby"));
    // The built-in charts do not see them, nor do metrics see each other's lines.
    EXPECT_TRUE(history.series(ChartHistory::Chart::Transactions).isEmpty());

    // The same reading again (the metric runs every 10 s, snapshots come every second): the
    // value is repeated, a step line; nothing about the charts changed.
    history.ingest(snapshotAt(1, {metric(games, QStringLiteral("games"), {{{}, 17}}),
                                  metric(players, QStringLiteral("connections"), {})}));
    EXPECT_EQ(changed.count(), 1);
    EXPECT_FLOAT_EQ(history.store().valueAt(gameLines.first().index, 1), 17);
    EXPECT_TRUE(std::isnan(history.store().valueAt(playerLines.first().index, 1)));

    // A failed run: a gap, and the chart carries the sentence.
    history.ingest(
        snapshotAt(2, {metric(games, QStringLiteral("games"), {},
                              QStringLiteral("There is no running replica to run it on.")),
                       metric(players, QStringLiteral("connections"), {})}));
    EXPECT_EQ(changed.count(), 2);
    EXPECT_TRUE(std::isnan(history.store().valueAt(gameLines.first().index, 2)));
    EXPECT_EQ(history.customCharts().first().error,
              QStringLiteral("There is no running replica to run it on."));
}
