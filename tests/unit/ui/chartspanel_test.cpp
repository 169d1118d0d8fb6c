// The live charts: a day of 1 s history, downsampled to the plot width, one frame per timer tick,
// windows, pause, hover values, PNG export.
#include "models/chartbackfill.h"
#include "models/charthistory.h"
#include "support/eventloop.h"
#include "support/patronifakeserver.h"
#include "support/qtprinters.h"
#include "ui/charts/chartspanel.h"
#include "ui/charts/timeserieschart.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <cmath>
#include <gtest/gtest.h>

using namespace vigil;
using Chart = models::ChartHistory::Chart;

namespace {
// 24 h of 1 s samples for a typical set of series (2 replicas x 2 lag, 5 states, 2 dbs x 3 rates).
void fillDay(models::ChartHistory &h, qint64 endMs)
{
    const int n = 86400;
    for (int i = 0; i < n; ++i) {
        const double t = i;
        const qint64 at = endMs - qint64(n - 1 - i) * 1000;
        QList<std::tuple<Chart, QString, double>> v;
        v.append({Chart::LagBytes, QStringLiteral("node2"),
                  20000 + 15000 * std::sin(t / 600.0) + (i == 50000 ? 5e8 : 0)});
        v.append({Chart::LagBytes, QStringLiteral("node3"), 30000 + 10000 * std::cos(t / 900.0)});
        v.append({Chart::LagSeconds, QStringLiteral("node2"), 0.01 + 0.005 * std::sin(t / 600.0)});
        v.append({Chart::LagSeconds, QStringLiteral("node3"), 0.02});
        for (const char *s :
             {"active", "idle", "idle in transaction", "fastpath function call", "disabled"})
            v.append({Chart::ConnectionsByState, QLatin1String(s), 10 + 5 * std::sin(t / 300.0)});
        for (const char *db : {"hokm_game", "postgres"}) {
            v.append({Chart::Transactions, QLatin1String(db), 50 + 20 * std::sin(t / 120.0)});
            v.append({Chart::Tuples, QStringLiteral("%1 inserted").arg(QLatin1String(db)), 20});
            v.append({Chart::Tuples, QStringLiteral("%1 updated").arg(QLatin1String(db)), 60});
        }
        h.appendValues(at, v);
    }
}
} // namespace

TEST(ChartsPanel, DayOfHistoryIsDownsampledToThePlotWidth)
{
    models::ChartHistory history;
    const qint64 end = QDateTime::currentMSecsSinceEpoch();
    fillDay(history, end);
    EXPECT_EQ(history.store().size(), 86400);
    EXPECT_LT(history.store().memoryBytes(), 8u * 1024 * 1024); // 19 series

    ui::ChartsPanel panel;
    panel.resize(1400, 900);
    panel.show();
    panel.setHistory(&history);
    panel.setWindowSeconds(86400);
    QApplication::processEvents();
    // The first frame also sizes the axes (and so the plot area); the second uses that width.
    panel.renderFrame();
    QApplication::processEvents();
    panel.renderFrame();
    for (ui::TimeSeriesChart *c : panel.charts()) {
        ASSERT_FALSE(c->labels().isEmpty());
        for (const QString &l : c->labels()) {
            EXPECT_GT(c->pointCount(l), 50);
            EXPECT_LE(c->pointCount(l), c->plotWidth() * 21 / 20) << c->title().toStdString();
        }
    }
    // The one-second spike of 500 MB survives the reduction of 86,400 samples to ~600 points.
    ui::TimeSeriesChart *lag = panel.charts().first();
    const QString around = lag->valuesAt(end - qint64(86400 - 1 - 50000) * 1000);
    EXPECT_TRUE(around.contains(QStringLiteral("node2: 477 MiB"))) << around.toStdString();

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("charts.png"));
    ASSERT_TRUE(panel.exportPng(png));
    EXPECT_GT(QFile(png).size(), 10000);
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    panel.exportPng(QStringLiteral(VIGIL_ARTIFACTS_DIR "/unit-charts-24h.png"));
}

TEST(ChartsPanel, FrameTimerRedrawsOnlyWhenSomethingChanged)
{
    models::ChartHistory history;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 100; ++i)
        history.appendValues(now - (100 - i) * 1000,
                             {{Chart::LagBytes, QStringLiteral("node2"), double(i)}});
    ui::ChartsPanel panel;
    panel.resize(900, 700);
    panel.show();
    panel.setHistory(&history);
    ui::TimeSeriesChart *lag = panel.charts().first();
    // The frame timer draws within a couple of frames.
    ASSERT_TRUE(
        test::waitUntil([&] { return lag->pointCount(QStringLiteral("node2")) == 100; }, 3000));

    // Paused: new samples are kept but not drawn.
    panel.setPaused(true);
    history.appendValues(now + 1000, {{Chart::LagBytes, QStringLiteral("node2"), 1.0}});
    test::spin(3 * ui::ChartsPanel::kFrameMs);
    EXPECT_EQ(lag->pointCount(QStringLiteral("node2")), 100);
    panel.setPaused(false);
    EXPECT_TRUE(
        test::waitUntil([&] { return lag->pointCount(QStringLiteral("node2")) == 101; }, 3000));

    // A 5-minute window of 1 s samples is drawn raw: every sample is a point.
    EXPECT_EQ(panel.windowSeconds(), 300);
    EXPECT_TRUE(lag->valuesAt(now - 50 * 1000).contains(QStringLiteral("node2: 50 B")));
}

TEST(TimeSeriesChart, HoverTextNamesEverySeries)
{
    ui::TimeSeriesChart chart(QStringLiteral("Lag"), ui::TimeSeriesChart::Unit::Seconds);
    chart.resize(600, 300);
    const qint64 t = 1715688000000;
    chart.setLines({{QStringLiteral("node2"), {QPointF(t, 0.25), QPointF(t + 1000, 1.5)}},
                    {QStringLiteral("node3"), {QPointF(t, 0.002), QPointF(t + 1000, 0.003)}}},
                   t - 1000, t + 2000);
    const QString text = chart.valuesAt(t + 900);
    EXPECT_TRUE(text.contains(QStringLiteral("node2: 1.5 s"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("node3: 3 ms"))) << text.toStdString();
    // A series that disappears is removed from the chart.
    chart.setLines({{QStringLiteral("node3"), {QPointF(t, 0.002)}}}, t - 1000, t + 2000);
    EXPECT_EQ(chart.labels(), QStringList{QStringLiteral("node3")});
}

// The history is asked for plots as wide as they are when it is asked for. Plots that narrow
// afterwards (the window made smaller, or a new window's axis labels laid out: 24 h on the
// sandbox's Prometheus asked for 593 px, drew 573 px and had 596 points per series) would show
// more points than they have pixels: the panel asks again for the narrower width.
TEST(ChartsPanel, HistoryIsAskedAgainWhenThePlotsNarrow)
{
    vigil::test::FakeHttpServer prometheus;
    prometheus.answerWith(200,
                          R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
    QNetworkAccessManager nam;
    services::PrometheusSettings settings;
    settings.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(prometheus.port()));
    models::ChartHistory history;
    models::ChartBackfill backfill(&nam, nullptr, QStringLiteral("test"), settings);
    ui::ChartsPanel panel;
    panel.resize(1400, 900);
    panel.setHistory(&history);
    panel.show();
    vigil::test::spin(300);
    panel.setBackfill(&backfill);
    panel.setWindowSeconds(86400);
    const auto settled = [&] {
        return vigil::test::waitUntil(
                   [&] { return !prometheus.requests().isEmpty() && !backfill.busy(); }, 10000) &&
               (vigil::test::spin(300), !backfill.busy());
    };
    ASSERT_TRUE(settled());
    const auto lastPoints = [&] { // what Prometheus returns for the last range asked for
        const QUrlQuery q(QUrl(QString::fromUtf8(prometheus.requests().constLast().path)).query());
        const double step = q.queryItemValue(QStringLiteral("step")).toDouble();
        return step > 0 ? qint64((q.queryItemValue(QStringLiteral("end")).toDouble() -
                                  q.queryItemValue(QStringLiteral("start")).toDouble()) /
                                 step) +
                              1
                        : qint64(-1);
    };
    const auto narrowest = [&] {
        int pixels = std::numeric_limits<int>::max();
        for (ui::TimeSeriesChart *c : panel.charts())
            pixels = std::min(pixels, c->plotWidth());
        return pixels;
    };
    const int wide = narrowest();
    EXPECT_LE(lastPoints(), wide);
    EXPECT_GT(lastPoints(), wide * 9 / 10) << "as many as fit, not far fewer";

    const qsizetype asked = prometheus.requests().size();
    panel.resize(1000, 900);
    ASSERT_TRUE(vigil::test::waitUntil([&] { return narrowest() < wide; }, 5000));
    // Asked again once the width has settled (kRefetchDelayMs), not at every step of a resize.
    EXPECT_TRUE(vigil::test::waitUntil([&] { return prometheus.requests().size() > asked; }, 5000))
        << "asked again";
    ASSERT_TRUE(settled());
    EXPECT_LE(lastPoints(), narrowest());
    EXPECT_GT(lastPoints(), narrowest() * 9 / 10);

    // Wider again: fewer points than pixels is fine, nothing is asked.
    const qsizetype before = prometheus.requests().size();
    panel.resize(1400, 900);
    vigil::test::spin(500);
    EXPECT_EQ(prometheus.requests().size(), before);
}
