#pragma once

#include <QWidget>

namespace vigil::models {
class ArchiverModel;
class ReplicationModel;
class ReplicationSlotsModel;
} // namespace vigil::models

namespace vigil::ui {

class TableView;

// Replication: per replica the sender's view (sent/write/flush/replay LSN, lag in bytes and time,
// sync state) and the replica's WAL receiver; below, the replication slots with their active flag
// and the WAL they retain, and each member's WAL archiving (models::ArchiverModel).
class ReplicationView : public QWidget
{
    Q_OBJECT
public:
    ReplicationView(models::ReplicationModel *replicas, models::ReplicationSlotsModel *slotModel,
                    models::ArchiverModel *archiver, QWidget *parent = nullptr);
    TableView *replicasTable() const { return m_replicas; }
    TableView *slotsTable() const { return m_slots; }
    TableView *archiverTable() const { return m_archiver; }

private:
    TableView *m_replicas;
    TableView *m_slots;
    TableView *m_archiver;
};

} // namespace vigil::ui
