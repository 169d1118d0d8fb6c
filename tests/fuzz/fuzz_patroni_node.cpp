// GET /patroni's answer, a member's view of itself (parsePatroniNodeStatus).
#include "fuzzsupport.h"
#include "services/patroni/patronitypes.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Result<PatroniNodeStatus> parsed = parsePatroniNodeStatus(vigil::fuzz::bytes(data, size));
    if (!parsed.ok()) {
        (void)parsed.error().toText();
        return 0;
    }
    (void)roleName(parsed->role);
    (void)isRunningState(parsed->state);
    return 0;
}
