#pragma once

#include "models/celltablemodel.h"
#include "models/pgbouncerstatsrates.h"

namespace vigil::models {

// SHOW STATS as per-second rates between two reads (PgBouncerStatsRates), one row per database,
// keyed by its name. Until a database has two reads its rates read "…" (no figure yet).
class PgBouncerStatsModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Database,
        Transactions,
        Queries,
        Received,
        Sent,
        AvgQuery,
        Wait,
        ColumnCount
    };

    explicit PgBouncerStatsModel(QObject *parent = nullptr);
    // A new read, `elapsedSeconds` after the previous one.
    void setStats(const QList<services::PgBouncerStats> &stats, double elapsedSeconds);
    void clear(); // another PgBouncer, or the view was hidden: the next read is a baseline

private:
    PgBouncerStatsRates m_rates;
};

} // namespace vigil::models
