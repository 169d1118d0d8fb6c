#pragma once

#include "services/monitor/clustersnapshot.h"
#include "services/monitor/findingthresholds.h"

#include <QList>

namespace vigil::services {

// The leader of the DCS view answers on neither channel (refused or hung, not a refused
// login): its processes or its host are gone, while Patroni keeps it as leader until its key
// expires.
bool leaderIsDown(const ClusterSnapshot &s);

// The findings of a failover (part of deriveFindings): PrimaryDown while the leader is down
// ("Leader node1 is down; Patroni fails over when its key expires in ≈N s (ttl ...)"), and
// FailedOver for failoverNoticeSeconds after the leader changed ("... failed over to node3
// after N s", or information for a switchover). Unsorted; deriveFindings orders them.
QList<Finding> failoverFindings(const ClusterSnapshot &s, const FindingThresholds &t);

} // namespace vigil::services
