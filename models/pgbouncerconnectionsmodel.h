#pragma once

#include "models/celltablemodel.h"
#include "services/proxies/pgbouncertypes.h"

namespace vigil::models {

// SHOW CLIENTS or SHOW SERVERS (same columns), one row per connection keyed by PgBouncer's own
// id (ptr). A client in state "waiting" is highlighted (it waits for a server connection).
class PgBouncerConnectionsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        User,
        Database,
        State,
        Address,
        Connected,
        LastRequest,
        Wait,
        Application,
        ColumnCount
    };

    explicit PgBouncerConnectionsModel(QObject *parent = nullptr);
    void setConnections(const QList<services::PgBouncerConnection> &connections);
};

} // namespace vigil::models
