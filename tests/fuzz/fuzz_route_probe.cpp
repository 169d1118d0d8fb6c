// The route probe's row (resources/sql/route_probe.sql, read by readRouteProbe): what a client
// reaches through PgBouncer or HAProxy, with the server's databases as a JSON array in a cell.
#include "fuzzsupport.h"
#include "services/proxies/clientroute.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList columns = vigil::fuzz::columnList(
        "in_recovery,server_addr,server_port,system_identifier,database,databases");
    ClientRoute route;
    QStringList databases;
    vigil::fuzz::refused(
        readRouteProbe(vigil::fuzz::rowsFrom(data, size, columns), route, &databases));
    return 0;
}
