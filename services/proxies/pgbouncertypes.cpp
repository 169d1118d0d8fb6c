#include "services/proxies/pgbouncertypes.h"

namespace vigil::services {

namespace {

ServiceError parseError(const QString &message)
{
    return ServiceError::make(ServiceError::Kind::Parse, QStringLiteral("SHOW POOLS"), {}, {},
                              message);
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

} // namespace vigil::services
