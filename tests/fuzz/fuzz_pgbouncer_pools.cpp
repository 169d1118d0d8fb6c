// PgBouncer's SHOW POOLS rows (parsePgBouncerPools), under the columns PgBouncer 1.x sends in
// the recorded fixture (tests/fixtures/pgbouncer/show_pools.csv).
#include "fuzzsupport.h"
#include "services/proxies/pgbouncerclient.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList columns = vigil::fuzz::columnList(
        "database,user,cl_active,cl_waiting,cl_active_cancel_req,cl_waiting_cancel_req,sv_active,"
        "sv_active_cancel,sv_being_canceled,sv_idle,sv_used,sv_tested,sv_login,maxwait,maxwait_us,"
        "pool_mode");
    vigil::fuzz::refused(parsePgBouncerPools(vigil::fuzz::rowsFrom(data, size, columns)));
    return 0;
}
