#include "models/pgbouncerconfigmodel.h"

#include <QHash>

namespace vigil::models {

PgBouncerConfigModel::PgBouncerConfigModel(QObject *parent)
    : CellTableModel({tr("Setting"), tr("Value"), tr("Default"), tr("In a failover")}, parent)
{
    setHeaderToolTips({tr("pgbouncer.ini setting"), tr("The value PgBouncer runs with"),
                       tr("PgBouncer's built-in default"),
                       tr("What the setting does to clients while the primary changes")});
}

QString PgBouncerConfigModel::meaning(const QString &key)
{
    if (key == QLatin1String("pool_mode"))
        return tr("transaction: no server is held between transactions (clients survive a "
                  "RECONNECT); session: held until the client disconnects.");
    if (key == QLatin1String("server_login_retry"))
        return tr("Seconds PgBouncer waits before logging in again after a failed login to the "
                  "server: how soon it reaches the new primary.");
    if (key == QLatin1String("query_wait_timeout"))
        return tr("Seconds a client may wait for a server before PgBouncer disconnects it (0: "
                  "forever): must outlast a failover.");
    if (key == QLatin1String("default_pool_size"))
        return tr("Server connections per database/user pair: more clients than this wait.");
    if (key == QLatin1String("reserve_pool_size"))
        return tr("Extra server connections allowed when clients wait longer than "
                  "reserve_pool_timeout.");
    if (key == QLatin1String("max_client_conn"))
        return tr("Client connections PgBouncer accepts in all: reconnect storms beyond it are "
                  "refused.");
    return {};
}

void PgBouncerConfigModel::setConfig(const QList<services::PgBouncerConfigItem> &config)
{
    QHash<QString, services::PgBouncerConfigItem> byKey;
    for (const services::PgBouncerConfigItem &item : config)
        byKey.insert(item.key, item);
    QList<Row> rows;
    for (const QString &key : services::pgBouncerFailoverSettings()) {
        Row row;
        row.key = key;
        row.cells.resize(ColumnCount);
        row.cells[Setting] = text(key);
        const auto it = byKey.constFind(key);
        row.cells[Value] = text(it == byKey.constEnd() ? tr("not reported") : it->value);
        row.cells[Default] = text(it == byKey.constEnd() ? QString() : it->defaultValue);
        const QString what = meaning(key);
        row.cells[Meaning] = text(what, {}, what);
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
