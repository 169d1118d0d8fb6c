// ProfileStore: typed round trip, defaults not written, names with odd characters, and no
// password ever reaching the settings file. QStandardPaths' test mode keeps real settings safe.
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
ClusterProfile sandboxProfile()
{
    ClusterProfile p;
    p.name = QStringLiteral("hokm-ha (sandbox)");
    p.patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:60320"));
    p.sqlConninfo = QStringLiteral("dbname=postgres user=vigil sslmode=prefer");
    p.restUser = QStringLiteral("vigil-rest");
    p.haproxyStatsUrl = QUrl(QStringLiteral("http://127.0.0.1:60332/;csv"));
    p.haproxyReadWriteBackend = QStringLiteral("rw");
    p.pgbouncerConninfo =
        QStringLiteral("host=127.0.0.1 port=60340 dbname=pgbouncer user=pgbouncer_admin");
    p.readOnly = true;
    return p;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

TEST(ProfileStore, DefaultSettingsAreInTestMode)
{
    ProfileStore store;
    // The default store writes under QStandardPaths' test location, never the user's config.
    EXPECT_TRUE(QStandardPaths::isTestModeEnabled());
    EXPECT_TRUE(store.fileName().contains(QStringLiteral(".qttest")))
        << store.fileName().toStdString();
}

TEST(ProfileStore, RoundTripAndDefaultsNotWritten)
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    {
        ProfileStore store(ini, nullptr);
        EXPECT_TRUE(store.profileNames().isEmpty());
        store.save(sandboxProfile());
        ClusterProfile minimal;
        minimal.name = QStringLiteral("billing");
        minimal.patroniUrl = QUrl(QStringLiteral("https://10.0.0.5:8008"));
        store.save(minimal);
    }
    ProfileStore store(ini, nullptr);
    EXPECT_EQ(store.profileNames(),
              (QStringList{QStringLiteral("billing"), QStringLiteral("hokm-ha (sandbox)")}));
    const auto loaded = store.load(QStringLiteral("hokm-ha (sandbox)"));
    ASSERT_TRUE(loaded.has_value());
    const ClusterProfile want = sandboxProfile();
    EXPECT_EQ(loaded->name, want.name);
    EXPECT_EQ(loaded->patroniUrl, want.patroniUrl);
    EXPECT_EQ(loaded->sqlConninfo, want.sqlConninfo);
    EXPECT_EQ(loaded->restUser, want.restUser);
    EXPECT_EQ(loaded->haproxyStatsUrl, want.haproxyStatsUrl);
    EXPECT_EQ(loaded->haproxyReadWriteBackend, want.haproxyReadWriteBackend);
    EXPECT_EQ(loaded->pgbouncerConninfo, want.pgbouncerConninfo);
    EXPECT_TRUE(loaded->readOnly);
    EXPECT_EQ(loaded->stateIntervalMs, 1000);

    // The minimal profile stored only its URL: every other key equals its default.
    QSettings raw(ini, QSettings::IniFormat);
    raw.beginGroup(QStringLiteral("profiles/billing"));
    EXPECT_EQ(raw.childKeys(), QStringList{QStringLiteral("patroniUrl")});
    raw.endGroup();
    const auto billing = store.load(QStringLiteral("billing"));
    ASSERT_TRUE(billing.has_value());
    EXPECT_EQ(billing->sqlConninfo, ClusterProfile().sqlConninfo);
    EXPECT_TRUE(billing->restVerifyPeer);

    store.remove(QStringLiteral("billing"));
    EXPECT_FALSE(store.contains(QStringLiteral("billing")));
    EXPECT_FALSE(store.load(QStringLiteral("billing")).has_value());
}

TEST(ProfileStore, AlertThresholdsRoundTripAndDefaultsAreTheManuals)
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    ClusterProfile p;
    p.name = QStringLiteral("billing");
    p.patroniUrl = QUrl(QStringLiteral("https://10.0.0.5:8008"));
    p.thresholds.lagWarningSeconds = 5;
    p.thresholds.connectionsCritical = 0.9;
    p.thresholds.blockerWarningSeconds = 12.5;
    p.thresholds.idleInTransactionWarningSeconds = 120;
    p.thresholds.diskCapacityBytes = qint64(500) << 30;
    {
        ProfileStore store(ini, nullptr);
        store.save(p);
    }
    QSettings raw(ini, QSettings::IniFormat);
    raw.beginGroup(QStringLiteral("profiles/billing/alerts"));
    EXPECT_EQ(raw.childKeys().size(), 5) << "only the changed thresholds are written";
    raw.endGroup();
    ProfileStore store(ini, nullptr);
    const auto loaded = store.load(QStringLiteral("billing"));
    ASSERT_TRUE(loaded.has_value());
    EXPECT_DOUBLE_EQ(loaded->thresholds.lagWarningSeconds, 5);
    EXPECT_DOUBLE_EQ(loaded->thresholds.connectionsCritical, 0.9);
    EXPECT_DOUBLE_EQ(loaded->thresholds.blockerWarningSeconds, 12.5);
    EXPECT_DOUBLE_EQ(loaded->thresholds.idleInTransactionWarningSeconds, 120);
    EXPECT_EQ(loaded->thresholds.diskCapacityBytes, qint64(500) << 30);
    // The rest are the ops manual's levels.
    EXPECT_DOUBLE_EQ(loaded->thresholds.lagCriticalSeconds, 30);
    EXPECT_DOUBLE_EQ(loaded->thresholds.connectionsWarning, 0.80);
    EXPECT_DOUBLE_EQ(loaded->thresholds.slowQueryWarningMs, 5000);
    EXPECT_DOUBLE_EQ(loaded->thresholds.diskFreeCritical, 0.10);
}

// The alert engine's raise/clear settings and the desktop-notification opt-out are saved with
// the profile like the thresholds: written only when changed, read back as typed, and a profile
// saved before they existed loads with the defaults (3 / 2 snapshots, 5 to clear, 10 %, on).
TEST(ProfileStore, AlertRaiseClearAndNotificationOptOutRoundTrip)
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    ClusterProfile p;
    p.name = QStringLiteral("billing");
    p.patroniUrl = QUrl(QStringLiteral("https://10.0.0.5:8008"));
    p.thresholds.alertRaiseSnapshots = 6;
    p.thresholds.alertRaiseSnapshotsCritical = 4;
    p.thresholds.alertClearSnapshots = 12;
    p.thresholds.alertHysteresis = 0.25;
    p.desktopNotifications = false;
    ClusterProfile quiet = p;
    quiet.name = QStringLiteral("reporting");
    quiet.thresholds = {};
    quiet.desktopNotifications = true;
    {
        ProfileStore store(ini, nullptr);
        store.save(p);
        store.save(quiet);
    }
    QSettings raw(ini, QSettings::IniFormat);
    raw.beginGroup(QStringLiteral("profiles/billing/alerts"));
    EXPECT_EQ(raw.childKeys().size(), 5);
    EXPECT_EQ(raw.value(QStringLiteral("raiseSnapshots")).toInt(), 6);
    EXPECT_EQ(raw.value(QStringLiteral("desktopNotifications")).toBool(), false);
    raw.endGroup();
    raw.beginGroup(QStringLiteral("profiles/reporting/alerts"));
    EXPECT_TRUE(raw.childKeys().isEmpty()) << "defaults are not written";
    raw.endGroup();

    ProfileStore store(ini, nullptr);
    const auto loaded = store.load(QStringLiteral("billing"));
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->thresholds.alertRaiseSnapshots, 6);
    EXPECT_EQ(loaded->thresholds.alertRaiseSnapshotsCritical, 4);
    EXPECT_EQ(loaded->thresholds.alertClearSnapshots, 12);
    EXPECT_DOUBLE_EQ(loaded->thresholds.alertHysteresis, 0.25);
    EXPECT_FALSE(loaded->desktopNotifications);
    const auto defaults = store.load(QStringLiteral("reporting"));
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->thresholds.alertRaiseSnapshots, 3);
    EXPECT_EQ(defaults->thresholds.alertRaiseSnapshotsCritical, 2);
    EXPECT_EQ(defaults->thresholds.alertClearSnapshots, 5);
    EXPECT_DOUBLE_EQ(defaults->thresholds.alertHysteresis, 0.10);
    EXPECT_TRUE(defaults->desktopNotifications);
}

TEST(ProfileStore, Preferences)
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("p.ini")), nullptr);
    EXPECT_FALSE(store.largeFonts());
    EXPECT_EQ(store.chartWindowSeconds(), 300);
    store.setLargeFonts(true);
    store.setChartWindowSeconds(3600);
    store.setOpenProfiles({QStringLiteral("a"), QStringLiteral("b")});
    EXPECT_TRUE(store.largeFonts());
    EXPECT_EQ(store.chartWindowSeconds(), 3600);
    EXPECT_EQ(store.openProfiles(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    store.setChartWindowSeconds(300); // back to the default: the key is dropped
    store.sync();
    QSettings raw(store.fileName(), QSettings::IniFormat);
    EXPECT_FALSE(raw.contains(QStringLiteral("ui/chartWindowSeconds")));
}

TEST(ProfileStore, StripsPasswordsFromConninfoAndUrls)
{
    EXPECT_EQ(
        ProfileStore::withoutPassword(QStringLiteral("host=a password=s3cr3t dbname=pgbouncer")),
        QStringLiteral("host=a dbname=pgbouncer"));
    EXPECT_EQ(ProfileStore::withoutPassword(QStringLiteral("password = 'it\\'s x' user=u")),
              QStringLiteral("user=u"));
    EXPECT_EQ(ProfileStore::withoutPassword(
                  QStringLiteral("postgresql://u:s3cr3t@h:5432/db?password=x&sslmode=require")),
              QStringLiteral("postgresql://u@h:5432/db?sslmode=require"));
    EXPECT_EQ(ProfileStore::withoutPassword(QStringLiteral("service=prod")),
              QStringLiteral("service=prod"));
}

// The path the "Add cluster" dialog takes: profile to the store, passwords to the SecretStore.
// The settings file must contain none of the passwords, whatever the user typed where.
TEST(ProfileStore, NoPasswordEndsUpInTheSettingsFile)
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    ProfileStore store(ini, nullptr);
    MemorySecretStore secrets;

    const QString sqlPw = QStringLiteral("SqlPw-7f3a91");
    const QString restPw = QStringLiteral("RestPw-c0ffee");
    const QString bouncerPw = QStringLiteral("BouncerPw-42d1");
    ClusterProfile p = sandboxProfile();
    // A user pasting secrets into the free-text fields:
    p.pgbouncerConninfo =
        QStringLiteral(
            "host=127.0.0.1 port=60340 dbname=pgbouncer user=pgbouncer_admin password=%1")
            .arg(bouncerPw);
    p.patroniUrl = QUrl(QStringLiteral("http://vigil-rest:%1@127.0.0.1:60320").arg(restPw));
    p.sqlConninfo = QStringLiteral("dbname=postgres user=vigil password='%1'").arg(sqlPw);
    store.save(p);

    int done = 0;
    secrets.write(SecretStore::keyFor(p.name, SecretStore::Slot::Sql), sqlPw,
                  [&](const SecretStore::Outcome &o) { done += o.ok(); });
    secrets.write(SecretStore::keyFor(p.name, SecretStore::Slot::Rest), restPw,
                  [&](const SecretStore::Outcome &o) { done += o.ok(); });
    secrets.write(SecretStore::keyFor(p.name, SecretStore::Slot::PgBouncer), bouncerPw,
                  [&](const SecretStore::Outcome &o) { done += o.ok(); });
    ASSERT_TRUE(vigil::test::waitUntil([&] { return done == 3; }, 2000));
    store.sync();

    const QByteArray bytes = fileBytes(ini);
    ASSERT_FALSE(bytes.isEmpty());
    EXPECT_TRUE(bytes.contains("60320")); // the profile is there...
    for (const QString &pw : {sqlPw, restPw, bouncerPw})
        EXPECT_FALSE(bytes.contains(pw.toUtf8()))
            << "password found in " << ini.toStdString() << ":\n"
            << bytes.toStdString();
    EXPECT_FALSE(bytes.toLower().contains("password"));
}

namespace {
// A profiles file that holds one of Qt's encoded values, written as Qt would read it.
QString writeIni(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.filePath(QStringLiteral("profiles.ini"));
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text);
    return path;
}

QStringList setAside(const QTemporaryDir &dir)
{
    return QDir(dir.path()).entryList({QStringLiteral("profiles.ini.unreadable-*")}, QDir::Files);
}
} // namespace

TEST(ProfileStore, FileWithEncodedValuesIsSetAsideUnread)
{
    // The input fuzzing found: Qt's INI reader needed more than 2 GB for it (QDataStream decoding
    // "@Variant(...)"). Read as it is, this test would run out of memory, not fail.
    const QByteArray found = fileBytes(
        QStringLiteral(VIGIL_FIXTURES_DIR "/fuzz/profile_import/"
                                          "oom-e408b70dd9435359dbe07f7b5bee864216c53cbb"));
    ASSERT_EQ(found.size(), 229);
    // The same value spelt with Qt's escapes, which its reader decodes before looking for '@'.
    const QByteArray escaped = "[profiles]\nhokm\\patroniUrl=http://127.0.0.1:8008\n"
                               "x=\\x40Vari\\141nt(\\0\\0\\0\\z)\n";
    for (const QByteArray &text : {found, escaped}) {
        QTemporaryDir dir;
        const QString path = writeIni(dir, text);
        const ProfileStore store(path, nullptr);
        EXPECT_TRUE(store.profileNames().isEmpty());
        EXPECT_TRUE(store.problem().contains(QStringLiteral("@Variant")));
        EXPECT_TRUE(store.problem().contains(path)) << store.problem().toStdString();
        const QStringList aside = setAside(dir);
        ASSERT_EQ(aside.size(), 1) << text.toStdString();
        // Nothing lost: the file moved aside is byte for byte the one that was there.
        EXPECT_EQ(fileBytes(dir.filePath(aside.first())), text);
        EXPECT_FALSE(QFile::exists(path));
    }
}

TEST(ProfileStore, OrdinaryFileIsReadAndNotMoved)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.ini"));
    {
        ProfileStore store(path, nullptr);
        store.save(sandboxProfile());
        store.setOpenProfiles({sandboxProfile().name, QStringLiteral("second")});
        store.sync();
    }
    const ProfileStore again(path, nullptr);
    EXPECT_TRUE(again.problem().isEmpty()) << again.problem().toStdString();
    EXPECT_EQ(again.profileNames(), QStringList{sandboxProfile().name});
    EXPECT_EQ(again.openProfiles().size(), 2);
    EXPECT_TRUE(setAside(dir).isEmpty());
}
