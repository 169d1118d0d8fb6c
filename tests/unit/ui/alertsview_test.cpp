// The alerts dock: active alerts of every cluster with Acknowledge (button, Ctrl+K, context
// menu), the history tab's filter, the engine running for a cluster that is not on screen, and
// screenshots of the active and history tabs for people to look at.
#include "models/alertshistorymodel.h"
#include "models/alertsmodel.h"
#include "models/clusterwatch.h"
#include "models/findingsmodel.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/overview/alertsview.h"
#include "ui/shell/alerttray.h"
#include "ui/shell/mainwindow.h"
#include "ui/widgets/tableview.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <gtest/gtest.h>

using namespace vigil;
using services::Alert;
using services::AlertEvent;
using Code = services::Finding::Code;
using Sev = services::Finding::Severity;

namespace {

QString artifact(const QString &name)
{
    QDir().mkpath(QStringLiteral(VIGIL_ARTIFACTS_DIR));
    return QStringLiteral(VIGIL_ARTIFACTS_DIR) + QLatin1Char('/') + name;
}

Alert alert(const QString &cluster, Code code, const QString &member, Sev severity,
            const QString &message, int minutesAgo)
{
    Alert a;
    a.cluster = cluster;
    a.code = code;
    a.member = member;
    a.severity = a.peakSeverity = severity;
    a.message = message;
    a.since = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo - 7);
    a.lastSeen = QDateTime::currentDateTimeUtc();
    return a;
}

AlertEvent event(AlertEvent::Kind kind, const Alert &a, int minutesAgo)
{
    AlertEvent e;
    e.kind = kind;
    e.at = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    e.cluster = a.cluster;
    e.code = a.code;
    e.member = a.member;
    e.severity = e.previousSeverity = a.severity;
    e.message = a.message;
    return e;
}

struct Dock
{
    Dock()
        : view(&findings, &alerts, &history)
    {
        Alert lag = alert(
            QStringLiteral("hokm-ha"), Code::ReplicationLag, QStringLiteral("node2"), Sev::Critical,
            QStringLiteral("node2 replays 41 s behind the leader (more than 30 s)."), 3);
        Alert down = alert(QStringLiteral("hokm-ha"), Code::ReplicaDown, QStringLiteral("node3"),
                           Sev::Warning,
                           QStringLiteral("node3 is not streaming from the leader (state "
                                          "stopped)."),
                           12);
        down.acknowledgedBy = QStringLiteral("dba");
        down.acknowledgedAt = QDateTime::currentDateTimeUtc().addSecs(-300);
        Alert conns = alert(QStringLiteral("billing"), Code::ConnectionsHigh, QStringLiteral("db1"),
                            Sev::Warning,
                            QStringLiteral("db1 uses 86 % of max_connections (172 of 200)."), 1);
        alerts.setAlerts(QStringLiteral("hokm-ha"), {lag, down});
        alerts.setAlerts(QStringLiteral("billing"), {conns});
        QList<AlertEvent> events;
        events << event(AlertEvent::Kind::Raised, down, 12);
        AlertEvent ack = event(AlertEvent::Kind::Acknowledged, down, 5);
        ack.by = QStringLiteral("dba");
        events << ack << event(AlertEvent::Kind::Raised, lag, 3)
               << event(AlertEvent::Kind::Raised, conns, 1);
        Alert old = alert(QStringLiteral("billing"), Code::PrimaryDown, QStringLiteral("db2"),
                          Sev::Critical, QStringLiteral("Leader db2 is down."), 90);
        events.prepend(event(AlertEvent::Kind::Raised, old, 90));
        AlertEvent cleared = event(AlertEvent::Kind::Cleared, old, 88);
        cleared.lastedSeconds = 121;
        events.insert(1, cleared);
        history.setEvents(events);
        view.resize(900, 520);
        view.show();
    }
    models::FindingsModel findings;
    models::AlertsModel alerts;
    models::AlertsHistoryModel history;
    ui::AlertsView view;
};

} // namespace

TEST(AlertsView, AcknowledgeByButtonShortcutAndContextMenu)
{
    Dock d;
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&d.view));
    QSignalSpy ack(&d.view, &ui::AlertsView::acknowledgeRequested);
    ui::TableView *table = d.view.alertsTable();
    ASSERT_EQ(table->model()->rowCount(), 3);
    // Sorted worst first: the critical lag alert is the first row.
    table->setCurrentIndex(table->model()->index(0, 0));
    EXPECT_TRUE(d.view.acknowledgeAction()->isEnabled());
    auto *button = d.view.findChild<QPushButton *>(QStringLiteral("acknowledgeButton"));
    ASSERT_TRUE(button);
    button->click();
    ASSERT_EQ(ack.count(), 1);
    EXPECT_EQ(ack.at(0).at(0).toString(), QStringLiteral("hokm-ha"));
    EXPECT_EQ(ack.at(0).at(1).toString(), QStringLiteral("replication_lag/node2"));
    EXPECT_TRUE(table->actions().contains(d.view.acknowledgeAction())) << "context menu";
    EXPECT_EQ(d.view.acknowledgeAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_K));

    // The acknowledged row: nothing to do.
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        table->setCurrentIndex(table->model()->index(r, 0));
        const QString who =
            table->model()->index(r, models::AlertsModel::Acknowledged).data().toString();
        EXPECT_EQ(d.view.acknowledgeAction()->isEnabled(), who == QStringLiteral("no"));
    }
    d.view.grab().save(artifact(QStringLiteral("unit-alerts-active.png")));
}

TEST(AlertsView, HistoryTabFiltersByText)
{
    Dock d;
    d.view.showHistory();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&d.view));
    ui::TableView *table = d.view.historyTable();
    EXPECT_EQ(table->model()->rowCount(), 6);
    EXPECT_EQ(table->model()->index(0, models::AlertsHistoryModel::Event).data().toString(),
              QStringLiteral("raised"))
        << "newest first";
    QApplication::processEvents();
    d.view.grab().save(artifact(QStringLiteral("unit-alerts-history.png")));
    d.view.historyFilter()->setText(QStringLiteral("billing"));
    EXPECT_EQ(table->model()->rowCount(), 3);
    d.view.historyFilter()->setText(QStringLiteral("acknowledged"));
    EXPECT_EQ(table->model()->rowCount(), 1);
}

TEST(AlertsView, TheEngineRunsForAClusterThatIsNotShown)
{
    ui::MainWindow window(ui::MainWindow::Options{});
    window.addCluster(QStringLiteral("shown"), QStringLiteral("http://127.0.0.1:1"));
    window.addCluster(QStringLiteral("hokm-ha"), QStringLiteral("http://127.0.0.1:2"));
    ASSERT_EQ(window.currentCluster(), QStringLiteral("shown"));
    test::SandboxShape shape = test::defaultPortsShape();
    shape.takenAt = QDateTime::currentDateTimeUtc().addSecs(-10);
    for (int i = 0; i < 3; ++i) {
        services::ClusterSnapshot s = test::healthySnapshot(shape);
        test::memberNamed(s, QStringLiteral("node3")).state = QStringLiteral("stopped");
        window.showSnapshot(test::share(s));
        shape.takenAt = shape.takenAt.addSecs(1);
        ++shape.sequence;
    }
    models::AlertsModel *alerts = window.alertsModel();
    const int row = alerts->rowOf(QStringLiteral("hokm-ha\nreplica_down/node3"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(window.alertTray()->toolTip(),
              QStringLiteral("Vigil: 1 warning(s) (1 not acknowledged)"));
    int raised = 0;
    for (int r = 0; r < window.alertsHistoryModel()->rowCount(); ++r)
        raised += window.alertsHistoryModel()
                      ->index(r, models::AlertsHistoryModel::Member)
                      .data()
                      .toString() == QStringLiteral("node3");
    EXPECT_GE(raised, 1);

    // Acknowledging from the dock reaches that cluster's engine.
    Q_EMIT window.alertsView()->acknowledgeRequested(QStringLiteral("hokm-ha"),
                                                     QStringLiteral("replica_down/node3"));
    const auto acked = window.watch(QStringLiteral("hokm-ha"))
                           ->alerts()
                           ->activeAlert(QStringLiteral("replica_down/node3"));
    ASSERT_TRUE(acked);
    EXPECT_EQ(acked->acknowledgedBy, services::AuditLog::currentOsUser());
    EXPECT_TRUE(alerts->index(row, models::AlertsModel::Acknowledged)
                    .data()
                    .toString()
                    .startsWith(acked->acknowledgedBy));
}

TEST(AlertsView, NotificationsSettingIsPersisted)
{
    {
        ui::MainWindow window(ui::MainWindow::Options{});
        window.setNotificationsEnabled(false);
    }
    ui::MainWindow again(ui::MainWindow::Options{});
    auto *action = again.findChild<QAction *>(QStringLiteral("desktopNotifications"));
    ASSERT_TRUE(action);
    EXPECT_FALSE(action->isChecked());
    again.setNotificationsEnabled(true);
    EXPECT_TRUE(action->isChecked());
}
