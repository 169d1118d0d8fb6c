// The alerts' models and notifications: AlertsModel and AlertsHistoryModel under
// QAbstractItemModelTester, which events notify and with what words, and the freedesktop
// notification sent over D-Bus to a fake notification server on a private bus (dbus-daemon).
#include "models/alertnotifier.h"
#include "models/alertshistorymodel.h"
#include "models/alertsmodel.h"
#include "models/desktopnotifications.h"
#include "support/qtprinters.h"

#include <QAbstractItemModelTester>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <gtest/gtest.h>

using namespace vigil;
using namespace vigil::models;
using services::Alert;
using services::AlertEvent;
using Sev = services::Finding::Severity;
using Kind = AlertEvent::Kind;

namespace {

const QDateTime kT0(QDate(2026, 11, 27), QTime(12, 0, 0), Qt::UTC);

Alert alert(const QString &cluster, services::Finding::Code code, const QString &member,
            Sev severity, int sinceSecondsAgo)
{
    Alert a;
    a.cluster = cluster;
    a.code = code;
    a.member = member;
    a.severity = a.peakSeverity = severity;
    a.message = QStringLiteral("%1 is in trouble.").arg(member);
    a.since = kT0.addSecs(-sinceSecondsAgo);
    a.lastSeen = kT0;
    return a;
}

AlertEvent event(Kind kind, Sev severity, Sev previous = Sev::Warning)
{
    AlertEvent e;
    e.kind = kind;
    e.at = kT0;
    e.cluster = QStringLiteral("hokm-ha");
    e.code = services::Finding::Code::ReplicaDown;
    e.member = QStringLiteral("node2");
    e.severity = severity;
    e.previousSeverity = previous;
    e.message = QStringLiteral("node2 is not streaming from the leader.");
    return e;
}

QString cell(const QAbstractItemModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

} // namespace

TEST(AlertsModel, RowsPerClusterAndAlertWithAgeAndAcknowledgement)
{
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Alert lag = alert(QStringLiteral("hokm-ha"), services::Finding::Code::ReplicationLag,
                      QStringLiteral("node2"), Sev::Critical, 125);
    model.setAlerts(QStringLiteral("hokm-ha"), {lag}, kT0);
    model.setAlerts(QStringLiteral("billing"),
                    {alert(QStringLiteral("billing"), services::Finding::Code::ReplicaDown,
                           QStringLiteral("db3"), Sev::Warning, 30)},
                    kT0);
    ASSERT_EQ(model.rowCount(), 2);
    const int row = model.rowOf(QStringLiteral("hokm-ha\nreplication_lag/node2"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(cell(model, row, AlertsModel::Severity), QStringLiteral("Critical"));
    EXPECT_EQ(cell(model, row, AlertsModel::Age), QStringLiteral("2 min 5 s"));
    EXPECT_EQ(cell(model, row, AlertsModel::Acknowledged), QStringLiteral("no"));
    auto counts = model.counts();
    EXPECT_EQ(counts.critical, 1);
    EXPECT_EQ(counts.warning, 1);
    EXPECT_EQ(counts.unacknowledged, 2);
    EXPECT_EQ(counts.worst, Sev::Critical);

    // Acknowledged: same row (no reset), the cell names who.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    lag.acknowledgedBy = QStringLiteral("dba");
    lag.acknowledgedAt = kT0;
    model.setAlerts(QStringLiteral("hokm-ha"), {lag}, kT0.addSecs(60));
    EXPECT_EQ(model.rowOf(QStringLiteral("hokm-ha\nreplication_lag/node2")), row);
    EXPECT_TRUE(cell(model, row, AlertsModel::Acknowledged).startsWith(QLatin1String("dba at ")));
    EXPECT_EQ(cell(model, row, AlertsModel::Age), QStringLiteral("3 min 5 s"));
    EXPECT_EQ(model.alertAt(row)->key(), QStringLiteral("replication_lag/node2"));
    EXPECT_EQ(model.counts().unacknowledged, 1);
    EXPECT_EQ(reset.count(), 0);

    model.removeCluster(QStringLiteral("billing"));
    EXPECT_EQ(model.rowCount(), 1);
    model.setAlerts(QStringLiteral("hokm-ha"), {}, kT0);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.counts().worst, Sev::Ok);
}

TEST(AlertsHistoryModel, EveryEventWithItsDetails)
{
    AlertsHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    AlertEvent raised = event(Kind::Raised, Sev::Critical);
    AlertEvent ack = event(Kind::Acknowledged, Sev::Critical);
    ack.by = QStringLiteral("dba");
    ack.at = kT0.addSecs(5);
    model.setEvents({raised, ack});
    AlertEvent cleared = event(Kind::Cleared, Sev::Critical, Sev::Critical);
    cleared.at = kT0.addSecs(65);
    cleared.lastedSeconds = 65;
    model.append(cleared);
    ASSERT_EQ(model.rowCount(), 3);
    // In the order they happened (an append is a new last row; the view sorts newest first).
    EXPECT_EQ(cell(model, 2, AlertsHistoryModel::Event), QStringLiteral("cleared"));
    EXPECT_EQ(cell(model, 2, AlertsHistoryModel::Detail), QStringLiteral("lasted 1 min 5 s"));
    EXPECT_EQ(cell(model, 1, AlertsHistoryModel::Detail), QStringLiteral("by dba"));
    EXPECT_EQ(cell(model, 0, AlertsHistoryModel::Event), QStringLiteral("raised"));
    EXPECT_EQ(cell(model, 0, AlertsHistoryModel::Cluster), QStringLiteral("hokm-ha"));
    EXPECT_EQ(model.index(2, AlertsHistoryModel::Time).data(CellTableModel::SortRole).toDateTime(),
              kT0.addSecs(65));
}

TEST(AlertNotifier, OnlyNewCriticalAlertsAndTheirClearsNotify)
{
    EXPECT_TRUE(AlertNotifier::shouldNotify(event(Kind::Raised, Sev::Critical)));
    EXPECT_FALSE(AlertNotifier::shouldNotify(event(Kind::Raised, Sev::Warning)));
    EXPECT_TRUE(AlertNotifier::shouldNotify(event(Kind::Escalated, Sev::Critical)));
    EXPECT_FALSE(AlertNotifier::shouldNotify(event(Kind::Acknowledged, Sev::Critical)));
    EXPECT_FALSE(AlertNotifier::shouldNotify(event(Kind::Deescalated, Sev::Warning)));
    EXPECT_TRUE(AlertNotifier::shouldNotify(event(Kind::Cleared, Sev::Warning, Sev::Critical)));
    EXPECT_FALSE(AlertNotifier::shouldNotify(event(Kind::Cleared, Sev::Warning, Sev::Warning)));

    const auto raised = AlertNotifier::messageFor(event(Kind::Raised, Sev::Critical));
    EXPECT_EQ(raised.summary, QStringLiteral("Critical: node2 on hokm-ha"));
    EXPECT_EQ(raised.body, QStringLiteral("node2 is not streaming from the leader."));
    EXPECT_TRUE(raised.critical);
    AlertEvent c = event(Kind::Cleared, Sev::Critical, Sev::Critical);
    c.lastedSeconds = 95;
    const auto cleared = AlertNotifier::messageFor(c);
    EXPECT_EQ(cleared.summary, QStringLiteral("Cleared: node2 on hokm-ha"));
    EXPECT_TRUE(cleared.body.endsWith(QLatin1String("The alert lasted 1 min 35 s.")))
        << cleared.body.toStdString();
    EXPECT_FALSE(cleared.critical);
}

TEST(AlertNotifier, WithoutSenderOrWhenDisabled)
{
    AlertNotifier notifier(nullptr);
    QSignalSpy fallback(&notifier, &AlertNotifier::fallbackRequested);
    notifier.handle(event(Kind::Raised, Sev::Warning));
    EXPECT_EQ(fallback.count(), 0);
    notifier.handle(event(Kind::Raised, Sev::Critical));
    ASSERT_EQ(fallback.count(), 1);
    EXPECT_EQ(fallback.at(0).at(0).toString(), QStringLiteral("Critical: node2 on hokm-ha"));
    notifier.setEnabled(false);
    notifier.handle(event(Kind::Raised, Sev::Critical));
    EXPECT_EQ(fallback.count(), 1);
}

// A profile that opted out of desktop notifications: its critical alerts reach neither the
// notification server nor the tray's fallback; other clusters' still do, and turning it back on
// restores it. The global switch (View menu) still wins over the per-cluster one.
TEST(AlertNotifier, ClusterThatOptedOutSendsNothing)
{
    AlertNotifier notifier(nullptr);
    QSignalSpy fallback(&notifier, &AlertNotifier::fallbackRequested);
    AlertEvent billing = event(Kind::Raised, Sev::Critical);
    billing.cluster = QStringLiteral("billing");
    EXPECT_TRUE(notifier.isClusterEnabled(QStringLiteral("billing"))) << "on by default";
    notifier.setClusterEnabled(QStringLiteral("billing"), false);
    EXPECT_FALSE(notifier.isClusterEnabled(QStringLiteral("billing")));
    notifier.handle(billing);
    AlertEvent billingCleared = event(Kind::Cleared, Sev::Critical, Sev::Critical);
    billingCleared.cluster = QStringLiteral("billing");
    notifier.handle(billingCleared);
    EXPECT_EQ(fallback.count(), 0);
    notifier.handle(event(Kind::Raised, Sev::Critical)); // hokm-ha: still notified
    ASSERT_EQ(fallback.count(), 1);
    EXPECT_EQ(fallback.at(0).at(0).toString(), QStringLiteral("Critical: node2 on hokm-ha"));
    notifier.setClusterEnabled(QStringLiteral("billing"), true);
    notifier.handle(billing);
    ASSERT_EQ(fallback.count(), 2);
    EXPECT_EQ(fallback.at(1).at(0).toString(), QStringLiteral("Critical: node2 on billing"));
    notifier.setEnabled(false);
    notifier.handle(billing);
    EXPECT_EQ(fallback.count(), 2);
}

namespace {

// A private session bus (dbus-daemon --session --print-address), stopped at the end.
class PrivateBus
{
public:
    PrivateBus()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            return;
        m_process.start(daemon, {QStringLiteral("--session"), QStringLiteral("--nofork"),
                                 QStringLiteral("--print-address")});
        if (!m_process.waitForStarted(5000))
            return;
        for (int i = 0; i < 50 && !m_process.canReadLine(); ++i)
            m_process.waitForReadyRead(200);
        address = QString::fromUtf8(m_process.readLine()).trimmed();
    }
    ~PrivateBus()
    {
        m_process.terminate();
        m_process.waitForFinished(3000);
    }
    QString address;

private:
    QProcess m_process;
};

// org.freedesktop.Notifications as a notification daemon serves it: records every Notify call
// and answers with a new id.
class FakeNotificationServer : public QDBusVirtualObject
{
public:
    struct Call
    {
        QString appName, summary, body;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Call> calls;

    QString introspect(const QString &) const override { return QString(); }
    bool handleMessage(const QDBusMessage &message, const QDBusConnection &connection) override
    {
        if (message.member() != QLatin1String("Notify") || message.arguments().size() != 8)
            return false;
        const QList<QVariant> a = message.arguments();
        Call c;
        c.appName = a.at(0).toString();
        c.summary = a.at(3).toString();
        c.body = a.at(4).toString();
        c.hints = qdbus_cast<QVariantMap>(a.at(6));
        c.timeout = a.at(7).toInt();
        calls.append(c);
        connection.send(message.createReply(QVariant::fromValue(uint(calls.size()))));
        return true;
    }
};

} // namespace

TEST(DesktopNotifications, NotifyReachesTheNotificationServerOnTheSessionBus)
{
    PrivateBus bus;
    if (bus.address.isEmpty())
        GTEST_SKIP() << "dbus-daemon is not installed";
    QDBusConnection server = QDBusConnection::connectToBus(bus.address, QStringLiteral("server"));
    QDBusConnection client = QDBusConnection::connectToBus(bus.address, QStringLiteral("client"));
    ASSERT_TRUE(server.isConnected()) << server.lastError().message().toStdString();
    ASSERT_TRUE(client.isConnected());

    // No server registered yet: the notification falls back to the tray.
    DesktopNotifications sender(client);
    AlertNotifier notifier(&sender);
    QSignalSpy fallback(&notifier, &AlertNotifier::fallbackRequested);
    QSignalSpy sent(&sender, &DesktopNotifications::sent);
    // "billing" opted out in its profile: handled first each time, so that anything sent for it
    // would be the first call the server (or the fallback) records.
    notifier.setClusterEnabled(QStringLiteral("billing"), false);
    AlertEvent muted = event(Kind::Raised, Sev::Critical);
    muted.cluster = QStringLiteral("billing");
    notifier.handle(muted);
    notifier.handle(event(Kind::Raised, Sev::Critical));
    ASSERT_TRUE(fallback.wait(5000));
    EXPECT_EQ(fallback.at(0).at(0).toString(), QStringLiteral("Critical: node2 on hokm-ha"));
    EXPECT_EQ(sent.count(), 0);

    FakeNotificationServer fake;
    ASSERT_TRUE(
        server.registerVirtualObject(QStringLiteral("/org/freedesktop/Notifications"), &fake));
    ASSERT_TRUE(server.registerService(QStringLiteral("org.freedesktop.Notifications")));
    notifier.handle(muted);
    notifier.handle(event(Kind::Raised, Sev::Critical));
    AlertEvent cleared = event(Kind::Cleared, Sev::Critical, Sev::Critical);
    cleared.lastedSeconds = 42;
    notifier.handle(cleared);
    notifier.handle(event(Kind::Raised, Sev::Warning)); // not sent
    for (int i = 0; i < 50 && sent.count() < 2; ++i)
        sent.wait(100);
    ASSERT_EQ(fake.calls.size(), 2);
    EXPECT_EQ(fake.calls.at(0).summary, QStringLiteral("Critical: node2 on hokm-ha"));
    EXPECT_EQ(fake.calls.at(0).body, QStringLiteral("node2 is not streaming from the leader."));
    EXPECT_EQ(fake.calls.at(0).hints.value(QStringLiteral("urgency")).toInt(), 2);
    EXPECT_EQ(fake.calls.at(0).timeout, 0);
    EXPECT_EQ(fake.calls.at(1).summary, QStringLiteral("Cleared: node2 on hokm-ha"));
    EXPECT_EQ(fake.calls.at(1).hints.value(QStringLiteral("urgency")).toInt(), 1);
    EXPECT_EQ(fallback.count(), 1) << "the server answered: no more fallbacks";
    for (const FakeNotificationServer::Call &c : fake.calls)
        EXPECT_FALSE(c.summary.contains(QLatin1String("billing"))) << "billing opted out";

    server.unregisterObject(QStringLiteral("/org/freedesktop/Notifications"));
    QDBusConnection::disconnectFromBus(QStringLiteral("server"));
    QDBusConnection::disconnectFromBus(QStringLiteral("client"));
}
