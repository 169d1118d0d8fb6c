// `--profile NAME` on the command line (TargetOptions, every command family): the saved profile
// is the base, options given override it, its passwords come from the keychain slots the window
// uses (VIGIL_REST_PASSWORD first), and a keychain that refuses or hangs is a note, never a stop.
#include "app/commands/operationcommandoptions.h"
#include "app/commands/profilesecrets.h"
#include "app/commands/statuscommand.h"
#include "app/commands/targetoptions.h"
#include "services/settings/memorysecretstore.h"
#include "services/settings/profilestore.h"
#include "support/eventloop.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <gtest/gtest.h>

using vigil::app::OperationCommandOptions;
using vigil::app::ProfileSecrets;
using vigil::app::TargetOptions;
using namespace vigil::services;
using Use = TargetOptions::Use;
using Slot = SecretStore::Slot;

namespace {

// A keychain that never answers (a locked one waiting for a person at another screen).
class SilentSecretStore : public SecretStore
{
public:
    void read(const QString &, ReadCallback) override { ++reads; }
    void write(const QString &, const QString &, DoneCallback) override {}
    void remove(const QString &, DoneCallback) override {}
    QString backendName() const override { return QStringLiteral("silent"); }
    int reads = 0;
};

ClusterProfile prodProfile()
{
    ClusterProfile p;
    p.name = QStringLiteral("prod");
    p.patroniUrl = QUrl(QStringLiteral("http://10.0.0.1:8008"));
    p.patroniFallbackUrls = {QUrl(QStringLiteral("http://10.0.0.2:8008"))};
    p.sqlConninfo = QStringLiteral("dbname=app user=monitor");
    p.restUser = QStringLiteral("admin");
    p.restCaFile = QStringLiteral("/etc/vigil/ca.pem");
    p.haproxyStatsUrl = QUrl(QStringLiteral("http://10.0.0.9:7000/;csv"));
    p.haproxyReadWriteBackend = QStringLiteral("rw");
    p.pgbouncerConninfo = QStringLiteral("host=10.0.0.9 port=6432 dbname=pgbouncer user=stats");
    p.memberDeadlineMs = 4000;
    p.stateIntervalMs = 3000;
    p.readOnly = true;
    return p;
}

void put(MemorySecretStore &store, Slot slot, const QString &secret)
{
    store.write(SecretStore::keyFor(QStringLiteral("prod"), slot), secret,
                [](const SecretStore::Outcome &) {});
}

// A settings file with the profile "prod" and a keychain holding its three passwords.
struct Fixture
{
    QTemporaryDir dir;
    ProfileStore profiles{dir.filePath(QStringLiteral("vigil.ini")), nullptr};
    MemorySecretStore secrets;

    Fixture()
    {
        profiles.save(prodProfile());
        put(secrets, Slot::Sql, QStringLiteral("sql-secret"));
        put(secrets, Slot::Rest, QStringLiteral("rest-secret"));
        put(secrets, Slot::PgBouncer, QStringLiteral("bouncer-secret"));
    }

    TargetOptions::Sources sources(const QString &restPassword = {})
    {
        TargetOptions::Sources s;
        s.profiles = &profiles;
        s.secrets = &secrets;
        s.restPassword = restPassword;
        s.keychainDeadlineMs = 5000;
        return s;
    }
};

QString readWith(TargetOptions &options, QStringList args)
{
    QCommandLineParser parser;
    options.addTo(parser);
    args.prepend(QStringLiteral("vigil"));
    if (!parser.parse(args))
        return QStringLiteral("parse: ") + parser.errorText();
    return options.read(parser);
}

const QString kProfile = QStringLiteral("--profile");
const QString kProd = QStringLiteral("prod");

} // namespace

TEST(ProfileOption, TheSavedProfileIsTheTargetWithItsKeychainPasswords)
{
    Fixture f;
    TargetOptions options(Use::Status);
    options.setSources(f.sources());
    ASSERT_EQ(readWith(options, {kProfile, kProd}), QString());
    const TargetOptions::Values &v = options.values();
    EXPECT_EQ(v.patroniUrls, (QList<QUrl>{QUrl(QStringLiteral("http://10.0.0.1:8008")),
                                          QUrl(QStringLiteral("http://10.0.0.2:8008"))}));
    EXPECT_EQ(v.sqlConninfo, QStringLiteral("dbname=app user=monitor"));
    EXPECT_EQ(v.timeoutMs, 4000); // the profile's member deadline, not the command's default
    EXPECT_EQ(v.secrets.sqlPassword, QStringLiteral("sql-secret"));
    EXPECT_EQ(v.secrets.restPassword, QStringLiteral("rest-secret"));
    EXPECT_EQ(v.secrets.pgbouncerPassword, QStringLiteral("bouncer-secret"));
    EXPECT_TRUE(v.notes.isEmpty());

    ClusterProfile p;
    v.applyTo(p);
    const ClusterProfile saved = prodProfile();
    EXPECT_EQ(p.name, kProd); // the keychain's key, not the URL's authority
    EXPECT_EQ(p.patroniUrl, saved.patroniUrl);
    EXPECT_EQ(p.patroniFallbackUrls, saved.patroniFallbackUrls);
    EXPECT_EQ(p.restUser, saved.restUser);
    EXPECT_EQ(p.restCaFile, saved.restCaFile);
    EXPECT_EQ(p.haproxyStatsUrl, saved.haproxyStatsUrl);
    EXPECT_EQ(p.haproxyReadWriteBackend, saved.haproxyReadWriteBackend);
    EXPECT_EQ(p.pgbouncerConninfo, saved.pgbouncerConninfo);
    EXPECT_EQ(p.memberDeadlineMs, 4000);
    EXPECT_EQ(p.stateIntervalMs, 3000); // what the command line cannot say stays the profile's
    EXPECT_TRUE(p.readOnly);
}

TEST(ProfileOption, OptionsGivenOverrideTheProfilesFields)
{
    Fixture f;
    TargetOptions options(Use::Status);
    options.setSources(f.sources());
    ASSERT_EQ(readWith(options,
                       {kProfile, kProd, QStringLiteral("--patroni"),
                        QStringLiteral("http://10.1.1.1:8008"), QStringLiteral("--user"),
                        QStringLiteral("bob"), QStringLiteral("--timeout"), QStringLiteral("700"),
                        QStringLiteral("--rest-user"), QStringLiteral("ops"),
                        QStringLiteral("--haproxy-backend"), QStringLiteral("primary")}),
              QString());
    const TargetOptions::Values &v = options.values();
    EXPECT_EQ(v.patroniUrls, QList<QUrl>{QUrl(QStringLiteral("http://10.1.1.1:8008"))});
    // --user folds into the profile's conninfo; a later keyword wins in libpq.
    EXPECT_EQ(v.sqlConninfo, QStringLiteral("dbname=app user=monitor user='bob'"));
    EXPECT_EQ(v.timeoutMs, 700);
    ClusterProfile p;
    v.applyTo(p);
    EXPECT_EQ(p.name, kProd);
    EXPECT_EQ(p.patroniUrl, QUrl(QStringLiteral("http://10.1.1.1:8008")));
    EXPECT_TRUE(p.patroniFallbackUrls.isEmpty());
    EXPECT_EQ(p.restUser, QStringLiteral("ops"));
    EXPECT_EQ(p.haproxyReadWriteBackend, QStringLiteral("primary"));
    EXPECT_EQ(p.memberDeadlineMs, 700);
    EXPECT_EQ(p.restCaFile, QStringLiteral("/etc/vigil/ca.pem")); // not given: the profile's
}

TEST(ProfileOption, RestPasswordFromTheEnvironmentWinsOverTheKeychain)
{
    Fixture f;
    TargetOptions options(Use::Status);
    options.setSources(f.sources(QStringLiteral("from-env")));
    ASSERT_EQ(readWith(options, {kProfile, kProd}), QString());
    EXPECT_EQ(options.values().secrets.restPassword, QStringLiteral("from-env"));
    EXPECT_EQ(options.values().secrets.sqlPassword, QStringLiteral("sql-secret"));
}

TEST(ProfileOption, UnknownNameListsTheSavedOnes)
{
    Fixture f;
    ClusterProfile other = prodProfile();
    other.name = QStringLiteral("staging");
    f.profiles.save(other);
    TargetOptions options(Use::Status);
    options.setSources(f.sources());
    const QString e = readWith(options, {kProfile, QStringLiteral("prdo")});
    EXPECT_TRUE(e.contains(QLatin1String("no saved cluster profile named 'prdo'")))
        << e.toStdString();
    EXPECT_TRUE(e.contains(QLatin1String("Saved profiles: prod, staging."))) << e.toStdString();

    QTemporaryDir empty;
    const ProfileStore none(empty.filePath(QStringLiteral("vigil.ini")), nullptr);
    TargetOptions::Sources s = f.sources();
    s.profiles = &none;
    options.setSources(s);
    const QString e2 = readWith(options, {kProfile, kProd});
    EXPECT_TRUE(e2.contains(QLatin1String("No profiles are saved"))) << e2.toStdString();
    EXPECT_TRUE(e2.contains(QLatin1String("vigil profile import"))) << e2.toStdString();
}

TEST(ProfileOption, AnUnreadableProfilesFileIsNamed)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("profiles.ini"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("[profiles]\nprod\\patroniUrl=http://127.0.0.1:8008\nx=@Variant(\\0\\0\\0\\z)\n");
    file.close();
    const ProfileStore store(path, nullptr);
    ASSERT_FALSE(store.problem().isEmpty());
    TargetOptions options(Use::Status);
    TargetOptions::Sources s;
    s.profiles = &store;
    options.setSources(s);
    const QString e = readWith(options, {kProfile, kProd});
    EXPECT_TRUE(e.contains(QLatin1String("no saved cluster profile named 'prod'")));
    EXPECT_TRUE(e.contains(store.problem())) << e.toStdString();
}

TEST(ProfileOption, AKeychainWithoutServiceIsANoteNotAStop)
{
    Fixture f;
    f.secrets.simulateNoBackend(true);
    TargetOptions options(Use::Status);
    options.setSources(f.sources());
    ASSERT_EQ(readWith(options, {kProfile, kProd}), QString());
    const TargetOptions::Values &v = options.values();
    EXPECT_TRUE(v.secrets.sqlPassword.isEmpty());
    EXPECT_TRUE(v.secrets.restPassword.isEmpty());
    ASSERT_EQ(v.notes.size(), 1); // one note: every slot would fail alike
    EXPECT_TRUE(v.notes[0].contains(QLatin1String("passwords saved for profile 'prod'")));
    EXPECT_TRUE(v.notes[0].contains(QLatin1String("no keychain service")));
    EXPECT_TRUE(v.notes[0].contains(QLatin1String("~/.pgpass")));
    EXPECT_TRUE(v.notes[0].contains(QLatin1String("VIGIL_REST_PASSWORD")));
    EXPECT_EQ(v.patroniUrls.size(), 2); // the target is there all the same
}

TEST(ProfileOption, AKeychainThatDoesNotAnswerIsGivenUpAfterTheDeadline)
{
    SilentSecretStore silent;
    const ClusterProfile profile = prodProfile();
    QElapsedTimer clock;
    clock.start();
    const ProfileSecrets::Result r = ProfileSecrets::read(silent, profile, {}, 300);
    EXPECT_GE(clock.elapsed(), 250);
    EXPECT_LT(clock.elapsed(), 5000);
    EXPECT_EQ(silent.reads, 1); // one after the other: the first never answered
    ASSERT_EQ(r.notes.size(), 1);
    EXPECT_TRUE(r.notes[0].contains(QLatin1String("did not answer within 0.3 s")))
        << r.notes[0].toStdString();
    EXPECT_TRUE(r.secrets.sqlPassword.isEmpty());
}

// A refusal of one entry (a denied prompt) is said for that password; the others are still read.
class DenyingSecretStore : public MemorySecretStore
{
public:
    void read(const QString &key, ReadCallback cb) override
    {
        if (key.endsWith(QLatin1String("/sql"))) {
            QTimer::singleShot(0, this, [cb] {
                cb({SecretStore::Failure::Denied, QStringLiteral("user dismissed")}, {});
            });
            return;
        }
        MemorySecretStore::read(key, std::move(cb));
    }
};

TEST(ProfileOption, ARefusedEntryIsSaidAndTheOthersStillRead)
{
    DenyingSecretStore store;
    put(store, Slot::Rest, QStringLiteral("rest-secret"));
    const ProfileSecrets::Result r = ProfileSecrets::read(store, prodProfile(), {}, 5000);
    ASSERT_EQ(r.notes.size(), 1);
    EXPECT_TRUE(r.notes[0].contains(QLatin1String("SQL password of profile 'prod'")));
    EXPECT_TRUE(r.notes[0].contains(QLatin1String("refused access (user dismissed)")));
    EXPECT_EQ(r.secrets.restPassword, QStringLiteral("rest-secret"));
}

TEST(ProfileOption, OnlyTheSlotsThatCanBeUsedAreAsked)
{
    MemorySecretStore store;
    ClusterProfile bare;
    bare.name = kProd;
    bare.patroniUrl = QUrl(QStringLiteral("http://10.0.0.1:8008"));
    put(store, Slot::Rest, QStringLiteral("rest-secret"));
    put(store, Slot::PgBouncer, QStringLiteral("bouncer-secret"));
    // No REST user, no PgBouncer: their passwords would go nowhere.
    const ProfileSecrets::Result r = ProfileSecrets::read(store, bare, {}, 5000);
    EXPECT_TRUE(r.secrets.restPassword.isEmpty());
    EXPECT_TRUE(r.secrets.pgbouncerPassword.isEmpty());
    EXPECT_TRUE(r.notes.isEmpty()); // no SQL entry is normal, not a note
}

TEST(ProfileOption, EveryFamilyOffersIt)
{
    for (Use use : {Use::Status, Use::Operation, Use::Diagnostics}) {
        Fixture f;
        TargetOptions options(use);
        options.setSources(f.sources());
        ASSERT_EQ(readWith(options, {kProfile, kProd}), QString()) << int(use);
        EXPECT_EQ(options.values().patroniUrls.first(),
                  QUrl(QStringLiteral("http://10.0.0.1:8008")));
        EXPECT_EQ(options.values().secrets.sqlPassword, QStringLiteral("sql-secret")) << int(use);
    }
}

TEST(ProfileOption, OperationsKeepTheProfilesReadOnlyAndPasswords)
{
    Fixture f;
    OperationCommandOptions common;
    common.setTargetSources(f.sources());
    QCommandLineParser parser;
    common.addTo(parser);
    ASSERT_TRUE(parser.parse({QStringLiteral("vigil"), kProfile, kProd}));
    ASSERT_EQ(common.read(parser, {}), QString());
    EXPECT_EQ(common.context().profile.name, kProd);
    EXPECT_TRUE(common.context().profile.readOnly); // saved read-only: no action reachable
    EXPECT_EQ(common.context().secrets.restPassword, QStringLiteral("rest-secret"));
    EXPECT_EQ(common.fallbackUrls(), QList<QUrl>{QUrl(QStringLiteral("http://10.0.0.2:8008"))});
}

TEST(ProfileOption, HelpSaysGivenOptionsOverride)
{
    const auto p =
        vigil::app::StatusCommand::parse({QStringLiteral("vigil"), QStringLiteral("--help")});
    EXPECT_TRUE(
        p.output.simplified().contains(QLatin1String("options given here override its fields")))
        << p.output.toStdString();
}
