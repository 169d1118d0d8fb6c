#include "services/proxies/pgbouncertypes.h"

namespace vigil::services {

namespace {

ServiceError parseError(const QString &message, const QString &what = QStringLiteral("SHOW POOLS"))
{
    return ServiceError::make(ServiceError::Kind::Parse, what, {}, {}, message);
}

std::optional<ServiceError> missingColumn(const PgResult &result, const QString &what,
                                          const QStringList &columns)
{
    for (const QString &name : columns) {
        if (result.column(name) < 0)
            return parseError(Tr::tr("The %1 answer has no column \"%2\".").arg(what, name), what);
    }
    return std::nullopt;
}

// A non-negative integer cell, or the error naming the row and the column.
std::optional<qint64> countCell(const PgResult &result, int row, const QString &name,
                                const QString &what, std::optional<ServiceError> &error)
{
    const auto value = result.integer(row, name);
    if (value && *value >= 0)
        return value;
    if (!error) {
        error = parseError(Tr::tr("%1 row %2: column \"%3\" is \"%4\", not a count.")
                               .arg(what)
                               .arg(row + 1)
                               .arg(name, result.text(row, name, QStringLiteral("NULL"))),
                           what);
    }
    return std::nullopt;
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

Result<QList<PgBouncerStats>> parsePgBouncerStats(const PgResult &result)
{
    const QString what = QStringLiteral("SHOW STATS");
    static const QStringList required = {
        QStringLiteral("database"),          QStringLiteral("total_xact_count"),
        QStringLiteral("total_query_count"), QStringLiteral("total_received"),
        QStringLiteral("total_sent"),        QStringLiteral("total_xact_time"),
        QStringLiteral("total_query_time"),  QStringLiteral("total_wait_time"),
    };
    if (auto error = missingColumn(result, what, required))
        return *error;
    QList<PgBouncerStats> out;
    out.reserve(result.rowCount());
    for (int row = 0; row < result.rowCount(); ++row) {
        std::optional<ServiceError> error;
        auto count = [&](int column) {
            return countCell(result, row, required.at(column), what, error).value_or(0);
        };
        PgBouncerStats s;
        s.database = result.text(row, required.at(0));
        s.transactions = count(1);
        s.queries = count(2);
        s.received = count(3);
        s.sent = count(4);
        s.xactTimeUs = count(5);
        s.queryTimeUs = count(6);
        s.waitTimeUs = count(7);
        if (error)
            return *error;
        out.append(s);
    }
    return out;
}

Result<QList<PgBouncerConnection>> parsePgBouncerConnections(const PgResult &result,
                                                             const QString &what)
{
    static const QStringList required = {
        QStringLiteral("type"),  QStringLiteral("user"), QStringLiteral("database"),
        QStringLiteral("state"), QStringLiteral("addr"), QStringLiteral("port"),
        QStringLiteral("ptr"),
    };
    if (auto error = missingColumn(result, what, required))
        return *error;
    // wait/wait_us appeared in PgBouncer 1.8, application_name in 1.18: both optional.
    const bool hasWait = result.column(QStringLiteral("wait")) >= 0;
    const bool hasMicros = result.column(QStringLiteral("wait_us")) >= 0;
    QList<PgBouncerConnection> out;
    out.reserve(result.rowCount());
    for (int row = 0; row < result.rowCount(); ++row) {
        std::optional<ServiceError> error;
        PgBouncerConnection c;
        c.ptr = result.text(row, QStringLiteral("ptr"));
        c.type = result.text(row, QStringLiteral("type"));
        c.user = result.text(row, QStringLiteral("user"));
        c.database = result.text(row, QStringLiteral("database"));
        c.state = result.text(row, QStringLiteral("state"));
        c.addr = result.text(row, QStringLiteral("addr"));
        c.port = int(result.integer(row, QStringLiteral("port")).value_or(0)); // 0: Unix socket
        c.connectTime = result.text(row, QStringLiteral("connect_time"));
        c.requestTime = result.text(row, QStringLiteral("request_time"));
        const qint64 wait =
            hasWait ? countCell(result, row, QStringLiteral("wait"), what, error).value_or(0) : 0;
        const qint64 micros =
            hasMicros ? countCell(result, row, QStringLiteral("wait_us"), what, error).value_or(0)
                      : 0;
        if (error)
            return *error;
        c.waitSeconds = double(wait) + double(micros) / 1e6;
        c.applicationName = result.text(row, QStringLiteral("application_name"));
        out.append(c);
    }
    return out;
}

Result<QList<PgBouncerConfigItem>> parsePgBouncerConfig(const PgResult &result)
{
    const QString what = QStringLiteral("SHOW CONFIG");
    if (auto error = missingColumn(result, what, {QStringLiteral("key"), QStringLiteral("value")}))
        return *error;
    QList<PgBouncerConfigItem> out;
    out.reserve(result.rowCount());
    for (int row = 0; row < result.rowCount(); ++row) {
        PgBouncerConfigItem item;
        item.key = result.text(row, QStringLiteral("key"));
        item.value = result.text(row, QStringLiteral("value"));
        item.defaultValue = result.text(row, QStringLiteral("default")); // 1.12 and later
        const QString changeable = result.text(row, QStringLiteral("changeable"));
        item.changeable = changeable == QLatin1String("yes") || changeable == QLatin1String("t");
        out.append(item);
    }
    return out;
}

const QStringList &pgBouncerFailoverSettings()
{
    static const QStringList keys = {
        QStringLiteral("pool_mode"),          QStringLiteral("server_login_retry"),
        QStringLiteral("query_wait_timeout"), QStringLiteral("default_pool_size"),
        QStringLiteral("reserve_pool_size"),  QStringLiteral("max_client_conn"),
    };
    return keys;
}

} // namespace vigil::services
