#include "models/pgbouncerpoolsmodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

namespace {
CellTableModel::Cell number(qint64 value)
{
    CellTableModel::Cell c;
    c.insert(Qt::DisplayRole, QString::number(value));
    c.insert(CellTableModel::SortRole, value);
    c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    return c;
}
} // namespace

PgBouncerPoolsModel::PgBouncerPoolsModel(QObject *parent)
    : CellTableModel({tr("Database"), tr("User"), tr("Clients active"), tr("Clients waiting"),
                      tr("Servers active"), tr("Servers idle"), tr("Servers used"),
                      tr("Servers logging in"), tr("Max wait"), tr("Pool mode")},
                     parent)
{
    setHeaderToolTips(
        {tr("The database clients connect to (PgBouncer's name)"), tr("The pool's user"),
         tr("cl_active: clients linked to a server connection or idle"),
         tr("cl_waiting: clients waiting for a server connection (during a failover, or when "
            "the pool is full)"),
         tr("sv_active: server connections linked to a client"),
         tr("sv_idle: server connections ready for a client"),
         tr("sv_used: server connections idle longer than server_check_delay"),
         tr("sv_login: server connections logging in to PostgreSQL"),
         tr("maxwait: how long the oldest waiting client has waited"),
         tr("session, transaction or statement pooling")});
}

int PgBouncerPoolsModel::waitLevel(const services::PgBouncerPool &pool)
{
    if (pool.maxWait >= 5.0)
        return 2;
    if (pool.clientsWaiting > 0 || pool.maxWait >= 1.0)
        return 1;
    return 0;
}

void PgBouncerPoolsModel::setPools(const QList<services::PgBouncerPool> &pools)
{
    QList<Row> rows;
    rows.reserve(pools.size());
    for (const services::PgBouncerPool &p : pools) {
        Row row;
        row.key = p.database + QLatin1Char('/') + p.user;
        row.cells.resize(ColumnCount);
        row.cells[Database] = text(p.database);
        row.cells[User] = text(p.user);
        row.cells[ClientsActive] = number(p.clientsActive);
        row.cells[ClientsWaiting] = number(p.clientsWaiting);
        row.cells[ServersActive] = number(p.serversActive);
        row.cells[ServersIdle] = number(p.serversIdle);
        row.cells[ServersUsed] = number(p.serversUsed);
        row.cells[ServersLogin] = number(p.serversLogin);
        row.cells[MaxWait] = text(formatSeconds(p.maxWait), p.maxWait);
        row.cells[MaxWait].insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        row.cells[PoolMode] = text(p.poolMode);
        const int level = waitLevel(p);
        if (level > 0) {
            const Health h = level == 2 ? Health::Critical : Health::Warning;
            for (int col : {int(ClientsWaiting), int(MaxWait)}) {
                row.cells[col].insert(Qt::ForegroundRole, healthColor(h));
                row.cells[col].insert(SeverityRole, healthRank(h));
            }
            for (Cell &cell : row.cells)
                cell.insert(Qt::BackgroundRole, highlightBackground(level));
        }
        rows.append(std::move(row));
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
