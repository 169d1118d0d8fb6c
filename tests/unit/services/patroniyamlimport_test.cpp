// PatroniYamlImport on the members' patroni.yml recorded from the real sandbox
// (tests/fixtures/patroni/yaml/, passwords replaced by fixture-*-password), a patronictl.yaml
// checked with patronictl against the sandbox, and malformed inputs: what lands in the profile,
// what stays a secret, what the notes say, and that no password reaches the settings file.
#include "services/settings/memorysecretstore.h"
#include "services/settings/patroniyamlimport.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"
#include "support/qtprinters.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace vigil::services;

namespace {
QString fixture(const char *name)
{
    return QStringLiteral(VIGIL_FIXTURES_DIR "/patroni/yaml/") + QLatin1String(name);
}

PatroniYamlImport::Result importFixtures(std::initializer_list<const char *> names,
                                         const QString &profileName = {})
{
    QStringList paths;
    for (const char *n : names)
        paths << fixture(n);
    return PatroniYamlImport::parseFiles(paths, profileName);
}

bool notesContain(const PatroniYamlImport::Result &r, const QString &text)
{
    return r.notes.join(QLatin1Char('\n')).contains(text);
}
} // namespace

TEST(PatroniYamlImport, OneMemberFileGivesScopeUrlAndRestAuth)
{
    const auto r = importFixtures({"node1.yml"});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.profile.name, QStringLiteral("hokm-ha"));
    EXPECT_EQ(r.profile.patroniUrl, QUrl(QStringLiteral("http://127.0.0.1:60320")));
    EXPECT_TRUE(r.profile.patroniFallbackUrls.isEmpty());
    EXPECT_EQ(r.profile.restUser, QStringLiteral("patroni"));
    EXPECT_EQ(r.restPassword, QStringLiteral("fixture-rest-password"));
    ASSERT_EQ(r.members.size(), 1);
    EXPECT_EQ(r.members.first().name, QStringLiteral("node1"));
    EXPECT_EQ(r.members.first().pgAddress, QStringLiteral("127.0.0.1:60310"));
    EXPECT_TRUE(r.profile.isValid());
    EXPECT_TRUE(notesContain(r, QStringLiteral("one member")));
    EXPECT_TRUE(notesContain(r, QStringLiteral("etcd3 at 127.0.0.1:60300")));
}

TEST(PatroniYamlImport, NeverTakesTheSuperuser)
{
    const auto r = importFixtures({"node1.yml"});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    // A monitoring role is suggested; the superuser's name and password go nowhere but a note.
    EXPECT_EQ(r.profile.sqlConninfo, QStringLiteral("dbname=postgres user=vigil"));
    EXPECT_TRUE(
        notesContain(r, QStringLiteral("superuser 'postgres' was NOT imported, nor its password")))
        << r.notes.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(notesContain(r, QStringLiteral("GRANT pg_monitor TO vigil")));
    const QString all = r.notes.join(QLatin1Char('\n'));
    EXPECT_FALSE(all.contains(QStringLiteral("fixture-postgres-password")));
    EXPECT_FALSE(all.contains(QStringLiteral("fixture-replicator-password")));
    EXPECT_FALSE(all.contains(QStringLiteral("fixture-rest-password")));
}

TEST(PatroniYamlImport, ThreeMemberFilesFillTheRestUrlList)
{
    const auto r = importFixtures({"node1.yml", "node2.yml", "node3.yml"}, QStringLiteral("prod"));
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.profile.name, QStringLiteral("prod"));
    EXPECT_EQ(r.profile.patroniUrl, QUrl(QStringLiteral("http://127.0.0.1:60320")));
    EXPECT_EQ(r.profile.patroniFallbackUrls,
              (QList<QUrl>{QUrl(QStringLiteral("http://127.0.0.1:60321")),
                           QUrl(QStringLiteral("http://127.0.0.1:60322"))}));
    ASSERT_EQ(r.members.size(), 3);
    EXPECT_EQ(r.members.at(2).name, QStringLiteral("node3"));
    EXPECT_EQ(r.members.at(2).pgAddress, QStringLiteral("127.0.0.1:60312"));
    EXPECT_FALSE(notesContain(r, QStringLiteral("one member")));
    EXPECT_TRUE(notesContain(r, QStringLiteral("the other 2 are tried")));
    // The same file twice is one member.
    const auto twice = importFixtures({"node1.yml", "node1.yml"});
    ASSERT_TRUE(twice.ok()) << twice.error.toStdString();
    EXPECT_TRUE(twice.profile.patroniFallbackUrls.isEmpty());
    EXPECT_TRUE(notesContain(twice, QStringLiteral("listed once")));
}

TEST(PatroniYamlImport, TlsFileGivesHttpsAndCtlCertificates)
{
    const auto r = importFixtures({"tls-node1.yml"});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.profile.patroniUrl, QUrl(QStringLiteral("https://127.0.0.1:60320")));
    EXPECT_EQ(r.profile.restCaFile, QStringLiteral("/tmp/vigil-60300/tls/ca.crt"));
    EXPECT_EQ(r.profile.restCertFile, QStringLiteral("/tmp/vigil-60300/tls/client.crt"));
    EXPECT_EQ(r.profile.restKeyFile, QStringLiteral("/tmp/vigil-60300/tls/client.key"));
    EXPECT_TRUE(r.profile.restVerifyPeer);
    // The superuser's TLS settings describe the server, so they are kept; not its user.
    EXPECT_EQ(r.profile.sqlConninfo,
              QStringLiteral("dbname=postgres user=vigil sslmode='verify-full' "
                             "sslrootcert='/tmp/vigil-60300/tls/ca.crt'"));
    EXPECT_TRUE(notesContain(r, QStringLiteral("from ctl.cacert")));
    EXPECT_TRUE(notesContain(r, QStringLiteral("Certificate paths are those on node1's machine")));
}

TEST(PatroniYamlImport, InsecureCtlTurnsVerificationOffWithAWarning)
{
    const QByteArray yml = "scope: s\nrestapi:\n  connect_address: db1:8008\n  certfile: /c\n"
                           "  cafile: /ca.crt\nctl:\n  insecure: true\n  keyfile_password: k\n";
    const auto r = PatroniYamlImport::parse({{QStringLiteral("a.yml"), yml}});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.profile.patroniUrl, QUrl(QStringLiteral("https://db1:8008")));
    EXPECT_FALSE(r.profile.restVerifyPeer);
    EXPECT_EQ(r.profile.restCaFile, QStringLiteral("/ca.crt"));
    EXPECT_TRUE(notesContain(r, QStringLiteral("will NOT be verified")));
    EXPECT_TRUE(notesContain(r, QStringLiteral("restapi.cafile is the CA")));
    EXPECT_TRUE(notesContain(r, QStringLiteral("keyfile_password was not imported")));
}

TEST(PatroniYamlImport, PatronictlYamlHasNoRestUrlAndSaysSo)
{
    const auto r = importFixtures({"patronictl.yaml"});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.profile.name, QStringLiteral("hokm-ha"));
    EXPECT_TRUE(r.profile.patroniUrl.isEmpty());
    EXPECT_FALSE(r.profile.isValid());
    EXPECT_EQ(r.profile.restUser, QStringLiteral("patroni"));
    EXPECT_EQ(r.restPassword, QStringLiteral("fixture-rest-password"));
    EXPECT_TRUE(notesContain(r, QStringLiteral("Enter the REST URL of any member")));
    EXPECT_TRUE(notesContain(r, QStringLiteral("etcd3 at 127.0.0.1:60300, namespace /service/")));
    // With the members' files, it adds nothing but agrees.
    const auto both = importFixtures({"patronictl.yaml", "node2.yml"});
    ASSERT_TRUE(both.ok()) << both.error.toStdString();
    EXPECT_EQ(both.profile.patroniUrl, QUrl(QStringLiteral("http://127.0.0.1:60321")));
}

TEST(PatroniYamlImport, CtlAuthenticationWinsOverRestapi)
{
    const QByteArray yml = "scope: s\nrestapi:\n  connect_address: '[::1]:8008'\n"
                           "  authentication: {username: server, password: a}\n"
                           "ctl:\n  authentication: {username: dba, password: b}\n";
    const auto r = PatroniYamlImport::parse({{QStringLiteral("a.yml"), yml}});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.profile.patroniUrl, QUrl(QStringLiteral("http://[::1]:8008")));
    EXPECT_EQ(r.profile.restUser, QStringLiteral("dba"));
    EXPECT_EQ(r.restPassword, QStringLiteral("b"));
}

TEST(PatroniYamlImport, MalformedYamlNamesFileLineAndColumn)
{
    const auto r = importFixtures({"node1.yml", "malformed-syntax.yml"});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error.startsWith(QStringLiteral("malformed-syntax.yml: not valid YAML at line ")))
        << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("column"))) << r.error.toStdString();
}

TEST(PatroniYamlImport, WrongTypesAreClearMessages)
{
    auto r = importFixtures({"restapi-is-a-list.yml"});
    EXPECT_EQ(r.error, QStringLiteral("restapi-is-a-list.yml: 'restapi' should be a map of "
                                      "settings, but it is a list."));
    r = importFixtures({"username-is-a-map.yml"});
    EXPECT_EQ(r.error, QStringLiteral("username-is-a-map.yml: 'restapi.authentication.username' "
                                      "should be a single value, but it is a map."));
    r = importFixtures({"top-level-list.yml"});
    EXPECT_TRUE(r.error.contains(QStringLiteral("but the file holds a list")))
        << r.error.toStdString();
    r = PatroniYamlImport::parse({{QStringLiteral("empty.yml"), QByteArray()}});
    EXPECT_TRUE(r.error.contains(QStringLiteral("but the file holds nothing")))
        << r.error.toStdString();
    r = PatroniYamlImport::parse({{QStringLiteral("x.yml"), "log:\n  level: INFO\n"}});
    EXPECT_TRUE(r.error.contains(QStringLiteral("no Patroni setting found")))
        << r.error.toStdString();
    r = PatroniYamlImport::parse({});
    EXPECT_FALSE(r.ok());
    r = PatroniYamlImport::parseFiles({fixture("does-not-exist.yml")});
    EXPECT_TRUE(r.error.contains(QStringLiteral("cannot be read"))) << r.error.toStdString();
}

TEST(PatroniYamlImport, FilesOfTwoClustersAreRefused)
{
    const auto r = importFixtures({"node1.yml", "other-cluster.yml"});
    EXPECT_EQ(r.error, QStringLiteral("node1.yml belongs to cluster 'hokm-ha' but "
                                      "other-cluster.yml to cluster 'billing': import the files "
                                      "of one cluster together."));
}

TEST(PatroniYamlImport, WildcardListenIsNotAUrl)
{
    const auto r = importFixtures({"wildcard-listen.yml"});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.profile.patroniUrl.isEmpty());
    EXPECT_TRUE(notesContain(r, QStringLiteral("listens on every interface")))
        << r.notes.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(r.members.first().pgAddress, QStringLiteral("10.0.0.9:5432"));
    const auto bad = PatroniYamlImport::parse(
        {{QStringLiteral("b.yml"), "scope: s\nrestapi:\n  connect_address: nohostport\n"}});
    ASSERT_TRUE(bad.ok()) << bad.error.toStdString();
    EXPECT_TRUE(notesContain(bad, QStringLiteral("'nohostport' is not a host:port address")));
}

// The second line of defence: whatever the import found, the settings file gets no password,
// and the REST password is in the secret store under the profile's key.
TEST(PatroniYamlImport, NoSecretReachesTheSettingsFile)
{
    const auto r = importFixtures({"node1.yml", "node2.yml", "node3.yml"});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("vigil.ini"));
    MemorySecretStore secrets;
    bool written = false;
    secrets.write(SecretStore::keyFor(r.profile.name, SecretStore::Slot::Rest), r.restPassword,
                  [&](const SecretStore::Outcome &o) { written = o.ok(); });
    {
        ProfileStore store(ini, nullptr);
        store.save(r.profile);
        const auto back = store.load(QStringLiteral("hokm-ha"));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(back->patroniUrl, r.profile.patroniUrl);
        EXPECT_EQ(back->patroniFallbackUrls, r.profile.patroniFallbackUrls);
        EXPECT_EQ(back->restUser, QStringLiteral("patroni"));
    }
    vigil::test::waitUntil([&] { return written; }, 2000);
    EXPECT_TRUE(written);
    QFile f(ini);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    EXPECT_TRUE(bytes.contains("127.0.0.1:60320"));
    EXPECT_FALSE(bytes.contains("password")) << bytes.constData();
    EXPECT_FALSE(bytes.contains("fixture-")) << bytes.constData();
    QString stored;
    secrets.read(SecretStore::keyFor(QStringLiteral("hokm-ha"), SecretStore::Slot::Rest),
                 [&](const SecretStore::Outcome &, const QString &s) { stored = s; });
    vigil::test::waitUntil([&] { return !stored.isEmpty(); }, 2000);
    EXPECT_EQ(stored, QStringLiteral("fixture-rest-password"));
}

// Hostile shapes: nesting deeper than yaml-cpp's recursion guard, and aliases that would expand
// to 9^20 nodes if anything walked them. Both end in a message, quickly, without a crash.
TEST(PatroniYamlImport, DeepNestingAndAliasBombsAreRefused)
{
    const QByteArray deep = "scope: " + QByteArray(100000, '[');
    auto r = PatroniYamlImport::parse({{QStringLiteral("deep.yml"), deep}});
    EXPECT_TRUE(r.error.startsWith(QStringLiteral("deep.yml: "))) << r.error.toStdString();

    QByteArray bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    QByteArray prev = "a";
    for (int i = 1; i < 20; ++i) {
        const QByteArray name = "b" + QByteArray::number(i);
        bomb += name + ": &" + name + " [";
        for (int k = 0; k < 9; ++k)
            bomb += (k ? ", *" : "*") + prev;
        bomb += "]\n";
        prev = name;
    }
    bomb += "scope: *" + prev + "\n";
    r = PatroniYamlImport::parse({{QStringLiteral("bomb.yml"), bomb}});
    EXPECT_EQ(r.error, QStringLiteral("bomb.yml: 'scope' should be a single value, but it is a "
                                      "list."));
}
