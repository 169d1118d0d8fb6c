#include "services/monitor/clustersnapshot.h"

namespace vigil::services {

QString findingCodeName(Finding::Code code)
{
    switch (code) {
    case Finding::Code::SplitBrain:
        return QStringLiteral("split_brain");
    case Finding::Code::NoLeader:
        return QStringLiteral("no_leader");
    case Finding::Code::ReplicaDown:
        return QStringLiteral("replica_down");
    case Finding::Code::RoutingMismatch:
        return QStringLiteral("routing_mismatch");
    case Finding::Code::PgBouncerWaiting:
        return QStringLiteral("pgbouncer_waiting_clients");
    case Finding::Code::PgBouncerUnreachable:
        return QStringLiteral("pgbouncer_unreachable");
    case Finding::Code::HaproxyUnreachable:
        return QStringLiteral("haproxy_unreachable");
    case Finding::Code::MemberUnresponsive:
        return QStringLiteral("member_unresponsive");
    case Finding::Code::MemberUnreachable:
        return QStringLiteral("member_unreachable");
    case Finding::Code::ReplicationLag:
        return QStringLiteral("replication_lag");
    case Finding::Code::ConnectionsHigh:
        return QStringLiteral("connections_high");
    case Finding::Code::PendingRestart:
        return QStringLiteral("pending_restart");
    case Finding::Code::Paused:
        return QStringLiteral("paused");
    case Finding::Code::ScheduledSwitchover:
        return QStringLiteral("scheduled_switchover");
    case Finding::Code::DcsUnreachable:
        return QStringLiteral("dcs_unreachable");
    case Finding::Code::LeaderInRecovery:
        return QStringLiteral("leader_in_recovery");
    case Finding::Code::PrimaryDown:
        return QStringLiteral("primary_down");
    case Finding::Code::FailedOver:
        return QStringLiteral("failed_over");
    case Finding::Code::LockBlocker:
        return QStringLiteral("lock_blocker");
    case Finding::Code::IdleInTransaction:
        return QStringLiteral("idle_in_transaction");
    case Finding::Code::SlowQueries:
        return QStringLiteral("slow_queries");
    case Finding::Code::ErrorRate:
        return QStringLiteral("error_rate");
    case Finding::Code::DiskSpace:
        return QStringLiteral("disk_space");
    case Finding::Code::ArchiveFailing:
        return QStringLiteral("archive_failing");
    case Finding::Code::HostMetrics:
        return QStringLiteral("host_metrics");
    case Finding::Code::CustomMetric:
        return QStringLiteral("custom_metric");
    case Finding::Code::Other:
        return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

QString severityName(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Ok:
        return QStringLiteral("OK");
    case Finding::Severity::Warning:
        return QStringLiteral("WARNING");
    case Finding::Severity::Critical:
        return QStringLiteral("CRITICAL");
    case Finding::Severity::Unknown:
        return QStringLiteral("UNKNOWN");
    }
    return QStringLiteral("UNKNOWN");
}

qint64 PgBouncerSnapshot::waitingClients() const
{
    qint64 n = 0;
    for (const auto &p : pools)
        n += p.clientsWaiting;
    return n;
}

const MemberSnapshot *ClusterSnapshot::leader() const
{
    for (const auto &m : members)
        if (m.isLeader())
            return &m;
    return nullptr;
}

const MemberSnapshot *ClusterSnapshot::member(const QString &name) const
{
    for (const auto &m : members)
        if (m.name == name)
            return &m;
    return nullptr;
}

Finding::Severity ClusterSnapshot::worstSeverity() const
{
    // Nagios order: CRITICAL > WARNING > UNKNOWN > OK.
    auto rank = [](Finding::Severity s) {
        switch (s) {
        case Finding::Severity::Ok:
            return 0;
        case Finding::Severity::Unknown:
            return 1;
        case Finding::Severity::Warning:
            return 2;
        case Finding::Severity::Critical:
            return 3;
        }
        return 0;
    };
    Finding::Severity worst = Finding::Severity::Ok;
    for (const auto &f : findings)
        if (rank(f.severity) > rank(worst))
            worst = f.severity;
    return worst;
}

} // namespace vigil::services
