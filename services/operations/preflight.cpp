#include "services/operations/preflight.h"

#include "services/core/error.h"
#include "services/core/formatting.h"

#include <algorithm>

namespace vigil::services {

namespace {

using Verdict = PreflightCheck::Verdict;

// Patroni's default when /config does not set it.
constexpr qint64 kDefaultMaximumLagOnFailover = 1048576;
// PgBouncer's default server_login_retry, in seconds.
constexpr int kDefaultServerLoginRetry = 15;

PreflightCheck check(const char *id, const QString &title, Verdict v, const QString &sentence)
{
    return PreflightCheck{QLatin1String(id), title, v, sentence};
}

const ReplicationStat *senderRowFor(const ClusterSnapshot &s, const QString &name)
{
    for (const auto &m : s.members)
        for (const auto &r : m.replication)
            if (r.applicationName == name)
                return &r;
    return nullptr;
}

// Streaming evidence: the sender's walsender row or the member's own WAL receiver.
std::optional<bool> isStreaming(const ClusterSnapshot &s, const MemberSnapshot &m)
{
    if (const ReplicationStat *row = senderRowFor(s, m.name))
        return row->state == QLatin1String("streaming");
    if (m.sql.ok() && m.walReceiver)
        return m.walReceiver->status == QLatin1String("streaming");
    if (m.sql.ok() && m.inRecovery.value_or(false))
        return false;
    return std::nullopt;
}

qint64 maxLagOf(const PreflightInput &in)
{
    if (in.config && in.config->maximumLagOnFailover)
        return *in.config->maximumLagOnFailover;
    if (in.snapshot->dynamicConfig && in.snapshot->dynamicConfig->maximumLagOnFailover)
        return *in.snapshot->dynamicConfig->maximumLagOnFailover;
    return kDefaultMaximumLagOnFailover;
}

std::optional<PatroniConfig> configOf(const PreflightInput &in)
{
    if (in.config)
        return in.config;
    return in.snapshot->dynamicConfig;
}

// Can Patroni promote this replica? An empty string when yes, else the reason (a sentence).
QString ineligibility(const ClusterSnapshot &s, const MemberSnapshot &m, qint64 maxLag)
{
    if (m.isLeader())
        return Tr::tr("%1 is the leader itself.").arg(m.name);
    if (!m.inDcs)
        return Tr::tr("%1 is not registered in the DCS.").arg(m.name);
    if (!m.rest.ok())
        return Tr::tr("%1's Patroni REST API does not answer.").arg(m.name);
    if (!isHealthyReplicaState(m.state))
        return Tr::tr("%1 is not running (Patroni state: %2).").arg(m.name, m.state);
    if (m.tags.value(QStringLiteral("nofailover")).toBool())
        return Tr::tr("%1 carries the nofailover tag.").arg(m.name);
    if (m.lagBytes && *m.lagBytes > maxLag)
        return Tr::tr("%1 is %2 behind as Patroni judges it, over maximum_lag_on_failover.")
            .arg(m.name, formatBytes(*m.lagBytes));
    if (isStreaming(s, m) == std::optional<bool>(false))
        return Tr::tr("%1 is not streaming from the leader.").arg(m.name);
    return {};
}

QString lagExplanation(int loopWait)
{
    return Tr::tr("Patroni judges lag against the leader's WAL position that it last wrote to the "
                  "DCS (every loop_wait, %1 s here), not against pg_stat_replication: a replica "
                  "that shows 0 bytes of replay lag there can still be refused when that cached "
                  "position is ahead of it, e.g. right after a burst of writes, or when the "
                  "candidate's own report to the DCS is stale.")
        .arg(loopWait);
}

} // namespace

QString verdictName(PreflightCheck::Verdict v)
{
    switch (v) {
    case Verdict::Green:
        return QStringLiteral("green");
    case Verdict::Amber:
        return QStringLiteral("amber");
    case Verdict::Red:
        return QStringLiteral("red");
    }
    return {};
}

PreflightCheck::Verdict worstVerdict(const QList<PreflightCheck> &checks)
{
    Verdict w = Verdict::Green;
    for (const auto &c : checks)
        w = std::max(w, c.verdict);
    return w;
}

namespace {

// What every check of a switchover reads: the input and the user's choice, plus what is derived
// from them once.
struct SwitchoverFacts
{
    const PreflightInput &in;
    const SwitchoverChoice &choice;
    const ClusterSnapshot &s;
    const MemberSnapshot *leader = nullptr;
    qint64 maxLag = kDefaultMaximumLagOnFailover;
    std::optional<PatroniConfig> config;
    int loopWait = 10;
    // The replica the switchover would promote: the named one (unless it is the leader), or,
    // with none named, the eligible one with the least lag. Null when there is none.
    const MemberSnapshot *candidate = nullptr;
};

// The replicas Patroni may promote when no candidate is named, and why the others may not.
struct Eligibility
{
    QStringList eligible;
    QStringList refused;                  // one sentence per refused replica
    const MemberSnapshot *best = nullptr; // the eligible one with the least lag
};

Eligibility eligibility(const ClusterSnapshot &s, qint64 maxLag)
{
    Eligibility e;
    for (const auto &m : s.members) {
        if (m.isLeader())
            continue;
        const QString why = ineligibility(s, m, maxLag);
        if (why.isEmpty()) {
            e.eligible << m.name;
            if (!e.best || m.lagBytes.value_or(0) < e.best->lagBytes.value_or(0))
                e.best = &m;
        } else {
            e.refused << why;
        }
    }
    return e;
}

SwitchoverFacts switchoverFacts(const PreflightInput &in, const SwitchoverChoice &choice)
{
    SwitchoverFacts f{in, choice, *in.snapshot};
    f.leader = f.s.leader();
    f.maxLag = maxLagOf(in);
    f.config = configOf(in);
    f.loopWait = f.config && f.config->loopWait ? *f.config->loopWait : 10;
    if (choice.candidate.isEmpty()) {
        f.candidate = eligibility(f.s, f.maxLag).best;
    } else {
        f.candidate = f.s.member(choice.candidate);
        if (f.candidate && f.candidate->isLeader())
            f.candidate = nullptr;
    }
    return f;
}

// One function per check id, in the order the wizard shows them (see kSwitchoverChecks). A check
// that does not apply (no candidate, nothing scheduled) returns nothing.
using CheckResult = std::optional<PreflightCheck>;

CheckResult leaderCheck(const SwitchoverFacts &f)
{
    const MemberSnapshot *leader = f.leader;
    if (!leader)
        return check("leader", Tr::tr("Leader"), Verdict::Red,
                     Tr::tr("No member holds the leader key: a switchover needs a running leader. "
                            "Use the emergency failover instead."));
    if (!leader->rest.ok() || !isRunningState(leader->state))
        return check("leader", Tr::tr("Leader"), Verdict::Red,
                     Tr::tr("The leader %1 is not healthy (Patroni state %2, REST API %3): a "
                            "switchover needs it to shut down cleanly. Use the emergency failover "
                            "instead.")
                         .arg(leader->name, leader->state,
                              leader->rest.ok() ? Tr::tr("answering") : Tr::tr("not answering")));
    return check("leader", Tr::tr("Leader"), Verdict::Green,
                 Tr::tr("%1 is the leader, running on timeline %2.")
                     .arg(leader->name, leader->timeline ? QString::number(*leader->timeline)
                                                         : Tr::tr("unknown")));
}

CheckResult membersReachableCheck(const SwitchoverFacts &f)
{
    const ClusterSnapshot &s = f.s;
    QStringList down;
    for (const auto &m : s.members)
        if (!m.rest.ok() || (!m.sql.ok() && m.sql.state != ChannelStatus::State::Unknown))
            down << m.name;
    if (!s.discovery.ok())
        return check("members_reachable", Tr::tr("Members reachable"), Verdict::Amber,
                     Tr::tr("The cluster view (GET /cluster) could not be read in the last "
                            "cycle: %1")
                         .arg(s.discovery.error.toText()));
    if (!down.isEmpty())
        return check("members_reachable", Tr::tr("Members reachable"), Verdict::Amber,
                     Tr::tr("Not every member answers over REST and SQL: %1. They cannot be "
                            "verified before or after the switchover.")
                         .arg(down.join(QStringLiteral(", "))));
    return check(
        "members_reachable", Tr::tr("Members reachable"), Verdict::Green,
        Tr::tr("All %n member(s) answer over REST and SQL.", nullptr, int(s.members.size())));
}

CheckResult pausedCheck(const SwitchoverFacts &f)
{
    if (f.s.paused)
        return check("paused", Tr::tr("Maintenance mode"), Verdict::Red,
                     Tr::tr("The cluster is paused (maintenance mode): Patroni does not manage "
                            "PostgreSQL, refuses a scheduled switchover, accepts an immediate one "
                            "only to a named candidate, and does not bring the old leader back as "
                            "a replica by itself. Resume the cluster first."));
    return check("paused", Tr::tr("Maintenance mode"), Verdict::Green,
                 Tr::tr("The cluster is not paused: Patroni manages the switchover end to end."));
}

CheckResult scheduledSwitchoverCheck(const SwitchoverFacts &f)
{
    const auto &sw = f.s.scheduledSwitchover;
    if (!sw)
        return std::nullopt;
    return check("scheduled_switchover", Tr::tr("Scheduled switchover"), Verdict::Red,
                 Tr::tr("A switchover is already scheduled for %1 (from %2 to %3); Patroni "
                        "keeps only one. Cancel it first.")
                     .arg(sw->at.toString(Qt::ISODate), sw->from,
                          sw->to.isEmpty() ? Tr::tr("a member of Patroni's choice") : sw->to));
}

CheckResult scheduleCheck(const SwitchoverFacts &f)
{
    const QDateTime &at = f.choice.scheduledAt;
    if (!at.isValid() || !f.s.takenAt.isValid() || at > f.s.takenAt)
        return std::nullopt;
    return check("schedule", Tr::tr("Schedule"), Verdict::Red,
                 Tr::tr("The chosen time %1 is in the past.").arg(at.toString(Qt::ISODate)));
}

// candidate_state when no candidate is named: Patroni chooses among the eligible replicas.
PreflightCheck chosenByPatroniCheck(const SwitchoverFacts &f)
{
    const Eligibility e = eligibility(f.s, f.maxLag);
    if (e.eligible.isEmpty())
        return check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                     Tr::tr("No replica qualifies for promotion, so Patroni would refuse: %1")
                         .arg(e.refused.join(QLatin1Char(' '))));
    return check("candidate_state", Tr::tr("Candidate"), Verdict::Green,
                 Tr::tr("Patroni will choose among %1 (running and streaming).")
                     .arg(e.eligible.join(QStringLiteral(", "))));
}

// candidate_state of a named candidate that is a member of the cluster.
PreflightCheck namedCandidateCheck(const SwitchoverFacts &f, const MemberSnapshot &cand)
{
    if (cand.isLeader())
        return check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                     Tr::tr("%1 is already the leader.").arg(cand.name));
    if (!cand.rest.ok() || !cand.inDcs)
        return check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                     Tr::tr("%1 does not answer over its Patroni REST API; Patroni would not "
                            "find it a good candidate.")
                         .arg(cand.name));
    if (!isHealthyReplicaState(cand.state))
        return check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                     Tr::tr("%1 is not running (Patroni state: %2).").arg(cand.name, cand.state));
    const std::optional<bool> streaming = isStreaming(f.s, cand);
    if (!streaming)
        return check("candidate_state", Tr::tr("Candidate"), Verdict::Amber,
                     Tr::tr("%1 is running, but whether it streams from the leader could "
                            "not be verified over SQL.")
                         .arg(cand.name));
    if (!*streaming)
        return check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                     Tr::tr("%1 is running but not streaming from the leader; it may be "
                            "far behind or replaying from the archive.")
                         .arg(cand.name));
    return check("candidate_state", Tr::tr("Candidate"), Verdict::Green,
                 Tr::tr("%1 is running and streaming from the leader.").arg(cand.name));
}

CheckResult candidateStateCheck(const SwitchoverFacts &f)
{
    if (f.choice.candidate.isEmpty())
        return chosenByPatroniCheck(f);
    if (const MemberSnapshot *named = f.s.member(f.choice.candidate))
        return namedCandidateCheck(f, *named);
    return check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                 Tr::tr("%1 is not a member of this cluster; Patroni would answer "
                        "\"candidate does not exists\".")
                     .arg(f.choice.candidate));
}

// The candidate's lag as Patroni will judge it.
CheckResult candidateLagCheck(const SwitchoverFacts &f)
{
    const MemberSnapshot *cand = f.candidate;
    if (!cand)
        return std::nullopt;
    const QString limit = formatBytes(f.maxLag);
    const QString why = lagExplanation(f.loopWait);
    if (!cand->lagBytes)
        return check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Amber,
                     Tr::tr("Patroni reports %1's lag as unknown, so it cannot be compared with "
                            "maximum_lag_on_failover (%2). %3")
                         .arg(cand->name, limit, why));
    const QString lag = formatBytes(*cand->lagBytes);
    const QString streamLag =
        cand->replayLagBytes ? formatBytes(*cand->replayLagBytes) : Tr::tr("unknown");
    if (*cand->lagBytes > f.maxLag)
        return check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Red,
                     Tr::tr("%1 is %2 behind as Patroni judges it (pg_stat_replication: %3), "
                            "more than maximum_lag_on_failover (%4): Patroni would refuse to "
                            "promote it. %5")
                         .arg(cand->name, lag, streamLag, limit, why));
    if (*cand->lagBytes * 2 > f.maxLag)
        return check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Amber,
                     Tr::tr("%1 is %2 behind as Patroni judges it (pg_stat_replication: %3), "
                            "over half of maximum_lag_on_failover (%4); it may cross the limit "
                            "before the switchover. %5")
                         .arg(cand->name, lag, streamLag, limit, why));
    return check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Green,
                 Tr::tr("%1 is %2 behind as Patroni judges it (pg_stat_replication: %3), "
                        "within maximum_lag_on_failover (%4). %5")
                     .arg(cand->name, lag, streamLag, limit, why));
}

CheckResult candidateTagsCheck(const SwitchoverFacts &f)
{
    const MemberSnapshot *cand = f.candidate;
    if (!cand)
        return std::nullopt;
    if (cand->tags.value(QStringLiteral("nofailover")).toBool())
        return check("candidate_tags", Tr::tr("Candidate tags"), Verdict::Red,
                     Tr::tr("%1 carries the nofailover tag: Patroni never promotes it. Choose "
                            "another candidate or remove the tag in its patroni.yml.")
                         .arg(cand->name));
    if (cand->tags.value(QStringLiteral("noloadbalance")).toBool())
        return check("candidate_tags", Tr::tr("Candidate tags"), Verdict::Amber,
                     Tr::tr("%1 carries the noloadbalance tag: it can be promoted, but it was "
                            "kept out of read load balancing, perhaps for a reason (weaker "
                            "hardware, backups).")
                         .arg(cand->name));
    return check("candidate_tags", Tr::tr("Candidate tags"), Verdict::Green,
                 Tr::tr("%1 carries neither nofailover nor noloadbalance.").arg(cand->name));
}

CheckResult candidatePendingRestartCheck(const SwitchoverFacts &f)
{
    const MemberSnapshot *cand = f.candidate;
    if (!cand)
        return std::nullopt;
    if (cand->pendingRestart)
        return check("candidate_pending_restart", Tr::tr("Pending restart"), Verdict::Amber,
                     Tr::tr("%1 has a pending restart: as leader it would run with settings "
                            "that differ from the configuration until it is restarted.")
                         .arg(cand->name));
    return check("candidate_pending_restart", Tr::tr("Pending restart"), Verdict::Green,
                 Tr::tr("%1 has no pending restart.").arg(cand->name));
}

CheckResult synchronousModeCheck(const SwitchoverFacts &f)
{
    if (!f.config)
        return check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Amber,
                     Tr::tr("The dynamic configuration could not be read, so synchronous-mode "
                            "constraints were not checked."));
    if (!f.config->synchronousMode)
        return check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Green,
                     Tr::tr("Synchronous mode is off. A planned switchover still loses nothing: "
                            "the old leader shuts down cleanly and sends all its WAL first."));
    QStringList syncs;
    for (const auto &m : f.s.members)
        if (m.role == PatroniRole::SyncStandby)
            syncs << m.name;
    if (f.candidate && f.candidate->role != PatroniRole::SyncStandby)
        return check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Red,
                     Tr::tr("Synchronous mode is on and %1 is not the synchronous standby "
                            "(%2): Patroni only switches over to a synchronous standby.")
                         .arg(f.candidate->name,
                              syncs.isEmpty() ? Tr::tr("none") : syncs.join(QStringLiteral(", "))));
    if (f.config->synchronousModeStrict && f.s.members.size() < 3)
        return check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Amber,
                     Tr::tr("Strict synchronous mode is on: until the old leader streams again "
                            "as the new synchronous standby, writes on the new leader block."));
    return check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Green,
                 Tr::tr("Synchronous mode is on and the candidate is a synchronous standby."));
}

// What the switchover cuts on the leader.
CheckResult leaderTransactionsCheck(const SwitchoverFacts &f)
{
    if (!f.in.leaderSessions)
        return check("leader_transactions", Tr::tr("Leader transactions"), Verdict::Amber,
                     Tr::tr("Long-running and prepared transactions on the leader could not be "
                            "checked: %1")
                         .arg(f.in.leaderSessionsError.isEmpty() ? Tr::tr("no answer")
                                                                 : f.in.leaderSessionsError));
    const LeaderActivity &a = *f.in.leaderSessions;
    QStringList issues;
    if (a.longTransactions > 0)
        issues << Tr::tr("%n transaction(s) open longer than %1 s (the oldest for %2 s) will "
                         "be cut and rolled back.",
                         nullptr, int(a.longTransactions))
                      .arg(f.in.longTransactionSeconds)
                      .arg(a.oldestTransactionSeconds);
    if (a.preparedTransactions > 0)
        issues << Tr::tr("%n prepared transaction(s) will stay behind on the old leader and "
                         "must be committed or rolled back there.",
                         nullptr, int(a.preparedTransactions));
    if (!issues.isEmpty())
        return check("leader_transactions", Tr::tr("Leader transactions"), Verdict::Amber,
                     issues.join(QLatin1Char(' ')));
    return check("leader_transactions", Tr::tr("Leader transactions"), Verdict::Green,
                 Tr::tr("No long-running or prepared transactions on the leader; its %n "
                        "client session(s) will be disconnected.",
                        nullptr, int(a.clientSessions)));
}

// pgbouncer when PgBouncer's console answered SHOW CONFIG: what its clients will see.
PreflightCheck pgbouncerClientsCheck(const SwitchoverFacts &f)
{
    const auto &cfg = *f.in.pgbouncerConfig;
    const QString mode = cfg.value(QStringLiteral("pool_mode"), QStringLiteral("session"));
    bool retryOk = false;
    int retry = cfg.value(QStringLiteral("server_login_retry")).toInt(&retryOk);
    if (!retryOk)
        retry = kDefaultServerLoginRetry;
    qint64 clients = 0;
    for (const auto &p : f.s.pgbouncer.pools)
        if (p.database != QLatin1String("pgbouncer"))
            clients += p.clientsActive + p.clientsWaiting;
    if (f.choice.pauseClients)
        return check("pgbouncer", Tr::tr("PgBouncer"), Verdict::Green,
                     Tr::tr("%n client(s) use PgBouncer (pool_mode %1). They will be paused: "
                            "running transactions finish first, new ones wait and then run on "
                            "the new leader, so none should see an error; they only wait for "
                            "the switchover.",
                            nullptr, int(clients))
                         .arg(mode));
    return check("pgbouncer", Tr::tr("PgBouncer"), Verdict::Amber,
                 Tr::tr("%n client(s) use PgBouncer (pool_mode %1) and will notice: a "
                        "transaction in flight at the switchover fails, and after a failed "
                        "server login PgBouncer waits server_login_retry (%2 s here, 15 s "
                        "by default) before it tries again, stalling writes. A plain "
                        "switchover in transaction mode was seen to abort a client and "
                        "stall writes for about 15 s. Choose \"pause clients during the "
                        "switchover\" to avoid both.",
                        nullptr, int(clients))
                     .arg(mode)
                     .arg(retry));
}

CheckResult pgbouncerCheck(const SwitchoverFacts &f)
{
    const bool pause = f.choice.pauseClients;
    const ChannelStatus &channel = f.s.pgbouncer.channel;
    if (!f.in.pgbouncerConfigured)
        return check(
            "pgbouncer", Tr::tr("PgBouncer"), pause ? Verdict::Red : Verdict::Green,
            pause ? Tr::tr("Clients cannot be paused: this profile has no PgBouncer console.")
                  : Tr::tr("PgBouncer is not part of this profile: clients see their "
                           "connections cut and must reconnect."));
    if (!channel.ok() || !f.in.pgbouncerConfig)
        return check("pgbouncer", Tr::tr("PgBouncer"), pause ? Verdict::Red : Verdict::Amber,
                     Tr::tr("PgBouncer's admin console could not be read (%1), so its clients and "
                            "settings were not checked%2.")
                         .arg(channel.ok() ? Tr::tr("SHOW CONFIG failed") : channel.error.toText(),
                              pause ? Tr::tr(", and it cannot be paused") : QString()));
    return pgbouncerClientsCheck(f);
}

CheckResult haproxyRoutingCheck(const SwitchoverFacts &f)
{
    const HaproxySnapshot &h = f.s.haproxy;
    if (h.channel.state == ChannelStatus::State::Unknown)
        return check("haproxy_routing", Tr::tr("HAProxy routing"), Verdict::Amber,
                     Tr::tr("HAProxy is not part of this profile: Vigil cannot verify that "
                            "clients are routed to the new leader."));
    if (!h.channel.ok())
        return check(
            "haproxy_routing", Tr::tr("HAProxy routing"),
            f.choice.pauseClients ? Verdict::Red : Verdict::Amber,
            Tr::tr("HAProxy's statistics could not be read: %1").arg(h.channel.error.toText()));
    if (!f.leader || h.readWriteServersUp != QStringList{f.leader->name})
        return check("haproxy_routing", Tr::tr("HAProxy routing"), Verdict::Red,
                     Tr::tr("HAProxy's read-write backend %1 routes to %2, not to the leader %3 "
                            "alone: fix the routing before switching over.")
                         .arg(h.readWriteBackend,
                              h.readWriteServersUp.isEmpty()
                                  ? Tr::tr("no server")
                                  : h.readWriteServersUp.join(QStringLiteral(", ")),
                              f.leader ? f.leader->name : Tr::tr("(none)")));
    return check("haproxy_routing", Tr::tr("HAProxy routing"), Verdict::Green,
                 Tr::tr("HAProxy's read-write backend %1 routes to the leader %2 only.")
                     .arg(h.readWriteBackend, f.leader->name));
}

// The switchover's pre-flight, in order (switchoverPreflight in preflight.h lists the ids).
using SwitchoverCheck = CheckResult (*)(const SwitchoverFacts &);
constexpr SwitchoverCheck kSwitchoverChecks[] = {
    leaderCheck,
    membersReachableCheck,
    pausedCheck,
    scheduledSwitchoverCheck,
    scheduleCheck,
    candidateStateCheck,
    candidateLagCheck,
    candidateTagsCheck,
    candidatePendingRestartCheck,
    synchronousModeCheck,
    leaderTransactionsCheck,
    pgbouncerCheck,
    haproxyRoutingCheck,
};

} // namespace

QList<PreflightCheck> switchoverPreflight(const PreflightInput &in, const SwitchoverChoice &choice)
{
    const SwitchoverFacts facts = switchoverFacts(in, choice);
    QList<PreflightCheck> out;
    for (const auto &run : kSwitchoverChecks)
        if (CheckResult c = run(facts))
            out << *c;
    return out;
}

FailoverAssessment assessFailover(const ClusterSnapshot &s)
{
    FailoverAssessment a;
    const MemberSnapshot *leader = s.leader();
    if (!leader)
        a.why = Tr::tr("No member holds the leader key in the DCS.");
    else if (!leader->rest.ok())
        a.why = Tr::tr("The leader %1 does not answer: %2")
                    .arg(leader->name, leader->rest.error.toText());
    else if (!isRunningState(leader->state))
        a.why = Tr::tr("The leader %1 is not running (Patroni state: %2).")
                    .arg(leader->name, leader->state);
    else
        a.leaderHealthy = true;
    if (a.leaderHealthy)
        a.why =
            Tr::tr("The leader %1 is healthy: prefer a planned switchover, which loses nothing.")
                .arg(leader->name);

    if (leader && leader->patroni && leader->patroni->walLocation)
        a.lastKnownLeaderLsn = leader->patroni->walLocation;
    for (const auto &m : s.members) {
        if (leader && m.name == leader->name)
            continue;
        FailoverCandidate c;
        c.name = m.name;
        c.state = m.state;
        if (m.patroni) {
            std::optional<qint64> lsn = m.patroni->receivedLocation;
            if (m.patroni->replayedLocation && (!lsn || *m.patroni->replayedLocation > *lsn))
                lsn = m.patroni->replayedLocation;
            if (!lsn)
                lsn = m.patroni->walLocation;
            c.lsn = lsn;
        }
        if (!m.inDcs)
            c.reason = Tr::tr("%1 is not registered in the DCS.").arg(m.name);
        else if (!m.rest.ok())
            c.reason = Tr::tr("%1's Patroni REST API does not answer.").arg(m.name);
        else if (!isHealthyReplicaState(m.state))
            c.reason = Tr::tr("%1 is not running (Patroni state: %2).").arg(m.name, m.state);
        else if (m.tags.value(QStringLiteral("nofailover")).toBool())
            c.reason = Tr::tr("%1 carries the nofailover tag.").arg(m.name);
        c.eligible = c.reason.isEmpty();
        a.candidates << c;
    }
    // The old leader wrote at least as far as any replica received: its own last report may be
    // older than theirs.
    for (const auto &c : a.candidates)
        if (c.lsn && (!a.lastKnownLeaderLsn || *c.lsn > *a.lastKnownLeaderLsn))
            a.lastKnownLeaderLsn = c.lsn;
    for (auto &c : a.candidates)
        if (c.lsn && a.lastKnownLeaderLsn)
            c.lossBytes = std::max<qint64>(0, *a.lastKnownLeaderLsn - *c.lsn);
    std::stable_sort(a.candidates.begin(), a.candidates.end(),
                     [](const FailoverCandidate &x, const FailoverCandidate &y) {
                         if (x.eligible != y.eligible)
                             return x.eligible;
                         return x.lsn.value_or(-1) > y.lsn.value_or(-1);
                     });
    return a;
}

QList<PreflightCheck> failoverPreflight(const ClusterSnapshot &s, const QString &candidate)
{
    QList<PreflightCheck> out;
    const FailoverAssessment a = assessFailover(s);
    out << check(
        "leader", Tr::tr("Leader"), a.leaderHealthy ? Verdict::Amber : Verdict::Green,
        a.leaderHealthy
            ? a.why
            : Tr::tr("%1 A failover is what this situation calls for.")
                  .arg(a.why.endsWith(QLatin1Char('.')) ? a.why : a.why + QLatin1Char('.')));
    const FailoverCandidate *c = nullptr;
    for (const auto &x : a.candidates)
        if (x.name == candidate)
            c = &x;
    if (!c) {
        out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                     Tr::tr("%1 is not a replica of this cluster.").arg(candidate));
        return out;
    }
    if (!c->eligible)
        out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red, c->reason);
    else
        out << check("candidate_state", Tr::tr("Candidate"), Verdict::Green,
                     Tr::tr("%1 is running and answers.").arg(c->name));
    const FailoverCandidate &best = a.candidates.first();
    if (!c->lossBytes)
        out << check("data_loss", Tr::tr("Data loss risk"), Verdict::Amber,
                     Tr::tr("%1's WAL position is unknown, so the data that may be lost cannot be "
                            "estimated.")
                         .arg(c->name));
    else if (*c->lossBytes == 0)
        out << check("data_loss", Tr::tr("Data loss risk"), Verdict::Green,
                     Tr::tr("%1 has received all WAL known to have been written by the old leader.")
                         .arg(c->name));
    else
        out << check(
            "data_loss", Tr::tr("Data loss risk"), Verdict::Amber,
            Tr::tr("%1 is %2 behind the last known leader position: transactions in "
                   "that WAL are lost if the old leader never comes back.%3")
                .arg(c->name, formatBytes(*c->lossBytes),
                     best.name != c->name && best.eligible
                         ? Tr::tr(" %1 is further ahead and would lose less.").arg(best.name)
                         : QString()));
    if (s.paused)
        out << check("paused", Tr::tr("Maintenance mode"), Verdict::Amber,
                     Tr::tr("The cluster is paused: Patroni will not fail over by itself, but a "
                            "manual failover works; the cluster stays paused afterwards."));
    return out;
}

QString preflightText(const QList<PreflightCheck> &checks)
{
    QString out;
    for (const auto &c : checks)
        out += QStringLiteral("[%1] %2: %3\n")
                   .arg(verdictName(c.verdict).toUpper().leftJustified(5), c.title, c.sentence);
    return out;
}

QString preflightMarkdown(const QList<PreflightCheck> &checks)
{
    QString out = Tr::tr("| Verdict | Check | Explanation |") + QStringLiteral("\n|---|---|---|\n");
    for (const auto &c : checks) {
        QString sentence = c.sentence;
        sentence.replace(QLatin1Char('|'), QStringLiteral("\\|"));
        out += QStringLiteral("| %1 | %2 | %3 |\n").arg(verdictName(c.verdict), c.title, sentence);
    }
    return out;
}

} // namespace vigil::services
