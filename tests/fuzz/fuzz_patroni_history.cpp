// GET /history's answer, the timeline switches (parsePatroniHistory).
#include "fuzzsupport.h"
#include "services/patroni/patronitypes.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto parsed = parsePatroniHistory(vigil::fuzz::bytes(data, size));
    if (!parsed.ok())
        (void)parsed.error().toText();
    return 0;
}
