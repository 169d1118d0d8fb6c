#include "services/diagnostics/membersessionpool.h"

namespace vigil::services {

struct MemberSessionPool::PerSession
{
    QString host;
    int port = 0;
    services::PgSession *session = nullptr;
    services::SessionsService *activity = nullptr;
    services::LockService *locks = nullptr;
    services::StatementsService *statements = nullptr;
    services::TableStatsService *tableStats = nullptr;
};

MemberSessionPool::MemberSessionPool(services::ClusterProfile profile, QString sqlPassword,
                                     std::shared_ptr<services::ReadOnlyGuard> guard,
                                     std::shared_ptr<services::AuditLog> audit, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_sqlPassword(std::move(sqlPassword))
    , m_guard(guard ? std::move(guard) : std::make_shared<services::ReadOnlyGuard>(true))
    , m_audit(std::move(audit))
{
}

MemberSessionPool::~MemberSessionPool()
{
    qDeleteAll(m_sessions); // the QObjects are children of this and go with it
}

QString MemberSessionPool::clusterName() const
{
    return m_scope.isEmpty() ? m_profile.name : m_scope;
}

QString MemberSessionPool::leaderName() const
{
    for (const auto &m : m_members)
        if (m.leader)
            return m.name;
    return {};
}

void MemberSessionPool::applySnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    QList<Member> members;
    for (const auto &m : snapshot->members)
        members.append({m.name, m.host, m.port, m.isLeader()});
    setMembers(members, snapshot->scope);
}

void MemberSessionPool::setMembers(const QList<Member> &members, const QString &scope)
{
    bool changed = scope != m_scope || members.size() != m_members.size();
    for (int i = 0; !changed && i < members.size(); ++i) {
        const auto &a = members.at(i);
        const auto &b = m_members.at(i);
        changed = a.name != b.name || a.host != b.host || a.port != b.port || a.leader != b.leader;
    }
    if (!scope.isEmpty())
        m_scope = scope;
    if (!changed)
        return;
    m_members = members;
    // A member whose address changed gets fresh sessions on next use.
    dropSessions([this](const QString &name, const PerSession &p) {
        for (const auto &m : m_members)
            if (m.name == name && m.host == p.host && m.port == p.port)
                return false;
        return true;
    });
    Q_EMIT membersChanged();
}

void MemberSessionPool::rebind(services::ClusterProfile profile, QString sqlPassword,
                               std::shared_ptr<services::ReadOnlyGuard> guard)
{
    dropSessions([](const QString &, const PerSession &) { return true; });
    m_profile = std::move(profile);
    m_sqlPassword = std::move(sqlPassword);
    m_guard = std::move(guard);
    m_scope.clear();
    m_members.clear();
    Q_EMIT membersChanged();
}

void MemberSessionPool::dropSessions(
    const std::function<bool(const QString &, const PerSession &)> &drop)
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        const QString name = it.key().section(QLatin1Char('\n'), 0, 0);
        if (!drop(name, **it)) {
            ++it;
            continue;
        }
        PerSession *p = *it;
        for (QObject *o :
             std::initializer_list<QObject *>{p->activity, p->locks, p->statements, p->tableStats})
            if (o)
                o->deleteLater();
        p->session->deleteLater();
        delete p;
        it = m_sessions.erase(it);
    }
}

MemberSessionPool::PerSession *MemberSessionPool::entry(const QString &member,
                                                        const QString &database)
{
    const QString key = member + QLatin1Char('\n') + database;
    if (PerSession *p = m_sessions.value(key))
        return p;
    const Member *m = nullptr;
    for (const auto &candidate : m_members)
        if (candidate.name == member)
            m = &candidate;
    if (!m)
        return nullptr;
    auto *p = new PerSession;
    p->host = m->host;
    p->port = m->port;
    p->session = new services::PgSession(this);
    auto settings = services::PgConnectionSettings::forApplication(m_profile.sqlConninfo,
                                                                   m_applicationName, m_sqlPassword)
                        .atMember(m->host, m->port);
    settings.overrides += m_overrides;
    if (!database.isEmpty())
        settings.withDatabase(database);
    p->session->open(settings);
    m_sessions.insert(key, p);
    return p;
}

void MemberSessionPool::setSessionSettings(const QString &applicationName,
                                           const QList<QPair<QString, QString>> &overrides)
{
    m_applicationName = applicationName;
    m_overrides = overrides;
}

services::PgSession *MemberSessionPool::session(const QString &member, const QString &database)
{
    PerSession *p = entry(member, database);
    return p ? p->session : nullptr;
}

services::SessionsService *MemberSessionPool::sessions(const QString &member)
{
    PerSession *p = entry(member, {});
    if (!p)
        return nullptr;
    if (!p->activity)
        p->activity = new services::SessionsService(
            p->session, {clusterName(), member, m_guard, m_audit}, this);
    return p->activity;
}

services::LockService *MemberSessionPool::locks(const QString &member)
{
    PerSession *p = entry(member, {});
    if (!p)
        return nullptr;
    if (!p->locks)
        p->locks = new services::LockService(p->session, this);
    return p->locks;
}

services::StatementsService *MemberSessionPool::statements(const QString &member)
{
    PerSession *p = entry(member, {});
    if (!p)
        return nullptr;
    if (!p->statements)
        p->statements = new services::StatementsService(p->session, this);
    return p->statements;
}

services::TableStatsService *MemberSessionPool::tableStats(const QString &member,
                                                           const QString &database)
{
    PerSession *p = entry(member, database);
    if (!p)
        return nullptr;
    if (!p->tableStats)
        p->tableStats = new services::TableStatsService(p->session, this);
    return p->tableStats;
}

} // namespace vigil::services
