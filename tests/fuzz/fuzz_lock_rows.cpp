// The blocker tree's rows (resources/sql/locks_tree.sql, LockService::parse) and the waiting
// sessions' lock details (locks_waiting.sql, LockService::parseDetails), merged and indexed as
// the lock view does. The same input is read under both queries' columns.
#include "fuzzsupport.h"
#include "services/diagnostics/lockservice.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList tree =
        QStringLiteral("root,pid,parent,depth,in_cycle,direct,total,blocked_by,backend_start,"
                       "usename,datname,application_name,client_addr,state,wait_event_type,"
                       "wait_event,backend_type,xact_age_s,wait_s,lock_type,query")
            .split(QLatin1Char(','));
    static const QStringList waiting =
        QStringLiteral("pid,lock_mode,lock_type,wait_s,relation,lock_target")
            .split(QLatin1Char(','));
    Result<LockTreeSnapshot> parsed = LockService::parse(vigil::fuzz::rowsFrom(data, size, tree));
    if (!parsed.ok()) {
        (void)parsed.error().toText();
        return 0;
    }
    LockTreeSnapshot &snapshot = parsed.value();
    LockService::mergeDetails(
        snapshot, LockService::parseDetails(vigil::fuzz::rowsFrom(data, size, waiting)));
    snapshot.buildIndex();
    for (const LockNode &n : snapshot.nodes) {
        (void)snapshot.node(n.pid);
        (void)snapshot.node(n.parent);
        for (int blocker : n.blockedBy)
            (void)snapshot.node(blocker);
    }
    (void)snapshot.rootCount();
    (void)snapshot.waitingCount();
    return 0;
}
