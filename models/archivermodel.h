#pragma once

#include "models/celltablemodel.h"
#include "services/monitor/clustersnapshot.h"

namespace vigil::models {

// WAL archiving per member (pg_stat_archiver with archive_mode and archive_command): whether the
// member archives at all, how many segments it archived, the last one and how long ago, the
// failures and the last failed segment. A member whose last attempt failed (the finding "WAL
// archiving fails", which the alert engine raises) shows its state in the critical colour.
// Keyed by member name.
class ArchiverModel : public CellTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Member,
        State,
        Archived,
        LastArchived,
        LastSuccess,
        Failures,
        LastFailure,
        Command,
        ColumnCount
    };

    explicit ArchiverModel(QObject *parent = nullptr);
    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);

    // "archiving", "failing", "off", "not archiving (replica)", ...: translated.
    static QString stateText(const services::MemberSnapshot &member);
};

} // namespace vigil::models
