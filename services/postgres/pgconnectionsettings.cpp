// PgConnectionSettings (declared in pgsession.h): what a conninfo names, without connecting.
#include "services/postgres/pglibpq.h"
#include "services/postgres/pgsession.h"

namespace vigil::services {

namespace pg {

ConnectOptions parseConnectOptions(const PgConnectionSettings &settings)
{
    ConnectOptions o;
    auto take = [&o](const QString &key, const QString &value) {
        if (key == QLatin1String("host"))
            o.host = value;
        else if (key == QLatin1String("hostaddr"))
            o.hostaddr = value;
        else if (key == QLatin1String("port"))
            o.port = value;
        else if (key == QLatin1String("service"))
            o.service = value;
        else if (key == QLatin1String("password"))
            o.password = value;
    };
    if (!settings.conninfo.trimmed().isEmpty()) {
        char *error = nullptr;
        std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> options(
            PQconninfoParse(settings.conninfo.toUtf8().constData(), &error), PQconninfoFree);
        if (error)
            PQfreemem(error);
        // Null for a bare database name (or a syntax error, which connecting will report).
        for (const PQconninfoOption *opt = options.get(); opt && opt->keyword; ++opt) {
            if (opt->val)
                take(QString::fromUtf8(opt->keyword), QString::fromUtf8(opt->val));
        }
    }
    for (const auto &kv : settings.overrides)
        take(kv.first, kv.second);
    return o;
}

} // namespace pg

PgConnectionSettings PgConnectionSettings::forApplication(QString conninfo,
                                                          const QString &applicationName,
                                                          const QString &password)
{
    PgConnectionSettings s;
    s.conninfo = std::move(conninfo);
    s.overrides = {{QStringLiteral("application_name"), applicationName}};
    if (!password.isEmpty())
        s.overrides.append({QStringLiteral("password"), password});
    return s;
}

PgConnectionSettings &PgConnectionSettings::atMember(const QString &host, int port)
{
    overrides.append({QStringLiteral("host"), host});
    overrides.append({QStringLiteral("port"), QString::number(port)});
    return *this;
}

PgConnectionSettings &PgConnectionSettings::withDatabase(const QString &dbname)
{
    overrides.append({QStringLiteral("dbname"), dbname});
    return *this;
}

QString PgConnectionSettings::displayHost() const
{
    const pg::ConnectOptions o = pg::parseConnectOptions(*this);
    QString host = o.host.isEmpty() ? o.hostaddr : o.host;
    if (host.isEmpty() && !o.service.isEmpty())
        return Tr::tr("service %1").arg(o.service);
    if (host.isEmpty())
        host = qEnvironmentVariable("PGHOST");
    if (host.isEmpty())
        host = Tr::tr("local socket");
    QString port = o.port.isEmpty() ? qEnvironmentVariable("PGPORT") : o.port;
    if (port.isEmpty())
        port = QStringLiteral("5432");
    // A list of hosts: show the first, libpq tries them in order.
    return QStringLiteral("%1:%2").arg(host.section(QLatin1Char(','), 0, 0),
                                       port.section(QLatin1Char(','), 0, 0));
}

} // namespace vigil::services
