// HAProxy's stats CSV (parseHaproxyCsv), and the lookups the monitor makes in it.
#include "fuzzsupport.h"
#include "services/proxies/haproxystatsclient.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Result<HaproxyStats> parsed = parseHaproxyCsv(vigil::fuzz::bytes(data, size));
    if (!parsed.ok()) {
        (void)parsed.error().toText();
        return 0;
    }
    for (const HaproxyStatRow &row : parsed->rows) {
        (void)row.isUp();
        (void)parsed->servers(row.proxy);
        (void)parsed->backend(row.proxy);
    }
    return 0;
}
