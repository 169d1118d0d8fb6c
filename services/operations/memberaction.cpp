#include "services/operations/memberaction.h"

#include "services/core/error.h"
#include "services/patroni/configchange.h"

#include <QJsonDocument>

namespace vigil::services {

QString MemberAction::kindName() const
{
    switch (kind) {
    case Kind::Restart:
        return QStringLiteral("restart");
    case Kind::Reload:
        return QStringLiteral("reload");
    case Kind::Reinitialize:
        return QStringLiteral("reinitialize");
    case Kind::Pause:
        return QStringLiteral("pause");
    case Kind::Resume:
        return QStringLiteral("resume");
    case Kind::PatchConfig:
        return QStringLiteral("patch_config");
    case Kind::CancelSwitchover:
        return QStringLiteral("cancel_switchover");
    case Kind::CancelRestart:
        return QStringLiteral("cancel_restart");
    }
    return {};
}

bool MemberAction::isClusterWide() const
{
    return kind == Kind::Pause || kind == Kind::Resume || kind == Kind::PatchConfig ||
           kind == Kind::CancelSwitchover;
}

QString MemberAction::summary() const
{
    switch (kind) {
    case Kind::Restart: {
        QString s;
        if (memberIsLeader)
            s = scheduledAt.isValid()
                    ? Tr::tr("Patroni will restart PostgreSQL on %1, the leader, at %2: then every "
                             "client of the cluster is disconnected and writes fail until it is "
                             "back (it restarts in place; there is no failover).")
                          .arg(member, scheduledAt.toString(Qt::ISODate))
                    : Tr::tr("Patroni will restart PostgreSQL on %1, the leader, now: every client "
                             "of the cluster is disconnected and writes fail until it is back (it "
                             "restarts in place; there is no failover).")
                          .arg(member);
        else
            s = scheduledAt.isValid()
                    ? Tr::tr("Patroni will restart PostgreSQL on %1 at %2; its sessions are "
                             "disconnected then.")
                          .arg(member, scheduledAt.toString(Qt::ISODate))
                    : Tr::tr("Patroni will restart PostgreSQL on %1 now; its sessions are "
                             "disconnected.")
                          .arg(member);
        if (onlyIfPendingRestart)
            s += QLatin1Char(' ') + Tr::tr("Only if it has a pending restart.");
        return s;
    }
    case Kind::Reload:
        return Tr::tr("Patroni will reload its own configuration and PostgreSQL's on %1; nobody is "
                      "disconnected.")
            .arg(member);
    case Kind::Reinitialize:
        return Tr::tr("Patroni will stop %1, WIPE ITS DATA DIRECTORY and copy it again from the "
                      "leader. Everything on %1 that is not on the leader is lost; until the copy "
                      "ends, the cluster has one replica less.")
            .arg(member);
    case Kind::Pause:
        return Tr::tr("The cluster %1 enters maintenance mode: Patroni stops managing PostgreSQL "
                      "— no automatic failover — until it is resumed.")
            .arg(cluster);
    case Kind::Resume:
        return Tr::tr("The cluster %1 leaves maintenance mode: Patroni manages PostgreSQL again, "
                      "including automatic failover.")
            .arg(cluster);
    case Kind::PatchConfig: {
        const QStringList restart = restartRequiredParameters(patch);
        QString s =
            Tr::tr("Patroni will apply this change to the dynamic configuration of %1 "
                   "and every member reloads it: %2")
                .arg(cluster,
                     QString::fromUtf8(QJsonDocument(patch).toJson(QJsonDocument::Compact)));
        if (!restart.isEmpty())
            s += QLatin1Char(' ') + Tr::tr("These parameters take effect only after a restart of "
                                           "each member: %1.")
                                        .arg(restart.join(QStringLiteral(", ")));
        return s;
    }
    case Kind::CancelSwitchover:
        return Tr::tr("The scheduled switchover of %1 is cancelled.").arg(cluster);
    case Kind::CancelRestart:
        return Tr::tr("The scheduled restart of %1 is cancelled.").arg(member);
    }
    return {};
}

QJsonObject MemberAction::auditParameters() const
{
    QJsonObject o;
    if (scheduledAt.isValid())
        o.insert(QStringLiteral("scheduled_at"), scheduledAt.toString(Qt::ISODate));
    if (kind == Kind::Restart)
        o.insert(QStringLiteral("only_if_pending_restart"), onlyIfPendingRestart);
    if (kind == Kind::Reinitialize)
        o.insert(QStringLiteral("force"), force);
    if (kind == Kind::PatchConfig)
        o.insert(QStringLiteral("patch"), patch);
    return o;
}

} // namespace vigil::services
