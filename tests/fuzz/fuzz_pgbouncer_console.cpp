// PgBouncer's SHOW STATS, SHOW CLIENTS / SHOW SERVERS and SHOW CONFIG rows (the PgBouncer view's
// readers: parsePgBouncerStats, parsePgBouncerConnections, parsePgBouncerConfig). Each input is
// read by all three, each under the columns PgBouncer 1.18 sends in the recorded fixtures
// (tests/fixtures/pgbouncer/show_{stats,clients,servers,config}.csv); a '#' first line names
// other columns for all of them.
#include "fuzzsupport.h"
#include "services/proxies/pgbouncertypes.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList stats = vigil::fuzz::columnList(
        "database,total_xact_count,total_query_count,total_received,total_sent,total_xact_time,"
        "total_query_time,total_wait_time,avg_xact_count,avg_query_count,avg_recv,avg_sent,"
        "avg_xact_time,avg_query_time,avg_wait_time");
    static const QStringList connections = vigil::fuzz::columnList(
        "type,user,database,state,addr,port,local_addr,local_port,connect_time,request_time,wait,"
        "wait_us,close_needed,ptr,link,remote_pid,tls,application_name");
    static const QStringList config = vigil::fuzz::columnList("key,value,default,changeable");
    vigil::fuzz::refused(parsePgBouncerStats(vigil::fuzz::rowsFrom(data, size, stats)));
    vigil::fuzz::refused(parsePgBouncerConnections(vigil::fuzz::rowsFrom(data, size, connections),
                                                   QStringLiteral("SHOW CLIENTS")));
    vigil::fuzz::refused(parsePgBouncerConfig(vigil::fuzz::rowsFrom(data, size, config)));
    return 0;
}
