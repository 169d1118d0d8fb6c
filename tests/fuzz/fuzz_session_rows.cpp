// The session rows of the Sessions view: pg_stat_activity (resources/sql/activity.sql,
// SessionsService::parseSessions, then the terminate-idle wizard's preview), one session's locks
// (locks_held.sql, parseLocks) and the outcomes of a cancel/terminate (terminate.sql,
// parseOutcomes). The same input is read under each query's columns.
#include "fuzzsupport.h"
#include "services/diagnostics/sessionsservice.h"

using namespace vigil::services;

VIGIL_FUZZ_QUIET_QT_INITIALIZE()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QStringList activity =
        QStringLiteral("pid,backend_start,usename,datname,application_name,client_addr,"
                       "client_hostname,client_port,state,wait_event_type,wait_event,backend_type,"
                       "backend_start_display,xact_start,query_start,backend_age_s,xact_age_s,"
                       "query_age_s,state_age_s,blocked_by,is_self,query")
            .split(QLatin1Char(','));
    static const QStringList held =
        QStringLiteral("locktype,mode,granted,relation,target,wait_s").split(QLatin1Char(','));
    static const QStringList outcomes =
        QStringLiteral("pid,backend_start,application_name,usename,current_state,"
                       "current_backend_start,outcome")
            .split(QLatin1Char(','));
    const auto sessions =
        SessionsService::parseSessions(vigil::fuzz::rowsFrom(data, size, activity));
    if (sessions.ok()) {
        IdleCriteria criteria;
        criteria.idleInTransactionSeconds = 60.0;
        criteria.applicationPattern = QStringLiteral("hokm%");
        (void)SessionsService::planIdleTermination(sessions.value(), criteria);
        for (const SessionRow &row : sessions.value()) {
            (void)row.relevantAge();
            (void)row.isVigil();
        }
    } else {
        (void)sessions.error().toText();
    }
    (void)SessionsService::parseLocks(vigil::fuzz::rowsFrom(data, size, held));
    for (const SignalOutcome &o :
         SessionsService::parseOutcomes(vigil::fuzz::rowsFrom(data, size, outcomes))) {
        (void)o.describe(SignalAction::Cancel);
        (void)o.describe(SignalAction::Terminate);
    }
    return 0;
}
