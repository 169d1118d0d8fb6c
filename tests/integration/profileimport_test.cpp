// Importing the sandbox's own patroni.yml files (issue 17 §5): the profile they give, saved and
// loaded back, watches the real cluster (a ClusterMonitor sees the three members, SQL as the
// suggested monitoring user; on the TLS sandbox too, as ctest's tls_profileimport), and `vigil
// profile import` saves it without any password in the settings file.
#include "services/monitor/clustermonitor.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/patroniyamlimport.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/sandbox.h"

#include <QDirIterator>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>
#include <gtest/gtest.h>

using namespace vigil::services;
using vigil::test::Sandbox;
using vigil::test::waitUntil;

namespace {
QStringList memberFiles()
{
    QStringList files;
    for (const char *n : {"node1", "node2", "node3"})
        files << Sandbox::dir() + QLatin1Char('/') + QLatin1String(n) +
                     QStringLiteral("/patroni.yml");
    return files;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

TEST(ProfileImport, SandboxFilesGiveAProfileThatSeesTheThreeMembers)
{
    VIGIL_REQUIRE_SANDBOX();
    Sandbox::ensureHealthy();
    const auto r = PatroniYamlImport::parseFiles(memberFiles(), QStringLiteral("imported"));
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    QStringList urls{r.profile.patroniUrl.toString()};
    for (const QUrl &u : r.profile.patroniFallbackUrls)
        urls << u.toString();
    EXPECT_EQ(urls, Sandbox::patroniUrls());
    EXPECT_EQ(r.profile.restUser, Sandbox::restUser());
    EXPECT_EQ(r.restPassword, Sandbox::restPassword());
    if (Sandbox::tls()) { // the ctl section's files, and the superuser entry's sslmode
        EXPECT_EQ(r.profile.restCaFile, Sandbox::caFile());
        EXPECT_EQ(r.profile.restCertFile, Sandbox::clientCert());
        EXPECT_EQ(r.profile.restKeyFile, Sandbox::clientKey());
        EXPECT_TRUE(r.profile.sqlConninfo.contains(QStringLiteral("verify-full")))
            << r.profile.sqlConninfo.toStdString();
    }

    // Saved and loaded back, the secret apart.
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    MemorySecretStore secrets;
    const QString key = SecretStore::keyFor(r.profile.name, SecretStore::Slot::Rest);
    secrets.write(key, r.restPassword, [](const SecretStore::Outcome &) {});
    std::optional<ClusterProfile> loaded;
    {
        ProfileStore store(ini, nullptr);
        store.save(r.profile);
        loaded = store.load(QStringLiteral("imported"));
    }
    ASSERT_TRUE(loaded.has_value());
    const QByteArray bytes = fileBytes(ini);
    EXPECT_FALSE(bytes.contains(Sandbox::restPassword().toUtf8()));
    EXPECT_FALSE(bytes.contains("password"));

    ClusterMonitor::Secrets s;
    secrets.read(key,
                 [&](const SecretStore::Outcome &, const QString &pw) { s.restPassword = pw; });
    ASSERT_TRUE(waitUntil([&] { return !s.restPassword.isEmpty(); }, 2000));
    QNetworkAccessManager nam;
    ClusterMonitor monitor(&nam, *loaded, s);
    ClusterSnapshotPtr snapshot;
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady,
                     [&](ClusterSnapshotPtr snap) { snapshot = snap; });
    monitor.pollOnce();
    ASSERT_TRUE(waitUntil([&] { return snapshot != nullptr; }, 15000));
    ASSERT_EQ(snapshot->members.size(), 3);
    QStringList names;
    for (const auto &m : snapshot->members) {
        names << m.name;
        EXPECT_TRUE(m.rest.ok()) << m.name.toStdString();
        EXPECT_TRUE(m.sql.ok()) << m.name.toStdString() << ": "
                                << m.sql.error.toText().toStdString();
    }
    names.sort();
    EXPECT_EQ(names, (QStringList{QStringLiteral("node1"), QStringLiteral("node2"),
                                  QStringLiteral("node3")}));
}

// The command line: --dry-run prints and saves nothing; a real import saves the profile under
// XDG_CONFIG_HOME. Without a D-Bus session there is no keychain: the command says so, exits 1,
// and the settings file still holds no password.
TEST(ProfileImport, CommandLineImportSavesNoPasswordInSettings)
{
    VIGIL_REQUIRE_SANDBOX();
    QTemporaryDir config;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("disabled:"));
    const auto run = [&](const QStringList &extra, QString *out, QString *err) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(VIGIL_BINARY),
                QStringList{QStringLiteral("profile"), QStringLiteral("import")} + memberFiles() +
                    QStringList{QStringLiteral("--name"), QStringLiteral("it-import")} + extra);
        if (!p.waitForFinished(40000)) {
            p.kill();
            p.waitForFinished(2000);
            return -1;
        }
        *out = QString::fromUtf8(p.readAllStandardOutput());
        *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitCode();
    };
    QString out, err;
    ASSERT_EQ(run({QStringLiteral("--dry-run")}, &out, &err), 0) << err.toStdString();
    EXPECT_TRUE(out.contains(Sandbox::patroniUrls().join(QStringLiteral(", "))))
        << out.toStdString();
    EXPECT_TRUE(out.contains(QStringLiteral("(password: to the keychain)")));
    EXPECT_FALSE(out.contains(Sandbox::restPassword()));
    QDirIterator none(config.path(), {QStringLiteral("*.conf")}, QDir::Files,
                      QDirIterator::Subdirectories);
    EXPECT_FALSE(none.hasNext()); // --dry-run saved nothing

    const int rc = run({}, &out, &err);
    EXPECT_EQ(rc, 1) << out.toStdString() << err.toStdString();
    EXPECT_TRUE(err.contains(QStringLiteral("saved 'it-import' without the REST password")))
        << err.toStdString();
    QDirIterator it(config.path(), {QStringLiteral("*.conf")}, QDir::Files,
                    QDirIterator::Subdirectories);
    ASSERT_TRUE(it.hasNext());
    const QByteArray conf = fileBytes(it.next());
    EXPECT_TRUE(conf.contains("it-import")) << conf.constData();
    // A fallback URL: node2's REST port, on whatever port base the sandbox runs.
    const int node2Port = QUrl(Sandbox::patroniUrls().value(1)).port();
    EXPECT_TRUE(conf.contains(":" + QByteArray::number(node2Port))) << conf.constData();
    EXPECT_FALSE(conf.contains(Sandbox::restPassword().toUtf8()));
    EXPECT_FALSE(conf.contains("password")) << conf.constData();

    // A second import of the same name is refused unless --replace.
    EXPECT_EQ(run({}, &out, &err), 2);
    EXPECT_TRUE(err.contains(QStringLiteral("--replace"))) << err.toStdString();
}
