#pragma once

#include "services/monitor/clustersnapshot.h"

namespace vigil::services {

// Names the member each probed route reached (ClientRoute::member), from what the probe saw of
// the server: the system identifier must be the cluster's (from the members' /patroni; a route
// that reached another one is marked otherCluster), then the server's address and port must be
// a member's; when the address is not comparable (a name, or a NAT), a port only one member uses
// decides, then the recovery state when only one member has it (the one primary). Pure.
void matchRouteMembers(QList<ClientRoute> &routes, const QList<MemberSnapshot> &members);

} // namespace vigil::services
