#include "app/commands/exportrulescommand.h"

#include "app/commands/commandoutput.h"
#include "app/commands/exportrulesyaml.h"
#include "app/tr.h"
#include "services/settings/profilestore.h"

#include <QCommandLineParser>
#include <QSaveFile>
#include <optional>

namespace vigil::app {

namespace {

const QString kCommand = QStringLiteral("export-rules");

struct Options
{
    QString profile;
    QString out; // empty: stdout
    QStringList matchers;
    QString forDuration = QStringLiteral("1m");
};

int usageError(const QString &message)
{
    printCommandError(kCommand, message);
    return 3;
}

std::optional<int> parse(const QStringList &arguments, Options &o)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        Tr::tr("Write the Prometheus alerting rules of a saved profile, at its thresholds: the "
               "ops manual's critical and warning alerts over postgres_exporter, node_exporter, "
               "pgbouncer_exporter, HAProxy's and Patroni's metrics. Check the file with "
               "`promtool check rules FILE` and list it in Prometheus's rule_files."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help."));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     Tr::tr("The saved profile whose thresholds to use."),
                                     Tr::tr("name"));
    const QCommandLineOption out(
        QStringLiteral("out"), Tr::tr("Write to FILE instead of standard output."), Tr::tr("file"));
    const QCommandLineOption matcher(
        QStringLiteral("matcher"),
        Tr::tr("A PromQL label matcher selecting this cluster's series, e.g. "
               "scope=\"hokm-ha\". Repeatable. Default: scope=\"NAME\"."),
        Tr::tr("matcher"));
    const QCommandLineOption forOption(
        QStringLiteral("for"), Tr::tr("How long a condition holds before it fires (default 1m)."),
        Tr::tr("duration"));
    p.addOptions({help, profile, out, matcher, forOption});
    if (!p.parse(arguments))
        return usageError(p.errorText());
    if (p.isSet(help)) {
        printOut(p.helpText().replace(QStringLiteral("[options]"),
                                      QStringLiteral("export-rules [options]")));
        return 0;
    }
    if (!p.positionalArguments().isEmpty())
        return usageError(Tr::tr("unexpected argument '%1'.").arg(p.positionalArguments().first()));
    o.profile = p.value(profile).trimmed();
    if (o.profile.isEmpty())
        return usageError(Tr::tr("name the profile: --profile NAME (see vigil export-rules "
                                 "--help)."));
    o.out = p.value(out);
    o.matchers = p.values(matcher);
    if (o.matchers.isEmpty())
        o.matchers << QStringLiteral("scope=\"%1\"").arg(o.profile);
    for (const QString &m : std::as_const(o.matchers))
        if (!ExportRulesYaml::isMatcher(m))
            return usageError(Tr::tr("'%1' is not a label matcher: write LABEL=\"VALUE\" (or "
                                     "!=, =~, !~), e.g. scope=\"hokm-ha\".")
                                  .arg(m));
    if (p.isSet(forOption))
        o.forDuration = p.value(forOption);
    if (!ExportRulesYaml::isDuration(o.forDuration))
        return usageError(
            Tr::tr("'%1' is not a Prometheus duration such as 30s, 1m or 5m.").arg(o.forDuration));
    return std::nullopt;
}

int write(const Options &o, const QByteArray &yaml)
{
    if (o.out.isEmpty()) {
        printOut(QString::fromUtf8(yaml));
        return 0;
    }
    QSaveFile file(o.out);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size() || !file.commit()) {
        printCommandError(kCommand, Tr::tr("cannot write %1: %2. Choose another --out file.")
                                        .arg(o.out, file.errorString()));
        return 2;
    }
    printErr(Tr::tr("Wrote the alerting rules of '%1' to %2; check them with `promtool check "
                    "rules %2`.")
                 .arg(o.profile, o.out) +
             QLatin1Char('\n'));
    return 0;
}

} // namespace

int ExportRulesCommand::run(const QStringList &arguments)
{
    Options o;
    if (const auto rc = parse(arguments, o))
        return *rc;
    services::ProfileStore store;
    const std::optional<services::ClusterProfile> profile = store.load(o.profile);
    if (!profile) {
        const QString problem = store.problem();
        printCommandError(kCommand,
                          problem.isEmpty()
                              ? Tr::tr("there is no saved profile '%1' (in %2). Save one in the "
                                       "window or with vigil profile import.")
                                    .arg(o.profile, store.fileName())
                              : problem);
        return 2;
    }
    ExportRulesYaml::Options r;
    r.cluster = profile->name;
    r.matchers = o.matchers;
    r.forDuration = o.forDuration;
    r.rwBackend = profile->haproxyReadWriteBackend;
    r.thresholds = profile->thresholds;
    return write(o, ExportRulesYaml::render(r));
}

} // namespace vigil::app
