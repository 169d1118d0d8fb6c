#include "services/logs/serverlogaccess.h"

#include "services/postgres/pgrowreader.h"

#include <QRegularExpression>

namespace vigil::services {

namespace {
// The role as an SQL identifier in the GRANT sentences (quoted when it needs to be).
QString roleIdentifier(const QString &role)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (plain.match(role).hasMatch())
        return role;
    QString quoted = role;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}
} // namespace

Result<ServerLogAccess> ServerLogAccess::parse(const PgResult &result, const QString &host)
{
    const PgRowReader reader(result);
    if (reader.rowCount() != 1 || !reader.hasColumn("logging_collector"))
        return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("log settings"), host,
                                  {}, Tr::tr("The answer has no logging_collector column."));
    const PgRowReader::Row r = reader.row(0);
    ServerLogAccess a;
    a.host = host;
    a.role = r.text("role");
    a.superuser = r.flag("superuser");
    a.loggingCollector = r.flag("logging_collector");
    a.destination = r.text("log_destination");
    a.prefix = r.text("log_line_prefix");
    a.directory = r.text("log_directory");
    a.filename = r.text("log_filename");
    a.dataDirectory = r.text("data_directory");
    a.settingsVisible = r.flag("settings_visible");
    a.canList = r.flag("can_list");
    a.canRead = r.flag("can_read");
    a.readsServerFiles = r.flag("reads_server_files");
    return a;
}

bool ServerLogAccess::directoryOutsideDataDirectory() const
{
    if (!directory.startsWith(QLatin1Char('/')))
        return false;
    return dataDirectory.isEmpty() || !directory.startsWith(dataDirectory + QLatin1Char('/'));
}

QString ServerLogAccess::pathOf(const QString &fileName) const
{
    return directory + QLatin1Char('/') + fileName;
}

QStringList ServerLogAccess::problems() const
{
    QStringList out;
    if (!loggingCollector)
        out << Tr::tr("logging_collector is off on %1: the server writes its log to its own "
                      "standard error, not to files PostgreSQL can read back. Turn it on in "
                      "Patroni's configuration (postgresql.parameters.logging_collector: on); it "
                      "takes effect after a restart.")
                   .arg(host);
    const QStringList destinations = destination.split(QLatin1Char(','), Qt::SkipEmptyParts);
    bool stderrOn = false;
    for (const QString &d : destinations)
        stderrOn = stderrOn || d.trimmed() == QLatin1String("stderr");
    if (!stderrOn)
        out << Tr::tr("log_destination is '%1' on %2: Vigil reads the stderr format. Add stderr "
                      "(log_destination: 'stderr,%1' in Patroni's configuration, a reload).")
                   .arg(destination, host);
    if (superuser)
        return out;
    if (!canList)
        out << Tr::tr("Role %1 may not list the log directory (pg_ls_logdir) on %2. Grant it: "
                      "GRANT pg_monitor TO %3;")
                   .arg(role, host, roleIdentifier(role));
    else if (!settingsVisible)
        out << Tr::tr("Role %1 may not read log_directory on %2 (it needs pg_read_all_settings). "
                      "Grant it: GRANT pg_read_all_settings TO %3;")
                   .arg(role, host, roleIdentifier(role));
    if (!canRead)
        out << Tr::tr("Role %1 may not read the log files (pg_read_binary_file) on %2. Grant it: "
                      "GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, "
                      "bigint, boolean) TO %3; (membership in pg_read_server_files alone does "
                      "not grant this function.)")
                   .arg(role, host, roleIdentifier(role));
    if (directoryOutsideDataDirectory() && !readsServerFiles)
        out << Tr::tr("log_directory '%1' is outside the data directory on %2, so reading it also "
                      "needs: GRANT pg_read_server_files TO %3;")
                   .arg(directory, host, roleIdentifier(role));
    return out;
}

ServiceError ServerLogAccess::error() const
{
    const QStringList p = problems();
    if (p.isEmpty())
        return {};
    return ServiceError::make(ServiceError::Kind::Refused, QStringLiteral("server log"), host, {},
                              p.join(QLatin1Char(' ')));
}

} // namespace vigil::services
