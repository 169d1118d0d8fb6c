#include "services/core/readonlyguard.h"

namespace vigil::services {

ServiceError ReadOnlyGuard::check(const QString &action) const
{
    if (!isReadOnly())
        return {};
    return ServiceError::make(ServiceError::Kind::Refused, action, {}, {},
                              Tr::tr("Vigil is in read-only mode; nothing was changed."));
}

} // namespace vigil::services
