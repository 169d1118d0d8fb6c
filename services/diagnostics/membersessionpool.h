#pragma once

#include "services/core/auditlog.h"
#include "services/core/readonlyguard.h"
#include "services/diagnostics/lockservice.h"
#include "services/diagnostics/sessionsservice.h"
#include "services/diagnostics/statementsservice.h"
#include "services/diagnostics/tablestatsservice.h"
#include "services/monitor/clustersnapshot.h"
#include "services/postgres/pgsession.h"
#include "services/settings/clusterprofile.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

namespace vigil::services {

// What the troubleshooting views share for one cluster: the members (from the monitor's
// snapshots), one lazily opened PgSession per (member, database) — separate from the monitor's
// own connections so a slow lock query never delays the overview — the services on them, the
// read-only guard and the audit log.
//
// Lives on the UI thread. Sessions connect asynchronously (PgSession); nothing here blocks.
// The SQL password, if any, is held in memory only and passed as a libpq override.
class MemberSessionPool : public QObject
{
    Q_OBJECT
public:
    struct Member
    {
        QString name, host;
        int port = 0;
        bool leader = false;
    };

    MemberSessionPool(services::ClusterProfile profile, QString sqlPassword,
                      std::shared_ptr<services::ReadOnlyGuard> guard,
                      std::shared_ptr<services::AuditLog> audit, QObject *parent = nullptr);
    ~MemberSessionPool() override;

    QString clusterName() const; // Patroni's scope when known, else the profile's name
    const QList<Member> &members() const { return m_members; }
    QString leaderName() const;
    const services::ClusterProfile &profile() const { return m_profile; }
    std::shared_ptr<services::ReadOnlyGuard> guard() const { return m_guard; }
    std::shared_ptr<services::AuditLog> audit() const { return m_audit; }

    // Feed from ClusterMonitor::snapshotReady (or set members directly, as the tests do).
    void applySnapshot(const services::ClusterSnapshotPtr &snapshot);
    void setMembers(const QList<Member> &members, const QString &scope = {});
    // Point at another cluster (the window shows another one, or its profile was edited): every
    // session is closed, the members are forgotten until the next snapshot, membersChanged fires.
    void rebind(services::ClusterProfile profile, QString sqlPassword,
                std::shared_ptr<services::ReadOnlyGuard> guard);

    // What every session opened from now on gets besides the profile's conninfo: its
    // application_name ("vigil" by default) and more libpq keywords, which win over the
    // conninfo's (the custom metrics' read-only `options`).
    void setSessionSettings(const QString &applicationName,
                            const QList<QPair<QString, QString>> &overrides);

    // Services of one member (database empty = the profile's). Null when the member is unknown.
    services::PgSession *session(const QString &member, const QString &database = {});
    services::SessionsService *sessions(const QString &member);
    services::LockService *locks(const QString &member);
    services::StatementsService *statements(const QString &member);
    services::TableStatsService *tableStats(const QString &member, const QString &database);

Q_SIGNALS:
    void membersChanged();

private:
    struct PerSession;
    PerSession *entry(const QString &member, const QString &database);
    void dropSessions(const std::function<bool(const QString &member, const PerSession &)> &drop);

    services::ClusterProfile m_profile;
    QString m_sqlPassword;
    QString m_applicationName = QStringLiteral("vigil");
    QList<QPair<QString, QString>> m_overrides;
    QString m_scope;
    std::shared_ptr<services::ReadOnlyGuard> m_guard;
    std::shared_ptr<services::AuditLog> m_audit;
    QList<Member> m_members;
    QHash<QString, PerSession *> m_sessions; // "member\ndatabase"
};

} // namespace vigil::services
