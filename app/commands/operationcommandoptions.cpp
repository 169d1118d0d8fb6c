#include "app/commands/operationcommandoptions.h"

#include "app/commands/statuscommand.h"
#include "app/tr.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>
#include <iostream>
#include <string>

namespace vigil::app {

namespace {
enum Opt
{
    Patroni,
    Haproxy,
    HaproxyBackend,
    PgBouncer,
    RestUser,
    Sql,
    ReadOnly,
    AuditLog,
    Confirm
};
} // namespace

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}

OperationCommandOptions::OperationCommandOptions()
{
    m_options = {
        QCommandLineOption(QStringLiteral("patroni"),
                           Tr::tr("Patroni REST API of any member, e.g. http://127.0.0.1:8008; "
                                  "repeat it to name others, asked when the first is down."),
                           Tr::tr("url")),
        QCommandLineOption(
            QStringLiteral("haproxy-stats"),
            Tr::tr(
                "HAProxy statistics CSV URL, e.g. http://127.0.0.1:7000/;csv (to verify routing)."),
            Tr::tr("url")),
        QCommandLineOption(
            QStringLiteral("haproxy-backend"),
            Tr::tr("HAProxy's read-write listen/backend name (default: found in the statistics)."),
            Tr::tr("name")),
        QCommandLineOption(
            QStringLiteral("pgbouncer"),
            Tr::tr("PgBouncer admin console conninfo, e.g. \"service=bouncer-admin\"."),
            Tr::tr("conninfo")),
        QCommandLineOption(QStringLiteral("rest-user"),
                           Tr::tr("Patroni REST user (password from VIGIL_REST_PASSWORD)."),
                           Tr::tr("name")),
        QCommandLineOption(
            QStringLiteral("sql"),
            Tr::tr("libpq options for SQL checks, without host/port (default dbname=postgres)."),
            Tr::tr("conninfo")),
        QCommandLineOption(QStringLiteral("read-only"),
                           Tr::tr("Read-only mode: refuse every action (pre-flight only).")),
        QCommandLineOption(QStringLiteral("audit-log"),
                           Tr::tr("Append to this audit log instead of the default one."),
                           Tr::tr("file")),
        QCommandLineOption(
            QStringLiteral("confirm"),
            Tr::tr("The cluster name, for scripted maintenance windows (instead of typing it)."),
            Tr::tr("cluster")),
    };
}

void OperationCommandOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions(m_options);
}

std::optional<int> OperationCommandOptions::parse(QCommandLineParser &parser,
                                                  const QStringList &arguments,
                                                  const QString &command,
                                                  const QCommandLineOption &help,
                                                  const QString &usage)
{
    addTo(parser);
    if (!parser.parse(arguments)) {
        printErr(QStringLiteral("vigil %1: %2\n").arg(command, parser.errorText()));
        return 3;
    }
    if (parser.isSet(help)) {
        const QString h = parser.helpText();
        printOut(usage + h.mid(h.indexOf(QLatin1Char('\n'))));
        return 0;
    }
    if (const QString e = read(parser, qEnvironmentVariable("VIGIL_REST_PASSWORD")); !e.isEmpty()) {
        printErr(QStringLiteral("vigil %1: %2\n").arg(command, e));
        return 3;
    }
    return std::nullopt;
}

QString OperationCommandOptions::read(const QCommandLineParser &p, const QString &restPassword)
{
    if (!p.isSet(m_options[Patroni]))
        return Tr::tr("give the cluster with --patroni URL (the Patroni REST API of any member).");
    const QStringList urls = p.values(m_options[Patroni]);
    for (int i = 1; i < urls.size(); ++i)
        m_fallbacks << QUrl::fromUserInput(urls[i]);
    const QUrl url = QUrl::fromUserInput(urls.first());
    if (!url.isValid() || url.host().isEmpty() || !url.password().isEmpty())
        return Tr::tr("'%1' is not a valid Patroni REST URL without a password, e.g. "
                      "http://127.0.0.1:8008.")
            .arg(p.value(m_options[Patroni]));
    services::ClusterProfile &profile = m_ctx.profile;
    profile.name = url.authority();
    profile.patroniUrl = url;
    profile.sqlConninfo =
        p.isSet(m_options[Sql]) ? p.value(m_options[Sql]) : QStringLiteral("dbname=postgres");
    if (StatusCommand::conninfoHasPassword(profile.sqlConninfo))
        return Tr::tr(
            "--sql carries a password; use ~/.pgpass, PGPASSFILE or a service file instead.");
    if (p.isSet(m_options[Haproxy])) {
        profile.haproxyStatsUrl = QUrl::fromUserInput(p.value(m_options[Haproxy]));
        if (!profile.haproxyStatsUrl.isValid())
            return Tr::tr("'%1' is not a valid HAProxy statistics URL.")
                .arg(p.value(m_options[Haproxy]));
    }
    profile.haproxyReadWriteBackend =
        p.isSet(m_options[HaproxyBackend]) ? p.value(m_options[HaproxyBackend]) : QString();
    if (p.isSet(m_options[PgBouncer])) {
        profile.pgbouncerConninfo = p.value(m_options[PgBouncer]);
        if (StatusCommand::conninfoHasPassword(profile.pgbouncerConninfo))
            return Tr::tr("--pgbouncer carries a password; use ~/.pgpass, PGPASSFILE or a service "
                          "file instead.");
    }
    profile.restUser = p.value(m_options[RestUser]);
    profile.readOnly = p.isSet(m_options[ReadOnly]);
    m_ctx.secrets.restPassword = restPassword;
    m_ctx.guard = std::make_shared<services::ReadOnlyGuard>(profile.readOnly);
    m_ctx.audit = std::make_shared<services::AuditLog>(p.isSet(m_options[AuditLog])
                                                           ? p.value(m_options[AuditLog])
                                                           : services::AuditLog::defaultPath());
    m_confirmGiven = p.isSet(m_options[Confirm]);
    m_confirm = p.value(m_options[Confirm]);
    return {};
}

QString OperationCommandOptions::confirmation(const QString &cluster) const
{
    if (m_confirmGiven)
        return m_confirm;
    printOut(Tr::tr("Type the cluster name %1 to confirm: ").arg(cluster));
    std::string line;
    if (!std::getline(std::cin, line))
        return {};
    return QString::fromStdString(line).trimmed();
}

} // namespace vigil::app
