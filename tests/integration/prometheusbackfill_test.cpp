// The charts' history from the sandbox's real Prometheus (sandbox.sh up --metrics, label
// "metrics"): after two minutes or more of scraping, charts opened now show points older than
// the console's start, at no more points than the plot has pixels, with the seam marked; with
// Prometheus killed mid-run, changing the window three times gives one message and the live
// charts go on. Writes build/artifacts/charts-backfill.png.
#include "models/chartbackfill.h"
#include "models/charthistory.h"
#include "services/monitor/clustermonitor.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"
#include "support/sandboxprofile.h"
#include "ui/charts/chartspanel.h"
#include "ui/charts/timeserieschart.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <gtest/gtest.h>
#include <limits>

using namespace vigil;
using test::Cleanup;
using test::Sandbox;
using Chart = models::ChartHistory::Chart;

namespace {

QString prometheusUrl()
{
    return qEnvironmentVariable("VIGIL_SANDBOX_PROMETHEUS_URL");
}

// Samples of node1's pg_up in the last 3 minutes (test harness only: curl with a deadline).
int recentScrapes()
{
    const test::ProcessRun r = test::runInLoop(
        QStringLiteral("curl"),
        {QStringLiteral("-fsS"), QStringLiteral("--max-time"), QStringLiteral("5"),
         QStringLiteral("--data-urlencode"),
         QStringLiteral("query=count_over_time(pg_up{scope=\"hokm-ha\",member=\"node1\"}[3m])"),
         prometheusUrl() + QStringLiteral("/api/v1/query")},
        10000);
    const QJsonArray result =
        QJsonDocument::fromJson(r.out.toUtf8())[QStringLiteral("data")][QStringLiteral("result")]
            .toArray();
    return result.isEmpty()
               ? 0
               : result.at(0)[QStringLiteral("value")].toArray().at(1).toString().toInt();
}

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

ui::TimeSeriesChart *chartOf(ui::ChartsPanel &panel, int index)
{
    return panel.charts().at(index); // LagBytes, LagSeconds, Connections, Transactions, Tuples
}

// The oldest point of any line of `chart`.
qint64 oldestPoint(ui::TimeSeriesChart *chart)
{
    qint64 oldest = std::numeric_limits<qint64>::max();
    for (const QString &label : chart->labels())
        for (const QPointF &p : chart->points(label))
            oldest = qMin(oldest, qint64(p.x()));
    return oldest;
}

// The console: a monitor of the sandbox feeding a chart history, and the charts panel with the
// backfill from the sandbox's Prometheus.
struct Console
{
    QNetworkAccessManager nam;
    services::ClusterMonitor monitor{&nam, test::sandboxProfile(QStringLiteral("backfill"))};
    models::ChartHistory history;
    models::ChartBackfill backfill{&nam, nullptr, QStringLiteral("backfill"), settings()};
    ui::ChartsPanel panel;

    static services::PrometheusSettings settings()
    {
        services::PrometheusSettings s;
        s.url = QUrl(prometheusUrl());
        s.matchers = QStringLiteral("scope=\"hokm-ha\"");
        return s;
    }

    Console()
    {
        QObject::connect(&monitor, &services::ClusterMonitor::snapshotReady, &history,
                         [this](const services::ClusterSnapshotPtr &s) { history.ingest(*s); });
        panel.resize(1400, 900);
        panel.setHistory(&history);
        panel.setBackfill(&backfill);
    }
};

} // namespace

TEST(PrometheusBackfill, ChartsShowHistoryOlderThanTheConsoleThenGoOnWithoutPrometheus)
{
    VIGIL_REQUIRE_SANDBOX();
    if (prometheusUrl().isEmpty()) {
        if (qEnvironmentVariableIntValue("VIGIL_REQUIRE_SANDBOX") == 1)
            FAIL() << "no VIGIL_SANDBOX_PROMETHEUS_URL: run 'sandbox.sh up --metrics'";
        GTEST_SKIP() << "the sandbox has no metrics stack (sandbox.sh up --metrics)";
    }
    // Two minutes of 5 s scrapes: 24 samples at least.
    ASSERT_TRUE(test::waitUntil([] { return recentScrapes() >= 24; }, 200000))
        << "Prometheus has not scraped node1 for two minutes";

    const qint64 consoleStart = QDateTime::currentMSecsSinceEpoch();
    Console c;
    QSignalSpy problems(&c.backfill, &models::ChartBackfill::problemChanged);
    c.monitor.start();
    c.panel.setWindowSeconds(3600);
    c.panel.show(); // the charts open: the backfill is asked for
    ASSERT_TRUE(test::waitUntil([&] { return c.backfill.seamMs() > 0; }, 20000))
        << c.backfill.problem().toStdString();
    ASSERT_TRUE(test::waitUntil([&] { return c.history.store().size() >= 5; }, 20000));
    c.panel.renderFrame();

    int narrowest = std::numeric_limits<int>::max();
    for (ui::TimeSeriesChart *chart : c.panel.charts())
        narrowest = qMin(narrowest, chart->plotWidth());
    EXPECT_LE(c.backfill.maxPointsPerSeries(), narrowest);
    EXPECT_GT(c.backfill.maxPointsPerSeries(), 10);
    // Lag in bytes, connections and transactions all reach back before the console started.
    for (int index : {0, 2, 3}) {
        ui::TimeSeriesChart *chart = chartOf(c.panel, index);
        EXPECT_LT(oldestPoint(chart), consoleStart - 60000) << chart->title().toStdString();
        EXPECT_EQ(chart->seamMs(), c.backfill.seamMs());
        EXPECT_TRUE(chart->seamNote().startsWith(QLatin1String("before ")))
            << chart->seamNote().toStdString();
    }
    // The seam is the first live sample: one line runs on across it (live points follow).
    ui::TimeSeriesChart *connections = chartOf(c.panel, 2);
    ASSERT_TRUE(connections->labels().contains(QStringLiteral("idle")));
    const QList<QPointF> idle = connections->points(QStringLiteral("idle"));
    EXPECT_LT(idle.first().x(), double(c.backfill.seamMs()));
    EXPECT_GE(idle.last().x(), double(c.backfill.seamMs()));
    EXPECT_TRUE(c.panel.exportPng(artifact(QStringLiteral("charts-backfill.png"))));
    EXPECT_EQ(problems.count(), 0);

    // Prometheus dies: three window changes, one message; the live charts go on.
    Cleanup restart{[] {
        Sandbox::run({QStringLiteral("up")});
    }};
    ASSERT_GT(Sandbox::killService(QStringLiteral("prometheus")), 0);
    const quint64 revisionBefore = c.history.revision();
    for (int seconds : {86400, 300, 3600}) {
        c.panel.setWindowSeconds(seconds);
        test::spin(1500);
    }
    ASSERT_TRUE(test::waitUntil([&] { return !c.backfill.problem().isEmpty(); }, 15000));
    test::spin(3000);
    EXPECT_EQ(problems.count(), 1);
    auto *banner = c.panel.findChild<QLabel *>(QStringLiteral("chartsBackfillProblem"));
    ASSERT_NE(banner, nullptr);
    EXPECT_TRUE(banner->isVisible());
    EXPECT_TRUE(banner->text().contains(QLatin1String("go on with Vigil's own samples")))
        << banner->text().toStdString();
    EXPECT_GT(c.history.revision(), revisionBefore + 3); // live samples kept coming
    c.panel.renderFrame();
    EXPECT_GT(chartOf(c.panel, 2)->points(QStringLiteral("idle")).size(), 0);
    EXPECT_TRUE(c.panel.exportPng(artifact(QStringLiteral("charts-backfill-prometheus-down.png"))));
    c.monitor.stop();
}
