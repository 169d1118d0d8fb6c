// PgBouncer's SHOW POOLS rows (parsePgBouncerPools), under the columns PgBouncer 1.x sends in
// the recorded fixture (tests/fixtures/pgbouncer/show_pools.csv).
#include "fuzzsupport.h"
#include "services/proxies/pgbouncerclient.h"

using namespace vigil::services;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    vigil::fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList columns =
        QStringLiteral("database,user,cl_active,cl_waiting,"
                       "cl_active_cancel_req,cl_waiting_cancel_req,sv_active,"
                       "sv_active_cancel,sv_being_canceled,sv_idle,sv_used,"
                       "sv_tested,sv_login,maxwait,maxwait_us,pool_mode")
            .split(QLatin1Char(','));
    const auto parsed = parsePgBouncerPools(vigil::fuzz::rowsFrom(data, size, columns));
    if (!parsed.ok())
        (void)parsed.error().toText();
    return 0;
}
