#include "app/commands/targetoptions.h"

#include "app/commands/commandoutput.h"
#include "app/commands/profilesecrets.h"
#include "app/tr.h"
#include "services/postgres/conninfo.h"
#include "services/settings/keychainsecretstore.h"
#include "services/settings/profilestore.h"

#include <memory>

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

QString profileHelp()
{
    return Tr::tr("Use the saved cluster profile <name> (from the window or 'vigil profile "
                  "import'); options given here override its fields.");
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
    add(Profile, QStringLiteral("profile"), profileHelp(), Tr::tr("name"));
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
    add(Profile, QStringLiteral("profile"), profileHelp(), Tr::tr("name"));
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
    add(Profile, QStringLiteral("profile"), profileHelp(), Tr::tr("name"));
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
    if (saved)
        profile = *saved; // the intervals, read-only flag, verify-peer and name stay the saved ones
    if (!patroniUrls.isEmpty()) {
        if (!saved)
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

bool TargetOptions::process(QCommandLineParser &parser, const QStringList &arguments,
                            const QString &command)
{
    parser.process(arguments);
    if (const QString e = read(parser); !e.isEmpty()) {
        printCommandError(command, e);
        return false;
    }
    return true;
}

QString TargetOptions::read(const QCommandLineParser &p)
{
    m_values = {};
    m_values.secrets.restPassword = m_sources.restPassword;
    if (const QString e = readProfile(p); !e.isEmpty())
        return e;
    for (auto read :
         {&TargetOptions::readPatroni, &TargetOptions::readSql, &TargetOptions::readProxies,
          &TargetOptions::readTimeout, &TargetOptions::readTls})
        if (const QString e = (this->*read)(p); !e.isEmpty())
            return e;
    if (offers(Member))
        m_values.member = p.value(option(Member));
    if (offers(RestUser) && p.isSet(option(RestUser)))
        m_values.restUser = p.value(option(RestUser));
    m_values.json = offers(Json) && p.isSet(option(Json));
    readSecrets();
    return {};
}

// --profile: the saved profile's target fields become the values the other options override.
QString TargetOptions::readProfile(const QCommandLineParser &p)
{
    if (!offers(Profile) || !p.isSet(option(Profile)))
        return {};
    const QString name = p.value(option(Profile));
    std::unique_ptr<services::ProfileStore> own;
    const services::ProfileStore *store = m_sources.profiles;
    if (!store)
        store = (own = std::make_unique<services::ProfileStore>()).get();
    const std::optional<services::ClusterProfile> saved = store->load(name);
    if (!saved) {
        QString e = Tr::tr("no saved cluster profile named '%1'.").arg(name);
        const QStringList names = store->profileNames();
        e +=
            QLatin1Char(' ') +
            (names.isEmpty() ? Tr::tr("No profiles are saved in %1; save one in the window or "
                                      "with 'vigil profile import', or give the cluster with "
                                      "--patroni URL.")
                                   .arg(store->fileName())
                             : Tr::tr("Saved profiles: %1.").arg(names.join(QStringLiteral(", "))));
        if (!store->problem().isEmpty())
            e += QLatin1Char(' ') + store->problem();
        return e;
    }
    m_values.saved = saved;
    m_values.patroniUrls = QList<QUrl>{saved->patroniUrl} + saved->patroniFallbackUrls;
    m_values.sqlConninfo = saved->sqlConninfo;
    m_values.haproxyStatsUrl = saved->haproxyStatsUrl;
    m_values.haproxyBackend = saved->haproxyReadWriteBackend;
    m_values.pgbouncerConninfo = saved->pgbouncerConninfo;
    m_values.restUser = saved->restUser;
    m_values.restCaFile = saved->restCaFile;
    m_values.restCertFile = saved->restCertFile;
    m_values.restKeyFile = saved->restKeyFile;
    return {};
}

// With --profile, the keychain's passwords of that profile (VIGIL_REST_PASSWORD first for REST);
// a keychain problem is a note on stderr, not a stop.
void TargetOptions::readSecrets()
{
    if (!m_values.saved)
        return;
    services::ClusterProfile profile;
    m_values.applyTo(profile);
    std::unique_ptr<services::SecretStore> own;
    services::SecretStore *store = m_sources.secrets;
    if (!store)
        store = (own = std::make_unique<services::KeychainSecretStore>()).get();
    const ProfileSecrets::Result r =
        ProfileSecrets::read(*store, profile, m_sources.restPassword, m_sources.keychainDeadlineMs);
    m_values.secrets = r.secrets;
    m_values.notes = r.notes;
    for (const QString &note : r.notes)
        printErr(Tr::tr("vigil: %1").arg(note) + QLatin1Char('\n'));
}

QString TargetOptions::readPatroni(const QCommandLineParser &p)
{
    if (!p.isSet(option(Patroni))) {
        if (m_values.saved)
            return {};
        if (m_use == Use::Diagnostics) {
            if (!p.isSet(option(Sql)))
                return Tr::tr("give --patroni URL (the leader is found from /cluster) or --sql "
                              "CONNINFO.");
            return {};
        }
        return Tr::tr("give the cluster with --patroni URL (the Patroni REST API of any member, "
                      "e.g. http://127.0.0.1:8008).");
    }
    QList<QUrl> urls;
    for (const QString &value : p.values(option(Patroni))) {
        const QUrl url = QUrl::fromUserInput(value);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return Tr::tr("'%1' is not a valid Patroni REST URL, e.g. http://127.0.0.1:8008.")
                .arg(value);
        if (!url.password().isEmpty())
            return Tr::tr("the Patroni URL carries a password; give it in VIGIL_REST_PASSWORD "
                          "instead, never on the command line.");
        urls << url;
    }
    m_values.patroniUrls = urls;
    return {};
}

QString TargetOptions::readSql(const QCommandLineParser &p)
{
    const bool given = p.isSet(option(Sql));
    QString conninfo = p.value(option(Sql));
    if (!given && m_values.saved)
        conninfo = m_values.saved->sqlConninfo; // --dbname/--user/--ssl* still fold in below
    else if (!given && m_use != Use::Diagnostics)
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
    // Each given file replaces the profile's (which are the defaults when --profile is given).
    for (auto [id, field] :
         {std::pair{RestCaFile, &Values::restCaFile}, std::pair{RestCert, &Values::restCertFile},
          std::pair{RestKey, &Values::restKeyFile}})
        if (p.isSet(option(id)))
            m_values.*field = p.value(option(id));
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
    if (offers(HaproxyBackend) && p.isSet(option(HaproxyBackend)))
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
    if (m_use == Use::Status && m_values.saved) // the profile's own member deadline
        m_values.timeoutMs = m_values.saved->memberDeadlineMs;
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
