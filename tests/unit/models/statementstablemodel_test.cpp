#include "models/statementsfiltermodel.h"
#include "models/statementstablemodel.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
services::StatementRow entry(qint64 id, qint64 calls, double totalMs, const QString &query)
{
    services::StatementRow r;
    r.key = {10, 5, id, true};
    r.query = query;
    r.user = QStringLiteral("hokm_app");
    r.database = QStringLiteral("hokm_game");
    r.counters.calls = calls;
    r.counters.totalMs = totalMs;
    return r;
}
services::StatementsSample at(const QDateTime &t, QList<services::StatementRow> rows)
{
    services::StatementsSample s;
    s.takenAt = t;
    s.statsReset = QStringLiteral("r");
    s.rows = std::move(rows);
    return s;
}
} // namespace

TEST(StatementsTableModel, WindowedDeltasAndHighlights)
{
    models::StatementsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    model.addSample(at(t0, {entry(1, 10, 100, QStringLiteral("SELECT game_")),
                            entry(2, 1, 6000, QStringLiteral("slow"))}));
    model.addSample(at(t0.addSecs(60), {entry(1, 30, 300, QStringLiteral("SELECT game_")),
                                        entry(2, 2, 13000, QStringLiteral("slow"))}));
    model.addSample(at(t0.addSecs(120), {entry(1, 35, 350, QStringLiteral("SELECT game_")),
                                         entry(2, 2, 13000, QStringLiteral("slow"))}));
    // Cumulative by default.
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.rowAt(0).counters.calls, 35);
    // Last minute: only what happened between t0+60 and t0+120.
    model.setWindowSeconds(60);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.rowAt(0).counters.calls, 5);
    EXPECT_DOUBLE_EQ(model.coveredSeconds(), 60);
    // Last 5 minutes: we only have 2 minutes: covered says so.
    model.setWindowSeconds(300);
    EXPECT_DOUBLE_EQ(model.coveredSeconds(), 120);
    ASSERT_EQ(model.rowCount(), 2);
    for (int r = 0; r < model.rowCount(); ++r) {
        const auto &row = model.rowAt(r);
        const int h = model.index(r, 0).data(models::StatementsTableModel::HighlightRole).toInt();
        if (row.key.queryId == 2) {
            EXPECT_EQ(row.counters.calls, 1);
            EXPECT_EQ(h, 2); // 7 s mean
        } else {
            EXPECT_EQ(h, 0);
        }
    }
    EXPECT_EQ(models::StatementsTableModel::highlightFor(1500), 1);
    EXPECT_EQ(models::StatementsTableModel::highlightFor(999), 0);

    models::StatementsFilterModel filter;
    filter.setSourceModel(&model);
    filter.setQueryText(QStringLiteral("GAME_"));
    EXPECT_EQ(filter.rowCount(), 1);
    filter.setQueryText({});
    filter.setUser(QStringLiteral("nobody"));
    EXPECT_EQ(filter.rowCount(), 0);
}

TEST(StatementsTableModel, ClearForgetsTheSamplesOfTheMemberShownBefore)
{
    models::StatementsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    model.setWindowSeconds(60);
    model.addSample(at(t0, {entry(1, 10, 100, QStringLiteral("SELECT game_"))}));
    model.addSample(at(t0.addSecs(60), {entry(1, 30, 300, QStringLiteral("SELECT game_"))}));
    ASSERT_EQ(model.rowCount(), 1);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_DOUBLE_EQ(model.coveredSeconds(), 0);
    // The next member's first sample is no delta against the previous member's counters.
    model.addSample(at(t0.addSecs(70), {entry(1, 5000, 9000, QStringLiteral("SELECT game_"))}));
    EXPECT_EQ(model.rowCount(), 0) << "one sample is no delta";
}
