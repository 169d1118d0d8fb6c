// `--profile NAME` against the sandbox with the real binary (VIGIL_BINARY): `vigil profile import`
// saves the sandbox's profile under a temporary XDG_CONFIG_HOME, then `vigil status --profile` in
// the same environment reads that same settings file and sees the three members; an explicit
// --patroni overrides a saved profile whose URL is dead; `vigil locks --profile` reads the leader
// and `vigil edit-config --profile` previews a change (a dry run).
// There is no D-Bus session, so no keychain: the commands say so once and go on (the sandbox's
// SQL password comes from libpq's own sources, as the note says).
#include "services/settings/profilestore.h"
#include "support/sandbox.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using vigil::services::ClusterProfile;
using vigil::services::ProfileStore;
using vigil::test::Sandbox;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

std::string show(const CliRun &r)
{
    return "exit " + std::to_string(r.exitCode) + "\nstdout:\n" + r.out.toStdString() +
           "stderr:\n" + r.err.toStdString();
}

// A settings folder of its own and no keychain; the sandbox's libpq variables as the test has.
class ProfileCli : public ::testing::Test
{
protected:
    void SetUp() override
    {
        VIGIL_REQUIRE_SANDBOX();
        Sandbox::ensureHealthy();
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
        m_env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("disabled:"));
        m_env.remove(QStringLiteral("VIGIL_REST_PASSWORD"));
    }

    CliRun run(const QStringList &args, const QProcessEnvironment *env = nullptr) const
    {
        QProcess p;
        p.setProcessEnvironment(env ? *env : m_env);
        p.start(QStringLiteral(VIGIL_BINARY), args);
        CliRun r;
        // Generous: the machine is shared; the keychain deadline alone is 10 s.
        if (!p.waitForStarted(5000) || !p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished(2000);
            r.err = QStringLiteral("did not finish");
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    // `vigil profile import` of the three members' patroni.yml as `name`; returns the settings
    // file it wrote (the one every command of this environment reads).
    QString importSandbox(const QString &name) const
    {
        QStringList args{QStringLiteral("profile"), QStringLiteral("import")};
        for (const char *n : {"node1", "node2", "node3"})
            args << Sandbox::dir() + QLatin1Char('/') + QLatin1String(n) +
                        QStringLiteral("/patroni.yml");
        args << QStringLiteral("--name") << name;
        const CliRun r = run(args);
        // 1: saved, but without the REST password (no keychain here).
        EXPECT_EQ(r.exitCode, 1) << show(r);
        QDirIterator it(m_config.path(), {QStringLiteral("*.conf")}, QDir::Files,
                        QDirIterator::Subdirectories);
        return it.hasNext() ? it.next() : QString();
    }

    // The members of `vigil status ... --json`, name -> member object.
    static QMap<QString, QJsonObject> members(const CliRun &r)
    {
        QMap<QString, QJsonObject> out;
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const QJsonValue &m : o.value(QStringLiteral("members")).toArray())
            out.insert(m[QStringLiteral("name")].toString(), m.toObject());
        return out;
    }

    QTemporaryDir m_config;
    QProcessEnvironment m_env;
};

} // namespace

TEST_F(ProfileCli, StatusWithASavedProfileShowsTheThreeMembers)
{
    const QString file = importSandbox(QStringLiteral("it-profile"));
    ASSERT_FALSE(file.isEmpty());
    const CliRun r = run({QStringLiteral("status"), QStringLiteral("--profile"),
                          QStringLiteral("it-profile"), QStringLiteral("--json")});
    EXPECT_EQ(r.exitCode, 0) << show(r);
    const auto m = members(r);
    EXPECT_EQ(m.keys(), (QStringList{QStringLiteral("node1"), QStringLiteral("node2"),
                                     QStringLiteral("node3")}))
        << show(r);
    for (const QJsonObject &member : m) {
        EXPECT_EQ(member[QStringLiteral("rest")][QStringLiteral("state")].toString(),
                  QStringLiteral("ok"));
        EXPECT_EQ(member[QStringLiteral("sql")][QStringLiteral("state")].toString(),
                  QStringLiteral("ok"))
            << show(r);
    }
    // No keychain: said once, on stderr, and the JSON on stdout is untouched.
    EXPECT_TRUE(r.err.contains(QLatin1String("passwords saved for profile 'it-profile' were not "
                                             "read: ")))
        << show(r);
    EXPECT_EQ(r.err.count(QLatin1String("vigil: ")), 1) << show(r);
}

TEST_F(ProfileCli, AnExplicitPatroniOverridesTheSavedUrl)
{
    const QString file = importSandbox(QStringLiteral("it-profile"));
    ASSERT_FALSE(file.isEmpty());
    {
        ProfileStore store(file, nullptr);
        std::optional<ClusterProfile> dead = store.load(QStringLiteral("it-profile"));
        ASSERT_TRUE(dead.has_value()) << file.toStdString();
        dead->name = QStringLiteral("it-dead");
        dead->patroniUrl = QUrl(QStringLiteral("http://127.0.0.1:9")); // nothing listens
        dead->patroniFallbackUrls.clear();
        dead->memberDeadlineMs = 1500;
        store.save(*dead);
    }
    CliRun r = run({QStringLiteral("status"), QStringLiteral("--profile"),
                    QStringLiteral("it-dead"), QStringLiteral("--json")});
    EXPECT_EQ(r.exitCode, 3) << show(r);         // UNKNOWN: nothing answered at the saved URL
    for (const QJsonObject &member : members(r)) // at most the dead URL itself, unreachable
        EXPECT_NE(member[QStringLiteral("rest")][QStringLiteral("state")].toString(),
                  QStringLiteral("ok"))
            << show(r);

    r = run({QStringLiteral("status"), QStringLiteral("--profile"), QStringLiteral("it-dead"),
             QStringLiteral("--patroni"), Sandbox::patroniUrls().at(1), QStringLiteral("--json")});
    EXPECT_EQ(r.exitCode, 0) << show(r);
    EXPECT_EQ(members(r).size(), 3) << show(r);

    r = run({QStringLiteral("status"), QStringLiteral("--profile"), QStringLiteral("it-nope")});
    EXPECT_EQ(r.exitCode, 3) << show(r);
    EXPECT_TRUE(r.err.contains(QLatin1String("no saved cluster profile named 'it-nope'")));
    EXPECT_TRUE(r.err.contains(QLatin1String("Saved profiles: it-dead, it-profile."))) << show(r);
}

// The other two families: a diagnostic reads the leader, an operation's dry run previews a
// change against the cluster the profile names (nothing is changed without --confirm), and a
// reload authenticates as the profile's REST user.
TEST_F(ProfileCli, DiagnosticsAndOperationsTakeASavedProfile)
{
    ASSERT_FALSE(importSandbox(QStringLiteral("it-profile")).isEmpty());
    CliRun r = run({QStringLiteral("locks"), QStringLiteral("--profile"),
                    QStringLiteral("it-profile"), QStringLiteral("--json")});
    EXPECT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(Sandbox::leaderName())) << show(r);

    r = run({QStringLiteral("edit-config"), QStringLiteral("--profile"),
             QStringLiteral("it-profile"), QStringLiteral("--set"),
             QStringLiteral("maximum_lag_on_failover=1048577")});
    EXPECT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("maximum_lag_on_failover"))) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("Dry run: nothing was changed"))) << show(r);

    // An action: the profile's REST user (from patroni.yml) with the password from
    // VIGIL_REST_PASSWORD (no keychain here); without it Patroni refuses, and says so.
    const QStringList reload{
        QStringLiteral("reload"),      QStringLiteral("node2"),
        QStringLiteral("--profile"),   QStringLiteral("it-profile"),
        QStringLiteral("--confirm"),   QStringLiteral("hokm-ha"),
        QStringLiteral("--audit-log"), m_config.filePath(QStringLiteral("audit.log"))};
    r = run(reload);
    EXPECT_EQ(r.exitCode, 1) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("[401]"))) << show(r);
    QProcessEnvironment withPassword = m_env;
    withPassword.insert(QStringLiteral("VIGIL_REST_PASSWORD"), Sandbox::restPassword());
    r = run(reload, &withPassword);
    EXPECT_EQ(r.exitCode, 0) << show(r);
    EXPECT_TRUE(r.out.contains(QLatin1String("reload scheduled"))) << show(r);
}
