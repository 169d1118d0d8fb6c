#include "models/pgbouncerconnectionsmodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

PgBouncerConnectionsModel::PgBouncerConnectionsModel(QObject *parent)
    : CellTableModel({tr("User"), tr("Database"), tr("State"), tr("Address"), tr("Connected"),
                      tr("Last request"), tr("Wait"), tr("Application")},
                     parent)
{
    setHeaderToolTips({tr("The login user"), tr("The database (PgBouncer's name)"),
                       tr("active, waiting, idle, used, tested, login…"),
                       tr("The other end of the connection (host:port)"),
                       tr("When the connection was made"), tr("When its last request began"),
                       tr("How long a waiting client has waited for a server"),
                       tr("application_name of the connection")});
}

void PgBouncerConnectionsModel::setConnections(
    const QList<services::PgBouncerConnection> &connections)
{
    QList<Row> rows;
    rows.reserve(connections.size());
    for (const services::PgBouncerConnection &c : connections) {
        Row row;
        row.key = c.ptr;
        row.cells.resize(ColumnCount);
        row.cells[User] = text(c.user);
        row.cells[Database] = text(c.database);
        row.cells[State] = text(c.state);
        row.cells[Address] = text(c.port > 0 ? QStringLiteral("%1:%2").arg(c.addr).arg(c.port)
                                             : tr("%1 (Unix socket)").arg(c.addr));
        row.cells[Connected] = text(c.connectTime);
        row.cells[LastRequest] = text(c.requestTime);
        row.cells[Wait] =
            text(c.waitSeconds > 0 ? formatSeconds(c.waitSeconds) : QString(), c.waitSeconds);
        row.cells[Wait].insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        row.cells[Application] = text(c.applicationName);
        if (c.state == QLatin1String("waiting")) {
            row.cells[State].insert(Qt::ForegroundRole, healthColor(Health::Warning));
            row.cells[State].insert(SeverityRole, healthRank(Health::Warning));
            for (Cell &cell : row.cells)
                cell.insert(Qt::BackgroundRole, highlightBackground(1));
        }
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
