#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {
class MemorySecretStore;
class ProfileStore;
class ReadOnlyGuard;
class SecretStore;
} // namespace vigil::services

namespace vigil::ui {
class WallView;
}

namespace vigil::app {

// The composition of `vigil --wall`, apart from CompositionRoot: one QNetworkAccessManager, the
// profile store and the keychain (to read the profiles' passwords), and one ClusterMonitor per
// cluster on the wall, feeding the WallView. Read-only by construction: it creates no operation,
// terminate, configuration, rotation, wizard, troubleshooting or audit object (it does not even
// include their headers), every profile it watches is made read-only, and its ReadOnlyGuard is on
// and cannot be turned off through it.
class WallRoot : public QObject
{
    Q_OBJECT
public:
    WallRoot(ui::WallView *view, services::SecretStore *secretStore = nullptr,
             services::ProfileStore *profileStore = nullptr, QObject *parent = nullptr);
    ~WallRoot() override;

    // --patroni URL: watch it at once (read-only whatever the profile says).
    void openProfile(const services::ClusterProfile &profile,
                     const services::ClusterMonitor::Secrets &secrets = {});
    // --profile NAME: its passwords from the keychain, then watch it. False (and a line on the
    // wall) when there is no such profile.
    bool openSavedProfile(const QString &name);
    // --all-profiles: every saved profile, in the store's order.
    void openAllProfiles();
    // Neither: the profiles open at the normal window's last exit.
    void reopenLastProfiles();

    services::ClusterMonitor *monitor(const QString &name) const { return m_monitors.value(name); }
    QStringList clusters() const { return m_monitors.keys(); }
    const services::ReadOnlyGuard &guard() const { return *m_guard; }
    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

private:
    void startMonitor(services::ClusterProfile profile,
                      const services::ClusterMonitor::Secrets &secrets);

    ui::WallView *m_view;
    QNetworkAccessManager *m_nam;
    services::ProfileStore *m_profiles;
    services::SecretStore *m_secrets;
    services::MemorySecretStore *m_sessionSecrets; // empty: a wall process is started fresh
    std::shared_ptr<const services::ReadOnlyGuard> m_guard;
    QMap<QString, QPointer<services::ClusterMonitor>> m_monitors;
    int m_started = 0;     // monitors started so far: each one a little later (startMonitor)
    QStringList m_missing; // --profile names that do not exist
};

} // namespace vigil::app
