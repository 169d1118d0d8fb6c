#pragma once

#include "services/monitor/clustersnapshot.h"

#include <QtGlobal>
#include <optional>

namespace vigil::services {

// When a member's GET /patroni is asked (issue 13, "lighter on the leader"). Each GET /patroni
// makes Patroni run a query on its PostgreSQL (pg_stat_get_wal_senders() joined with
// pg_stat_get_activity(pid): about 2 ms at 1,000 backends, as much as Vigil's own probe), while
// the SQL probe already tells every cycle what /patroni would mostly repeat: the role (in
// recovery or not) and the timeline. So /patroni follows the slow cadence GET /cluster uses
// (clusterIntervalMs) while the member's SQL agrees with its last answer, and is asked at once
// when they disagree, when the SQL probe failed, or when the DCS contact it reports is late.
//
// Pure functions of the member's last known state: ClusterMemberProbe decides with them, once
// when the cycle's REST requests go out and again when the SQL probe answers or the DCS view
// changes (a skipped request is then sent after all).

// Why GET /patroni is (or is not) asked in a cycle; every value but Skip means "ask now".
enum class RestPoll
{
    Skip,        // the last answer is recent and the member's SQL agrees with it
    Forced,      // the poller wants fresh data (pollOnce, start, a critical or DCS finding)
    NoAnswerYet, // never answered, the last request failed, or the member moved
    NotInDcs,    // absent from the DCS view: its own REST API is where its role comes from
    NoSql,       // no SQL channel to check the answer by (no SQL address known)
    SqlFailed,   // the SQL probe failed or did not answer: /patroni is the one view left
    NotRunning,  // Patroni's state is not "running" (starting, restarting, stopped, ...)
    Disagrees,   // SQL, /patroni and the DCS view differ on role, timeline or recovery
    DcsLate,     // the last answer's DCS contact was older than loop_wait + 1 s: watch it
    Cadence,     // the slow cadence has come round
};

struct RestCadence
{
    bool forced = false;
    qint64 sinceAskedMs = -1;    // since the last answered GET /patroni was sent; -1: never
    int stateIntervalMs = 1000;  // the cycle interval
    int slowIntervalMs = 5000;   // clusterIntervalMs
    qint64 loopWaitSeconds = 10; // Patroni's loop_wait (its default while /config is unknown)
};

RestPoll restPollReason(const MemberSnapshot &m, const RestCadence &c);

// The member's own SQL (pg_is_in_recovery(), the WAL receiver's timeline) and the DCS view
// agree with its last /patroni answer. False when there is no answer or no SQL result.
bool restAgreesWithSql(const MemberSnapshot &m);

// How many seconds before its own answer the member's Patroni last reached the DCS
// (dcs_last_seen against the time the /patroni answer came, rest.lastOk; `fallback` when that
// is unknown): what the answer says, however long ago it came. Unset without an answer that
// carries dcs_last_seen.
std::optional<qint64> dcsAgeAtAnswer(const MemberSnapshot &m, const QDateTime &fallback = {});

} // namespace vigil::services
