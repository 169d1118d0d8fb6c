#include "models/replicationslotsmodel.h"

#include "models/formatting.h"
#include "models/health.h"

namespace vigil::models {

namespace {
CellTableModel::Cell rightAligned(CellTableModel::Cell c)
{
    c.insert(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
    return c;
}
} // namespace

ReplicationSlotsModel::ReplicationSlotsModel(QObject *parent)
    : CellTableModel({tr("Slot"), tr("Member"), tr("Type"), tr("Active"), tr("Retained WAL")},
                     parent)
{
    setHeaderToolTips({tr("Replication slot name"), tr("The member the slot lives on"),
                       tr("physical or logical"),
                       tr("Whether a consumer is connected to the slot right now"),
                       tr("WAL kept on disk for this slot (an inactive slot keeps WAL forever)")});
}

void ReplicationSlotsModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<Row> rows;
    if (snapshot) {
        for (const services::MemberSnapshot &m : snapshot->members) {
            for (const services::ReplicationSlotStat &s : m.replicationSlots) {
                Row row;
                row.key = m.name + QLatin1Char('/') + s.name;
                row.cells.resize(ColumnCount);
                row.cells[Slot] = text(s.name);
                row.cells[Member] = text(m.name);
                row.cells[Type] = text(s.type);
                Cell active = text(s.active ? tr("active") : tr("inactive"), int(s.active));
                if (!s.active)
                    active.insert(Qt::ForegroundRole, healthColor(Health::Warning));
                row.cells[Active] = active;
                row.cells[RetainedWal] = rightAligned(text(
                    formatBytes(s.retainedWalBytes), QVariant(s.retainedWalBytes.value_or(-1))));
                rows.append(std::move(row));
            }
        }
    }
    setRows(std::move(rows));
}

} // namespace vigil::models
