#pragma once

#include "models/celltablemodel.h"
#include "services/backup/restoretesttypes.h"

namespace vigil::models {

// The restore test's per-table report: the table, its rows at the dump's snapshot and in the
// restored copy, whether the checksums are equal, the columns they cover and the verdict. A
// passing table's verdict is "pass" with the OK colour; a failing one's is "FAIL" (the
// critical colour, and the row's background pale red) with the reason in its tooltip; without
// recorded source counts the verdict is "counted" (unknown colour: nothing was compared).
// Keyed by "schema.table".
class RestoreResultModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Table,
        SourceRows,
        RestoredRows,
        Checksum,
        Columns,
        Verdict,
        ColumnCount
    };

    explicit RestoreResultModel(QObject *parent = nullptr);
    void setResult(const services::RestoreTestResult &result);

    // Why a table failed, in words ("12,000 rows at the snapshot, 0 restored").
    static QString failureReason(const services::RestoreTableCheck &table);
};

} // namespace vigil::models
