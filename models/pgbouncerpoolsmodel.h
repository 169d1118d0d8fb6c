#pragma once

#include "models/celltablemodel.h"
#include "services/proxies/pgbouncertypes.h"

namespace vigil::models {

// SHOW POOLS, one row per database/user pool, keyed by "database/user". Waiting clients and a
// long maxwait are highlighted (warning from the first waiting client or 1 s of wait, critical
// from 5 s of wait): clients queue there when a failover or a full pool holds them up.
class PgBouncerPoolsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Database,
        User,
        ClientsActive,
        ClientsWaiting,
        ServersActive,
        ServersIdle,
        ServersUsed,
        ServersLogin,
        MaxWait,
        PoolMode,
        ColumnCount
    };

    explicit PgBouncerPoolsModel(QObject *parent = nullptr);
    void setPools(const QList<services::PgBouncerPool> &pools);

    // 0 none, 1 warning, 2 critical (the levels of highlightBackground()).
    static int waitLevel(const services::PgBouncerPool &pool);
};

} // namespace vigil::models
