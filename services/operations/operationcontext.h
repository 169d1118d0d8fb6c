#pragma once

#include "services/core/auditlog.h"
#include "services/core/readonlyguard.h"
#include "services/monitor/clustermonitor.h"
#include "services/patroni/patroniclient.h"
#include "services/settings/clusterprofile.h"

#include <QUrl>
#include <memory>

class QNetworkAccessManager;

namespace vigil::services {

// What every guided operation (switchover, failover, member actions, config changes) needs,
// handed in by the composition root (main window or headless command). The same context drives
// the wizards and the `vigil switchover/failover/...` commands, so both run the same code.
struct OperationContext
{
    QNetworkAccessManager *nam = nullptr; // the application's one manager; outlives the runners
    ClusterProfile profile;
    ClusterMonitor::Secrets secrets; // in memory only
    // Read-only mode, enforced here below the UI. A null guard refuses everything (fail safe).
    std::shared_ptr<ReadOnlyGuard> guard;
    // Where executed actions are appended. Null: the action is refused (nothing runs unlogged).
    std::shared_ptr<AuditLog> audit;

    // Patroni REST endpoint of one member (baseUrl scheme://host:port) with the profile's
    // credentials and TLS settings.
    PatroniEndpoint endpoint(const QUrl &baseUrl) const
    {
        return restEndpoint(profile, secrets, baseUrl);
    }

    // Refused (read-only, no guard, or no audit log), or no error when `action` may run.
    ServiceError mayRun(const QString &action) const
    {
        if (!guard)
            return ServiceError::make(ServiceError::Kind::Refused, action, {}, {},
                                      Tr::tr("No read-only guard is configured, so Vigil refuses "
                                             "every action; nothing was changed."));
        if (ServiceError e = guard->check(action))
            return e;
        if (!audit)
            return ServiceError::make(ServiceError::Kind::Refused, action, {}, {},
                                      Tr::tr("No audit log is configured, so Vigil refuses the "
                                             "action; nothing was changed."));
        return {};
    }
};

} // namespace vigil::services
