#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QWidget>

class QComboBox;
class QVBoxLayout;

namespace vigil::models {
class ConnectionBreakdownModel;
}

namespace vigil::ui {

class ConnectionGauge;

// Connections: one gauge per member (in use vs max_connections, 80 %/95 % marked), and the
// client backends of the chosen member (or all members) by state, by application and by database.
class ConnectionsView : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsView(QWidget *parent = nullptr);

    void setSnapshot(const services::ClusterSnapshotPtr &snapshot);
    QString selectedMember() const; // "" = all members
    QList<ConnectionGauge *> gauges() const { return m_gauges; }
    models::ConnectionBreakdownModel *stateModel() const { return m_byState; }

private:
    void refreshBreakdown();

    services::ClusterSnapshotPtr m_snapshot;
    QComboBox *m_member;
    QVBoxLayout *m_gaugeLayout;
    QList<ConnectionGauge *> m_gauges;
    models::ConnectionBreakdownModel *m_byState, *m_byApp, *m_byDb;
};

} // namespace vigil::ui
