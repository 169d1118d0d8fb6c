// Backfill benchmark (issue 17 §2): the charts panel (1400x900, offscreen) with a ChartBackfill
// from the Prometheus at $VIGIL_SANDBOX_PROMETHEUS_URL opens the 24 h and the 7 d windows. Per
// window: the plot's width in pixels, the step chosen, the most points any fetched series has
// (must not exceed the width), the time until every chart's history arrived and was drawn, and
// the UI thread's longest stall meanwhile (services::StallProbe, 4 ms ticks; with the part that
// was the machine's run-queue wait). Run by bench_backfill.sh.
#include "models/chartbackfill.h"
#include "models/charthistory.h"
#include "services/core/stallprobe.h"
#include "ui/charts/chartspanel.h"
#include "ui/charts/timeserieschart.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTimer>
#include <cstdio>
#include <limits>

using namespace vigil;

namespace {

void waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QString url = qEnvironmentVariable("VIGIL_SANDBOX_PROMETHEUS_URL");
    if (url.isEmpty()) {
        std::fprintf(stderr, "bench_backfill: set VIGIL_SANDBOX_PROMETHEUS_URL\n");
        return 2;
    }
    QNetworkAccessManager nam;
    models::ChartHistory history;
    services::PrometheusSettings settings;
    settings.url = QUrl(url);
    settings.matchers =
        qEnvironmentVariable("VIGIL_BENCH_MATCHERS", QStringLiteral("scope=\"hokm-ha\""));
    ui::ChartsPanel panel;
    panel.resize(1400, 900);
    panel.setHistory(&history);
    panel.show();
    waitFor([] { return false; }, 300); // laid out: plotWidth() is the real one

    std::printf("%-7s %8s %8s %14s %10s %12s %16s %12s\n", "window", "pixels", "step_s",
                "points_max", "load_ms", "stall_ms", "of_it_cpu_wait", "charts_drawn");
    for (int seconds : {86400, ui::ChartsPanel::kWeek}) {
        // A fresh backfill per window: nothing cached from the previous one.
        models::ChartBackfill backfill(&nam, nullptr, QStringLiteral("bench"), settings);
        bool done = false;
        QObject::connect(&backfill, &models::ChartBackfill::updated, [&] { done = true; });
        QObject::connect(&backfill, &models::ChartBackfill::problemChanged,
                         [&](const QString &m) { done = done || !m.isEmpty(); });
        services::StallProbe probe;
        probe.start();
        QElapsedTimer t;
        t.start();
        panel.setBackfill(&backfill);
        panel.setWindowSeconds(seconds);
        waitFor([&] { return done; }, 60000);
        panel.renderFrame(); // what the frame timer would draw next, all six charts at once
        // Drawn with the new window's axis labels, the plots may be narrower than when the
        // history was asked for: the panel asks again once the width has settled, and that
        // answer is what stays.
        waitFor([] { return false; }, ui::ChartsPanel::kRefetchDelayMs + 100);
        waitFor([&] { return !backfill.busy(); }, 60000);
        panel.renderFrame();
        const qint64 ms = t.elapsed();
        waitFor([] { return false; }, 200);
        probe.stop();
        int pixels = std::numeric_limits<int>::max(); // the narrowest plot
        for (ui::TimeSeriesChart *c : panel.charts())
            pixels = qMin(pixels, c->plotWidth());
        int drawn = 0; // charts showing the fetched history (a line with points)
        for (ui::TimeSeriesChart *c : panel.charts()) {
            int most = 0;
            for (const QString &label : c->labels())
                most = qMax(most, c->pointCount(label));
            drawn += most > 1 ? 1 : 0;
        }
        if (!backfill.problem().isEmpty()) {
            std::fprintf(stderr, "bench_backfill: %s\n", qPrintable(backfill.problem()));
            return 1;
        }
        std::printf("%-7s %8d %8d %14lld %10lld %12.1f %16.1f %9d of %d\n",
                    seconds == 86400 ? "24h" : "7d", pixels, backfill.stepSeconds(),
                    backfill.maxPointsPerSeries(), ms, probe.longestMs(), probe.longestCpuWaitMs(),
                    drawn, int(panel.charts().size()));
        panel.setBackfill(nullptr);
    }
    return 0;
}
