// vigil_bench_wall: the wall of `vigil --wall` (ui::WallView composed by app::WallRoot, the same
// objects the command builds) on the first N saved profiles of a profile file, offscreen at
// 1920x1080. After a warm-up it measures, for the UI thread, the lateness of a precise 4 ms timer
// (services::StallProbe) with each tick split into the time the thread waited on a run queue (the
// machine's) and the rest (Vigil's own work), and, for the process, CPU seconds (utime + stime
// from /proc/self/stat) and RSS. Run by tests/bench/bench_wall.sh.
//
// Usage: vigil_bench_wall --profiles FILE [--count N] [--seconds S] [--warmup S]
//                         [--screenshot FILE.png]
#include "app/gui/wallroot.h"
#include "procstatus.h"
#include "services/core/stallprobe.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "ui/wall/walltile.h"
#include "ui/wall/wallview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

using namespace vigil;

namespace {

// Seconds of CPU (user + system, all threads) this process has used, from /proc/self/stat.
double procCpuSeconds()
{
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = f.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> rest = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (rest.size() < 13)
        return -1;
    const double tck = double(sysconf(_SC_CLK_TCK));
    return (rest.at(11).toDouble() + rest.at(12).toDouble()) / tck; // fields 14 and 15
}

// The calling thread's run-queue wait so far (ns), from its scheduler statistics.
class RunQueueWait
{
public:
    RunQueueWait() { m_fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC); }
    ~RunQueueWait()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    qint64 ns() const
    {
        char buf[96] = {};
        if (m_fd < 0 || ::pread(m_fd, buf, sizeof buf - 1, 0) <= 0)
            return 0;
        char *end = nullptr;
        std::strtoll(buf, &end, 10);
        return std::strtoll(end, nullptr, 10);
    }

private:
    int m_fd = -1;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

struct Options
{
    QString profiles;
    QString screenshot;
    int count = 30;
    int seconds = 180;
    int warmup = 15;
};

Options parse(const QApplication &app)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("profiles"), QStringLiteral("profile file"), QStringLiteral("F")},
                  {QStringLiteral("count"), QStringLiteral("clusters"), QStringLiteral("N")},
                  {QStringLiteral("seconds"), QStringLiteral("measured"), QStringLiteral("S")},
                  {QStringLiteral("warmup"), QStringLiteral("not measured"), QStringLiteral("S")},
                  {QStringLiteral("screenshot"), QStringLiteral("PNG"), QStringLiteral("F")}});
    p.process(app);
    Options o;
    o.profiles = p.value(QStringLiteral("profiles"));
    o.screenshot = p.value(QStringLiteral("screenshot"));
    if (p.isSet(QStringLiteral("count")))
        o.count = p.value(QStringLiteral("count")).toInt();
    if (p.isSet(QStringLiteral("seconds")))
        o.seconds = p.value(QStringLiteral("seconds")).toInt();
    if (p.isSet(QStringLiteral("warmup")))
        o.warmup = p.value(QStringLiteral("warmup")).toInt();
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication qapp(argc, argv);
    const Options opt = parse(qapp);
    if (opt.profiles.isEmpty() || !QFile::exists(opt.profiles) || opt.count < 1) {
        std::fprintf(stderr, "vigil_bench_wall: --profiles FILE (existing) is required\n");
        return 2;
    }

    // The wall's own composition; passwords come from libpq's PGPASSFILE (no keychain here).
    ui::WallView view;
    services::MemorySecretStore secrets;
    services::ProfileStore store(opt.profiles, nullptr);
    app::WallRoot wall(&view, &secrets, &store);
    const QStringList names = store.profileNames().mid(0, opt.count);
    for (const QString &name : names)
        wall.openSavedProfile(name);
    view.resize(1920, 1080);
    view.show();

    // Every tick of the probe: its lateness, and of that the UI thread's run-queue wait.
    services::StallProbe probe(4);
    RunQueueWait runQueue;
    std::vector<double> late, own;
    late.reserve(size_t(opt.seconds) * 260);
    own.reserve(size_t(opt.seconds) * 260);
    qint64 waitAtLastTick = 0, waitAtStart = 0, zeroTicks = 0;
    probe.setStallThreshold(0, [&](double lateMs) {
        const qint64 wait = runQueue.ns();
        const double waitMs = std::min(lateMs, double(wait - waitAtLastTick) / 1e6);
        waitAtLastTick = wait;
        late.push_back(lateMs);
        own.push_back(lateMs - waitMs);
    });

    int snapshots = 0;
    double cpu0 = 0;
    QTimer::singleShot(opt.warmup * 1000, &qapp, [&] {
        for (const QString &name : wall.clusters())
            if (services::ClusterMonitor *m = wall.monitor(name))
                QObject::connect(m, &services::ClusterMonitor::snapshotReady, &qapp,
                                 [&snapshots] { ++snapshots; });
        cpu0 = procCpuSeconds();
        waitAtStart = waitAtLastTick = runQueue.ns();
        probe.start();
        std::fprintf(stderr, "vigil_bench_wall: measuring %d clusters for %d s\n",
                     int(names.size()), opt.seconds);
        QTimer::singleShot(opt.seconds * 1000, &qapp, &QCoreApplication::quit);
    });
    qapp.exec();
    probe.stop();
    const double cpu = procCpuSeconds() - cpu0;
    const qint64 uiWaitNs = runQueue.ns() - waitAtStart;
    zeroTicks = std::max<qint64>(0, probe.ticks() - qint64(late.size()));
    late.insert(late.end(), size_t(zeroTicks), 0.0); // ticks exactly on time
    own.insert(own.end(), size_t(zeroTicks), 0.0);

    // What the tiles said at the end: how many clusters Vigil really reached.
    int ok = 0, warning = 0, critical = 0, other = 0;
    for (const QString &name : view.clusters()) {
        const models::WallTileSummary &s = view.tile(name)->summary();
        if (s.connecting || s.unreachable)
            ++other;
        else if (s.health == models::Health::Ok)
            ++ok;
        else if (s.health == models::Health::Warning)
            ++warning;
        else if (s.health == models::Health::Critical)
            ++critical;
        else
            ++other;
    }
    if (!opt.screenshot.isEmpty())
        view.grab().save(opt.screenshot);

    std::printf("clusters=%d\n", int(names.size()));
    std::printf("monitors=%d\n", int(wall.clusters().size()));
    std::printf("grid=%dx%d\n", view.grid().columns, view.grid().rows);
    std::printf("tiles_ok=%d tiles_warning=%d tiles_critical=%d tiles_unreached=%d\n", ok, warning,
                critical, other);
    std::printf("duration_s=%d\n", opt.seconds);
    std::printf("snapshots=%d\n", snapshots);
    std::printf("snapshots_per_s=%.1f\n", double(snapshots) / opt.seconds);
    std::printf("cpu_s=%.2f\n", cpu);
    std::printf("cpu_percent=%.1f\n", 100.0 * cpu / opt.seconds);
    std::printf("rss_mb=%.1f\n", double(bench::statusKb("VmRSS:")) / 1024.0);
    std::printf("rss_peak_mb=%.1f\n", double(bench::statusKb("VmHWM:")) / 1024.0);
    std::printf("stall_ticks=%lld\n", probe.ticks());
    std::printf("stall_p50_ms=%.2f own_p50_ms=%.2f\n", percentile(late, 0.50),
                percentile(own, 0.50));
    std::printf("stall_p99_ms=%.2f own_p99_ms=%.2f\n", percentile(late, 0.99),
                percentile(own, 0.99));
    std::printf("stall_max_ms=%.2f of_it_cpu_wait_ms=%.2f at_s=%.1f\n", probe.longestMs(),
                probe.longestCpuWaitMs(), probe.longestAtSeconds());
    std::printf("own_max_ms=%.2f of_it_on_cpu_ms=%.2f at_s=%.1f left_out_pool_wait_ms=%.2f\n",
                probe.longestOwnMs(), probe.longestOwnOnCpuMs(), probe.longestOwnAtSeconds(),
                probe.longestOwnHelperWaitMs());
    std::printf("ticks_over_50ms=%lld own_over_50ms=%lld\n",
                qint64(std::count_if(late.begin(), late.end(), [](double v) { return v > 50; })),
                qint64(std::count_if(own.begin(), own.end(), [](double v) { return v > 50; })));
    std::printf("ui_runqueue_wait_ms_per_s=%.1f\n", double(uiWaitNs) / 1e6 / opt.seconds);
    return 0;
}
