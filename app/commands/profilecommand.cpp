#include "app/commands/profilecommand.h"

#include "app/commands/commandoutput.h"
#include "app/tr.h"
#include "services/settings/keychainsecretstore.h"
#include "services/settings/patroniyamlimport.h"
#include "services/settings/profilestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <optional>

namespace vigil::app {

using namespace vigil::services;

namespace {

const QString kCommand = QStringLiteral("profile");
constexpr int kKeychainDeadlineMs = 20000; // an unlock prompt may be waiting for a person

struct Options
{
    QStringList files;
    QString name;
    QList<QUrl> extraUrls;
    bool dryRun = false;
    bool replace = false;
};

int usageError(const QString &message)
{
    printCommandError(kCommand, message);
    return 3;
}

std::optional<int> readUrls(const QStringList &values, Options &o)
{
    for (const QString &value : values) {
        const QUrl url = QUrl::fromUserInput(value);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return usageError(
                Tr::tr("'%1' is not a valid Patroni REST URL, e.g. http://127.0.0.1:8008.")
                    .arg(value));
        if (!url.password().isEmpty())
            return usageError(Tr::tr("the Patroni URL carries a password; passwords never go on "
                                     "the command line."));
        o.extraUrls << url;
    }
    return std::nullopt;
}

std::optional<int> parse(const QStringList &arguments, Options &o)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        Tr::tr("Import a cluster profile from the members' patroni.yml (one file per member) or "
               "a patronictl.yaml. The REST password found goes to the system keychain; the "
               "superuser's password is never imported."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption name(QStringLiteral("name"),
                                  Tr::tr("Name of the profile (default: the scope)."),
                                  Tr::tr("name"));
    const QCommandLineOption patroni(
        QStringLiteral("patroni"),
        Tr::tr("A member's REST URL, for files that name none (patronictl.yaml). Repeatable."),
        Tr::tr("url"));
    const QCommandLineOption replace(QStringLiteral("replace"),
                                     Tr::tr("Replace a saved profile of the same name."));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    Tr::tr("Show what would be imported; save nothing."));
    p.addOptions({help, name, patroni, replace, dryRun});
    p.addPositionalArgument(QStringLiteral("import"), Tr::tr("The subcommand."));
    p.addPositionalArgument(QStringLiteral("FILE"), Tr::tr("patroni.yml or patronictl.yaml."),
                            QStringLiteral("FILE..."));
    if (!p.parse(arguments))
        return usageError(p.errorText());
    if (p.isSet(help)) {
        printOut(p.helpText().replace(QStringLiteral("[options] import FILE..."),
                                      QStringLiteral("profile import FILE... [options]")));
        return 0;
    }
    QStringList positional = p.positionalArguments();
    if (positional.isEmpty() || positional.takeFirst() != QLatin1String("import"))
        return usageError(Tr::tr("usage: vigil profile import FILE... [--name NAME] (see "
                                 "vigil profile --help)."));
    if (positional.isEmpty())
        return usageError(Tr::tr("name at least one patroni.yml or patronictl.yaml file."));
    o.files = positional;
    o.name = p.value(name).trimmed();
    o.dryRun = p.isSet(dryRun);
    o.replace = p.isSet(replace);
    return readUrls(p.values(patroni), o);
}

// --patroni URLs join the files' URLs: the first fills an empty profile URL.
void addUrls(ClusterProfile &profile, const QList<QUrl> &urls)
{
    for (const QUrl &url : urls) {
        if (profile.patroniUrl.isEmpty())
            profile.patroniUrl = url;
        else if (url != profile.patroniUrl && !profile.patroniFallbackUrls.contains(url))
            profile.patroniFallbackUrls << url;
    }
}

void printImport(const PatroniYamlImport::Result &r)
{
    const ClusterProfile &p = r.profile;
    QStringList urls;
    for (const QUrl &u : QList<QUrl>{p.patroniUrl} + p.patroniFallbackUrls)
        if (!u.isEmpty())
            urls << u.toString();
    if (urls.isEmpty())
        urls << Tr::tr("(none)");
    QString text = Tr::tr("Profile '%1'").arg(p.name) + QLatin1Char('\n');
    text += Tr::tr("  REST URLs:  %1").arg(urls.join(QStringLiteral(", "))) + QLatin1Char('\n');
    text +=
        Tr::tr("  REST user:  %1%2")
            .arg(p.restUser.isEmpty() ? Tr::tr("(none)") : p.restUser,
                 r.restPassword.isEmpty() ? QString() : Tr::tr(" (password: to the keychain)")) +
        QLatin1Char('\n');
    text += Tr::tr("  SQL:        %1").arg(p.sqlConninfo) + QLatin1Char('\n');
    if (!p.restCaFile.isEmpty() || !p.restCertFile.isEmpty())
        text += Tr::tr("  REST TLS:   CA %1, certificate %2, key %3, verify %4")
                    .arg(p.restCaFile, p.restCertFile, p.restKeyFile,
                         p.restVerifyPeer ? Tr::tr("yes") : Tr::tr("no")) +
                QLatin1Char('\n');
    text += Tr::tr("Notes:") + QLatin1Char('\n');
    for (const QString &note : r.notes)
        text += QStringLiteral("  - ") + note + QLatin1Char('\n');
    printOut(text);
}

// Writes the REST password to the keychain, then saves the profile, whatever the keychain said:
// the profile is useful without it, and the message says how to add the password.
int saveWithSecret(const PatroniYamlImport::Result &r, ProfileStore &store)
{
    KeychainSecretStore secrets;
    const QString key = SecretStore::keyFor(r.profile.name, SecretStore::Slot::Rest);
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, [&] {
        store.save(r.profile);
        failCommand(kCommand,
                    Tr::tr("saved '%1', but the keychain did not answer within %2 s, so the REST "
                           "password is not stored: add it in the window (Edit cluster) or set "
                           "VIGIL_REST_PASSWORD for actions.")
                        .arg(r.profile.name)
                        .arg(kKeychainDeadlineMs / 1000),
                    1);
    });
    secrets.write(key, r.restPassword, [&](const SecretStore::Outcome &outcome) {
        deadline.stop();
        store.save(r.profile);
        if (!outcome.ok()) {
            failCommand(kCommand,
                        Tr::tr("saved '%1' without the REST password: %2 Add it in the window "
                               "(Edit cluster) or set VIGIL_REST_PASSWORD for actions.")
                            .arg(r.profile.name, SecretStore::describe(outcome)),
                        1);
            return;
        }
        printOut(Tr::tr("Saved '%1'; the REST password is in the %2.")
                     .arg(r.profile.name, secrets.backendName()) +
                 QLatin1Char('\n'));
        QCoreApplication::exit(0);
    });
    deadline.start(kKeychainDeadlineMs);
    return QCoreApplication::exec();
}

} // namespace

int ProfileCommand::run(const QStringList &arguments)
{
    Options o;
    if (const auto rc = parse(arguments, o))
        return *rc;
    PatroniYamlImport::Result r = PatroniYamlImport::parseFiles(o.files, o.name);
    if (!r.ok()) {
        printCommandError(kCommand, r.error);
        return 2;
    }
    addUrls(r.profile, o.extraUrls);
    printImport(r);
    if (r.profile.name.isEmpty()) {
        printCommandError(kCommand, Tr::tr("the files name no scope: give --name NAME."));
        return 2;
    }
    if (!r.profile.isValid()) {
        printCommandError(kCommand, Tr::tr("no member's REST URL in the files: give --patroni "
                                           "URL (any member, e.g. http://10.0.0.5:8008)."));
        return 2;
    }
    if (o.dryRun)
        return 0;
    ProfileStore store;
    if (store.contains(r.profile.name) && !o.replace) {
        printCommandError(kCommand, Tr::tr("a profile named '%1' is already saved: choose "
                                           "another with --name, or --replace it.")
                                        .arg(r.profile.name));
        return 2;
    }
    if (r.restPassword.isEmpty()) {
        store.save(r.profile);
        printOut(Tr::tr("Saved '%1'.").arg(r.profile.name) + QLatin1Char('\n'));
        return 0;
    }
    return saveWithSecret(r, store);
}

} // namespace vigil::app
