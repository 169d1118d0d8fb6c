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
    bool set = false; // `profile set NAME`: change a saved profile
    QStringList files;
    QString name;
    QList<QUrl> extraUrls;
    bool dryRun = false;
    bool replace = false;
    // The Prometheus options given (each one overrides that field; "" clears it).
    QList<std::pair<QString, QString>> prometheus;
};

// --prometheus and friends: the profile's Prometheus (the charts' history), in `import` and
// `set`. The password or token is never an option: it is entered in the window (Edit cluster)
// and kept in the keychain.
const QList<std::pair<QString, QString>> &prometheusOptions()
{
    static const QList<std::pair<QString, QString>> options = {
        {QStringLiteral("prometheus"),
         Tr::tr("Prometheus's URL, e.g. http://127.0.0.1:9090 (\"\" removes it).")},
        {QStringLiteral("prometheus-matchers"),
         Tr::tr("Label matchers selecting this cluster's series, e.g. scope=\"hokm-ha\".")},
        {QStringLiteral("alertmanager"),
         Tr::tr("Alertmanager's URL, e.g. http://127.0.0.1:9093: its active alerts matching the "
                "Prometheus matchers are shown beside Vigil's (\"\" removes it).")},
        {QStringLiteral("prometheus-user"),
         Tr::tr("Basic-auth user (its password, or a bearer token without a user, goes to the "
                "keychain from Edit cluster).")},
        {QStringLiteral("prometheus-cacert"), Tr::tr("CA file (PEM) for an https Prometheus.")},
        {QStringLiteral("prometheus-cert"), Tr::tr("Client certificate (PEM) for Prometheus.")},
        {QStringLiteral("prometheus-key"), Tr::tr("Client key (PEM) for Prometheus.")},
        {QStringLiteral("prometheus-verify"),
         Tr::tr("yes or no: verify Prometheus's server certificate (default yes).")},
    };
    return options;
}

// Applies the Prometheus options to `p`; the reason when one is unusable.
QString applyPrometheus(const Options &o, PrometheusSettings &p)
{
    for (const auto &[option, value] : o.prometheus) {
        if (option == QLatin1String("prometheus")) {
            const QUrl url = QUrl::fromUserInput(value);
            if (!value.isEmpty() && (!url.isValid() || url.host().isEmpty()))
                return Tr::tr("'%1' is not a valid Prometheus URL, e.g. http://127.0.0.1:9090.")
                    .arg(value);
            if (!url.password().isEmpty())
                return Tr::tr("the Prometheus URL carries a password; passwords never go on the "
                              "command line.");
            p.url = value.isEmpty() ? QUrl() : url;
        } else if (option == QLatin1String("alertmanager")) {
            const QUrl url = QUrl::fromUserInput(value);
            if (!value.isEmpty() && (!url.isValid() || url.host().isEmpty()))
                return Tr::tr("'%1' is not a valid Alertmanager URL, e.g. http://127.0.0.1:9093.")
                    .arg(value);
            if (!url.password().isEmpty())
                return Tr::tr("the Alertmanager URL carries a password; passwords never go on the "
                              "command line.");
            p.alertmanagerUrl = value.isEmpty() ? QUrl() : url;
        } else if (option == QLatin1String("prometheus-matchers")) {
            if (value.trimmed().startsWith(QLatin1Char('{')))
                return Tr::tr("give the label matchers without braces, e.g. scope=\"hokm-ha\".");
            p.matchers = value.trimmed();
        } else if (option == QLatin1String("prometheus-user")) {
            p.user = value;
        } else if (option == QLatin1String("prometheus-cacert")) {
            p.caFile = value;
        } else if (option == QLatin1String("prometheus-cert")) {
            p.certFile = value;
        } else if (option == QLatin1String("prometheus-key")) {
            p.keyFile = value;
        } else if (option == QLatin1String("prometheus-verify")) {
            if (value != QLatin1String("yes") && value != QLatin1String("no"))
                return Tr::tr("--prometheus-verify takes yes or no.");
            p.verifyPeer = value == QLatin1String("yes");
        }
    }
    return {};
}

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
    QList<QCommandLineOption> promOptions;
    for (const auto &[option, description] : prometheusOptions())
        promOptions << QCommandLineOption(option, description, Tr::tr("value"));
    p.addOptions(promOptions);
    p.addPositionalArgument(QStringLiteral("import|set"), Tr::tr("The subcommand."));
    p.addPositionalArgument(QStringLiteral("FILE"),
                            Tr::tr("import: patroni.yml or patronictl.yaml; set: the name of a "
                                   "saved profile."),
                            QStringLiteral("FILE...|NAME"));
    if (!p.parse(arguments))
        return usageError(p.errorText());
    if (p.isSet(help)) {
        printOut(p.helpText().replace(
            QStringLiteral("[options] import|set FILE...|NAME"),
            QStringLiteral("profile import FILE... [options]\n       vigil profile set NAME "
                           "[--prometheus URL] [--prometheus-matchers M] ...")));
        return 0;
    }
    for (const QCommandLineOption &option : std::as_const(promOptions))
        if (p.isSet(option))
            o.prometheus.append({option.names().first(), p.value(option).trimmed()});
    QStringList positional = p.positionalArguments();
    const QString sub = positional.isEmpty() ? QString() : positional.takeFirst();
    if (sub != QLatin1String("import") && sub != QLatin1String("set"))
        return usageError(Tr::tr("usage: vigil profile import FILE... [--name NAME], or vigil "
                                 "profile set NAME [--prometheus URL ...] (see vigil profile "
                                 "--help)."));
    o.set = sub == QLatin1String("set");
    if (o.set) {
        if (positional.size() != 1)
            return usageError(Tr::tr("name the one saved profile to change."));
        o.name = positional.first();
        return std::nullopt;
    }
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

// `profile set NAME`: the options applied to a saved profile's Prometheus.
int setSaved(const Options &o)
{
    ProfileStore store;
    if (!store.contains(o.name)) {
        printCommandError(kCommand, Tr::tr("there is no saved profile named '%1'.").arg(o.name));
        return 2;
    }
    if (o.prometheus.isEmpty())
        return usageError(Tr::tr("nothing to change: give --prometheus URL, "
                                 "--prometheus-matchers M, ... (see vigil profile --help)."));
    PrometheusSettings settings = store.prometheus(o.name);
    if (const QString problem = applyPrometheus(o, settings); !problem.isEmpty())
        return usageError(problem);
    store.setPrometheus(o.name, settings);
    printOut(Tr::tr("Saved '%1': Prometheus %2 {%3}.")
                 .arg(o.name, settings.isSet() ? settings.url.toString() : Tr::tr("(none)"),
                      settings.matchers) +
             QLatin1Char('\n'));
    return 0;
}

} // namespace

int ProfileCommand::run(const QStringList &arguments)
{
    Options o;
    if (const auto rc = parse(arguments, o))
        return *rc;
    if (o.set)
        return setSaved(o);
    PatroniYamlImport::Result r = PatroniYamlImport::parseFiles(o.files, o.name);
    if (!r.ok()) {
        printCommandError(kCommand, r.error);
        return 2;
    }
    addUrls(r.profile, o.extraUrls);
    PrometheusSettings prometheus;
    if (const QString problem = applyPrometheus(o, prometheus); !problem.isEmpty())
        return usageError(problem);
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
    if (!o.prometheus.isEmpty()) {
        store.save(r.profile); // the profile's group first; later saves keep its Prometheus
        store.setPrometheus(r.profile.name, prometheus);
    }
    if (r.restPassword.isEmpty()) {
        store.save(r.profile);
        printOut(Tr::tr("Saved '%1'.").arg(r.profile.name) + QLatin1Char('\n'));
        return 0;
    }
    return saveWithSecret(r, store);
}

} // namespace vigil::app
