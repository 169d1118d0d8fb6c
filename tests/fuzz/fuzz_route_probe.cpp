// The route probe's row (resources/sql/route_probe.sql, read by readRouteProbe): what a client
// reaches through PgBouncer or HAProxy, with the server's databases as a JSON array in a cell.
#include "fuzzsupport.h"
#include "services/proxies/clientroute.h"

using namespace vigil::services;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    vigil::fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList columns =
        QStringLiteral("in_recovery,server_addr,server_port,system_identifier,database,databases")
            .split(QLatin1Char(','));
    ClientRoute route;
    QStringList databases;
    const ServiceError error =
        readRouteProbe(vigil::fuzz::rowsFrom(data, size, columns), route, &databases);
    if (error)
        (void)error.toText();
    return 0;
}
