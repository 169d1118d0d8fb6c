#include "app/commands/targetoptions.h"

#include "app/tr.h"
#include "services/postgres/conninfo.h"

namespace vigil::app {

namespace {

constexpr int kStatusTimeoutMs = 2000;
constexpr int kDiagnosticsTimeoutMs = 10000;

// Why a conninfo given as `option` cannot be used, or empty: libpq's reading decides.
QString conninfoProblem(const QString &option, const QString &conninfo)
{
    const services::ConninfoReading r = services::readConninfo(conninfo);
    if (!r.ok())
        return Tr::tr("%1 is not a valid libpq conninfo: %2").arg(option, r.error);
    if (r.password)
        return Tr::tr("%1 carries a password; use ~/.pgpass, PGPASSFILE, a service file or "
                      "PGPASSWORD instead, never the command line.")
            .arg(option);
    return {};
}

} // namespace

// The help texts are each family's own (what --sql or --patroni means differs between them);
// the order is the one --help shows.
TargetOptions::TargetOptions(Use use)
    : m_use(use)
{
    switch (use) {
    case Use::Status:
        addStatusOptions();
        break;
    case Use::Operation:
        addOperationOptions();
        break;
    case Use::Diagnostics:
        addDiagnosticsOptions();
        break;
    }
    addTlsOptions();
}

void TargetOptions::add(Option id, const QString &name, const QString &help, const QString &value)
{
    m_options.append({id, QCommandLineOption(name, help, value)});
}

void TargetOptions::addStatusOptions()
{
    add(Patroni, QStringLiteral("patroni"),
        Tr::tr("Patroni REST API of any member, e.g. http://127.0.0.1:8008 (the others are "
               "discovered). Repeat it to name more members, tried in turn when the first "
               "does not answer."),
        Tr::tr("url"));
    add(Profile, QStringLiteral("profile"), Tr::tr("Use the saved cluster profile <name>."),
        Tr::tr("name"));
    add(DbName, QStringLiteral("dbname"), Tr::tr("Database for the SQL probes (default postgres)."),
        Tr::tr("name"));
    add(User, QStringLiteral("user"),
        Tr::tr("Database user for the SQL probes (needs pg_monitor)."), Tr::tr("name"));
    add(Sql, QStringLiteral("sql"),
        Tr::tr("libpq connection options for the SQL probes, without host/port (taken from "
               "each member), e.g. \"service=prod sslmode=require\"."),
        Tr::tr("conninfo"));
    add(HaproxyStats, QStringLiteral("haproxy-stats"),
        Tr::tr("HAProxy statistics CSV URL, e.g. http://127.0.0.1:7000/;csv"), Tr::tr("url"));
    add(HaproxyBackend, QStringLiteral("haproxy-backend"),
        Tr::tr("Name of HAProxy's read-write listen/backend section (default: primary, or a "
               "common name found in the statistics)."),
        Tr::tr("name"));
    add(PgBouncer, QStringLiteral("pgbouncer"),
        Tr::tr("PgBouncer admin console conninfo, e.g. \"host=127.0.0.1 port=6432 "
               "dbname=pgbouncer user=stats\"."),
        Tr::tr("conninfo"));
    add(RestUser, QStringLiteral("rest-user"),
        Tr::tr("Patroni REST user (password from VIGIL_REST_PASSWORD)."), Tr::tr("name"));
    add(Timeout, QStringLiteral("timeout"),
        Tr::tr("Deadline per member and channel in milliseconds (default %1).")
            .arg(kStatusTimeoutMs),
        Tr::tr("ms"));
    add(Json, QStringLiteral("json"),
        Tr::tr("Print the snapshot as JSON (schema vigil.status/1)."));
}

void TargetOptions::addOperationOptions()
{
    add(Patroni, QStringLiteral("patroni"),
        Tr::tr("Patroni REST API of any member, e.g. http://127.0.0.1:8008; repeat it to "
               "name others, asked when the first is down."),
        Tr::tr("url"));
    add(HaproxyStats, QStringLiteral("haproxy-stats"),
        Tr::tr("HAProxy statistics CSV URL, e.g. http://127.0.0.1:7000/;csv (to verify "
               "routing)."),
        Tr::tr("url"));
    add(HaproxyBackend, QStringLiteral("haproxy-backend"),
        Tr::tr("HAProxy's read-write listen/backend name (default: found in the "
               "statistics)."),
        Tr::tr("name"));
    add(PgBouncer, QStringLiteral("pgbouncer"),
        Tr::tr("PgBouncer admin console conninfo, e.g. \"service=bouncer-admin\"."),
        Tr::tr("conninfo"));
    add(RestUser, QStringLiteral("rest-user"),
        Tr::tr("Patroni REST user (password from VIGIL_REST_PASSWORD)."), Tr::tr("name"));
    add(Sql, QStringLiteral("sql"),
        Tr::tr("libpq options for SQL checks, without host/port (default dbname=postgres)."),
        Tr::tr("conninfo"));
}

void TargetOptions::addDiagnosticsOptions()
{
    add(Patroni, QStringLiteral("patroni"),
        Tr::tr("Patroni REST URL of any member (the leader is found from /cluster)."),
        Tr::tr("url"));
    add(Member, QStringLiteral("member"),
        Tr::tr("With --patroni: read this member instead of the leader."), Tr::tr("name"));
    add(Sql, QStringLiteral("sql"),
        Tr::tr("libpq conninfo (e.g. \"service=prod\" or \"host=... port=... "
               "dbname=postgres\"). No passwords here: use ~/.pgpass or a service file."),
        Tr::tr("conninfo"));
    add(Json, QStringLiteral("json"), Tr::tr("Print JSON instead of text."));
    add(Timeout, QStringLiteral("timeout"),
        Tr::tr("Deadline in milliseconds (default %1).").arg(kDiagnosticsTimeoutMs), Tr::tr("ms"));
}

// TLS, the same for every family: Patroni's REST API and the SQL conninfo.
void TargetOptions::addTlsOptions()
{
    add(RestCaFile, QStringLiteral("rest-cacert"),
        Tr::tr("CA certificate (PEM) that signed the Patroni REST certificates, for https URLs "
               "(default: the system's CAs)."),
        Tr::tr("file"));
    add(RestCert, QStringLiteral("rest-cert"),
        Tr::tr("Client certificate (PEM) for the Patroni REST API (verify_client)."),
        Tr::tr("file"));
    add(RestKey, QStringLiteral("rest-key"),
        Tr::tr("Private key (PEM, unencrypted) of --rest-cert."), Tr::tr("file"));
    add(SslMode, QStringLiteral("sslmode"),
        Tr::tr("libpq sslmode for SQL (default verify-full when --sslrootcert is given)."),
        Tr::tr("mode"));
    add(SslRootCert, QStringLiteral("sslrootcert"),
        Tr::tr("CA certificate that signed the PostgreSQL server certificates (libpq "
               "sslrootcert)."),
        Tr::tr("file"));
    add(SslCert, QStringLiteral("sslcert"), Tr::tr("SQL client certificate (libpq sslcert)."),
        Tr::tr("file"));
    add(SslKey, QStringLiteral("sslkey"), Tr::tr("Key of --sslcert (libpq sslkey)."),
        Tr::tr("file"));
}

void TargetOptions::Values::applyTo(services::ClusterProfile &profile) const
{
    if (!patroniUrls.isEmpty()) {
        profile.name = patroniUrls.first().authority();
        profile.patroniUrl = patroniUrls.first();
        profile.patroniFallbackUrls = patroniUrls.mid(1);
    }
    if (!sqlConninfo.isEmpty())
        profile.sqlConninfo = sqlConninfo;
    if (!haproxyStatsUrl.isEmpty())
        profile.haproxyStatsUrl = haproxyStatsUrl;
    if (!haproxyBackend.isEmpty())
        profile.haproxyReadWriteBackend = haproxyBackend;
    profile.pgbouncerConninfo = pgbouncerConninfo;
    profile.restUser = restUser;
    profile.restCaFile = restCaFile;
    profile.restCertFile = restCertFile;
    profile.restKeyFile = restKeyFile;
    if (timeoutMs > 0)
        profile.memberDeadlineMs = timeoutMs;
}

bool TargetOptions::offers(Option id) const
{
    return std::any_of(m_options.begin(), m_options.end(),
                       [id](const auto &o) { return o.first == id; });
}

const QCommandLineOption &TargetOptions::option(Option id) const
{
    for (const auto &o : m_options)
        if (o.first == id)
            return o.second;
    Q_UNREACHABLE();
}

void TargetOptions::addTo(QCommandLineParser &parser) const
{
    for (const auto &o : m_options)
        parser.addOption(o.second);
}

QString TargetOptions::read(const QCommandLineParser &p)
{
    m_values = {};
    if (offers(Profile) && p.isSet(option(Profile)))
        return Tr::tr("no saved cluster profile named '%1' exists (saved profiles are not "
                      "available in this version yet). Give the cluster with --patroni URL.")
            .arg(p.value(option(Profile)));
    for (auto read :
         {&TargetOptions::readPatroni, &TargetOptions::readSql, &TargetOptions::readProxies,
          &TargetOptions::readTimeout, &TargetOptions::readTls})
        if (const QString e = (this->*read)(p); !e.isEmpty())
            return e;
    if (offers(Member))
        m_values.member = p.value(option(Member));
    if (offers(RestUser))
        m_values.restUser = p.value(option(RestUser));
    m_values.json = offers(Json) && p.isSet(option(Json));
    return {};
}

QString TargetOptions::readPatroni(const QCommandLineParser &p)
{
    if (!p.isSet(option(Patroni))) {
        if (m_use == Use::Diagnostics) {
            if (!p.isSet(option(Sql)))
                return Tr::tr("give --patroni URL (the leader is found from /cluster) or --sql "
                              "CONNINFO.");
            return {};
        }
        return Tr::tr("give the cluster with --patroni URL (the Patroni REST API of any member, "
                      "e.g. http://127.0.0.1:8008).");
    }
    for (const QString &value : p.values(option(Patroni))) {
        const QUrl url = QUrl::fromUserInput(value);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return Tr::tr("'%1' is not a valid Patroni REST URL, e.g. http://127.0.0.1:8008.")
                .arg(value);
        if (!url.password().isEmpty())
            return Tr::tr("the Patroni URL carries a password; give it in VIGIL_REST_PASSWORD "
                          "instead, never on the command line.");
        m_values.patroniUrls << url;
    }
    return {};
}

QString TargetOptions::readSql(const QCommandLineParser &p)
{
    const bool given = p.isSet(option(Sql));
    QString conninfo = p.value(option(Sql));
    if (!given && m_use != Use::Diagnostics)
        conninfo = QStringLiteral("dbname=postgres");
    if (const QString e = conninfoProblem(QStringLiteral("--sql"), conninfo); !e.isEmpty())
        return e;
    if (const QString e = foldSqlOptions(p, conninfo); !e.isEmpty())
        return e;
    // A CA without a mode means verify-full (libpq's own default, prefer, checks nothing).
    m_values.sqlConninfo = services::conninfoWithTlsDefault(conninfo);
    return {};
}

// --dbname, --user and the libpq TLS options, appended to the conninfo as keyword=value pairs
// (a later keyword wins in libpq, so they override what --sql says).
QString TargetOptions::foldSqlOptions(const QCommandLineParser &p, QString &conninfo) const
{
    static const QList<std::pair<Option, const char *>> keywords = {
        {DbName, "dbname"},           {User, "user"},       {SslMode, "sslmode"},
        {SslRootCert, "sslrootcert"}, {SslCert, "sslcert"}, {SslKey, "sslkey"}};
    QStringList given;
    for (const auto &[id, keyword] : keywords)
        if (offers(id) && p.isSet(option(id)))
            given << QStringLiteral("--") + option(id).names().constFirst();
    if (given.isEmpty())
        return {};
    static const QStringList modes = {QStringLiteral("disable"),   QStringLiteral("allow"),
                                      QStringLiteral("prefer"),    QStringLiteral("require"),
                                      QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    if (p.isSet(option(SslMode)) && !modes.contains(p.value(option(SslMode))))
        return Tr::tr("--sslmode must be one of %1 (got '%2').")
            .arg(modes.join(QStringLiteral(", ")), p.value(option(SslMode)));
    if (services::conninfoIsUri(conninfo))
        return Tr::tr("%1 cannot be combined with a URI in --sql; put them in the URI.")
            .arg(given.join(QLatin1Char('/')));
    for (const auto &[id, keyword] : keywords)
        if (offers(id) && p.isSet(option(id)))
            conninfo += QLatin1Char(' ') + QLatin1String(keyword) + QLatin1Char('=') +
                        services::quotedConninfoValue(p.value(option(id)));
    conninfo = conninfo.trimmed();
    return conninfoProblem(QStringLiteral("--sql"), conninfo);
}

QString TargetOptions::readTls(const QCommandLineParser &p)
{
    m_values.restCaFile = p.value(option(RestCaFile));
    m_values.restCertFile = p.value(option(RestCert));
    m_values.restKeyFile = p.value(option(RestKey));
    if (!m_values.restKeyFile.isEmpty() && m_values.restCertFile.isEmpty())
        return Tr::tr("--rest-key needs --rest-cert (the client certificate it belongs to).");
    return {};
}

QString TargetOptions::readProxies(const QCommandLineParser &p)
{
    if (offers(HaproxyStats) && p.isSet(option(HaproxyStats))) {
        const QString value = p.value(option(HaproxyStats));
        const QUrl h = QUrl::fromUserInput(value);
        if (!h.isValid() || h.host().isEmpty())
            return Tr::tr("'%1' is not a valid HAProxy statistics URL, e.g. "
                          "http://127.0.0.1:7000/;csv.")
                .arg(value);
        m_values.haproxyStatsUrl = h;
    }
    if (offers(HaproxyBackend))
        m_values.haproxyBackend = p.value(option(HaproxyBackend));
    if (offers(PgBouncer) && p.isSet(option(PgBouncer))) {
        const QString conninfo = p.value(option(PgBouncer));
        if (const QString e = conninfoProblem(QStringLiteral("--pgbouncer"), conninfo);
            !e.isEmpty())
            return e;
        m_values.pgbouncerConninfo = services::conninfoWithTlsDefault(conninfo);
    }
    return {};
}

QString TargetOptions::readTimeout(const QCommandLineParser &p)
{
    if (!offers(Timeout))
        return {};
    m_values.timeoutMs = m_use == Use::Status ? kStatusTimeoutMs : kDiagnosticsTimeoutMs;
    if (!p.isSet(option(Timeout)))
        return {};
    bool ok = false;
    const int ms = p.value(option(Timeout)).toInt(&ok);
    if (!ok || ms < 100 || ms > 600000)
        return Tr::tr("--timeout needs milliseconds between 100 and 600000 (got '%1').")
            .arg(p.value(option(Timeout)));
    m_values.timeoutMs = ms;
    return {};
}

} // namespace vigil::app
