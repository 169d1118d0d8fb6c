#include "services/monitor/findings.h"

#include "services/core/formatting.h"
#include "services/monitor/custommetricfindings.h"
#include "services/monitor/failoverfindings.h"
#include "services/monitor/restcadence.h"
#include "services/monitor/workloadfindings.h"

#include <QSet>
#include <algorithm>
#include <cmath>

namespace vigil::services {

namespace {

using Severity = Finding::Severity;
using Code = Finding::Code;

int severityRank(Severity s)
{
    switch (s) {
    case Severity::Critical:
        return 0;
    case Severity::Warning:
        return 1;
    case Severity::Unknown:
        return 2;
    case Severity::Ok:
        return 3;
    }
    return 3;
}

QString secondsText(double s)
{
    return findingSeconds(s);
}

QString channelList(bool rest, bool sql)
{
    if (rest && sql)
        return Tr::tr("REST API and SQL");
    return rest ? Tr::tr("REST API") : Tr::tr("SQL");
}

bool restClaimsPrimary(const MemberSnapshot &m)
{
    return m.rest.ok() && m.patroni && m.patroni->role == PatroniRole::Leader;
}

bool sqlClaimsPrimary(const MemberSnapshot &m)
{
    return m.sql.ok() && m.inRecovery.has_value() && !*m.inRecovery;
}

bool memberAnswers(const MemberSnapshot &m)
{
    return m.rest.ok() || m.sql.ok();
}

// The member that currently sends WAL to `name`, with its pg_stat_replication row (fresh SQL only).
const ReplicationStat *senderRowFor(const ClusterSnapshot &s, const QString &name)
{
    for (const auto &m : s.members) {
        if (!m.sql.ok())
            continue;
        for (const auto &r : m.replication)
            if (r.applicationName == name)
                return &r;
    }
    return nullptr;
}

// A fresh primary whose replication list we can trust (SQL answered, not in recovery).
const MemberSnapshot *freshPrimary(const ClusterSnapshot &s)
{
    const MemberSnapshot *l = s.leader();
    if (l && sqlClaimsPrimary(*l))
        return l;
    for (const auto &m : s.members)
        if (sqlClaimsPrimary(m))
            return &m;
    return nullptr;
}

class Collector
{
public:
    void add(Severity sev, Code code, const QString &member, const QString &message)
    {
        Finding f;
        f.severity = sev;
        f.code = code;
        f.member = member;
        f.message = message;
        m_list.append(f);
    }
    void addAll(const QList<Finding> &findings) { m_list.append(findings); }
    QList<Finding> take()
    {
        std::stable_sort(m_list.begin(), m_list.end(), [](const Finding &a, const Finding &b) {
            if (severityRank(a.severity) != severityRank(b.severity))
                return severityRank(a.severity) < severityRank(b.severity);
            if (a.member != b.member)
                return a.member < b.member;
            return int(a.code) < int(b.code);
        });
        return m_list;
    }

private:
    QList<Finding> m_list;
};

void channelFindings(const MemberSnapshot &m, Collector &out)
{
    const Severity down = m.isLeader() ? Severity::Critical : Severity::Warning;
    const bool restHung = m.rest.state == ChannelStatus::State::Unresponsive;
    const bool sqlHung = m.sql.state == ChannelStatus::State::Unresponsive;
    const bool restAuth = m.rest.state == ChannelStatus::State::Unreachable &&
                          m.rest.error.kind == ServiceError::Kind::Auth;
    const bool sqlAuth = m.sql.state == ChannelStatus::State::Unreachable &&
                         m.sql.error.kind == ServiceError::Kind::Auth;
    const bool restDown = m.rest.state == ChannelStatus::State::Unreachable && !restAuth;
    const bool sqlDown = m.sql.state == ChannelStatus::State::Unreachable && !sqlAuth;

    if (restHung || sqlHung)
        out.add(down, Code::MemberUnresponsive, m.name,
                Tr::tr("%1 did not answer in time over %2: it accepts connections but does not "
                       "respond (hung, frozen or overloaded). The data shown for it is the last "
                       "known.")
                    .arg(m.name, channelList(restHung, sqlHung)));
    if (restDown || sqlDown) {
        const ServiceError &e = restDown ? m.rest.error : m.sql.error;
        out.add(down, Code::MemberUnreachable, m.name,
                Tr::tr("%1 cannot be reached over %2: %3")
                    .arg(m.name, channelList(restDown, sqlDown), e.toText()));
    }
    if (sqlAuth)
        out.add(Severity::Unknown, Code::MemberUnreachable, m.name,
                Tr::tr("Vigil could not log in to %1 over SQL: %2. Check the user and the "
                       "password source (~/.pgpass, PGPASSFILE, the service file or the "
                       "keychain).")
                    .arg(m.name, m.sql.error.toText()));
    if (restAuth)
        out.add(Severity::Unknown, Code::MemberUnreachable, m.name,
                Tr::tr("The REST API of %1 refused Vigil's credentials: %2. Check the REST user "
                       "and password.")
                    .arg(m.name, m.rest.error.toText()));
}

void leaderFindings(const ClusterSnapshot &s, Collector &out)
{
    // Split brain: more than one member acts as the primary, by Patroni's own role (REST) or by
    // PostgreSQL accepting writes (SQL), or more than one leader in the DCS view.
    QStringList claims;
    QSet<QString> claimants;
    for (const auto &m : s.members) {
        QStringList why;
        if (m.inDcs && m.role == PatroniRole::Leader)
            why << Tr::tr("leader in the DCS");
        if (restClaimsPrimary(m))
            why << Tr::tr("Patroni role %1").arg(roleName(m.patroni->role));
        if (sqlClaimsPrimary(m))
            why << Tr::tr("pg_is_in_recovery() is false");
        if (!why.isEmpty()) {
            claimants.insert(m.name);
            claims << Tr::tr("%1 (%2)").arg(m.name, why.join(QStringLiteral(", ")));
        }
    }
    if (claimants.size() > 1) {
        // Require at least two members with their own (fresh) claim, or two DCS leaders: the
        // DCS may still name a crashed leader for one TTL while its successor is promoted.
        int own = 0, dcs = 0;
        for (const auto &m : s.members) {
            if (restClaimsPrimary(m) || sqlClaimsPrimary(m))
                ++own;
            if (m.inDcs && m.role == PatroniRole::Leader)
                ++dcs;
        }
        if (own > 1 || dcs > 1)
            out.add(Severity::Critical, Code::SplitBrain, {},
                    Tr::tr("Split brain: more than one member acts as the primary: %1. Writes "
                           "may diverge; fence all but one at once.")
                        .arg(claims.join(QStringLiteral("; "))));
    }

    const bool haveDcsView =
        !s.members.isEmpty() && std::any_of(s.members.begin(), s.members.end(),
                                            [](const MemberSnapshot &m) { return m.inDcs; });
    if (haveDcsView && !s.leader())
        out.add(Severity::Critical, Code::NoLeader, {},
                s.discovery.ok()
                    ? Tr::tr("The cluster has no leader: no member holds the leader lock in the "
                             "DCS. Writes fail until Patroni elects one.")
                    : Tr::tr("No leader is known: the last cluster view has none and the DCS "
                             "view could not be read in this cycle."));
}

// Maps an HAProxy server to a member: by address (host:port of the PostgreSQL it routes to) when
// HAProxy shows addresses, else by name (the sandbox and most setups name servers after members).
const MemberSnapshot *memberForServer(const ClusterSnapshot &s, const HaproxyStatRow &server)
{
    if (!server.address.isEmpty())
        for (const auto &m : s.members)
            if (server.address == QStringLiteral("%1:%2").arg(m.host).arg(m.port))
                return &m;
    for (const auto &m : s.members)
        if (m.name == server.name)
            return &m;
    return nullptr;
}

// Servers of HAProxy's read-write backend that match no member of the DCS view: a member whose
// Patroni stopped, hung or lost its DCS session drops out of /cluster once its key expires, and
// a one-shot look at /cluster alone would miss it. Only with a DCS view (discovery answered)
// and only servers HAProxy does not route writes to (those are judged in haproxyFindings).
QList<HaproxyStatRow> serversMissingFromDcs(const ClusterSnapshot &s)
{
    QList<HaproxyStatRow> missing;
    const HaproxySnapshot &h = s.haproxy;
    if (!s.discovery.ok() || s.members.isEmpty() || !h.channel.ok() || !h.stats ||
        h.readWriteBackend.isEmpty())
        return missing;
    for (const HaproxyStatRow &server : h.stats->servers(h.readWriteBackend))
        if (!h.readWriteServersUp.contains(server.name) && !memberForServer(s, server))
            missing << server;
    return missing;
}

void replicaFindings(const ClusterSnapshot &s, const FindingThresholds &t, Collector &out)
{
    const MemberSnapshot *primary = freshPrimary(s);
    // With the leader down its replicas cannot stream: that is the PrimaryDown finding, not one
    // per replica (only a replica that is not running at all is still named).
    const bool leaderDown = leaderIsDown(s);
    std::optional<qint64> maxLag;
    if (s.dynamicConfig)
        maxLag = s.dynamicConfig->maximumLagOnFailover;
    int replicas = 0, replicasDown = 0;
    for (const auto &m : s.members) {
        if (m.isLeader() || restClaimsPrimary(m) || sqlClaimsPrimary(m))
            continue; // a primary, in the DCS or by its own claim (see SplitBrain/NoLeader)
        if (m.fromUrlOnly)
            continue; // no DCS view: its own REST state is shown, nothing to judge it against
        ++replicas;
        if (!m.inDcs) {
            ++replicasDown;
            out.add(Severity::Warning, Code::ReplicaDown, m.name,
                    Tr::tr("%1 is no longer registered in the DCS: its Patroni is down or the "
                           "member was removed.")
                        .arg(m.name));
            continue;
        }
        if (!isHealthyReplicaState(m.state)) {
            ++replicasDown;
            out.add(Severity::Warning, Code::ReplicaDown, m.name,
                    Tr::tr("Replica %1 is not running (Patroni state: %2).")
                        .arg(m.name, m.state.isEmpty() ? Tr::tr("unknown") : m.state));
            continue;
        }
        // Running per Patroni, but is it streaming? Evidence: the primary's walsenders, and the
        // member's own WAL receiver — each only when that side answered over SQL.
        const ReplicationStat *row = senderRowFor(s, m.name);
        const bool primaryMissesIt = primary && (!row || row->state != QLatin1String("streaming"));
        const bool receiverIdle =
            m.sql.ok() && m.inRecovery.value_or(false) &&
            (!m.walReceiver || m.walReceiver->status != QLatin1String("streaming"));
        if ((primaryMissesIt || receiverIdle) && !leaderDown) {
            ++replicasDown;
            out.add(Severity::Warning, Code::ReplicaDown, m.name,
                    primaryMissesIt
                        ? Tr::tr("Replica %1 is running but not streaming: the primary %2 has no "
                                 "streaming walsender for it.")
                              .arg(m.name, primary->name)
                        : Tr::tr("Replica %1 is running but not streaming: its WAL receiver is "
                                 "%2.")
                              .arg(m.name,
                                   m.walReceiver ? m.walReceiver->status : Tr::tr("not running")));
            continue;
        }

        if (m.replayLagSeconds) {
            const double lag = *m.replayLagSeconds;
            if (lag > t.lagCriticalSeconds)
                out.add(Severity::Critical, Code::ReplicationLag, m.name,
                        Tr::tr("Replica %1 replays %2 s behind the primary (critical above %3 s).")
                            .arg(m.name, secondsText(lag), secondsText(t.lagCriticalSeconds)));
            else if (lag > t.lagWarningSeconds)
                out.add(Severity::Warning, Code::ReplicationLag, m.name,
                        Tr::tr("Replica %1 replays %2 s behind the primary (warning above %3 s).")
                            .arg(m.name, secondsText(lag), secondsText(t.lagWarningSeconds)));
        }
        const std::optional<qint64> lagBytes = m.lagBytes ? m.lagBytes : m.replayLagBytes;
        if (maxLag && lagBytes && *lagBytes > *maxLag)
            out.add(Severity::Warning, Code::ReplicationLag, m.name,
                    Tr::tr("Replica %1 is %2 behind, more than maximum_lag_on_failover (%3): "
                           "Patroni will not promote it.")
                        .arg(m.name, formatBytes(*lagBytes), formatBytes(*maxLag)));
    }
    for (const HaproxyStatRow &server : serversMissingFromDcs(s)) {
        ++replicas;
        ++replicasDown;
        const QString where = server.address.isEmpty()
                                  ? server.name
                                  : Tr::tr("%1 at %2").arg(server.name, server.address);
        out.add(Severity::Warning, Code::ReplicaDown, server.name,
                Tr::tr("HAProxy knows the server %1, but the DCS lists no such member: its "
                       "Patroni is down, hung or lost its DCS session (its member key expired), "
                       "or it was removed without updating HAProxy.")
                    .arg(where));
    }
    if (replicas > 0 && replicasDown == replicas)
        out.add(Severity::Critical, Code::ReplicaDown, {},
                leaderDown ? Tr::tr("No replica is running: the cluster has no failover "
                                    "candidate while its leader is down.")
                           : Tr::tr("No replica is streaming: the cluster has no failover "
                                    "candidate and no redundancy."));
}

void memberHealthFindings(const ClusterSnapshot &s, const FindingThresholds &t, Collector &out)
{
    for (const auto &m : s.members) {
        if (m.sql.ok() && m.connections && m.connections->maxConnections > 0) {
            const double used = m.connections->usedFraction();
            const QString pct = QString::number(used * 100.0, 'f', 0);
            if (used > t.connectionsCritical)
                out.add(Severity::Critical, Code::ConnectionsHigh, m.name,
                        Tr::tr("%1 uses %2 % of max_connections (%3 of %4 client connections).")
                            .arg(m.name, pct)
                            .arg(m.connections->total)
                            .arg(m.connections->maxConnections));
            else if (used > t.connectionsWarning)
                out.add(Severity::Warning, Code::ConnectionsHigh, m.name,
                        Tr::tr("%1 uses %2 % of max_connections (%3 of %4 client connections).")
                            .arg(m.name, pct)
                            .arg(m.connections->total)
                            .arg(m.connections->maxConnections));
        }

        const bool pending =
            m.pendingRestart || (m.rest.ok() && m.patroni && m.patroni->pendingRestart);
        if (pending) {
            const QString reason = !m.pendingRestartReason.isEmpty()
                                       ? m.pendingRestartReason
                                       : (m.patroni ? m.patroni->pendingRestartReason : QString());
            out.add(
                Severity::Warning, Code::PendingRestart, m.name,
                reason.isEmpty()
                    ? Tr::tr("%1 needs a restart to apply changed PostgreSQL settings.").arg(m.name)
                    : Tr::tr("%1 needs a restart to apply changed PostgreSQL settings (%2).")
                          .arg(m.name, reason));
        }

        if (m.sql.ok() && m.archiver && m.archiver->lastAttemptFailed())
            out.add(Severity::Warning, Code::ArchiveFailing, m.name,
                    Tr::tr("WAL archiving fails on %1: the last attempt, for %2, failed at %3.")
                        .arg(m.name, m.archiver->lastFailedWal,
                             m.archiver->lastFailedTime->toString(Qt::ISODate)));

        if (m.sql.ok())
            for (const auto &slot : m.replicationSlots)
                if (!slot.active && slot.retainedWalBytes &&
                    *slot.retainedWalBytes > t.inactiveSlotWarningBytes)
                    out.add(Severity::Warning, Code::Other, m.name,
                            Tr::tr("The inactive replication slot %1 on %2 holds back %3 of WAL.")
                                .arg(slot.name, m.name, formatBytes(*slot.retainedWalBytes)));
    }
}

// How many seconds before its /patroni answer a member's Patroni last reached the DCS, when its
// REST API is answering; -1 when that is not known. Counted to the answer's own time, not the
// snapshot's: a running monitor asks /patroni at the slow cadence while all agrees (see
// restcadence.h), and an answer a few seconds old must not make a fresh contact look late.
// (ClusterMemberProbe asks every cycle once the contact is older than loop_wait, so a DCS that
// stops answering is still named within a cycle or so of the threshold.)
qint64 dcsAge(const ClusterSnapshot &s, const MemberSnapshot &m)
{
    if (!m.rest.ok())
        return -1;
    return dcsAgeAtAnswer(m, s.takenAt).value_or(-1);
}

// Patroni 3.0.2 with etcd v3 reads the cluster from a watch cache and counts every read as a
// DCS contact (dcs_last_seen), also the read its REST API makes to answer GET /cluster. A
// SIGSTOPped etcd keeps the watch stream's connection open, so the cache keeps "answering":
// measured on the production-shaped sandbox (loop_wait 10), the member asked GET /cluster every
// 2 s reported a contact 0-1 s old for 20 s into an etcd freeze (until its watch was torn
// down), while the others' stopped at their next HA loop. So the one member whose contact
// falls within Vigil's own last GET /cluster (s.discovery: answered at lastOk after latencyMs)
// is not counted; when several do, it cannot be told which one Vigil asked, and all count.
int contactOfOurs(const ClusterSnapshot &s)
{
    if (!s.discovery.lastOk.isValid())
        return -1;
    const qint64 latency = std::max<qint64>(0, s.discovery.latencyMs);
    int found = -1;
    for (int i = 0; i < s.members.size(); ++i) {
        const MemberSnapshot &m = s.members[i];
        if (!m.rest.ok() || !m.patroni || !m.patroni->dcsLastSeen)
            continue;
        // dcs_last_seen is in whole seconds (truncated), hence the second of slack.
        const qint64 before = m.patroni->dcsLastSeen->msecsTo(s.discovery.lastOk);
        if (before < -500 || before > latency + 2000)
            continue;
        if (found >= 0)
            return -1;
        found = i;
    }
    return found;
}

// The DCS as the failed layer. Every Patroni sets dcs_last_seen on each HA loop (every
// loop_wait) that reached the DCS. Measured on the sandbox (etcd frozen with SIGSTOP, Patroni
// 3.0.2, loop_wait 10, retry_timeout 10, ttl 30): dcs_last_seen stops at once, GET /cluster
// answers from Patroni's cache or hangs, GET /config hangs, and the leader demotes itself about
// 11 s later, when its leader-key update has failed for retry_timeout — well before its key's
// ttl. So a contact older than loop_wait (plus the loop's own run time) already means trouble,
// and a leader in that state stops taking writes within loop_wait + retry_timeout of its last
// contact. Without GET /config (it reads the DCS), Patroni's defaults are assumed.
void dcsFindings(const ClusterSnapshot &s, const FindingThresholds &t, Collector &out)
{
    const PatroniConfig *cfg = s.dynamicConfig ? &*s.dynamicConfig : nullptr;
    const qint64 loopWait = cfg && cfg->loopWait ? *cfg->loopWait : 10; // Patroni's defaults
    const qint64 retry = cfg && cfg->retryTimeout ? *cfg->retryTimeout : 10;
    const qint64 lost = loopWait + t.dcsLoopSlackSeconds;
    const MemberSnapshot *leader = s.leader();
    const int ours = contactOfOurs(s);
    const MemberSnapshot *uncounted = ours >= 0 ? &s.members[ours] : nullptr;
    const qint64 leaderAge = leader && leader != uncounted ? dcsAge(s, *leader) : -1;
    qint64 newest = -1; // the most recent DCS contact of any member counted, in seconds ago
    QStringList lostMembers;
    for (const auto &m : s.members) {
        const qint64 age = &m == uncounted ? -1 : dcsAge(s, m);
        if (age < 0)
            continue;
        newest = newest < 0 ? age : std::min(newest, age);
        if (age > lost)
            lostMembers << m.name;
    }
    const bool everyMember = newest > lost;
    if (everyMember || leaderAge > lost) {
        const qint64 age = leaderAge >= 0 ? leaderAge : newest;
        const qint64 left = loopWait + retry - age;
        QString what =
            everyMember
                ? Tr::tr("No member's Patroni has reached the DCS for %1 s (it does every "
                         "loop_wait, %2 s): the DCS is the failed layer.")
                      .arg(age)
                      .arg(loopWait)
                : Tr::tr("The leader's Patroni has not reached the DCS for %1 s (it does every "
                         "loop_wait, %2 s): the DCS is the failed layer.")
                      .arg(age)
                      .arg(loopWait);
        if (leader && left > 0)
            what += QLatin1Char(' ') +
                    Tr::tr("Patroni demotes the leader %1 when its retries fail (retry_timeout %2 "
                           "s), in about %3 s at the latest: then the cluster takes no writes "
                           "until the DCS answers again.")
                        .arg(leader->name)
                        .arg(retry)
                        .arg(left);
        else if (leader)
            what += QLatin1Char(' ') +
                    Tr::tr("Its retries have failed for longer than retry_timeout (%1 s): "
                           "Patroni demotes (or has demoted) the leader %2, and the cluster takes "
                           "no writes until the DCS answers again.")
                        .arg(retry)
                        .arg(leader->name);
        else
            what += QLatin1Char(' ') + Tr::tr("No member can become the leader until the DCS "
                                              "answers again.");
        if (uncounted)
            what += QLatin1Char(' ') +
                    Tr::tr("(The contact %1 reports is not counted: it is when it answered "
                           "Vigil's GET /cluster from Patroni's cached view of the DCS.)")
                        .arg(uncounted->name);
        out.add(leader && left >= loopWait ? Severity::Warning : Severity::Critical,
                Code::DcsUnreachable, {}, what);
        return;
    }
    // Some members (not the leader) lost the DCS: they cannot take over if the leader fails.
    for (const auto &m : s.members)
        if (lostMembers.contains(m.name))
            out.add(Severity::Warning, Code::DcsUnreachable, m.name,
                    Tr::tr("The Patroni of %1 last reached the DCS %2 s ago (it does every "
                           "loop_wait, %3 s): it cannot take over if the leader fails.")
                        .arg(m.name)
                        .arg(dcsAge(s, m))
                        .arg(loopWait));
}

// The leader key on a member whose PostgreSQL is still in recovery, for longer than a
// promotion takes: it accepts no writes, while /cluster shows it as Leader, running (a known
// Patroni failure mode, e.g. a promote that never completed).
void leaderInRecoveryFindings(const ClusterSnapshot &s, const FindingThresholds &t, Collector &out)
{
    for (const auto &m : s.members) {
        if (!m.inDcs || m.role != PatroniRole::Leader || !m.sql.ok() || !m.inRecovery ||
            !*m.inRecovery || !m.leaderInRecoverySince || !s.takenAt.isValid())
            continue;
        const qint64 secs = m.leaderInRecoverySince->secsTo(s.takenAt);
        if (secs >= t.leaderInRecoveryCriticalSeconds)
            out.add(Severity::Critical, Code::LeaderInRecovery, m.name,
                    Tr::tr("%1 holds the leader key, but its PostgreSQL has been in recovery for "
                           "%2 s (pg_is_in_recovery() is true): it accepts no writes, although "
                           "Patroni's cluster view shows it as Leader, running. Check its "
                           "Patroni and PostgreSQL logs; a restart of its Patroni or a failover "
                           "ends it.")
                        .arg(m.name)
                        .arg(secs));
    }
}

void clusterStateFindings(const ClusterSnapshot &s, const FindingThresholds &t, Collector &out)
{
    bool paused = s.paused;
    for (const auto &m : s.members)
        if (m.rest.ok() && m.patroni && m.patroni->paused)
            paused = true;
    if (paused)
        out.add(Severity::Warning, Code::Paused, {},
                Tr::tr("The cluster is in maintenance mode (paused): Patroni does not fail over "
                       "automatically."));

    if (s.scheduledSwitchover) {
        const auto &sw = *s.scheduledSwitchover;
        const qint64 in = s.takenAt.isValid() && sw.at.isValid() ? s.takenAt.secsTo(sw.at) : 0;
        const QString to = sw.to.isEmpty() ? Tr::tr("a member Patroni chooses") : sw.to;
        out.add(in <= t.scheduledSwitchoverWarningSeconds ? Severity::Warning : Severity::Ok,
                Code::ScheduledSwitchover, {},
                Tr::tr("A switchover from %1 to %2 is scheduled for %3.")
                    .arg(sw.from.isEmpty() ? Tr::tr("the leader") : sw.from, to,
                         sw.at.toString(Qt::ISODate)));
    }
}

void haproxyFindings(const ClusterSnapshot &s, Collector &out)
{
    const HaproxySnapshot &h = s.haproxy;
    if (h.channel.state == ChannelStatus::State::Unknown)
        return; // not configured
    if (!h.channel.ok()) {
        const bool down = h.channel.error.kind == ServiceError::Kind::Connect;
        out.add(down ? Severity::Critical : Severity::Warning, Code::HaproxyUnreachable, {},
                Tr::tr("HAProxy's statistics cannot be read (%1); routing to the leader is not "
                       "verified.")
                    .arg(h.channel.error.toText()));
        return;
    }
    if (!h.stats)
        return;
    if (h.readWriteBackend.isEmpty()) {
        out.add(Severity::Warning, Code::RoutingMismatch, {},
                Tr::tr("HAProxy has no read-write backend Vigil recognizes (set its name in the "
                       "profile); routing to the leader is not verified."));
        return;
    }
    const QString backend = h.readWriteBackend;
    if (h.readWriteServersUp.isEmpty()) {
        out.add(Severity::Critical, Code::RoutingMismatch, {},
                Tr::tr("HAProxy's read-write backend %1 has no server UP: writes through HAProxy "
                       "fail.")
                    .arg(backend));
        return;
    }
    const MemberSnapshot *leader = s.leader();
    const QList<HaproxyStatRow> servers = h.stats->servers(backend);
    // Without a DCS view (no Patroni answers discovery) a server that matches no member proves
    // nothing: the members are not known, so neither is whether HAProxy picked the leader.
    if (!s.discovery.ok() || s.members.isEmpty()) {
        out.add(Severity::Unknown, Code::RoutingMismatch, {},
                Tr::tr("HAProxy's read-write backend %1 sends writes to %2; whether that is the "
                       "leader cannot be checked while no Patroni REST API answers.")
                    .arg(backend, h.readWriteServersUp.join(QStringLiteral(", "))));
        return;
    }
    QStringList wrong;
    for (const QString &name : h.readWriteServersUp) {
        const auto it = std::find_if(servers.begin(), servers.end(),
                                     [&](const HaproxyStatRow &r) { return r.name == name; });
        const MemberSnapshot *m = it != servers.end() ? memberForServer(s, *it) : nullptr;
        if (!m)
            wrong << Tr::tr("%1 (not a member of the cluster)").arg(name);
        else if (leader && m->name != leader->name)
            wrong << (m->name == name ? name : Tr::tr("%1 (member %2)").arg(name, m->name));
    }
    if (!wrong.isEmpty())
        out.add(Severity::Critical, Code::RoutingMismatch, {},
                leader ? Tr::tr("HAProxy's read-write backend %1 sends writes to %2, which is not "
                                "the leader %3.")
                             .arg(backend, wrong.join(QStringLiteral(", ")), leader->name)
                       : Tr::tr("HAProxy's read-write backend %1 sends writes to %2.")
                             .arg(backend, wrong.join(QStringLiteral(", "))));
    else if (h.readWriteServersUp.size() > 1)
        out.add(Severity::Critical, Code::RoutingMismatch, {},
                Tr::tr("HAProxy's read-write backend %1 has %2 servers UP (%3): writes may reach "
                       "more than one member.")
                    .arg(backend)
                    .arg(h.readWriteServersUp.size())
                    .arg(h.readWriteServersUp.join(QStringLiteral(", "))));
}

void pgbouncerFindings(const ClusterSnapshot &s, const FindingThresholds &t, Collector &out)
{
    const PgBouncerSnapshot &b = s.pgbouncer;
    if (b.channel.state == ChannelStatus::State::Unknown)
        return; // not configured
    if (!b.channel.ok()) {
        const auto kind = b.channel.error.kind;
        const Severity sev = kind == ServiceError::Kind::Connect ? Severity::Critical
                             : kind == ServiceError::Kind::Auth  ? Severity::Unknown
                                                                 : Severity::Warning;
        out.add(
            sev, Code::PgBouncerUnreachable, {},
            Tr::tr("PgBouncer's admin console cannot be read: %1").arg(b.channel.error.toText()));
        return;
    }
    const qint64 waiting = b.waitingClients();
    if (waiting <= 0)
        return;
    double longest = 0;
    QStringList pools;
    for (const auto &p : b.pools) {
        if (p.clientsWaiting <= 0)
            continue;
        longest = std::max(longest, std::max(p.maxWait, double(p.maxWaitSeconds)));
        pools << QStringLiteral("%1/%2").arg(p.database, p.user);
    }
    out.add(longest >= t.pgbouncerWaitCriticalSeconds ? Severity::Critical : Severity::Warning,
            Code::PgBouncerWaiting, {},
            Tr::tr("%1 client(s) wait for a server connection in PgBouncer (pools %2; longest "
                   "wait %3 s).")
                .arg(waiting)
                .arg(pools.join(QStringLiteral(", ")), secondsText(longest)));
}

// A route as a DBA names it in a sentence: "database hokm_game", "the fallback (*)", ...
QString routeTitle(const ClientRoute &r)
{
    switch (r.kind) {
    case ClientRoute::Kind::Database:
        return Tr::tr("PgBouncer database %1").arg(r.name);
    case ClientRoute::Kind::Fallback:
        return Tr::tr("PgBouncer's fallback database (*, probed as %1)").arg(r.probedAs);
    case ClientRoute::Kind::Address:
        return Tr::tr("the address %1 (used by PgBouncer for %2)")
            .arg(r.name, r.databases.join(QStringLiteral(", ")));
    }
    return r.name;
}

QString reachedText(const ClientRoute &r)
{
    const QString port = QString::number(r.serverPort);
    return r.member.isEmpty() ? Tr::tr("an unidentified server on port %1").arg(port)
                              : Tr::tr("%1 (port %2)").arg(r.member, port);
}

// A read-write route that reaches a server in recovery, or one outside this cluster.
void misroutedFinding(const ClusterSnapshot &s, const ClientRoute &r, Collector &out)
{
    const QString via = r.address().isEmpty() ? Tr::tr("an unknown address") : r.address();
    if (r.otherCluster) {
        out.add(Severity::Critical, Code::RoutingMismatch, {},
                Tr::tr("%1 (via %2) reaches a server of another cluster (system identifier %3, "
                       "port %4): its clients do not use this cluster at all. Check the host and "
                       "port of its entry in pgbouncer.ini.")
                    .arg(routeTitle(r), via, r.systemIdentifier)
                    .arg(r.serverPort));
        return;
    }
    if (r.intent == ClientRoute::Intent::ReadWrite && *r.inRecovery) {
        const MemberSnapshot *leader = s.leader();
        out.add(Severity::Critical, Code::RoutingMismatch, r.member,
                Tr::tr("%1 is read-write by its name, but a client of it (via %2) lands on %3, "
                       "a replica in recovery: its writes fail. Point its entry in pgbouncer.ini "
                       "at HAProxy's read-write port%4, then RELOAD PgBouncer; if it already "
                       "is, check HAProxy's read-write backend.")
                    .arg(routeTitle(r), via, reachedText(r),
                         leader ? Tr::tr(" (which leads to the leader %1)").arg(leader->name)
                                : QString()));
    } else if (r.intent == ClientRoute::Intent::ReadOnly && !*r.inRecovery) {
        // No write is lost, but the reads meant to spare the leader load it (a replica down,
        // or HAProxy's read-only backend lets the primary in): a warning, not critical.
        out.add(Severity::Warning, Code::RoutingMismatch, r.member,
                Tr::tr("%1 is read-only by its name, but a client of it (via %2) lands on %3, "
                       "the primary: the reads meant for replicas load the leader. Check that "
                       "the replicas are up and in HAProxy's read-only backend.")
                    .arg(routeTitle(r), via, reachedText(r)));
    }
}

// Where PgBouncer's clients land (ClientRouteProber's probes through each route).
void routeFindings(const ClusterSnapshot &s, Collector &out)
{
    if (!s.pgbouncer.channel.ok())
        return; // pgbouncerFindings says PgBouncer itself cannot be read
    // An address speaks for itself only when no database through it answered (those findings
    // name the database, which is what the DBA fixes).
    auto coveredByDatabase = [&](const ClientRoute &a) {
        return a.kind == ClientRoute::Kind::Address &&
               std::any_of(s.pgbouncer.routes.begin(), s.pgbouncer.routes.end(),
                           [&](const ClientRoute &d) {
                               return d.kind != ClientRoute::Kind::Address && d.answered() &&
                                      d.address() == a.address();
                           });
    };
    for (const ClientRoute &r : s.pgbouncer.routes) {
        if (coveredByDatabase(r))
            continue;
        if (r.answered()) {
            misroutedFinding(s, r, out);
            continue;
        }
        if (!r.error)
            continue; // not probed (yet): nothing proven either way
        // A probe that cannot connect fails as the route's clients do; one refused for the
        // login Vigil uses (auth, a database it may not open) proves nothing about them.
        const bool clientsFail = r.error.kind == ServiceError::Kind::Connect ||
                                 r.error.kind == ServiceError::Kind::Timeout;
        out.add(clientsFail ? Severity::Warning : Severity::Ok, Code::RoutingMismatch, {},
                Tr::tr("Where clients of %1 land is not verified: the probe through it failed "
                       "(%2).")
                    .arg(routeTitle(r), r.error.toText()));
    }
}

} // namespace

QList<Finding> deriveFindings(const ClusterSnapshot &s, const FindingThresholds &t)
{
    Collector out;

    const bool anyMemberAnswers = std::any_of(s.members.begin(), s.members.end(), memberAnswers);
    if (!s.discovery.ok() && !anyMemberAnswers) {
        // Nothing of the cluster answers: Vigil cannot judge it (Nagios UNKNOWN). Stale member
        // data is not evaluated. HAProxy/PgBouncer are still judged: they answer on their own.
        out.add(Severity::Unknown, Code::DcsUnreachable, {},
                s.discovery.error.isError()
                    ? Tr::tr("No member of the cluster answered: the cluster view (GET /cluster) "
                             "could not be read (%1).")
                          .arg(s.discovery.error.toText())
                    : Tr::tr("No member of the cluster answered."));
        haproxyFindings(s, out);
        pgbouncerFindings(s, t, out);
        routeFindings(s, out);
        return out.take();
    }

    const bool anyRestAnswers = std::any_of(s.members.begin(), s.members.end(),
                                            [](const MemberSnapshot &m) { return m.rest.ok(); });
    const bool fromUrlOnly = std::any_of(s.members.begin(), s.members.end(),
                                         [](const MemberSnapshot &m) { return m.fromUrlOnly; });
    if (!s.discovery.ok())
        out.add(Severity::Critical, Code::DcsUnreachable, {},
                !anyRestAnswers
                    ? Tr::tr("The cluster view (GET /cluster, from the DCS) could not be read from "
                             "any member (%1); roles and members are the last known.")
                          .arg(s.discovery.error.toText())
                : fromUrlOnly
                    ? Tr::tr("The cluster view (GET /cluster) could not be read (%1), although the "
                             "members' own REST APIs answer: the DCS is the likely failed layer. "
                             "The members shown are those of the given REST URLs, named by their "
                             "address; their PostgreSQL is not probed until the DCS view is "
                             "read.")
                          .arg(s.discovery.error.toText())
                    : Tr::tr("The cluster view (GET /cluster) could not be read (%1), although the "
                             "members' own REST APIs answer: the DCS is the likely failed layer. "
                             "Roles and members are the last known.")
                          .arg(s.discovery.error.toText()));

    for (const auto &m : s.members)
        channelFindings(m, out);
    leaderFindings(s, out);
    replicaFindings(s, t, out);
    memberHealthFindings(s, t, out);
    dcsFindings(s, t, out);
    leaderInRecoveryFindings(s, t, out);
    out.addAll(failoverFindings(s, t));
    for (const auto &m : s.members)
        out.addAll(workloadFindings(m, t));
    out.addAll(hostMetricsFindings(s));
    out.addAll(customMetricFindings(s.customMetrics, t));
    clusterStateFindings(s, t, out);
    haproxyFindings(s, out);
    pgbouncerFindings(s, t, out);
    routeFindings(s, out);
    return out.take();
}

} // namespace vigil::services
