#include "services/monitor/routematching.h"

#include <QSet>

namespace vigil::services {

namespace {

QSet<QString> clusterSystemIds(const QList<MemberSnapshot> &members)
{
    QSet<QString> ids;
    for (const MemberSnapshot &m : members)
        if (m.patroni && !m.patroni->systemIdentifier.isEmpty() &&
            m.patroni->systemIdentifier != QLatin1String("0"))
            ids.insert(m.patroni->systemIdentifier);
    return ids;
}

// The one member that satisfies `fits`, or null when none or several do.
template <typename Fits>
const MemberSnapshot *onlyOne(const QList<MemberSnapshot> &members, Fits fits)
{
    const MemberSnapshot *found = nullptr;
    for (const MemberSnapshot &m : members) {
        if (!m.inDcs || !fits(m))
            continue;
        if (found)
            return nullptr;
        found = &m;
    }
    return found;
}

const MemberSnapshot *memberReached(const ClientRoute &r, const QList<MemberSnapshot> &members)
{
    if (const auto *m = onlyOne(members, [&](const MemberSnapshot &m) {
            return m.port == r.serverPort && !r.serverAddress.isEmpty() &&
                   m.host == r.serverAddress;
        }))
        return m;
    if (const auto *m =
            onlyOne(members, [&](const MemberSnapshot &m) { return m.port == r.serverPort; }))
        return m;
    // Same port everywhere and host names that are no addresses: the recovery state, when it
    // tells one member apart (the primary; current SQL only).
    return onlyOne(members, [&](const MemberSnapshot &m) {
        return m.port == r.serverPort && m.sql.ok() && m.inRecovery &&
               *m.inRecovery == *r.inRecovery && !*r.inRecovery;
    });
}

} // namespace

void matchRouteMembers(QList<ClientRoute> &routes, const QList<MemberSnapshot> &members)
{
    const QSet<QString> ids = clusterSystemIds(members);
    for (ClientRoute &r : routes) {
        r.member.clear();
        r.otherCluster = false;
        if (!r.answered())
            continue;
        if (!ids.isEmpty() && !ids.contains(r.systemIdentifier)) {
            r.otherCluster = true;
            continue;
        }
        if (const MemberSnapshot *m = memberReached(r, members))
            r.member = m->name;
    }
}

} // namespace vigil::services
