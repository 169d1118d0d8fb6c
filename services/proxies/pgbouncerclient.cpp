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

} // namespace

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

void PgBouncerClient::showStats(std::function<void(const Result<QList<PgBouncerStats>> &)> cb)
{
    showParsed(m_session, QStringLiteral("SHOW STATS"), &parsePgBouncerStats, std::move(cb));
}

namespace {
Result<QList<PgBouncerConnection>> parseClients(const PgResult &result)
{
    return parsePgBouncerConnections(result, QStringLiteral("SHOW CLIENTS"));
}
Result<QList<PgBouncerConnection>> parseServers(const PgResult &result)
{
    return parsePgBouncerConnections(result, QStringLiteral("SHOW SERVERS"));
}
} // namespace

void PgBouncerClient::showClients(
    std::function<void(const Result<QList<PgBouncerConnection>> &)> cb)
{
    showParsed(m_session, QStringLiteral("SHOW CLIENTS"), &parseClients, std::move(cb));
}

void PgBouncerClient::showServers(
    std::function<void(const Result<QList<PgBouncerConnection>> &)> cb)
{
    showParsed(m_session, QStringLiteral("SHOW SERVERS"), &parseServers, std::move(cb));
}

void PgBouncerClient::showConfig(std::function<void(const Result<QList<PgBouncerConfigItem>> &)> cb)
{
    showParsed(m_session, QStringLiteral("SHOW CONFIG"), &parsePgBouncerConfig, std::move(cb));
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
