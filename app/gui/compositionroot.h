#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"
#include "ui/operations/operationsactions.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {
class AuditLog;
class MemorySecretStore;
class ProfileStore;
class MemberSessionPool;
class SecretStore;
} // namespace vigil::services

namespace vigil::ui {
class MainWindow;
}

namespace vigil::app {

class TimelineFeed;

// The GUI's composition root: owns the application's ONE QNetworkAccessManager, the profile
// store, the keychain-backed secret store (and the in-memory one for session-only passwords), one
// ClusterMonitor per watched cluster, and feeds the main window with their snapshots.
//
// Opening a saved profile reads its passwords from the keychain first (asynchronously); when no
// keychain is available it says so in the window and starts anyway with libpq's own password
// sources (~/.pgpass, the service file), never with anything read from disk by Vigil.
class CompositionRoot : public QObject
{
    Q_OBJECT
public:
    CompositionRoot(ui::MainWindow *window, services::SecretStore *secretStore = nullptr,
                    services::ProfileStore *profileStore = nullptr, QObject *parent = nullptr);
    ~CompositionRoot() override;

    // --patroni URL (+ optional settings given on the command line): watch it at once.
    void openProfile(const services::ClusterProfile &profile,
                     const services::ClusterMonitor::Secrets &secrets = {});
    // --profile NAME: load it, read its passwords from the keychain, then watch it. False (and a
    // message in the window) when there is no such profile.
    bool openSavedProfile(const QString &name);
    void closeProfile(const QString &name);
    // Profiles open at the last exit (when started without --patroni/--profile).
    void reopenLastProfiles();

    QNetworkAccessManager *networkAccessManager() const { return m_nam; }
    services::ClusterMonitor *monitor(const QString &name) const { return m_monitors.value(name); }
    services::ProfileStore *profiles() const { return m_profiles; }
    // The incident timelines of the watched clusters (recorders, stores, /history).
    TimelineFeed *timelines() const { return m_timelines; }
    // The passwords the cluster is watched with (in memory only).
    services::ClusterMonitor::Secrets secretsInUse(const QString &name) const
    {
        return m_watched.value(name).secrets;
    }

private:
    void startMonitor(const services::ClusterProfile &profile,
                      const services::ClusterMonitor::Secrets &secrets);
    void followWithTroubleshooting(const QString &name);
    void watchSavedProfile(const services::ClusterProfile &profile,
                           const services::ClusterMonitor::Secrets &secrets, bool sessionOnly);
    void readSecretsThenStart(const services::ClusterProfile &profile);
    void rememberOpenProfiles();
    void installOperations();
    ui::OperationsHooks operationsHooks();

    struct Watched
    {
        services::ClusterProfile profile;
        services::ClusterMonitor::Secrets secrets; // memory only
    };
    QMap<QString, Watched> m_watched;

    ui::MainWindow *m_window;
    QNetworkAccessManager *m_nam;
    services::ProfileStore *m_profiles;
    services::SecretStore *m_secrets;
    services::MemorySecretStore *m_sessionSecrets;
    std::shared_ptr<services::AuditLog> m_audit;
    TimelineFeed *m_timelines;
    QPointer<services::MemberSessionPool>
        m_troubleshooting;                         // the docks' context, owned by the window
    QString m_troubleshootingCluster;              // the cluster it follows
    QMetaObject::Connection m_troubleshootingFeed; // its monitor's snapshots
    QMap<QString, QPointer<services::ClusterMonitor>> m_monitors;
    QStringList m_savedOpen; // profiles from the store that are open (to reopen next time)
};

// The profile for `vigil --patroni URL`: named after the URL's host:port.
services::ClusterProfile profileFromUrl(const QUrl &patroniUrl);

} // namespace vigil::app
