// The members' host figures from the sandbox's real node_exporter through its real Prometheus
// (sandbox.sh up --metrics, label "metrics"): every member gets its data volume's free space,
// CPU, memory and disk I/O; the free space is the one node_exporter itself serves for the
// file system holding the member's data directory; a disk threshold raised above today's free
// space makes the disk rule fire on every member, naming node_exporter; a Prometheus that does
// not answer is said, and the members are probed as before. And the sandbox's real Alertmanager:
// with alertmanager_test_rules.yml loaded, the profile's matchers bring its alert of hokm-ha
// into the snapshot and the alerts dock's Alertmanager tab, and leave out another cluster's.
// Writes build/artifacts/overview-hosts.png (the overview's members table with the host
// columns) and alertmanager-tab.png, each also in war-room fonts (-large.png).
#include "models/alertshistorymodel.h"
#include "models/alertsmodel.h"
#include "models/externalalertsmodel.h"
#include "models/findingsmodel.h"
#include "models/membersmodel.h"
#include "models/topologymodel.h"
#include "services/metrics/hostmetrics.h"
#include "services/monitor/clustermonitor.h"
#include "support/eventloop.h"
#include "support/processrun.h"
#include "support/sandbox.h"
#include "support/sandboxprofile.h"
#include "ui/overview/alertsview.h"
#include "ui/overview/overviewpage.h"
#include "ui/widgets/tableview.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTabWidget>
#include <gtest/gtest.h>

using namespace vigil;
using test::Cleanup;
using test::Sandbox;

namespace {

QString prometheusUrl()
{
    return qEnvironmentVariable("VIGIL_SANDBOX_PROMETHEUS_URL");
}

services::PrometheusEndpoint endpoint(const QString &url)
{
    services::PrometheusEndpoint e;
    e.baseUrl = QUrl(url);
    e.matchers = QStringLiteral("scope=\"hokm-ha\"");
    return e;
}

// node_exporter's own figure for the file system at `mount`, from its /metrics (curl).
double nodeExporterAvail(const QString &mount)
{
    const int port = Sandbox::portBase() + 52;
    const test::ProcessRun r =
        test::runInLoop(QStringLiteral("curl"),
                        {QStringLiteral("-fsS"), QStringLiteral("--max-time"), QStringLiteral("5"),
                         QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)},
                        10000);
    const QRegularExpression line(
        QStringLiteral("^node_filesystem_avail_bytes\\{[^}]*mountpoint=\"%1\"[^}]*\\} (\\S+)$")
            .arg(QRegularExpression::escape(mount)),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = line.match(r.out);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

// The first snapshot for which `ready` holds, within `ms`.
services::ClusterSnapshotPtr
snapshotWhere(services::ClusterMonitor &monitor,
              const std::function<bool(const services::ClusterSnapshot &)> &ready, int ms)
{
    services::ClusterSnapshotPtr found;
    QObject::connect(&monitor, &services::ClusterMonitor::snapshotReady,
                     [&](const services::ClusterSnapshotPtr &s) {
                         if (!found && ready(*s))
                             found = s;
                     });
    monitor.start();
    test::waitUntil([&] { return found != nullptr; }, ms);
    monitor.stop();
    return found;
}

bool everyMemberHasFreeSpace(const services::ClusterSnapshot &s)
{
    return s.members.size() == 3 &&
           std::all_of(s.members.cbegin(), s.members.cend(), [](const services::MemberSnapshot &m) {
               return m.hostFigures && m.hostFigures->dataFreeFraction();
           });
}

// `widget` grabbed to build/artifacts/NAME.png, then again in war-room fonts (the application's
// font × 1.6, as View → Large fonts sets it) to NAME-large.png.
void grabBothSizes(QWidget &widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    const QString base = QStringLiteral(VIGIL_ARTIFACTS_DIR "/") + name;
    EXPECT_TRUE(widget.grab().save(base + QStringLiteral(".png")));
    const QFont normal = QApplication::font();
    QFont large = normal;
    large.setPointSizeF(normal.pointSizeF() * 1.6);
    QApplication::setFont(large);
    test::spin(200);
    EXPECT_TRUE(widget.grab().save(base + QStringLiteral("-large.png")));
    QApplication::setFont(normal);
}

} // namespace

TEST(PrometheusHosts, NodeExportersFreeSpaceDrivesTheDiskRuleOnEveryMember)
{
    VIGIL_REQUIRE_SANDBOX();
    if (prometheusUrl().isEmpty()) {
        if (qEnvironmentVariableIntValue("VIGIL_REQUIRE_SANDBOX") == 1)
            FAIL() << "no VIGIL_SANDBOX_PROMETHEUS_URL: run 'sandbox.sh up --metrics'";
        GTEST_SKIP() << "the sandbox has no metrics stack (sandbox.sh up --metrics)";
    }
    Sandbox::ensureHealthy();
    QNetworkAccessManager nam;
    services::ClusterProfile profile = test::sandboxProfile(QStringLiteral("hosts"));
    profile.sizeIntervalMs = 2000; // the host figures' cadence too
    // The rule fires on any free space below 99.99 %: every member's volume.
    profile.thresholds.diskFreeWarning = 0.9999;
    profile.thresholds.diskFreeCritical = 0.0;
    services::ClusterMonitor monitor(&nam, profile);
    monitor.setHostMetrics(endpoint(prometheusUrl()));
    const services::ClusterSnapshotPtr s = snapshotWhere(monitor, everyMemberHasFreeSpace, 30000);
    ASSERT_TRUE(s) << "no snapshot with every member's host figures in 30 s";
    EXPECT_EQ(s->hosts.channel.state, services::ChannelStatus::State::Ok);
    EXPECT_TRUE(s->hosts.unmatched.isEmpty())
        << s->hosts.unmatched.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(s->hosts.source.contains(prometheusUrl()));

    for (const services::MemberSnapshot &m : s->members) {
        SCOPED_TRACE(m.name.toStdString());
        const services::HostFigures &h = *m.hostFigures;
        // The data directory (from SQL) is under the sandbox and on the mount chosen.
        EXPECT_TRUE(m.dataDirectory.startsWith(Sandbox::dir())) << m.dataDirectory.toStdString();
        EXPECT_TRUE(h.mountPoint == QLatin1String("/") ||
                    m.dataDirectory.startsWith(h.mountPoint + QLatin1Char('/')))
            << h.mountPoint.toStdString();
        EXPECT_EQ(h.instance, QStringLiteral("127.0.0.1:%1").arg(Sandbox::portBase() + 52));
        // node_exporter's own figure, read now: within 2 % of the volume (the sandbox writes).
        const double direct = nodeExporterAvail(h.mountPoint);
        ASSERT_GT(direct, 0) << "node_exporter serves no avail bytes for "
                             << h.mountPoint.toStdString();
        EXPECT_NEAR(double(*h.dataFreeBytes), direct, 0.02 * double(*h.dataSizeBytes));
        ASSERT_TRUE(h.cpuBusy && h.memoryUsedFraction());
        EXPECT_GE(*h.cpuBusy, 0.0);
        EXPECT_LE(*h.cpuBusy, 1.0);
        EXPECT_GT(*h.memoryUsedFraction(), 0.0);
        EXPECT_TRUE(h.readBytesPerSecond && h.writtenBytesPerSecond);
        // The raised threshold: a WARNING on this member, naming the source and the mount.
        const auto disk =
            std::find_if(s->findings.cbegin(), s->findings.cend(), [&](const services::Finding &f) {
                return f.code == services::Finding::Code::DiskSpace && f.member == m.name;
            });
        ASSERT_NE(disk, s->findings.cend());
        EXPECT_EQ(disk->severity, services::Finding::Severity::Warning);
        EXPECT_TRUE(disk->message.contains(QStringLiteral("node_exporter")));
        EXPECT_TRUE(disk->message.contains(h.mountPoint));
    }

    // The overview with the host columns, for people to look at, as the window shows it: the
    // topology and the members table from the same snapshot. Shown first, then given the
    // snapshot, as in the window (the table fits its columns to the first rows).
    models::MembersModel members;
    models::TopologyModel topology;
    ui::OverviewPage page(&members);
    page.setTopologyModel(&topology);
    page.resize(1500, 900);
    page.show();
    topology.setSnapshot(s);
    members.setSnapshot(s);
    page.setSnapshot(s);
    test::spin(200);
    grabBothSizes(page, QStringLiteral("overview-hosts"));
}

TEST(PrometheusHosts, APrometheusThatDoesNotAnswerIsSaidAndTheMembersAreProbedAsBefore)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    QNetworkAccessManager nam;
    services::ClusterProfile profile = test::sandboxProfile(QStringLiteral("hosts-down"));
    profile.sizeIntervalMs = 1000;
    services::ClusterMonitor monitor(&nam, profile);
    // The sandbox's spare port (B+59): nothing listens there.
    monitor.setHostMetrics(
        endpoint(QStringLiteral("http://127.0.0.1:%1").arg(Sandbox::portBase() + 59)));
    const services::ClusterSnapshotPtr s = snapshotWhere(
        monitor,
        [](const services::ClusterSnapshot &s) {
            return s.hosts.channel.state == services::ChannelStatus::State::Unreachable;
        },
        20000);
    ASSERT_TRUE(s) << "the host figures' channel never said Prometheus is unreachable";
    EXPECT_TRUE(s->hosts.channel.error.toText().contains(
        QStringLiteral("127.0.0.1:%1").arg(Sandbox::portBase() + 59)))
        << s->hosts.channel.error.toText().toStdString();
    for (const services::MemberSnapshot &m : s->members) {
        EXPECT_TRUE(m.sql.ok()) << m.name.toStdString();
        EXPECT_FALSE(m.hostFigures) << m.name.toStdString();
    }
    EXPECT_NE(s->leader(), nullptr);
}

TEST(PrometheusAlerts, TheAlertmanagersAlertsOfThisClusterAreShownBesideVigils)
{
    VIGIL_REQUIRE_SANDBOX();
    const QString alertmanager = qEnvironmentVariable("VIGIL_SANDBOX_ALERTMANAGER_URL");
    if (alertmanager.isEmpty()) {
        if (qEnvironmentVariableIntValue("VIGIL_REQUIRE_SANDBOX") == 1)
            FAIL() << "no VIGIL_SANDBOX_ALERTMANAGER_URL: run 'sandbox.sh up --metrics'";
        GTEST_SKIP() << "the sandbox has no metrics stack (sandbox.sh up --metrics)";
    }
    const QString rules =
        QStringLiteral(VIGIL_FIXTURES_DIR "/prometheus/alertmanager_test_rules.yml");
    ASSERT_EQ(Sandbox::run({QStringLiteral("load-rules"), rules}), 0);
    Cleanup unload{[] {
        QFile::remove(Sandbox::dir() +
                      QStringLiteral("/metrics/rules/alertmanager_test_rules.yml"));
        test::runInLoop(QStringLiteral("curl"),
                        {QStringLiteral("-fsS"), QStringLiteral("-X"), QStringLiteral("POST"),
                         prometheusUrl() + QStringLiteral("/-/reload")},
                        10000);
    }};
    QNetworkAccessManager nam;
    services::ClusterProfile profile = test::sandboxProfile(QStringLiteral("alerts"));
    profile.sizeIntervalMs = 1000;
    services::ClusterMonitor monitor(&nam, profile);
    monitor.setAlertmanager(endpoint(alertmanager));
    const auto has = [](const services::ClusterSnapshot &s, const char *name) {
        return std::any_of(
            s.alertmanager.alerts.cbegin(), s.alertmanager.alerts.cend(),
            [&](const services::ExternalAlert &a) { return a.name == QLatin1String(name); });
    };
    // A rule evaluation (5 s) and Alertmanager's group wait (1 s) after the reload.
    const services::ClusterSnapshotPtr s = snapshotWhere(
        monitor, [&](const services::ClusterSnapshot &s) { return has(s, "VigilTestHostWatched"); },
        40000);
    ASSERT_TRUE(s) << "the sandbox's Alertmanager never showed VigilTestHostWatched";
    EXPECT_EQ(s->alertmanager.channel.state, services::ChannelStatus::State::Ok);
    EXPECT_TRUE(s->alertmanager.source.contains(alertmanager));
    EXPECT_FALSE(has(*s, "VigilTestOtherCluster")); // scope="other-cluster": not this profile's
    // Never fed to Vigil's own alert engine: no finding comes from it.
    for (const services::Finding &f : s->findings)
        EXPECT_FALSE(f.message.contains(QStringLiteral("VigilTest"))) << f.message.toStdString();

    // The alerts dock's Alertmanager tab, beside Vigil's "Active".
    models::FindingsModel findings;
    models::AlertsModel alerts;
    models::AlertsHistoryModel history;
    models::ExternalAlertsModel external;
    ui::AlertsView view(&findings, &alerts, &history);
    view.setExternalAlerts(&external);
    external.setStatus(QStringLiteral("alerts"), s->alertmanager);
    // The cluster's other alerts, if any are firing (rules loaded by other tests), count too.
    const int n = int(s->alertmanager.alerts.size());
    EXPECT_EQ(view.tabs()->tabText(1), QStringLiteral("Alertmanager (%1)").arg(n));
    view.tabs()->setCurrentIndex(1);
    view.resize(900, 500);
    view.show();
    test::spin(200);
    ASSERT_EQ(external.rowCount(), n);
    QStringList shown;
    for (int row = 0; row < n; ++row)
        shown << external.index(row, models::ExternalAlertsModel::Alert).data().toString();
    EXPECT_TRUE(shown.contains(QStringLiteral("VigilTestHostWatched")));
    EXPECT_FALSE(shown.contains(QStringLiteral("VigilTestOtherCluster")));
    grabBothSizes(view, QStringLiteral("alertmanager-tab"));
}
