#pragma once

#include "models/celltablemodel.h"
#include "services/proxies/pgbouncertypes.h"

namespace vigil::models {

// The SHOW CONFIG settings that matter for a failover (pgBouncerFailoverSettings()), one row
// each keyed by the setting's name, with what it does in a failover. A setting the answer lacks
// reads "not reported" (an older PgBouncer).
class PgBouncerConfigModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Setting,
        Value,
        Default,
        Meaning,
        ColumnCount
    };

    explicit PgBouncerConfigModel(QObject *parent = nullptr);
    void setConfig(const QList<services::PgBouncerConfigItem> &config);

    // What the setting means for clients during a failover (translated), or "".
    static QString meaning(const QString &key);
};

} // namespace vigil::models
