// The Add-cluster dialog: what it saves where, and what it does when there is no keychain.
#include "models/connectiontestmodel.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"
#include "support/snapshotbuilder.h"
#include "ui/shell/addclusterdialog.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil;

namespace {
void fill(ui::AddClusterDialog &d, const QString &name, const QString &value)
{
    auto *e = d.findChild<QLineEdit *>(name);
    ASSERT_TRUE(e) << name.toStdString();
    e->setText(value);
}

void fillSandbox(ui::AddClusterDialog &d)
{
    fill(d, QStringLiteral("name"), QStringLiteral("hokm-ha"));
    fill(d, QStringLiteral("patroniUrl"), QStringLiteral("http://127.0.0.1:60320"));
    fill(d, QStringLiteral("user"), QStringLiteral("vigil"));
    fill(d, QStringLiteral("sqlPassword"), QStringLiteral("SqlSecret-1a2b"));
    fill(d, QStringLiteral("restUser"), QStringLiteral("patroni"));
    fill(d, QStringLiteral("restPassword"), QStringLiteral("RestSecret-3c4d"));
    fill(d, QStringLiteral("haproxyUrl"), QStringLiteral("http://127.0.0.1:60332/;csv"));
    fill(d, QStringLiteral("haproxyBackend"), QStringLiteral("rw"));
    fill(d, QStringLiteral("pgbouncerConninfo"),
         QStringLiteral("host=127.0.0.1 port=60340 dbname=pgbouncer user=pgbouncer_admin"));
    fill(d, QStringLiteral("pgbouncerPassword"), QStringLiteral("BouncerSecret-5e6f"));
}
} // namespace

TEST(AddClusterDialog, ComposesTheProfile)
{
    ui::AddClusterDialog d(nullptr, nullptr, nullptr);
    EXPECT_FALSE(d.validationError().isEmpty());
    fillSandbox(d);
    EXPECT_TRUE(d.validationError().isEmpty()) << d.validationError().toStdString();
    const services::ClusterProfile p = d.profile();
    EXPECT_EQ(p.patroniUrl, QUrl(QStringLiteral("http://127.0.0.1:60320")));
    EXPECT_EQ(p.sqlConninfo, QStringLiteral("dbname=postgres user=vigil"));
    EXPECT_EQ(p.haproxyReadWriteBackend, QStringLiteral("rw"));
    EXPECT_EQ(d.secrets().restPassword, QStringLiteral("RestSecret-3c4d"));
    EXPECT_EQ(ui::AddClusterDialog::composeConninfo(QStringLiteral("prod monitor"), {}, {}, {}, {}),
              QStringLiteral("service='prod monitor'"));
    EXPECT_EQ(
        ui::AddClusterDialog::composeConninfo({}, QStringLiteral("app"), QStringLiteral("vigil"),
                                              QStringLiteral("verify-full"),
                                              QStringLiteral("/etc/ssl/ca.pem")),
        QStringLiteral("dbname=app user=vigil sslmode=verify-full sslrootcert=/etc/ssl/ca.pem"));
    // The round trip through setProfile keeps what was typed.
    ui::AddClusterDialog again(nullptr, nullptr, nullptr);
    again.setProfile(p);
    EXPECT_EQ(again.profile().sqlConninfo, p.sqlConninfo);
    EXPECT_EQ(again.profile().pgbouncerConninfo, p.pgbouncerConninfo);
}

TEST(AddClusterDialog, SavesProfileToSettingsAndPasswordsToTheKeychain)
{
    QTemporaryDir dir;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::MemorySecretStore secrets;
    ui::AddClusterDialog d(nullptr, &profiles, &secrets);
    fillSandbox(d);
    QSignalSpy saved(&d, &ui::AddClusterDialog::profileSaved);
    d.save();
    ASSERT_TRUE(test::waitUntil([&] { return saved.count() == 1; }, 3000))
        << d.statusText().toStdString();
    EXPECT_FALSE(saved.at(0).at(2).toBool()); // not session-only
    EXPECT_EQ(secrets.size(), 3);
    ASSERT_TRUE(profiles.contains(QStringLiteral("hokm-ha")));
    profiles.sync();
    QFile f(profiles.fileName());
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray ini = f.readAll();
    for (const char *pw : {"SqlSecret-1a2b", "RestSecret-3c4d", "BouncerSecret-5e6f"})
        EXPECT_FALSE(ini.contains(pw)) << pw;
}

// No keychain (a headless machine): the dialog says so plainly, saves nothing with a password,
// and offers the session-only way; taking it saves the profile (without passwords) and hands the
// passwords over in memory only.
TEST(AddClusterDialog, NoKeychainOffersSessionOnlyAndNeverWritesPasswords)
{
    QTemporaryDir dir;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::MemorySecretStore secrets;
    secrets.simulateNoBackend(true);
    ui::AddClusterDialog d(nullptr, &profiles, &secrets);
    fillSandbox(d);
    QSignalSpy saved(&d, &ui::AddClusterDialog::profileSaved);
    d.save();
    ASSERT_TRUE(test::waitUntil([&] { return d.sessionOnlyOffered(); }, 3000));
    EXPECT_EQ(saved.count(), 0);
    EXPECT_TRUE(d.statusText().contains(QStringLiteral("No keychain service is running")))
        << d.statusText().toStdString();
    EXPECT_TRUE(d.statusText().contains(QStringLiteral("Cannot autolaunch D-Bus")));
    EXPECT_FALSE(profiles.contains(QStringLiteral("hokm-ha")));

    d.useForSessionOnly();
    ASSERT_EQ(saved.count(), 1);
    EXPECT_TRUE(saved.at(0).at(2).toBool());
    EXPECT_EQ(saved.at(0).at(1).value<services::ClusterMonitor::Secrets>().sqlPassword,
              QStringLiteral("SqlSecret-1a2b"));
    profiles.sync();
    QFile f(profiles.fileName());
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray ini = f.readAll();
    EXPECT_TRUE(ini.contains("60320"));
    for (const char *pw : {"SqlSecret-1a2b", "RestSecret-3c4d", "BouncerSecret-5e6f"})
        EXPECT_FALSE(ini.contains(pw)) << pw;
}

TEST(ConnectionTestModel, WhatWorksPerMemberAndChannel)
{
    models::ConnectionTestModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    test::SandboxShape shape;
    model.setSnapshot(test::share(test::healthySnapshot(shape)));
    EXPECT_EQ(model.rowCount(), 1 + 3 * 2 + 2);
    EXPECT_TRUE(model.allOk());
    EXPECT_EQ(model.summary(), QStringLiteral("All 9 checks passed."));
    model.setSnapshot(test::share(test::leaderCrashedSnapshot(shape)));
    EXPECT_FALSE(model.allOk());
    EXPECT_EQ(model.summary(), QStringLiteral("2 of 9 checks failed."));
    const int row = model.rowOf(QStringLiteral("sql/node1"));
    EXPECT_EQ(model.index(row, models::ConnectionTestModel::Result).data().toString(),
              QStringLiteral("fails"));
    EXPECT_EQ(model.index(row, models::ConnectionTestModel::Detail).data().toString(),
              QStringLiteral("Unreachable: Connection refused"));
}

TEST(AddClusterDialog, TlsFieldsReachTheProfile)
{
    ui::AddClusterDialog d(nullptr, nullptr, nullptr);
    fillSandbox(d);
    fill(d, QStringLiteral("patroniUrl"), QStringLiteral("https://127.0.0.1:61320"));
    // Typing a CA file while the mode is libpq's default makes it verify-full, visibly.
    auto *ca = d.findChild<QLineEdit *>(QStringLiteral("sslrootcert"));
    ASSERT_TRUE(ca);
    ca->setText(QStringLiteral("/etc/vigil/ca.crt"));
    Q_EMIT ca->textEdited(ca->text());
    EXPECT_EQ(d.findChild<QComboBox *>(QStringLiteral("sslmode"))->currentText(),
              QStringLiteral("verify-full"));
    fill(d, QStringLiteral("sslcert"), QStringLiteral("/etc/vigil/client.crt"));
    fill(d, QStringLiteral("sslkey"), QStringLiteral("/etc/vigil/my client.key"));
    fill(d, QStringLiteral("restCa"), QStringLiteral("/etc/vigil/ca.crt"));
    fill(d, QStringLiteral("restCert"), QStringLiteral("/etc/vigil/client.crt"));
    fill(d, QStringLiteral("restKey"), QStringLiteral("/etc/vigil/client.key"));
    const services::ClusterProfile p = d.profile();
    EXPECT_EQ(p.sqlConninfo, QStringLiteral("dbname=postgres user=vigil sslmode=verify-full "
                                            "sslrootcert=/etc/vigil/ca.crt "
                                            "sslcert=/etc/vigil/client.crt "
                                            "sslkey='/etc/vigil/my client.key'"));
    EXPECT_EQ(p.restCaFile, QStringLiteral("/etc/vigil/ca.crt"));
    EXPECT_EQ(p.restCertFile, QStringLiteral("/etc/vigil/client.crt"));
    EXPECT_EQ(p.restKeyFile, QStringLiteral("/etc/vigil/client.key"));
    // Without the combo's help (a profile from elsewhere), a CA alone still means verify-full.
    EXPECT_EQ(ui::AddClusterDialog::composeConninfo({}, QStringLiteral("postgres"), {},
                                                    QStringLiteral("prefer"),
                                                    QStringLiteral("/ca.pem")),
              QStringLiteral("dbname=postgres sslrootcert=/ca.pem sslmode=verify-full"));
    // The round trip keeps every TLS field.
    ui::AddClusterDialog again(nullptr, nullptr, nullptr);
    again.setProfile(p);
    EXPECT_EQ(again.profile().sqlConninfo, p.sqlConninfo);
    EXPECT_EQ(again.findChild<QLineEdit *>(QStringLiteral("sslkey"))->text(),
              QStringLiteral("/etc/vigil/my client.key"));

    // Look at it: the dialog with the TLS fields filled.
    d.resize(d.sizeHint());
    d.show();
    QCoreApplication::processEvents();
    const QString dir = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dir);
    EXPECT_TRUE(d.grab().save(dir + QStringLiteral("/addcluster-tls-fields.png")));
}

// The alert thresholds: the manual's values on a new profile, typed values in the saved profile
// (in seconds, per cent and GiB on screen, in FindingThresholds' units in the profile), and the
// thresholds the form has no field for kept from the profile being edited.
TEST(AddClusterDialog, AlertThresholdsAreEditedPerProfile)
{
    ui::AddClusterDialog d(nullptr, nullptr, nullptr);
    auto spin = [&](const char *name) {
        auto *b = d.findChild<QDoubleSpinBox *>(QLatin1String(name));
        EXPECT_TRUE(b) << name;
        return b;
    };
    EXPECT_DOUBLE_EQ(spin("lagWarning")->value(), 10);
    EXPECT_DOUBLE_EQ(spin("lagCritical")->value(), 30);
    EXPECT_DOUBLE_EQ(spin("connectionsWarning")->value(), 80);
    EXPECT_DOUBLE_EQ(spin("connectionsCritical")->value(), 95);
    EXPECT_DOUBLE_EQ(spin("blockerWarning")->value(), 30);
    EXPECT_DOUBLE_EQ(spin("idleInTransactionWarning")->value(), 300);
    EXPECT_DOUBLE_EQ(spin("slowQueryWarning")->value(), 5);
    EXPECT_EQ(spin("diskCapacity")->text(), QStringLiteral("not set"));

    services::ClusterProfile p;
    p.name = QStringLiteral("billing");
    p.patroniUrl = QUrl(QStringLiteral("http://10.0.0.5:8008"));
    p.thresholds.leaderInRecoveryCriticalSeconds = 40; // no field in the form
    p.thresholds.diskCapacityBytes = qint64(200) << 30;
    d.setProfile(p);
    EXPECT_DOUBLE_EQ(spin("diskCapacity")->value(), 200);
    spin("lagWarning")->setValue(5);
    spin("connectionsCritical")->setValue(90);
    spin("idleInTransactionWarning")->setValue(120);
    spin("slowQueryWarning")->setValue(2.5);
    spin("diskFreeCritical")->setValue(5);
    const services::FindingThresholds t = d.profile().thresholds;
    EXPECT_DOUBLE_EQ(t.lagWarningSeconds, 5);
    EXPECT_DOUBLE_EQ(t.connectionsCritical, 0.90);
    EXPECT_DOUBLE_EQ(t.idleInTransactionWarningSeconds, 120);
    EXPECT_DOUBLE_EQ(t.slowQueryWarningMs, 2500);
    EXPECT_DOUBLE_EQ(t.diskFreeCritical, 0.05);
    EXPECT_EQ(t.diskCapacityBytes, qint64(200) << 30);
    EXPECT_EQ(t.leaderInRecoveryCriticalSeconds, 40);
    EXPECT_DOUBLE_EQ(t.lagCriticalSeconds, 30) << "untouched: the manual's value";

    // Look at it.
    fillSandbox(d);
    d.resize(d.sizeHint());
    d.show();
    QCoreApplication::processEvents();
    const QString dir = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(dir);
    EXPECT_TRUE(d.grab().save(dir + QStringLiteral("/addcluster-alert-thresholds.png")));
}

// Issue 15 §2: the alert engine's raise/clear settings (FindingThresholds::alertRaiseSnapshots,
// alertRaiseSnapshotsCritical, alertClearSnapshots, alertHysteresis) and the profile's desktop
// notification opt-out are edited in the same box: the defaults on a new profile, the profile's
// values when editing, and the typed values saved through the profile store and read back.
TEST(AddClusterDialog, AlertRaiseClearAndNotificationOptOutRoundTrip)
{
    QTemporaryDir dir;
    services::ProfileStore profiles(dir.filePath(QStringLiteral("vigil.ini")), nullptr);
    services::MemorySecretStore secrets;
    ui::AddClusterDialog d(nullptr, &profiles, &secrets);
    auto count = [&](const char *name) {
        auto *b = d.findChild<QSpinBox *>(QLatin1String(name));
        EXPECT_TRUE(b) << name;
        return b;
    };
    auto *hysteresis = d.findChild<QDoubleSpinBox *>(QStringLiteral("alertHysteresis"));
    auto *notify = d.findChild<QCheckBox *>(QStringLiteral("desktopNotifications"));
    ASSERT_TRUE(hysteresis);
    ASSERT_TRUE(notify);
    EXPECT_EQ(count("alertRaiseSnapshots")->value(), 3);
    EXPECT_EQ(count("alertRaiseSnapshotsCritical")->value(), 2);
    EXPECT_EQ(count("alertClearSnapshots")->value(), 5);
    EXPECT_DOUBLE_EQ(hysteresis->value(), 10);
    EXPECT_TRUE(notify->isChecked()) << "on by default";
    EXPECT_EQ(count("alertRaiseSnapshotsCritical")->text(),
              QStringLiteral("critical: 2 snapshots"));
    EXPECT_EQ(count("alertRaiseSnapshots")->minimum(), 1) << "0 snapshots would raise on nothing";

    // Editing a profile shows its values.
    services::ClusterProfile p;
    p.name = QStringLiteral("billing");
    p.patroniUrl = QUrl(QStringLiteral("http://10.0.0.5:8008"));
    p.thresholds.alertRaiseSnapshots = 4;
    p.thresholds.alertClearSnapshots = 1;
    p.thresholds.alertHysteresis = 0.2;
    p.desktopNotifications = false;
    d.setProfile(p);
    EXPECT_EQ(count("alertRaiseSnapshots")->value(), 4);
    EXPECT_EQ(count("alertClearSnapshots")->text(), QStringLiteral("1 snapshot"));
    EXPECT_DOUBLE_EQ(hysteresis->value(), 20);
    EXPECT_FALSE(notify->isChecked());

    // Typed values reach the profile store and come back.
    fillSandbox(d);
    count("alertRaiseSnapshots")->setValue(6);
    count("alertRaiseSnapshotsCritical")->setValue(1);
    count("alertClearSnapshots")->setValue(10);
    hysteresis->setValue(25);
    QSignalSpy saved(&d, &ui::AddClusterDialog::profileSaved);
    d.save();
    ASSERT_TRUE(test::waitUntil([&] { return saved.count() == 1; }, 3000))
        << d.statusText().toStdString();
    services::ProfileStore reread(profiles.fileName(), nullptr);
    const auto loaded = reread.load(QStringLiteral("hokm-ha"));
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->thresholds.alertRaiseSnapshots, 6);
    EXPECT_EQ(loaded->thresholds.alertRaiseSnapshotsCritical, 1);
    EXPECT_EQ(loaded->thresholds.alertClearSnapshots, 10);
    EXPECT_DOUBLE_EQ(loaded->thresholds.alertHysteresis, 0.25);
    EXPECT_FALSE(loaded->desktopNotifications);
    ui::AddClusterDialog again(nullptr, nullptr, nullptr);
    again.setProfile(*loaded);
    EXPECT_EQ(again.profile().thresholds.alertClearSnapshots, 10);
    EXPECT_FALSE(again.profile().desktopNotifications);

    // Look at it: the whole dialog, and the box alone.
    d.resize(d.sizeHint());
    d.show();
    QCoreApplication::processEvents();
    const QString artifacts = QStringLiteral(VIGIL_ARTIFACTS_DIR);
    QDir().mkpath(artifacts);
    EXPECT_TRUE(d.grab().save(artifacts + QStringLiteral("/addcluster-alert-raise-clear.png")));
    auto *box = d.findChild<QWidget *>(QStringLiteral("alertThresholds"));
    ASSERT_TRUE(box);
    EXPECT_TRUE(box->grab().save(artifacts + QStringLiteral("/alertthresholdsbox.png")));
}
