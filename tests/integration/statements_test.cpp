// pg_stat_statements on the sandbox: a known query run N times between two samples shows N
// calls in the delta (service and model), the advice when the extension is missing, and the
// slow-query table during the workload.
#include "models/statementsfiltermodel.h"
#include "models/statementstablemodel.h"
#include "services/diagnostics/statementsservice.h"
#include "troubleshooting_fixture.h"
#include "ui/troubleshooting/statementsview.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QTableView>

using namespace vigil;
using namespace vigil::test;

class StatementsTest : public WorkloadTest
{
};

namespace {
services::StatementsStatus status(services::StatementsService &service)
{
    auto s = await<services::StatementsStatus>([&](auto cb) { service.fetchStatus(cb); });
    EXPECT_TRUE(s && s->ok());
    return s && s->ok() ? s->value() : services::StatementsStatus{};
}
services::StatementsSample sample(services::StatementsService &service,
                                  const services::StatementsStatus &st)
{
    auto s = await<services::StatementsSample>([&](auto cb) { service.fetchSample(st, cb); });
    EXPECT_TRUE(s && s->ok()) << (s && !s->ok() ? s->error().toText().toStdString() : "");
    return s && s->ok() ? s->value() : services::StatementsSample{};
}
} // namespace

TEST_F(StatementsTest, KnownQueryRunNTimesShowsNCallsInTheDelta)
{
    services::StatementsService *service = m_context->statements(Sandbox::leaderName());
    const auto st = status(*service);
    ASSERT_TRUE(st.usable()) << st.advice(QStringLiteral("hokm-ha")).toStdString();

    // A statement shape nobody else runs; constants are normalised, so the key is its shape.
    const int marker = 100000 + int(QRandomGenerator::global()->bounded(800000));
    const QString sql =
        QStringLiteral("SELECT length($1::text) * %1 AS vigil_it_delta_%1").arg(marker);
    auto runner = openSession(QStringLiteral("it-statements"));
    ASSERT_FALSE(exec(*runner, sql, {QStringLiteral("warm-up")})
                     .error.isError()); // the entry exists before sample 1

    models::StatementsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setWindowSeconds(3600);
    const auto first = sample(*service, st);
    model.addSample(first);
    constexpr int N = 7;
    for (int i = 0; i < N; ++i)
        ASSERT_FALSE(exec(*runner, sql, {QString::number(i)}).error.isError());
    spin(200);
    const auto second = sample(*service, st);
    model.addSample(second);

    // Column aliases and constants are not part of the statement's key: the stored text is the
    // first run's (of any earlier test run too), so the entry is found by its alias prefix.
    const QString tag = QStringLiteral("AS vigil_it_delta_");
    const auto delta = services::diffStatementSamples(first, second);
    const services::StatementRow *found = nullptr;
    for (const auto &r : delta)
        if (r.query.contains(tag))
            found = &r;
    ASSERT_TRUE(found) << "the query is not in the delta";
    EXPECT_EQ(found->counters.calls, N);
    EXPECT_FALSE(found->isNew);
    EXPECT_EQ(found->counters.rows, N);
    EXPECT_EQ(found->user, QStringLiteral("vigil"));
    EXPECT_EQ(found->database, QStringLiteral("hokm_game"));

    // The model's window view shows the same N.
    int calls = -1;
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.rowAt(r).query.contains(tag))
            calls = int(model.rowAt(r).counters.calls);
    EXPECT_EQ(calls, N);
    // Cumulative: everything since the reset = the first sample's calls + N.
    qint64 before = -1;
    for (const auto &r : first.rows)
        if (r.query.contains(tag))
            before = r.counters.calls;
    ASSERT_GE(before, 1);
    model.setWindowSeconds(0);
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.rowAt(r).query.contains(tag))
            calls = int(model.rowAt(r).counters.calls);
    EXPECT_EQ(calls, before + N);
}

TEST_F(StatementsTest, SaysWhatToChangeWhenTheExtensionIsMissing)
{
    // template1 has no CREATE EXTENSION pg_stat_statements (the library is preloaded).
    services::StatementsService service(
        m_context->session(Sandbox::leaderName(), QStringLiteral("template1")));
    const auto st = status(service);
    EXPECT_TRUE(st.preloaded);
    EXPECT_FALSE(st.installed);
    EXPECT_FALSE(st.usable());
    EXPECT_TRUE(st.advice(QStringLiteral("hokm-ha"))
                    .contains(QStringLiteral("CREATE EXTENSION pg_stat_statements")));
    EXPECT_TRUE(st.advice(QStringLiteral("hokm-ha")).contains(QStringLiteral("template1")));
    auto s = await<services::StatementsSample>([&](auto cb) { service.fetchSample(st, cb); });
    ASSERT_TRUE(s.has_value());
    EXPECT_FALSE(s->ok());
}

TEST_F(StatementsTest, SlowQueryTableScreenshot)
{
    // The workload's slow queries (~1.5 s and ~6 s) run right at its start.
    ASSERT_TRUE(waitUntil(
        [&] {
            return psqlLeader(QStringLiteral("SELECT count(*) FROM pg_stat_statements WHERE query "
                                             "LIKE '%pg_sleep(%' AND calls > 0 "
                                             "AND mean_exec_time > 5000"),
                              QStringLiteral("postgres"))
                       .toInt() > 0;
        },
        40000));
    ui::StatementsView view(m_context.get());
    view.resize(1500, 520);
    bool refreshed = false;
    QObject::connect(&view, &ui::StatementsView::refreshed, [&] { refreshed = true; });
    view.show();
    ASSERT_TRUE(waitUntil([&] { return refreshed; }, 20000));
    view.setQueryFilter(QStringLiteral("game_"));
    view.table()->sortByColumn(models::StatementsTableModel::MeanTime, Qt::DescendingOrder);
    view.table()->selectRow(2); // keep the highlighted top rows visible as highlighted
    spin(200);
    ASSERT_GT(view.filterModel()->rowCount(), 0);
    const QModelIndex top = view.filterModel()->index(0, models::StatementsTableModel::MeanTime);
    EXPECT_EQ(top.data(models::StatementsTableModel::HighlightRole).toInt(), 2)
        << "mean above 5 s is critical";
    for (int r = 0; r < view.filterModel()->rowCount(); ++r)
        EXPECT_TRUE(view.filterModel()
                        ->index(r, 0)
                        .data(models::StatementsTableModel::FullQueryRole)
                        .toString()
                        .contains(QStringLiteral("game_"), Qt::CaseInsensitive));
    saveScreenshot(&view, QStringLiteral("slowqueries.png"));
}
