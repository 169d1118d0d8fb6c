// SecretStore: the in-memory store's contract, QtKeychain's errors mapped to what the UI needs,
// and a real keychain round trip (GNOME Keyring inside a private D-Bus session).
#include "services/settings/keychainsecretstore.h"
#include "services/settings/memorysecretstore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QUuid>
#include <gtest/gtest.h>
#include <qt6keychain/keychain.h>

using namespace vigil::services;

namespace {

struct Reply
{
    bool done = false;
    SecretStore::Outcome outcome;
    QString secret;
};

Reply readSync(SecretStore &store, const QString &key, int timeoutMs = 10000)
{
    Reply r;
    store.read(key, [&](const SecretStore::Outcome &o, const QString &s) {
        r.outcome = o;
        r.secret = s;
        r.done = true;
    });
    vigil::test::waitUntil([&] { return r.done; }, timeoutMs);
    return r;
}

Reply writeSync(SecretStore &store, const QString &key, const QString &secret,
                int timeoutMs = 10000)
{
    Reply r;
    store.write(key, secret, [&](const SecretStore::Outcome &o) {
        r.outcome = o;
        r.done = true;
    });
    vigil::test::waitUntil([&] { return r.done; }, timeoutMs);
    return r;
}

Reply removeSync(SecretStore &store, const QString &key, int timeoutMs = 10000)
{
    Reply r;
    store.remove(key, [&](const SecretStore::Outcome &o) {
        r.outcome = o;
        r.done = true;
    });
    vigil::test::waitUntil([&] { return r.done; }, timeoutMs);
    return r;
}

} // namespace

TEST(MemorySecretStore, AsyncRoundTrip)
{
    MemorySecretStore store;
    bool called = false;
    store.write(QStringLiteral("k"), QStringLiteral("v"),
                [&](const SecretStore::Outcome &) { called = true; });
    EXPECT_FALSE(called); // never synchronously from inside the call
    ASSERT_TRUE(vigil::test::waitUntil([&] { return called; }, 1000));
    const Reply r = readSync(store, QStringLiteral("k"));
    EXPECT_TRUE(r.outcome.ok());
    EXPECT_EQ(r.secret, QStringLiteral("v"));
    EXPECT_EQ(readSync(store, QStringLiteral("other")).outcome.failure,
              SecretStore::Failure::NotFound);
    EXPECT_TRUE(removeSync(store, QStringLiteral("k")).outcome.ok());
    EXPECT_EQ(readSync(store, QStringLiteral("k")).outcome.failure, SecretStore::Failure::NotFound);
    store.simulateNoBackend(true);
    EXPECT_EQ(writeSync(store, QStringLiteral("k"), QStringLiteral("v")).outcome.failure,
              SecretStore::Failure::NoBackend);
    EXPECT_EQ(store.size(), 0);
}

TEST(MemorySecretStore, DestroyedStoreDropsCallbacks)
{
    bool called = false;
    {
        MemorySecretStore store;
        store.read(QStringLiteral("k"),
                   [&](const SecretStore::Outcome &, const QString &) { called = true; });
    }
    vigil::test::spin(50);
    EXPECT_FALSE(called);
}

TEST(SecretStore, KeysNameProfileAndSlot)
{
    EXPECT_EQ(SecretStore::keyFor(QStringLiteral("prod"), SecretStore::Slot::Sql),
              QStringLiteral("profile/prod/sql"));
    EXPECT_EQ(SecretStore::keyFor(QStringLiteral("prod"), SecretStore::Slot::PgBouncer),
              QStringLiteral("profile/prod/pgbouncer"));
    const QString text =
        SecretStore::describe({SecretStore::Failure::NoBackend,
                               QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")});
    EXPECT_TRUE(text.contains(QStringLiteral("No keychain service is running")));
    EXPECT_TRUE(text.contains(QStringLiteral("session only")));
}

TEST(KeychainSecretStore, MapsQtKeychainErrors)
{
    using F = SecretStore::Failure;
    EXPECT_EQ(KeychainSecretStore::outcomeFor(QKeychain::NoError, {}).failure, F::None);
    EXPECT_EQ(
        KeychainSecretStore::outcomeFor(QKeychain::EntryNotFound, QStringLiteral("x")).failure,
        F::NotFound);
    EXPECT_EQ(
        KeychainSecretStore::outcomeFor(QKeychain::NoBackendAvailable, QStringLiteral("x")).failure,
        F::NoBackend);
    EXPECT_EQ(
        KeychainSecretStore::outcomeFor(QKeychain::AccessDeniedByUser, QStringLiteral("x")).failure,
        F::Denied);
    EXPECT_EQ(
        KeychainSecretStore::outcomeFor(
            QKeychain::OtherError, QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY"))
            .failure,
        F::NoBackend);
    EXPECT_EQ(
        KeychainSecretStore::outcomeFor(QKeychain::OtherError, QStringLiteral("disk full")).failure,
        F::Other);
}

// Without any D-Bus session (a headless machine) the real store must fail with NoBackend, and
// must not have written the secret anywhere (QtKeychain's plaintext fallback is off).
TEST(KeychainSecretStore, HeadlessMachineHasNoBackend)
{
    if (qEnvironmentVariableIntValue("VIGIL_KEYCHAIN_CHILD") == 1)
        GTEST_SKIP() << "inside the keychain session";
    const QByteArray savedBus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    const QByteArray savedDisplay = qgetenv("DISPLAY");
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/vigil-test-bus");
    qunsetenv("DISPLAY");
    KeychainSecretStore store(QStringLiteral("org.vigil.Vigil.tests"), nullptr);
    const Reply w = writeSync(store, QStringLiteral("profile/headless/sql"),
                              QStringLiteral("NeverOnDisk-91"), 20000);
    ASSERT_TRUE(w.done) << "the keychain never answered";
    EXPECT_EQ(w.outcome.failure, SecretStore::Failure::NoBackend)
        << w.outcome.message.toStdString();
    EXPECT_FALSE(w.outcome.message.isEmpty());
    const Reply r = readSync(store, QStringLiteral("profile/headless/sql"), 20000);
    EXPECT_NE(r.secret, QStringLiteral("NeverOnDisk-91"));
    if (savedBus.isNull())
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    else
        qputenv("DBUS_SESSION_BUS_ADDRESS", savedBus);
    if (!savedDisplay.isNull())
        qputenv("DISPLAY", savedDisplay);
}

// The round trip itself runs in a child process inside
//   dbus-run-session -- bash -c 'echo -n PW | gnome-keyring-daemon --unlock --components=secrets;
//   ...'
// i.e. a private session bus with an unlocked GNOME Keyring (Secret Service), as on a desktop,
// with HOME in a fresh private directory. With an EMPTY unlock password, GNOME Keyring 42 does not
// create the "login" collection in a fresh HOME (it asks gcr-prompter, which needs a display, and
// writes fail with "Object does not exist at path .../collection/login"); a throwaway non-empty
// password creates and unlocks it.
TEST(KeychainSecretStore, RealKeychainRoundTrip)
{
    if (qEnvironmentVariableIntValue("VIGIL_KEYCHAIN_CHILD") != 1) {
        const QString runner = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        const QString keyring =
            QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        ASSERT_FALSE(runner.isEmpty())
            << "dbus-run-session is missing (packaging/install-deps.sh installs dbus)";
        ASSERT_FALSE(keyring.isEmpty())
            << "gnome-keyring-daemon is missing (packaging/install-deps.sh installs gnome-keyring)";
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("VIGIL_KEYCHAIN_CHILD"), QStringLiteral("1"));
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        // The child runs this one test: not the shard of the suite this process may be.
        env.remove(QStringLiteral("GTEST_TOTAL_SHARDS"));
        env.remove(QStringLiteral("GTEST_SHARD_INDEX"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"),
                   QDir::tempPath() + QStringLiteral("/vigil-keyring-test-") +
                       QString::number(QCoreApplication::applicationPid()));
        QDir().mkpath(env.value(QStringLiteral("XDG_RUNTIME_DIR")));
        QFile::setPermissions(env.value(QStringLiteral("XDG_RUNTIME_DIR")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                  QFileDevice::ExeOwner);
        env.insert(QStringLiteral("HOME"), env.value(QStringLiteral("XDG_RUNTIME_DIR")));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        const QString script =
            QStringLiteral("echo -n 'vigil-throwaway' | gnome-keyring-daemon --unlock "
                           "--components=secrets >/dev/null; "
                           "exec \"$0\" --gtest_filter=KeychainSecretStore.RealKeychainRoundTrip");
        child.start(runner, {QStringLiteral("--"), QStringLiteral("bash"), QStringLiteral("-c"),
                             script, QCoreApplication::applicationFilePath()});
        ASSERT_TRUE(child.waitForFinished(60000)) << "the keychain session did not finish";
        const QString out = QString::fromLocal8Bit(child.readAll());
        QDir(env.value(QStringLiteral("XDG_RUNTIME_DIR"))).removeRecursively();
        EXPECT_EQ(child.exitCode(), 0) << out.toStdString();
        EXPECT_TRUE(out.contains(QStringLiteral("[  PASSED  ] 1 test"))) << out.toStdString();
        EXPECT_FALSE(out.contains(QStringLiteral("SKIPPED"))) << out.toStdString();
        return;
    }
    // In the child: a real Secret Service is on the session bus.
    KeychainSecretStore store(QStringLiteral("org.vigil.Vigil.tests"), nullptr);
    const QString key = QStringLiteral("profile/roundtrip-%1/sql")
                            .arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    const QString secret = QStringLiteral("Päss wörd ✓ %1").arg(QUuid::createUuid().toString());
    const Reply w = writeSync(store, key, secret, 30000);
    ASSERT_TRUE(w.done);
    ASSERT_TRUE(w.outcome.ok()) << w.outcome.message.toStdString();
    const Reply r = readSync(store, key, 30000);
    ASSERT_TRUE(r.outcome.ok()) << r.outcome.message.toStdString();
    EXPECT_EQ(r.secret, secret);
    EXPECT_TRUE(removeSync(store, key, 30000).outcome.ok());
    EXPECT_EQ(readSync(store, key, 30000).outcome.failure, SecretStore::Failure::NotFound);
}
