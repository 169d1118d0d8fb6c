#include "services/operations/switchoverplan.h"

#include "services/core/confirmation.h"
#include "services/core/error.h"

namespace vigil::services {

QString SwitchoverPlan::kindName() const
{
    return kind == Kind::Failover ? QStringLiteral("failover") : QStringLiteral("switchover");
}

bool SwitchoverPlan::confirmationMatches(const QString &typed) const
{
    return services::confirmationMatches(typed, cluster);
}

QString SwitchoverPlan::summary() const
{
    QStringList s;
    if (kind == Kind::Failover) {
        s << Tr::tr("Patroni will promote %1 to leader of the cluster %2 without waiting for the "
                    "old leader%3.")
                 .arg(candidate, cluster,
                      leader.isEmpty() ? QString() : Tr::tr(" (%1)").arg(leader));
        s << Tr::tr("Transactions the old leader committed but did not send to %1 are lost, and "
                    "the old leader is rewound or reinitialized when it comes back.")
                 .arg(candidate);
    } else {
        const QString target =
            candidate.isEmpty() ? Tr::tr("a replica of Patroni's choice") : candidate;
        if (scheduledAt.isValid())
            s << Tr::tr("Patroni will switch the leader of the cluster %1 from %2 to %3 at %4.")
                     .arg(cluster, leader, target, scheduledAt.toString(Qt::ISODate));
        else
            s << Tr::tr("Patroni will switch the leader of the cluster %1 from %2 to %3 now.")
                     .arg(cluster, leader, target);
        s << Tr::tr("%1 shuts down cleanly and comes back as a replica of the new leader; every "
                    "session on it is disconnected and open transactions are rolled back.")
                 .arg(leader);
        if (pauseClients && !scheduledAt.isValid())
            s << Tr::tr("PgBouncer's clients are paused first (running transactions finish), "
                        "and resumed as soon as the new leader runs and HAProxy routes to it — "
                        "after %1 s at the latest, even if the switchover has not finished.")
                     .arg(hardTimeoutSeconds);
    }
    int amber = 0;
    for (const auto &c : preflight)
        amber += c.verdict == PreflightCheck::Verdict::Amber;
    if (amber > 0)
        s << Tr::tr("%n pre-flight check(s) gave a warning; confirming accepts them.", nullptr,
                    amber);
    return s.join(QLatin1Char(' '));
}

QJsonObject SwitchoverPlan::auditParameters() const
{
    QJsonObject o{{QStringLiteral("leader"), leader},
                  {QStringLiteral("candidate"), candidate},
                  {QStringLiteral("pause_clients"), pauseClients},
                  {QStringLiteral("hard_timeout_s"), hardTimeoutSeconds}};
    if (scheduledAt.isValid())
        o.insert(QStringLiteral("scheduled_at"), scheduledAt.toString(Qt::ISODate));
    QStringList warnings;
    for (const auto &c : preflight)
        if (c.verdict != PreflightCheck::Verdict::Green)
            warnings << c.id;
    o.insert(QStringLiteral("preflight_warnings"), QJsonValue::fromVariant(warnings));
    return o;
}

} // namespace vigil::services
