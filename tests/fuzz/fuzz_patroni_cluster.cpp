// GET /cluster's answer (parsePatroniCluster), and what the monitor reads from it next.
#include "fuzzsupport.h"
#include "services/patroni/patronitypes.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Result<PatroniCluster> parsed = parsePatroniCluster(vigil::fuzz::bytes(data, size));
    if (!parsed.ok()) {
        (void)parsed.error().toText();
        return 0;
    }
    if (const PatroniMember *leader = parsed->leader())
        (void)leader->apiBaseUrl();
    for (const PatroniMember &m : parsed->members) {
        (void)m.apiBaseUrl();
        (void)m.noFailover();
        (void)m.noLoadBalance();
        (void)roleName(m.role);
        (void)isHealthyReplicaState(m.state);
    }
    return 0;
}
