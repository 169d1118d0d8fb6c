#pragma once

#include "services/core/error.h"

#include <QElapsedTimer>
#include <QString>
#include <QWidget>

class QLabel;
class QTabWidget;
class QTimer;

namespace vigil::models {
class PgBouncerConfigModel;
class PgBouncerConnectionsModel;
class PgBouncerPoolsModel;
class PgBouncerStatsModel;
} // namespace vigil::models
namespace vigil::services {
class PgBouncerClient;
}

namespace vigil::ui {

class TableView;

// The PgBouncer admin console of the cluster shown: SHOW POOLS (waiting clients and maxwait
// highlighted) on top; below, tabs for SHOW STATS as per-second rates, SHOW CLIENTS,
// SHOW SERVERS and the SHOW CONFIG settings that matter in a failover.
//
// Lives on the UI thread and never waits: one async PgBouncerClient, one round of SHOWs at a
// time, chained (the console answers one query at a time), every answer of an older target or
// round ignored (a ticket). Reads at the profile's refresh interval only while visible: hidden,
// the timer stops and the console connection is closed (no load on PgBouncer).
class PgBouncerView : public QWidget
{
    Q_OBJECT
public:
    explicit PgBouncerView(QWidget *parent = nullptr);
    ~PgBouncerView() override;

    // The cluster to show. An empty conninfo: PgBouncer is not configured in its profile (the
    // view says which setting to fill in). The password is held in memory only.
    void setTarget(const QString &cluster, const QString &conninfo, const QString &password,
                   int intervalMs);
    void refresh();

    // For tests and screenshots.
    QString message() const;
    bool isRefreshing() const { return m_inFlight; }
    int intervalMs() const;
    bool isPolling() const; // the refresh timer runs (only while the view is visible)
    models::PgBouncerPoolsModel *poolsModel() const { return m_pools; }
    models::PgBouncerStatsModel *statsModel() const { return m_stats; }
    models::PgBouncerConnectionsModel *clientsModel() const { return m_clients; }
    models::PgBouncerConnectionsModel *serversModel() const { return m_servers; }
    models::PgBouncerConfigModel *configModel() const { return m_config; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void refreshed(); // a round of SHOWs ended (answered or failed)

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void disconnectConsole();
    void readStats(quint64 ticket);
    void readConnections(quint64 ticket);
    void readConfig(quint64 ticket);
    // Ends the round: `error` (if any) shown in words that say what to fix.
    void finish(quint64 ticket, const services::ServiceError &error = {});
    QString describe(const services::ServiceError &error) const;
    void setMessage(const QString &text, bool problem);

    QString m_cluster;
    QString m_conninfo;
    QString m_password;
    services::PgBouncerClient *m_client = nullptr;
    quint64 m_ticket = 0;
    bool m_inFlight = false;
    QElapsedTimer m_sinceStats;

    models::PgBouncerPoolsModel *m_pools;
    models::PgBouncerStatsModel *m_stats;
    models::PgBouncerConnectionsModel *m_clients;
    models::PgBouncerConnectionsModel *m_servers;
    models::PgBouncerConfigModel *m_config;
    QLabel *m_message;
    QLabel *m_updated;
    QTabWidget *m_tabs;
    QTimer *m_timer;
};

} // namespace vigil::ui
