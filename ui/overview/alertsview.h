#pragma once

#include "models/topologymodel.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTimer;

namespace vigil::models {
class AlertsHistoryModel;
class AlertsModel;
class ExternalAlertsModel;
class FindingsModel;
} // namespace vigil::models

namespace vigil::ui {

class TableView;

// The alerts dock. Tabs: the active alerts of every watched cluster (AlertsModel) with
// "Acknowledge" (button, Ctrl+K, context menu); the findings of the shown cluster's current
// snapshot (FindingsModel, what the rules say right now, before any hysteresis); the alert
// history of every cluster (AlertsHistoryModel) with a text filter. Below them, the event log of
// the shown cluster (leader changes, members lost and back, timeline bumps), newest first.
// Acknowledging is only asked for (acknowledgeRequested): the engine of the cluster records it.
class AlertsView : public QWidget
{
    Q_OBJECT
public:
    AlertsView(models::FindingsModel *findings, models::AlertsModel *alerts,
               models::AlertsHistoryModel *history, QWidget *parent = nullptr);

    void setTopologyModel(models::TopologyModel *model); // the event source; not owned
    // Adds the "Alertmanager" tab beside "Active": the alerts of the clusters' Alertmanagers,
    // marked as theirs (not owned; once).
    void setExternalAlerts(models::ExternalAlertsModel *model);
    TableView *externalAlertsTable() const { return m_external; }
    QListWidget *events() const { return m_events; }
    TableView *findingsTable() const { return m_findings; }
    TableView *alertsTable() const { return m_alerts; }
    TableView *historyTable() const { return m_history; }
    QLineEdit *historyFilter() const { return m_filter; }
    QTabWidget *tabs() const { return m_tabs; }
    // Acknowledges the selected active alert (Ctrl+K); the main window puts it in its menu.
    QAction *acknowledgeAction() const { return m_acknowledge; }
    void showHistory();

Q_SIGNALS:
    void acknowledgeRequested(const QString &cluster, const QString &alertKey);

private:
    QWidget *buildAlertsTab();
    QWidget *buildHistoryTab();
    void acknowledgeSelected();
    void updateAcknowledgeEnabled();
    void reloadEvents();
    void updateExternalStatus();

    models::AlertsModel *m_alertsModel;
    QTabWidget *m_tabs;
    TableView *m_alerts;
    TableView *m_findings;
    TableView *m_history;
    TableView *m_external = nullptr;
    QLabel *m_externalStatus = nullptr;
    models::ExternalAlertsModel *m_externalModel = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_ackButton = nullptr;
    QAction *m_acknowledge;
    QTimer *m_ageTimer;
    QListWidget *m_events;
    QPointer<models::TopologyModel> m_model;
    QMetaObject::Connection m_connection;
};

} // namespace vigil::ui
