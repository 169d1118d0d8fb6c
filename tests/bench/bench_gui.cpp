// vigil_bench_gui: the real window and monitor on a live cluster, offscreen, with 24 h of chart
// history filled in first; measures the UI thread's event-loop stalls (a 4 ms timer measuring its
// own lateness), CPU seconds per minute and RSS. Run by tests/bench/bench_gui.sh.
//
// Usage: vigil_bench_gui --seconds N --patroni URL [other vigil GUI options]
#include "app/gui/compositionroot.h"
#include "app/gui/guilaunch.h"
#include "models/charthistory.h"
#include "models/clusterwatch.h"
#include "procstatus.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "ui/charts/chartspanel.h"
#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sys/resource.h>
#include <vector>

using namespace vigil;
using Chart = models::ChartHistory::Chart;

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// 24 h of 1 s samples ending just before now, for the series a 3-member cluster with a couple
// of databases produces (2 replicas x lag bytes/seconds, 6 connection states, 3 databases x
// transactions, inserted, updated).
void fillDay(models::ChartHistory &h)
{
    const qint64 end = QDateTime::currentMSecsSinceEpoch() - 2000;
    const QStringList states = {QStringLiteral("active"),
                                QStringLiteral("idle"),
                                QStringLiteral("idle in transaction"),
                                QStringLiteral("idle in transaction (aborted)"),
                                QStringLiteral("fastpath function call"),
                                QStringLiteral("disabled")};
    const QStringList dbs = {QStringLiteral("hokm_game"), QStringLiteral("postgres"),
                             QStringLiteral("billing")};
    for (int i = 0; i < 86400; ++i) {
        const double t = i;
        QList<std::tuple<Chart, QString, double>> v;
        v.append({Chart::LagBytes, QStringLiteral("node2"), 20000 + 15000 * std::sin(t / 600.0)});
        v.append({Chart::LagBytes, QStringLiteral("node3"), 30000 + 10000 * std::cos(t / 900.0)});
        v.append({Chart::LagSeconds, QStringLiteral("node2"), 0.01 + 0.005 * std::sin(t / 600.0)});
        v.append({Chart::LagSeconds, QStringLiteral("node3"), 0.02});
        for (const QString &s : states)
            v.append({Chart::ConnectionsByState, s, 300 + 100 * std::sin(t / 300.0)});
        for (const QString &db : dbs) {
            v.append({Chart::Transactions, db, 50 + 20 * std::sin(t / 120.0)});
            v.append({Chart::Tuples, db + QStringLiteral(" inserted"), 20});
            v.append({Chart::Tuples, db + QStringLiteral(" updated"), 60});
        }
        h.appendValues(end - qint64(86399 - i) * 1000, v);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication qapp(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("VigilBench"));
    QCoreApplication::setApplicationName(QStringLiteral("vigil-bench"));

    QStringList args = qapp.arguments();
    int seconds = 60;
    const int si = int(args.indexOf(QStringLiteral("--seconds")));
    if (si > 0 && si + 1 < args.size()) {
        seconds = args.at(si + 1).toInt();
        args.remove(si, 2);
    }
    const app::GuiLaunch launch = app::parseGuiArguments(args);
    if (!launch.error.isEmpty() || !launch.profile) {
        std::fprintf(stderr, "vigil_bench_gui: %s\n",
                     qPrintable(launch.error.isEmpty() ? QStringLiteral("--patroni URL is required")
                                                       : launch.error));
        return 2;
    }

    const long rssStart = bench::statusKb("VmRSS:");
    QTemporaryDir dir;
    ui::MainWindow window(launch.options);
    services::MemorySecretStore secrets;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("bench.ini")), nullptr);
    app::CompositionRoot session(&window, &secrets, &profiles);
    window.resize(1920, 1080);
    window.show();
    // The history fills before the monitor's first snapshot, as after a day of watching.
    window.addCluster(launch.profile->name, launch.profile->patroniUrl.toString(),
                      launch.profile->stateIntervalMs);
    QElapsedTimer fillTime;
    fillTime.start();
    fillDay(*window.watch(launch.profile->name)->history());
    const qint64 fillMs = fillTime.elapsed();
    app::openLaunch(session, launch);

    // The worst case for drawing: the charts tab on screen, with the 24 h window.
    window.tabs()->setCurrentWidget(window.chartsPanel());
    window.chartsPanel()->setWindowSeconds(86400);

    // Stall probe: a precise 4 ms timer; lateness = how much later than due each tick runs.
    std::vector<double> lateness;
    lateness.reserve(size_t(seconds) * 260);
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(4);
    qint64 due = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (due > 0) {
            const double late = std::max<qint64>(0, now - due) / 1e6;
            lateness.push_back(late);
            // Attribute the long ones: when, and which screen was up.
            if (late > 20)
                std::fprintf(stderr, "stall %.1f ms at %.1f s (tab %d)\n", late, now / 1e9,
                             window.tabs()->currentIndex());
        }
        due = now + 4'000'000;
    });

    // Warm up 5 s (connections, first frames), then measure.
    double cpu0 = 0;
    int snapshots0 = 0;
    int snapshots = 0;
    QObject::connect(session.monitor(launch.profile->name),
                     &services::ClusterMonitor::snapshotReady, [&] { ++snapshots; });
    QTimer::singleShot(5000, [&] {
        cpu0 = cpuSeconds();
        snapshots0 = snapshots;
        clock.start();
        probe.start();
        // Switch tabs now and then like a person would; the charts stay the costliest screen.
        auto *flip = new QTimer(&window);
        QObject::connect(flip, &QTimer::timeout, [&window] {
            QTabWidget *t = window.tabs();
            t->setCurrentIndex(t->currentIndex() == 3 ? 0 : 3);
        });
        flip->start(15000);
        QTimer::singleShot(seconds * 1000, &qapp, &QCoreApplication::quit);
    });
    qapp.exec();

    const double cpu = cpuSeconds() - cpu0;
    std::sort(lateness.begin(), lateness.end());
    auto pct = [&](double p) {
        return lateness.empty()
                   ? 0.0
                   : lateness[std::min(lateness.size() - 1, size_t(p * double(lateness.size())))];
    };
    auto *watch = window.watch(launch.profile->name);
    const auto last = watch->lastSnapshot();
    int backends = 0;
    if (last)
        for (const auto &m : last->members)
            if (m.connections)
                backends += m.connections->total;
    std::printf("duration_s=%d\n", seconds);
    std::printf("snapshots=%d\n", snapshots - snapshots0);
    std::printf("backends_seen=%d\n", backends);
    std::printf("members=%d\n", last ? int(last->members.size()) : 0);
    std::printf("history_samples=%d\n", watch->history()->store().size());
    std::printf("history_series=%d\n", watch->history()->store().seriesCount());
    std::printf("history_mb=%.1f\n", double(watch->history()->store().memoryBytes()) / 1048576.0);
    std::printf("history_fill_ms=%lld\n", qint64(fillMs));
    std::printf("cpu_s_per_min=%.2f\n", cpu * 60.0 / seconds);
    std::printf("rss_start_mb=%.1f\n", double(rssStart) / 1024.0);
    std::printf("rss_mb=%.1f\n", double(bench::statusKb("VmRSS:")) / 1024.0);
    std::printf("rss_peak_mb=%.1f\n", double(bench::statusKb("VmHWM:")) / 1024.0);
    std::printf("stall_samples=%zu\n", lateness.size());
    std::printf("stall_p50_ms=%.2f\n", pct(0.50));
    std::printf("stall_p99_ms=%.2f\n", pct(0.99));
    std::printf("stall_max_ms=%.2f\n", lateness.empty() ? 0.0 : lateness.back());
    std::printf("last_chart_frame_ms=%.2f\n", window.chartsPanel()->lastFrameCostUs() / 1000.0);
    return 0;
}
