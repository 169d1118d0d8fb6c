#pragma once

#include "services/core/error.h"

#include <QString>
#include <atomic>

namespace vigil::services {

// Read-only mode, enforced below the UI. Every service call that changes the cluster (cancel,
// terminate, switchover, restart, config changes, ...) asks check() first and, when refused,
// returns the ServiceError (kind Refused) to its caller without touching anything. Hiding or
// disabling buttons is a convenience on top; this is the guarantee.
//
// One guard per open cluster, shared (std::shared_ptr) by every service of that cluster.
// Thread-safe: the flag is atomic.
class ReadOnlyGuard
{
public:
    explicit ReadOnlyGuard(bool readOnly = false)
        : m_readOnly(readOnly)
    {
    }

    void setReadOnly(bool readOnly) { m_readOnly.store(readOnly); }
    bool isReadOnly() const { return m_readOnly.load(); }

    // No error when the action may run; otherwise a Refused error naming the action, e.g.
    // check(Tr::tr("terminate session 4711")).
    ServiceError check(const QString &action) const;

private:
    std::atomic<bool> m_readOnly;
};

} // namespace vigil::services
