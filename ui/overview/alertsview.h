#pragma once

#include "models/topologymodel.h"

#include <QPointer>
#include <QWidget>

class QListWidget;

namespace vigil::models {
class FindingsModel;
}

namespace vigil::ui {

class TableView;

// Alerts (the monitor's findings for the current snapshot) and the event log of the cluster
// (leader changes, members lost and back, timeline bumps), newest first.
class AlertsView : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsView(models::FindingsModel *findings, QWidget *parent = nullptr);

    void setTopologyModel(models::TopologyModel *model); // the event source; not owned
    QListWidget *events() const { return m_events; }
    TableView *findingsTable() const { return m_findings; }

private:
    void reloadEvents();
    TableView *m_findings;
    QListWidget *m_events;
    QPointer<models::TopologyModel> m_model;
    QMetaObject::Connection m_connection;
};

} // namespace vigil::ui
