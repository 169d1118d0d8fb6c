#include "services/proxies/pgbouncerclient.h"

#include <QRegularExpression>

namespace vigil::services {

namespace {

const QString kShowPools = QStringLiteral("SHOW POOLS");

// The SHOW targets Vigil may send. Anything else is refused before a byte goes to PgBouncer, so
// no caller can turn show() into another console command. FDS is left out on purpose: it needs
// admin rights, shows cancel keys, and switches PgBouncer's socket to blocking while it runs.
const QStringList &showTargets()
{
    static const QStringList targets = {
        QStringLiteral("POOLS"),        QStringLiteral("STATS"),
        QStringLiteral("STATS_TOTALS"), QStringLiteral("STATS_AVERAGES"),
        QStringLiteral("TOTALS"),       QStringLiteral("CLIENTS"),
        QStringLiteral("SERVERS"),      QStringLiteral("DATABASES"),
        QStringLiteral("USERS"),        QStringLiteral("CONFIG"),
        QStringLiteral("LISTS"),        QStringLiteral("MEM"),
        QStringLiteral("VERSION"),      QStringLiteral("STATE"),
        QStringLiteral("DNS_HOSTS"),    QStringLiteral("DNS_ZONES"),
    };
    return targets;
}

// A database name as PgBouncer's [databases] section names it: 1..63 bytes of letters, digits
// and _ $ . - (no quotes, spaces, semicolons or control characters).
bool isDatabaseName(const QString &name)
{
    // anchoredPattern: "$" alone would also match before a trailing newline.
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_][A-Za-z0-9_$.\\-]*")));
    return name.toUtf8().size() <= 63 && pattern.match(name).hasMatch();
}

// The console's WORD syntax accepts "quoted" names with "" for a quote (admin.c); quoting
// always keeps the name exactly as written (an unquoted word is limited to [0-9a-z_]).
QString consoleQuote(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

ServiceError parseError(const QString &message)
{
    return ServiceError::make(ServiceError::Kind::Parse, kShowPools, {}, {}, message);
}

} // namespace

Result<QList<PgBouncerPool>> parsePgBouncerPools(const PgResult &result)
{
    static const QStringList required = {
        QStringLiteral("database"),   QStringLiteral("user"),      QStringLiteral("cl_active"),
        QStringLiteral("cl_waiting"), QStringLiteral("sv_active"), QStringLiteral("sv_idle"),
        QStringLiteral("sv_used"),    QStringLiteral("sv_tested"), QStringLiteral("sv_login"),
        QStringLiteral("maxwait"),
    };
    for (const QString &name : required) {
        if (result.column(name) < 0)
            return parseError(Tr::tr("The SHOW POOLS answer has no column \"%1\".").arg(name));
    }
    // maxwait_us appeared in PgBouncer 1.8; pool_mode in 1.9. Both are optional.
    const bool hasMicros = result.column(QStringLiteral("maxwait_us")) >= 0;

    QList<PgBouncerPool> pools;
    pools.reserve(result.rowCount());
    for (int row = 0; row < result.rowCount(); ++row) {
        std::optional<ServiceError> error;
        auto count = [&](const QString &name) -> qint64 {
            if (error)
                return 0;
            const auto value = result.integer(row, name);
            if (!value || *value < 0) {
                const QString raw = result.text(row, name, QStringLiteral("NULL"));
                error =
                    parseError(Tr::tr("SHOW POOLS row %1: column \"%2\" is \"%3\", not a count.")
                                   .arg(row + 1)
                                   .arg(name, raw));
                return 0;
            }
            return *value;
        };
        PgBouncerPool pool;
        pool.database = result.text(row, QStringLiteral("database"));
        pool.user = result.text(row, QStringLiteral("user"));
        pool.clientsActive = count(QStringLiteral("cl_active"));
        pool.clientsWaiting = count(QStringLiteral("cl_waiting"));
        pool.serversActive = count(QStringLiteral("sv_active"));
        pool.serversIdle = count(QStringLiteral("sv_idle"));
        pool.serversUsed = count(QStringLiteral("sv_used"));
        pool.serversTested = count(QStringLiteral("sv_tested"));
        pool.serversLogin = count(QStringLiteral("sv_login"));
        pool.maxWaitSeconds = count(QStringLiteral("maxwait"));
        const qint64 micros = hasMicros ? count(QStringLiteral("maxwait_us")) : 0;
        if (error)
            return *error;
        pool.maxWait = double(pool.maxWaitSeconds) + double(micros) / 1e6;
        pool.poolMode = result.text(row, QStringLiteral("pool_mode"));
        pools.append(pool);
    }
    return pools;
}

Result<QList<PgBouncerDatabase>> parsePgBouncerDatabases(const PgResult &result)
{
    for (const char *name : {"name", "host", "port", "database"}) {
        if (result.column(QLatin1String(name)) < 0)
            return parseError(
                Tr::tr("The SHOW DATABASES answer has no column \"%1\".").arg(QLatin1String(name)));
    }
    // paused and disabled appeared in PgBouncer 1.8 and 1.9; older ones say neither.
    const bool hasPaused = result.column(QStringLiteral("paused")) >= 0;
    const bool hasDisabled = result.column(QStringLiteral("disabled")) >= 0;
    QList<PgBouncerDatabase> out;
    for (int row = 0; row < result.rowCount(); ++row) {
        PgBouncerDatabase d;
        d.name = result.text(row, QStringLiteral("name"));
        d.host = result.text(row, QStringLiteral("host"));
        if (d.host.isEmpty() && d.name == QLatin1String("pgbouncer"))
            continue; // the admin console itself
        const auto port = result.integer(row, QStringLiteral("port"));
        if (!port || *port <= 0 || *port > 65535)
            return parseError(
                Tr::tr("SHOW DATABASES row %1: port \"%2\" is not a TCP port.")
                    .arg(row + 1)
                    .arg(result.text(row, QStringLiteral("port"), QStringLiteral("NULL"))));
        d.port = int(*port);
        d.database = result.text(row, QStringLiteral("database"));
        d.paused = hasPaused && result.integer(row, QStringLiteral("paused")).value_or(0) != 0;
        d.disabled =
            hasDisabled && result.integer(row, QStringLiteral("disabled")).value_or(0) != 0;
        out.append(d);
    }
    return out;
}

PgBouncerClient::PgBouncerClient(QObject *parent)
    : QObject(parent)
    , m_session(new PgSession(this))
{
}

void PgBouncerClient::open(const PgConnectionSettings &settings, Millis deadline)
{
    m_session->open(settings, deadline);
}

void PgBouncerClient::close()
{
    m_session->close();
}

namespace {
// Sends a SHOW over the simple-query protocol and answers `cb` with what `parse` makes of it; a
// parse error names the host (the parser does not know where the answer came from).
template <typename T>
void showParsed(PgSession *session, const QString &sql, Result<T> (*parse)(const PgResult &),
                std::function<void(const Result<T> &)> cb)
{
    session->execSimple(sql, [session, parse, cb = std::move(cb)](const PgResult &result,
                                                                  const ServiceError &error) {
        if (!cb)
            return;
        if (error) {
            cb(error);
            return;
        }
        Result<T> parsed = parse(result);
        if (!parsed.ok()) {
            ServiceError e = parsed.error();
            e.host = session->host();
            cb(e);
            return;
        }
        cb(parsed);
    });
}
} // namespace

void PgBouncerClient::showPools(std::function<void(const Result<QList<PgBouncerPool>> &)> cb)
{
    showParsed(m_session, kShowPools, &parsePgBouncerPools, std::move(cb));
}

void PgBouncerClient::showDatabases(
    std::function<void(const Result<QList<PgBouncerDatabase>> &)> cb)
{
    showParsed(m_session, QStringLiteral("SHOW DATABASES"), &parsePgBouncerDatabases,
               std::move(cb));
}

void PgBouncerClient::show(const QString &what, Callback cb)
{
    const QString target = what.trimmed().toUpper();
    if (!showTargets().contains(target)) {
        refuse(Tr::tr("SHOW %1").arg(what.simplified().left(40)),
               Tr::tr("\"%1\" is not a PgBouncer SHOW command Vigil sends (allowed: %2).")
                   .arg(what.simplified().left(40), showTargets().join(QStringLiteral(", "))),
               std::move(cb));
        return;
    }
    m_session->execSimple(QStringLiteral("SHOW ") + target, std::move(cb));
}

void PgBouncerClient::pause(const QString &database, Callback cb, Millis deadline)
{
    // PAUSE returns only when every server connection of the database(s) is released, i.e.
    // after the running transactions end: hence the long deadline.
    adminCommand(QStringLiteral("PAUSE"), database, std::move(cb), deadline);
}

void PgBouncerClient::resume(const QString &database, Callback cb)
{
    adminCommand(QStringLiteral("RESUME"), database, std::move(cb), Millis(5000));
}

void PgBouncerClient::reconnect(const QString &database, Callback cb)
{
    adminCommand(QStringLiteral("RECONNECT"), database, std::move(cb), Millis(5000));
}

void PgBouncerClient::adminCommand(const QString &command, const QString &database, Callback cb,
                                   Millis deadline)
{
    if (database.isEmpty()) {
        m_session->execSimple(command, std::move(cb), deadline);
        return;
    }
    if (!isDatabaseName(database)) {
        refuse(command,
               Tr::tr("\"%1\" is not a valid database name (letters, digits, _ $ . - only, at "
                      "most 63 bytes).")
                   .arg(database.left(80)),
               std::move(cb));
        return;
    }
    m_session->execSimple(command + QLatin1Char(' ') + consoleQuote(database), std::move(cb),
                          deadline);
}

void PgBouncerClient::refuse(const QString &what, const QString &message, Callback cb)
{
    // Asynchronous like every other answer, and dropped if this client is destroyed first.
    const ServiceError error =
        ServiceError::make(ServiceError::Kind::Refused, what, m_session->host(), {}, message);
    QMetaObject::invokeMethod(
        this,
        [cb = std::move(cb), error] {
            if (cb)
                cb({}, error);
        },
        Qt::QueuedConnection);
}

} // namespace vigil::services
