#pragma once

#include "services/monitor/clustermonitor.h"
#include "services/settings/clusterprofile.h"

#include <QObject>
#include <functional>

namespace vigil::services {
class SecretStore;
}

namespace vigil::app {

// Reads a saved profile's three passwords (SQL, REST, PgBouncer), asynchronously and one after
// the other: first from the session-only store (passwords given while no keychain was there),
// then from the keychain. Whatever the stores say, `done` runs once after the last read, with
// the passwords found (a missing one is normal: libpq may find it in ~/.pgpass) and the first
// problem other than "not found" (empty when none). Nothing runs once `context` is gone.
void readProfileSecrets(
    QObject *context, services::SecretStore *sessionStore, services::SecretStore *keychain,
    const services::ClusterProfile &profile,
    std::function<void(const services::ClusterMonitor::Secrets &, const QString &problem)> done);

} // namespace vigil::app
