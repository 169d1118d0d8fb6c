#pragma once

#include "services/monitor/alerthistory.h"
#include "services/monitor/clustermonitor.h"
#include "services/monitor/clustersnapshot.h"

#include <QFont>
#include <QMainWindow>
#include <QMap>
#include <QString>

class QAction;
class QDockWidget;
class QLabel;
class QNetworkAccessManager;
class QTabWidget;

namespace vigil::models {
class AlertNotifier;
class AlertsHistoryModel;
class AlertsModel;
class ExternalAlertsModel;
class ClusterListModel;
class ClusterWatch;
class FindingsModel;
class MembersModel;
class ReplicationModel;
class ReplicationSlotsModel;
class ArchiverModel;
class TimelineModel;
} // namespace vigil::models
namespace vigil::services {
class ProfileStore;
class SecretStore;
} // namespace vigil::services

namespace vigil::ui {

class AlertTray;
class AlertsView;
class CapacityView;
class ChartsPanel;
class ClusterListView;
class ConnectionsView;
class OverviewPage;
class PgBouncerView;
class RefreshStatusWidget;
class ReplicationView;
class TimelineView;

// The main window only composes: tabs for the overview (topology + members), replication,
// connections, live charts and capacity; docks for the cluster list and the alerts/event log; the
// status bar's freshness account; menus and keyboard shortcuts. Each screen is its own widget in
// ui/, fed by models in models/.
//
// Several clusters are watched side by side: every snapshot goes to its cluster's ClusterWatch
// (history, topology, events, alert engine) and to the cluster list; the screens show the current
// cluster. The alerts of every cluster meet in one AlertsModel (the alerts dock), one history
// file (AlertHistory), the tray icon and the desktop notifications (AlertNotifier).
// Lives on the UI thread; receives immutable snapshots; never touches the network itself (the
// Add-cluster dialog's connection test uses the services handed in with setServices()).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        QString patroniUrl;  // open on this cluster (--patroni)
        QString profileName; // or on this saved profile (--profile)
        bool readOnly = false;
    };
    struct Services
    {
        QNetworkAccessManager *nam = nullptr;
        services::ProfileStore *profiles = nullptr;
        services::SecretStore *secrets = nullptr;
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setServices(const Services &services);

    // Starts showing a cluster (a row in the cluster list; the first one added becomes current).
    void addCluster(const QString &profileName, const QString &target, int intervalMs = 1000,
                    bool readOnly = false);
    void removeCluster(const QString &profileName);
    void showCluster(const QString &profileName);
    QString currentCluster() const { return m_current; }
    bool forcedReadOnly() const { return m_options.readOnly; } // --read-only: every cluster
    QStringList clusters() const { return m_watches.keys(); }

    void setLargeFonts(bool large);
    bool largeFonts() const { return m_largeFonts; }

    // For tests and screenshots.
    OverviewPage *overviewPage() const { return m_overview; }
    ReplicationView *replicationView() const { return m_replication; }
    ConnectionsView *connectionsView() const { return m_connections; }
    ChartsPanel *chartsPanel() const { return m_charts; }
    CapacityView *capacityView() const { return m_capacity; }
    AlertsView *alertsView() const { return m_alerts; }
    // The incident timeline dock (Ctrl+Shift+I); the composition root feeds its model with the
    // recorder of the cluster shown.
    TimelineView *timelineView() const { return m_timeline; }
    models::TimelineModel *timelineModel() const { return m_timelineModel; }
    QDockWidget *timelineDock() const { return m_timelineDock; }
    // The PgBouncer dock's view; the composition root points it at the cluster shown.
    PgBouncerView *pgBouncerView() const { return m_pgbouncer; }
    QDockWidget *pgBouncerDock() const { return m_pgbouncerDock; }
    ClusterListView *clusterListView() const { return m_clusterList; }
    RefreshStatusWidget *refreshStatus() const { return m_refresh; }
    QTabWidget *tabs() const { return m_tabs; }
    models::MembersModel *membersModel() const { return m_membersModel; }
    models::ClusterListModel *clusterListModel() const { return m_clusterListModel; }
    models::AlertsModel *alertsModel() const { return m_alertsModel; }
    models::AlertsHistoryModel *alertsHistoryModel() const { return m_alertsHistoryModel; }
    models::AlertNotifier *alertNotifier() const { return m_notifier; }
    AlertTray *alertTray() const { return m_tray; }
    QString alertHistoryPath() const { return m_alertHistory.filePath(); }
    // Desktop notifications for critical alerts (View menu; persisted in QSettings).
    void setNotificationsEnabled(bool enabled);
    models::ClusterWatch *watch(const QString &profileName) const
    {
        return m_watches.value(profileName);
    }
    void openAddClusterDialog();
    // Edit the profile of a watched cluster (the current one when `name` is empty). A cluster
    // opened with --patroni has no saved profile yet: editing it saves one.
    void openEditClusterDialog(const QString &name = QString());
    // The member selected in the overview's members table, or "" (pre-selects it in dialogs).
    QString selectedMember() const;
    // Every shortcut of the menus as (keys, action), for Help → Keyboard shortcuts.
    QList<QPair<QString, QString>> shortcutList() const;

public Q_SLOTS:
    void showSnapshot(vigil::services::ClusterSnapshotPtr snapshot);
    void showConnectionProblem(const QString &message);
    void showClusterProblem(const QString &profileName, const QString &message);

Q_SIGNALS:
    // The window now shows another cluster (or none: empty).
    void currentClusterChanged(const QString &profileName);
    // A profile was saved in the Add-cluster dialog; the composition root starts watching it.
    void clusterAdded(const vigil::services::ClusterProfile &profile,
                      const vigil::services::ClusterMonitor::Secrets &secrets, bool sessionOnly);
    // A watched cluster's profile was changed in Edit cluster; an empty password means "keep the
    // one in use". The composition root restarts watching it with the new settings.
    void clusterEdited(const vigil::services::ClusterProfile &profile,
                       const vigil::services::ClusterMonitor::Secrets &secrets, bool sessionOnly);
    void clusterRemoved(const QString &profileName);
    void largeFontsChanged(bool large);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void fitClusterDock();
    void showShortcuts();
    void createActions();
    void restoreLayout();
    void saveLayout();
    void updateViews(const services::ClusterSnapshotPtr &snapshot);
    void updateTitle(const services::ClusterSnapshotPtr &snapshot);
    void watchAlerts(models::ClusterWatch *watch);
    void acknowledgeAlert(const QString &cluster, const QString &key);
    void updateAlertSummary();

    Options m_options;
    Services m_services;
    QString m_current;
    QMap<QString, models::ClusterWatch *> m_watches;
    QMap<QString, QString> m_problems; // per cluster, before its first snapshot
    QMap<QString, bool> m_readOnly;
    QMap<QString, QString> m_targets; // cluster → the Patroni URL it was opened with

    models::MembersModel *m_membersModel;
    models::ReplicationModel *m_replicationModel;
    models::ReplicationSlotsModel *m_slotsModel;
    models::ArchiverModel *m_archiverModel;
    models::FindingsModel *m_findingsModel;
    models::ClusterListModel *m_clusterListModel;
    models::AlertsModel *m_alertsModel;
    models::ExternalAlertsModel *m_externalAlertsModel;
    models::AlertsHistoryModel *m_alertsHistoryModel;
    models::TimelineModel *m_timelineModel;
    services::AlertHistory m_alertHistory;
    models::AlertNotifier *m_notifier = nullptr;
    AlertTray *m_tray = nullptr;
    QAction *m_notifyAction = nullptr;

    QTabWidget *m_tabs = nullptr;
    OverviewPage *m_overview = nullptr;
    ReplicationView *m_replication = nullptr;
    ConnectionsView *m_connections = nullptr;
    ChartsPanel *m_charts = nullptr;
    CapacityView *m_capacity = nullptr;
    AlertsView *m_alerts = nullptr;
    ClusterListView *m_clusterList = nullptr;
    QDockWidget *m_clusterDock = nullptr;
    QDockWidget *m_alertsDock = nullptr;
    PgBouncerView *m_pgbouncer = nullptr;
    QDockWidget *m_pgbouncerDock = nullptr;
    TimelineView *m_timeline = nullptr;
    QDockWidget *m_timelineDock = nullptr;
    RefreshStatusWidget *m_refresh = nullptr;
    QLabel *m_readOnlyBadge = nullptr;
    QAction *m_largeFontsAction = nullptr;
    QFont m_baseFont;
    bool m_largeFonts = false;
};

} // namespace vigil::ui
