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

QList<PreflightCheck> switchoverPreflight(const PreflightInput &in, const SwitchoverChoice &choice)
{
    QList<PreflightCheck> out;
    const ClusterSnapshot &s = *in.snapshot;
    const MemberSnapshot *leader = s.leader();
    const qint64 maxLag = maxLagOf(in);
    const std::optional<PatroniConfig> config = configOf(in);
    const int loopWait = config && config->loopWait ? *config->loopWait : 10;

    // -- the leader
    if (!leader)
        out << check("leader", Tr::tr("Leader"), Verdict::Red,
                     Tr::tr("No member holds the leader key: a switchover needs a running leader. "
                            "Use the emergency failover instead."));
    else if (!leader->rest.ok() || !isRunningState(leader->state))
        out << check("leader", Tr::tr("Leader"), Verdict::Red,
                     Tr::tr("The leader %1 is not healthy (Patroni state %2, REST API %3): a "
                            "switchover needs it to shut down cleanly. Use the emergency failover "
                            "instead.")
                         .arg(leader->name, leader->state,
                              leader->rest.ok() ? Tr::tr("answering") : Tr::tr("not answering")));
    else
        out << check("leader", Tr::tr("Leader"), Verdict::Green,
                     Tr::tr("%1 is the leader, running on timeline %2.")
                         .arg(leader->name, leader->timeline ? QString::number(*leader->timeline)
                                                             : Tr::tr("unknown")));

    // -- every member reachable
    {
        QStringList down;
        for (const auto &m : s.members)
            if (!m.rest.ok() || (!m.sql.ok() && m.sql.state != ChannelStatus::State::Unknown))
                down << m.name;
        if (!s.discovery.ok())
            out << check("members_reachable", Tr::tr("Members reachable"), Verdict::Amber,
                         Tr::tr("The cluster view (GET /cluster) could not be read in the last "
                                "cycle: %1")
                             .arg(s.discovery.error.toText()));
        else if (!down.isEmpty())
            out << check("members_reachable", Tr::tr("Members reachable"), Verdict::Amber,
                         Tr::tr("Not every member answers over REST and SQL: %1. They cannot be "
                                "verified before or after the switchover.")
                             .arg(down.join(QStringLiteral(", "))));
        else
            out << check("members_reachable", Tr::tr("Members reachable"), Verdict::Green,
                         Tr::tr("All %n member(s) answer over REST and SQL.", nullptr,
                                int(s.members.size())));
    }

    // -- maintenance mode
    if (s.paused)
        out << check("paused", Tr::tr("Maintenance mode"), Verdict::Red,
                     Tr::tr("The cluster is paused (maintenance mode): Patroni does not manage "
                            "PostgreSQL, refuses a scheduled switchover, accepts an immediate one "
                            "only to a named candidate, and does not bring the old leader back as "
                            "a replica by itself. Resume the cluster first."));
    else
        out << check(
            "paused", Tr::tr("Maintenance mode"), Verdict::Green,
            Tr::tr("The cluster is not paused: Patroni manages the switchover end to end."));

    // -- an already scheduled switchover
    if (s.scheduledSwitchover)
        out << check("scheduled_switchover", Tr::tr("Scheduled switchover"), Verdict::Red,
                     Tr::tr("A switchover is already scheduled for %1 (from %2 to %3); Patroni "
                            "keeps only one. Cancel it first.")
                         .arg(s.scheduledSwitchover->at.toString(Qt::ISODate),
                              s.scheduledSwitchover->from,
                              s.scheduledSwitchover->to.isEmpty() ? Tr::tr("a member of Patroni's "
                                                                           "choice")
                                                                  : s.scheduledSwitchover->to));
    if (choice.scheduledAt.isValid() && s.takenAt.isValid() && choice.scheduledAt <= s.takenAt)
        out << check("schedule", Tr::tr("Schedule"), Verdict::Red,
                     Tr::tr("The chosen time %1 is in the past.")
                         .arg(choice.scheduledAt.toString(Qt::ISODate)));

    // -- the candidate
    const MemberSnapshot *cand = nullptr;
    if (choice.candidate.isEmpty()) {
        QStringList eligible, refused;
        for (const auto &m : s.members) {
            if (m.isLeader())
                continue;
            const QString why = ineligibility(s, m, maxLag);
            if (why.isEmpty()) {
                eligible << m.name;
                if (!cand || m.lagBytes.value_or(0) < cand->lagBytes.value_or(0))
                    cand = &m;
            } else {
                refused << why;
            }
        }
        if (eligible.isEmpty())
            out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                         Tr::tr("No replica qualifies for promotion, so Patroni would refuse: %1")
                             .arg(refused.join(QLatin1Char(' '))));
        else
            out << check("candidate_state", Tr::tr("Candidate"), Verdict::Green,
                         Tr::tr("Patroni will choose among %1 (running and streaming).")
                             .arg(eligible.join(QStringLiteral(", "))));
    } else {
        cand = s.member(choice.candidate);
        if (!cand) {
            out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                         Tr::tr("%1 is not a member of this cluster; Patroni would answer "
                                "\"candidate does not exists\".")
                             .arg(choice.candidate));
        } else if (cand->isLeader()) {
            out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                         Tr::tr("%1 is already the leader.").arg(cand->name));
            cand = nullptr;
        } else if (!cand->rest.ok() || !cand->inDcs) {
            out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                         Tr::tr("%1 does not answer over its Patroni REST API; Patroni would not "
                                "find it a good candidate.")
                             .arg(cand->name));
        } else if (!isHealthyReplicaState(cand->state)) {
            out << check(
                "candidate_state", Tr::tr("Candidate"), Verdict::Red,
                Tr::tr("%1 is not running (Patroni state: %2).").arg(cand->name, cand->state));
        } else {
            const std::optional<bool> streaming = isStreaming(s, *cand);
            if (!streaming)
                out << check("candidate_state", Tr::tr("Candidate"), Verdict::Amber,
                             Tr::tr("%1 is running, but whether it streams from the leader could "
                                    "not be verified over SQL.")
                                 .arg(cand->name));
            else if (!*streaming)
                out << check("candidate_state", Tr::tr("Candidate"), Verdict::Red,
                             Tr::tr("%1 is running but not streaming from the leader; it may be "
                                    "far behind or replaying from the archive.")
                                 .arg(cand->name));
            else
                out << check(
                    "candidate_state", Tr::tr("Candidate"), Verdict::Green,
                    Tr::tr("%1 is running and streaming from the leader.").arg(cand->name));
        }
    }

    if (cand) {
        // -- lag as Patroni will judge it
        const QString streamLag =
            cand->replayLagBytes ? formatBytes(*cand->replayLagBytes) : Tr::tr("unknown");
        if (!cand->lagBytes)
            out << check(
                "candidate_lag", Tr::tr("Candidate lag"), Verdict::Amber,
                Tr::tr("Patroni reports %1's lag as unknown, so it cannot be compared with "
                       "maximum_lag_on_failover (%2). %3")
                    .arg(cand->name, formatBytes(maxLag), lagExplanation(loopWait)));
        else if (*cand->lagBytes > maxLag)
            out << check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Red,
                         Tr::tr("%1 is %2 behind as Patroni judges it (pg_stat_replication: %3), "
                                "more than maximum_lag_on_failover (%4): Patroni would refuse to "
                                "promote it. %5")
                             .arg(cand->name, formatBytes(*cand->lagBytes), streamLag,
                                  formatBytes(maxLag), lagExplanation(loopWait)));
        else if (*cand->lagBytes * 2 > maxLag)
            out << check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Amber,
                         Tr::tr("%1 is %2 behind as Patroni judges it (pg_stat_replication: %3), "
                                "over half of maximum_lag_on_failover (%4); it may cross the limit "
                                "before the switchover. %5")
                             .arg(cand->name, formatBytes(*cand->lagBytes), streamLag,
                                  formatBytes(maxLag), lagExplanation(loopWait)));
        else
            out << check("candidate_lag", Tr::tr("Candidate lag"), Verdict::Green,
                         Tr::tr("%1 is %2 behind as Patroni judges it (pg_stat_replication: %3), "
                                "within maximum_lag_on_failover (%4). %5")
                             .arg(cand->name, formatBytes(*cand->lagBytes), streamLag,
                                  formatBytes(maxLag), lagExplanation(loopWait)));

        // -- tags
        if (cand->tags.value(QStringLiteral("nofailover")).toBool())
            out << check("candidate_tags", Tr::tr("Candidate tags"), Verdict::Red,
                         Tr::tr("%1 carries the nofailover tag: Patroni never promotes it. Choose "
                                "another candidate or remove the tag in its patroni.yml.")
                             .arg(cand->name));
        else if (cand->tags.value(QStringLiteral("noloadbalance")).toBool())
            out << check("candidate_tags", Tr::tr("Candidate tags"), Verdict::Amber,
                         Tr::tr("%1 carries the noloadbalance tag: it can be promoted, but it was "
                                "kept out of read load balancing, perhaps for a reason (weaker "
                                "hardware, backups).")
                             .arg(cand->name));
        else
            out << check(
                "candidate_tags", Tr::tr("Candidate tags"), Verdict::Green,
                Tr::tr("%1 carries neither nofailover nor noloadbalance.").arg(cand->name));

        // -- pending restart
        if (cand->pendingRestart)
            out << check("candidate_pending_restart", Tr::tr("Pending restart"), Verdict::Amber,
                         Tr::tr("%1 has a pending restart: as leader it would run with settings "
                                "that differ from the configuration until it is restarted.")
                             .arg(cand->name));
        else
            out << check("candidate_pending_restart", Tr::tr("Pending restart"), Verdict::Green,
                         Tr::tr("%1 has no pending restart.").arg(cand->name));
    }

    // -- synchronous mode
    if (!config)
        out << check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Amber,
                     Tr::tr("The dynamic configuration could not be read, so synchronous-mode "
                            "constraints were not checked."));
    else if (config->synchronousMode) {
        QStringList syncs;
        for (const auto &m : s.members)
            if (m.role == PatroniRole::SyncStandby)
                syncs << m.name;
        if (cand && cand->role != PatroniRole::SyncStandby)
            out << check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Red,
                         Tr::tr("Synchronous mode is on and %1 is not the synchronous standby "
                                "(%2): Patroni only switches over to a synchronous standby.")
                             .arg(cand->name, syncs.isEmpty() ? Tr::tr("none")
                                                              : syncs.join(QStringLiteral(", "))));
        else if (config->synchronousModeStrict && s.members.size() < 3)
            out << check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Amber,
                         Tr::tr("Strict synchronous mode is on: until the old leader streams again "
                                "as the new synchronous standby, writes on the new leader block."));
        else
            out << check(
                "synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Green,
                Tr::tr("Synchronous mode is on and the candidate is a synchronous standby."));
    } else {
        out << check("synchronous_mode", Tr::tr("Synchronous mode"), Verdict::Green,
                     Tr::tr("Synchronous mode is off. A planned switchover still loses nothing: "
                            "the old leader shuts down cleanly and sends all its WAL first."));
    }

    // -- what the switchover cuts on the leader
    if (!in.leaderSessions)
        out << check("leader_transactions", Tr::tr("Leader transactions"), Verdict::Amber,
                     Tr::tr("Long-running and prepared transactions on the leader could not be "
                            "checked: %1")
                         .arg(in.leaderSessionsError.isEmpty() ? Tr::tr("no answer")
                                                               : in.leaderSessionsError));
    else {
        const LeaderActivity &a = *in.leaderSessions;
        QStringList issues;
        if (a.longTransactions > 0)
            issues << Tr::tr("%n transaction(s) open longer than %1 s (the oldest for %2 s) will "
                             "be cut and rolled back.",
                             nullptr, int(a.longTransactions))
                          .arg(in.longTransactionSeconds)
                          .arg(a.oldestTransactionSeconds);
        if (a.preparedTransactions > 0)
            issues << Tr::tr("%n prepared transaction(s) will stay behind on the old leader and "
                             "must be committed or rolled back there.",
                             nullptr, int(a.preparedTransactions));
        if (!issues.isEmpty())
            out << check("leader_transactions", Tr::tr("Leader transactions"), Verdict::Amber,
                         issues.join(QLatin1Char(' ')));
        else
            out << check("leader_transactions", Tr::tr("Leader transactions"), Verdict::Green,
                         Tr::tr("No long-running or prepared transactions on the leader; its %n "
                                "client session(s) will be disconnected.",
                                nullptr, int(a.clientSessions)));
    }

    // -- PgBouncer
    if (!in.pgbouncerConfigured) {
        out << check(
            "pgbouncer", Tr::tr("PgBouncer"), choice.pauseClients ? Verdict::Red : Verdict::Green,
            choice.pauseClients
                ? Tr::tr("Clients cannot be paused: this profile has no PgBouncer console.")
                : Tr::tr("PgBouncer is not part of this profile: clients see their "
                         "connections cut and must reconnect."));
    } else if (!s.pgbouncer.channel.ok() || !in.pgbouncerConfig) {
        out << check(
            "pgbouncer", Tr::tr("PgBouncer"), choice.pauseClients ? Verdict::Red : Verdict::Amber,
            Tr::tr("PgBouncer's admin console could not be read (%1), so its clients and "
                   "settings were not checked%2.")
                .arg(s.pgbouncer.channel.ok() ? Tr::tr("SHOW CONFIG failed")
                                              : s.pgbouncer.channel.error.toText(),
                     choice.pauseClients ? Tr::tr(", and it cannot be paused") : QString()));
    } else {
        const auto &cfg = *in.pgbouncerConfig;
        const QString mode = cfg.value(QStringLiteral("pool_mode"), QStringLiteral("session"));
        bool retryOk = false;
        int retry = cfg.value(QStringLiteral("server_login_retry")).toInt(&retryOk);
        if (!retryOk)
            retry = kDefaultServerLoginRetry;
        qint64 clients = 0;
        for (const auto &p : s.pgbouncer.pools)
            if (p.database != QLatin1String("pgbouncer"))
                clients += p.clientsActive + p.clientsWaiting;
        if (choice.pauseClients)
            out << check("pgbouncer", Tr::tr("PgBouncer"), Verdict::Green,
                         Tr::tr("%n client(s) use PgBouncer (pool_mode %1). They will be paused: "
                                "running transactions finish first, new ones wait and then run on "
                                "the new leader, so none should see an error; they only wait for "
                                "the switchover.",
                                nullptr, int(clients))
                             .arg(mode));
        else
            out << check("pgbouncer", Tr::tr("PgBouncer"), Verdict::Amber,
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

    // -- HAProxy
    if (s.haproxy.channel.state == ChannelStatus::State::Unknown)
        out << check("haproxy_routing", Tr::tr("HAProxy routing"), Verdict::Amber,
                     Tr::tr("HAProxy is not part of this profile: Vigil cannot verify that "
                            "clients are routed to the new leader."));
    else if (!s.haproxy.channel.ok())
        out << check("haproxy_routing", Tr::tr("HAProxy routing"),
                     choice.pauseClients ? Verdict::Red : Verdict::Amber,
                     Tr::tr("HAProxy's statistics could not be read: %1")
                         .arg(s.haproxy.channel.error.toText()));
    else if (!leader || s.haproxy.readWriteServersUp != QStringList{leader->name})
        out << check("haproxy_routing", Tr::tr("HAProxy routing"), Verdict::Red,
                     Tr::tr("HAProxy's read-write backend %1 routes to %2, not to the leader %3 "
                            "alone: fix the routing before switching over.")
                         .arg(s.haproxy.readWriteBackend,
                              s.haproxy.readWriteServersUp.isEmpty()
                                  ? Tr::tr("no server")
                                  : s.haproxy.readWriteServersUp.join(QStringLiteral(", ")),
                              leader ? leader->name : Tr::tr("(none)")));
    else
        out << check("haproxy_routing", Tr::tr("HAProxy routing"), Verdict::Green,
                     Tr::tr("HAProxy's read-write backend %1 routes to the leader %2 only.")
                         .arg(s.haproxy.readWriteBackend, leader->name));
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
