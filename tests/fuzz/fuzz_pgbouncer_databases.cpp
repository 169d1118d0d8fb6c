// PgBouncer's SHOW DATABASES rows (parsePgBouncerDatabases) and the client routes made of them
// (routesFor), under the columns of the recorded fixture (tests/fixtures/pgbouncer).
#include "fuzzsupport.h"
#include "services/proxies/clientroute.h"
#include "services/proxies/pgbouncerclient.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList columns = vigil::fuzz::columnList(
        "name,host,port,database,force_user,pool_size,min_pool_size,reserve_pool,pool_mode,"
        "max_connections,current_connections,paused,disabled");
    const auto parsed = parsePgBouncerDatabases(vigil::fuzz::rowsFrom(data, size, columns));
    if (vigil::fuzz::refused(parsed))
        return 0;
    static const QStringList members = {QStringLiteral("127.0.0.1:57310"),
                                        QStringLiteral("127.0.0.1:57311")};
    (void)routesFor(parsed.value(), QStringLiteral("postgres"), members);
    (void)fallbackProbeDatabase({QStringLiteral("hokm_game"), QStringLiteral("postgres")},
                                parsed.value());
    return 0;
}
