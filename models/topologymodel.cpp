#include "models/topologymodel.h"

#include "models/formatting.h"
#include "models/membersmodel.h"
#include "models/replicationmodel.h"

namespace vigil::models {

bool TopologyNode::operator==(const TopologyNode &o) const
{
    return name == o.name && role == o.role && state == o.state && timeline == o.timeline &&
           lagBytes == o.lagBytes && lagSeconds == o.lagSeconds && syncState == o.syncState &&
           upstream == o.upstream && streaming == o.streaming &&
           replicationVisible == o.replicationVisible && pendingRestart == o.pendingRestart &&
           flags == o.flags && health == o.health && restOk == o.restOk && sqlOk == o.sqlOk &&
           problem == o.problem && routedByHaproxy == o.routedByHaproxy && gone == o.gone &&
           formerLeader == o.formerLeader && depth == o.depth;
}

bool TopologyProxy::operator==(const TopologyProxy &o) const
{
    return configured == o.configured && health == o.health && title == o.title &&
           status == o.status && problem == o.problem && routesTo == o.routesTo &&
           routeLabel == o.routeLabel && routes == o.routes;
}

bool TopologyRoute::operator==(const TopologyRoute &o) const
{
    return target == o.target && label == o.label && health == o.health && proven == o.proven;
}

TopologyModel::TopologyModel(QObject *parent)
    : QObject(parent)
{
}

void TopologyModel::clear()
{
    m_scene = {};
    m_events.clear();
    m_lastSeen.clear();
    m_previousLeader.clear();
    m_formerLeader.clear();
    m_previousTimeline.reset();
    m_hadSnapshot = false;
    Q_EMIT changed();
}

void TopologyModel::addEvent(const QDateTime &at, Health severity, const QString &text)
{
    // Sentences built from a server's message may already end in punctuation.
    QString t = text;
    while (t.endsWith(QStringLiteral("?.")) || t.endsWith(QStringLiteral("..")) ||
           t.endsWith(QStringLiteral("!.")))
        t.chop(1);
    TopologyEvent e{at, severity, t};
    m_events.prepend(e);
    while (m_events.size() > 50)
        m_events.removeLast();
    Q_EMIT eventAdded(e);
}

namespace {

QStringList haproxyRoutes(const services::ClusterSnapshot &s)
{
    QStringList out;
    for (const QString &server : s.haproxy.readWriteServersUp) {
        if (s.member(server)) {
            out << server;
            continue;
        }
        // Server names that are not member names: match the server's address to a member.
        QString address;
        if (s.haproxy.stats)
            for (const auto &row : s.haproxy.stats->rows)
                if (row.type == services::HaproxyStatRow::Type::Server && row.name == server)
                    address = row.address;
        bool matched = false;
        for (const auto &m : s.members)
            if (!address.isEmpty() && address == QStringLiteral("%1:%2").arg(m.host).arg(m.port)) {
                out << m.name;
                matched = true;
            }
        if (!matched)
            out << server;
    }
    return out;
}

using services::ClientRoute;

bool haproxyConfigured(const services::ClusterSnapshot &s)
{
    return s.haproxy.channel.state != services::ChannelStatus::State::Unknown;
}

// What a proven route reached, against what its name says it is for: writes on a replica (or
// another cluster) critical, reads meant for replicas on the primary a warning.
Health routeHealth(const ClientRoute &r)
{
    if (!r.answered())
        return Health::Unknown;
    const bool readOnly = r.intent == ClientRoute::Intent::ReadOnly;
    if (r.otherCluster || (!readOnly && *r.inRecovery))
        return Health::Critical;
    return readOnly && !*r.inRecovery ? Health::Warning : Health::Ok;
}

QString landingLabel(const ClientRoute &r)
{
    if (!r.answered())
        return r.error ? TopologyModel::tr("probe failed") : TopologyModel::tr("not probed yet");
    if (r.otherCluster)
        return TopologyModel::tr("another cluster");
    return r.member.isEmpty() ? r.landingText()
                              : TopologyModel::tr("%1 → %2").arg(r.landingText(), r.member);
}

// The member whose own address a route names (PgBouncer pointing straight at a member).
QString memberAt(const services::ClusterSnapshot &s, const QString &host, int port)
{
    for (const auto &m : s.members)
        if (m.host == host && m.port == port)
            return m.name;
    return QString();
}

// PgBouncer's databases grouped by where they go and what they reach: one edge per group,
// labelled "read-write → node1 · hokm_game, postgres, *".
QList<TopologyRoute> pgbouncerRoutes(const services::ClusterSnapshot &s)
{
    QList<TopologyRoute> out;
    QList<QStringList> names;
    for (const ClientRoute &r : s.pgbouncer.routes) {
        if (r.kind == ClientRoute::Kind::Address || r.probedAs.isEmpty())
            continue;
        // Straight to a member, or to an address that is no member's: in this stack HAProxy's
        // port. (The fallback's address is known once PgBouncer lists the entry its probe made.)
        QString target = memberAt(s, r.host, r.port);
        if (target.isEmpty())
            target = haproxyConfigured(s) && r.port > 0 ? QStringLiteral("@haproxy") : r.member;
        if (target.isEmpty())
            continue;
        const TopologyRoute route{target, landingLabel(r), routeHealth(r), r.answered()};
        const auto it = std::find(out.begin(), out.end(), route);
        if (it == out.end()) {
            out.append(route);
            names.append({r.name});
        } else {
            names[it - out.begin()].append(r.name);
        }
    }
    for (int i = 0; i < out.size(); ++i)
        out[i].label =
            TopologyModel::tr("%1 · %2").arg(out[i].label, names[i].join(QStringLiteral(", ")));
    return out;
}

// HAProxy's ports as the direct probes went through them, to the member each reached (listed in
// HAProxy's box); a port that reached the one member of its read-write backend is left out.
QList<TopologyRoute> haproxyProbeRoutes(const services::ClusterSnapshot &s,
                                        const QStringList &readWrite)
{
    QList<TopologyRoute> out;
    for (const ClientRoute &r : s.pgbouncer.routes) {
        if (r.kind != ClientRoute::Kind::Address || !r.answered() || r.member.isEmpty())
            continue;
        if (!*r.inRecovery && readWrite == QStringList{r.member})
            continue;
        out.append(
            {r.member,
             TopologyModel::tr("%1 port %2 → %3").arg(r.landingText()).arg(r.port).arg(r.member),
             routeHealth(r), true});
    }
    return out;
}

TopologyProxy haproxyBox(const services::ClusterSnapshot &s, const QStringList &routes)
{
    TopologyProxy p;
    p.title = TopologyModel::tr("HAProxy");
    p.configured = s.haproxy.channel.state != services::ChannelStatus::State::Unknown;
    if (!p.configured)
        return p;
    p.routesTo = routes;
    p.routes = haproxyProbeRoutes(s, routes);
    if (!s.haproxy.channel.ok()) {
        p.health = Health::Critical;
        p.status = TopologyModel::tr("stats unreachable");
        p.problem = channelText(s.haproxy.channel);
        return p;
    }
    const services::MemberSnapshot *leader = s.leader();
    if (routes.isEmpty()) {
        p.health = Health::Critical;
        p.status = TopologyModel::tr("read-write: no server up");
        p.problem = TopologyModel::tr("Clients of the read-write port cannot reach any server.");
    } else if (routes.size() > 1) {
        p.health = Health::Critical;
        p.status = TopologyModel::tr("read-write → %1").arg(routes.join(QStringLiteral(", ")));
        p.problem = TopologyModel::tr("More than one server is up in the read-write backend.");
    } else {
        p.status = TopologyModel::tr("read-write → %1").arg(routes.first());
        if (leader && routes.first() != leader->name) {
            p.health = Health::Critical;
            p.problem = TopologyModel::tr("HAProxy routes writes to %1 but the leader is %2.")
                            .arg(routes.first(), leader->name);
        } else {
            p.health = Health::Ok;
        }
    }
    return p;
}

// The routes whose clients land where their name says they should not, in the box's words.
void routeProblems(const services::ClusterSnapshot &s, TopologyProxy &p, QStringList &problems)
{
    QStringList writesOnReplica, readsOnPrimary;
    for (const ClientRoute &r : s.pgbouncer.routes) {
        if (r.kind == ClientRoute::Kind::Address)
            continue;
        const Health h = routeHealth(r);
        if (h == Health::Critical)
            writesOnReplica << r.name;
        else if (h == Health::Warning)
            readsOnPrimary << r.name;
    }
    if (!writesOnReplica.isEmpty()) {
        p.health = Health::Critical;
        problems << TopologyModel::tr("Writes of %1 land on a replica.")
                        .arg(writesOnReplica.join(QStringLiteral(", ")));
    }
    if (!readsOnPrimary.isEmpty()) {
        p.health = std::max(p.health, Health::Warning);
        problems << TopologyModel::tr("Reads of %1 land on the primary.")
                        .arg(readsOnPrimary.join(QStringLiteral(", ")));
    }
}

TopologyProxy pgbouncerBox(const services::ClusterSnapshot &s)
{
    TopologyProxy p;
    p.title = TopologyModel::tr("PgBouncer");
    p.configured = s.pgbouncer.channel.state != services::ChannelStatus::State::Unknown;
    if (!p.configured)
        return p;
    if (!s.pgbouncer.channel.ok()) {
        p.health = Health::Critical;
        p.status = TopologyModel::tr("admin console unreachable");
        p.problem = channelText(s.pgbouncer.channel);
        return p;
    }
    qint64 active = 0;
    for (const auto &pool : s.pgbouncer.pools)
        active += pool.clientsActive;
    const qint64 waiting = s.pgbouncer.waitingClients();
    p.status = TopologyModel::tr("%1 pools · %2 active · %3 waiting")
                   .arg(s.pgbouncer.pools.size())
                   .arg(active)
                   .arg(waiting);
    p.health = waiting > 0 ? Health::Warning : Health::Ok;
    QStringList problems;
    if (waiting > 0)
        problems
            << TopologyModel::tr("%1 clients are waiting for a server connection.").arg(waiting);

    // Where it sends clients (SHOW DATABASES): straight to a member, or to an address that is no
    // member — in this stack, HAProxy's read-write port.
    const services::MemberSnapshot *leader = s.leader();
    QStringList addresses, paused, toReplica;
    for (const auto &db : s.pgbouncer.databases) {
        const QString address = db.host.isEmpty()
                                    ? TopologyModel::tr("socket:%1").arg(db.port)
                                    : QStringLiteral("%1:%2").arg(db.host).arg(db.port);
        if (!addresses.contains(address))
            addresses << address;
        if (db.paused)
            paused << db.name;
        QString target;
        for (const auto &m : s.members)
            if (m.host == db.host && m.port == db.port)
                target = m.name;
        if (target.isEmpty() && s.haproxy.channel.state != services::ChannelStatus::State::Unknown)
            target = QStringLiteral("@haproxy");
        if (!target.isEmpty() && !p.routesTo.contains(target))
            p.routesTo << target;
        if (!target.isEmpty() && !target.startsWith(QLatin1Char('@')) && leader &&
            target != leader->name &&
            services::intentForName(db.name) == ClientRoute::Intent::ReadWrite)
            toReplica << TopologyModel::tr("%1 → %2").arg(db.name, target);
    }
    p.routeLabel = addresses.join(QStringLiteral(", "));
    if (!paused.isEmpty()) {
        p.status += TopologyModel::tr(" · paused: %1").arg(paused.join(QStringLiteral(", ")));
        p.health = std::max(p.health, Health::Warning);
        problems << TopologyModel::tr("Clients of %1 are held (PAUSE) until RESUME.")
                        .arg(paused.join(QStringLiteral(", ")));
    }
    if (!toReplica.isEmpty()) {
        p.health = Health::Critical;
        problems << TopologyModel::tr(
                        "PgBouncer sends clients straight to a member that is not the leader (%1).")
                        .arg(toReplica.join(QStringLiteral(", ")));
    }
    p.routes = pgbouncerRoutes(s);
    for (const ClientRoute &r : s.pgbouncer.routes)
        if (r.kind == ClientRoute::Kind::Fallback && r.probedAs.isEmpty())
            p.status += TopologyModel::tr(" · fallback * not probed");
    routeProblems(s, p, problems);
    p.problem = problems.join(QLatin1Char(' '));
    return p;
}

QStringList flagsOf(const services::MemberSnapshot &m)
{
    QStringList flags;
    for (const char *tag : {"nofailover", "noloadbalance", "nosync", "nostream"})
        if (tagIsSet(m.tags, QLatin1String(tag)))
            flags << QLatin1String(tag);
    if (tagIsSet(m.tags, QStringLiteral("clonefrom")))
        flags << QStringLiteral("clonefrom");
    const QString replicateFrom = m.tags.value(QStringLiteral("replicatefrom")).toString();
    if (!replicateFrom.isEmpty())
        flags << QStringLiteral("replicatefrom=%1").arg(replicateFrom);
    if (m.pendingRestart)
        flags << TopologyModel::tr("pending restart");
    if (m.scheduledRestart)
        flags << TopologyModel::tr("restart at %1")
                     .arg(m.scheduledRestart->toLocalTime().toString(QStringLiteral("HH:mm")));
    return flags;
}

QString memberNames(const services::ClusterSnapshot &s)
{
    QStringList names;
    for (const auto &m : s.members)
        names << m.name;
    return names.join(QStringLiteral(", "));
}

QString scheduledSwitchoverText(const services::ClusterSnapshot &s)
{
    if (!s.scheduledSwitchover)
        return QString();
    const auto &sw = *s.scheduledSwitchover;
    return sw.to.isEmpty()
               ? TopologyModel::tr("Switchover from %1 scheduled at %2.")
                     .arg(sw.from, sw.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")))
               : TopologyModel::tr("Switchover from %1 to %2 scheduled at %3.")
                     .arg(sw.from, sw.to, sw.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
}

// The scene without its nodes: the cluster's state and the proxies in front of it.
TopologyScene sceneFrame(const services::ClusterSnapshot &s, const QStringList &routes)
{
    TopologyScene scene;
    scene.scope = s.scope.isEmpty() ? s.profileName : s.scope;
    scene.takenAt = s.takenAt;
    scene.reachable = s.discovery.ok();
    if (!scene.reachable)
        scene.discoveryProblem = channelText(s.discovery);
    scene.paused = s.paused;
    scene.scheduledSwitchover = scheduledSwitchoverText(s);
    const services::MemberSnapshot *leader = s.leader();
    scene.leader = leader ? leader->name : QString();
    scene.haproxy = haproxyBox(s, routes);
    scene.pgbouncer = pgbouncerBox(s);
    return scene;
}

// A replica's link from its upstream, its lag, and how they weigh on its health.
void addReplicaState(TopologyNode &n, Health &h, const services::ClusterSnapshot &s,
                     const services::MemberSnapshot &m)
{
    const UpstreamLink up = upstreamOf(s, m.name);
    n.upstream = up.sender;
    n.streaming = up.stat != nullptr && up.stat->state == QLatin1String("streaming");
    n.syncState = up.stat ? up.stat->syncState : QString();
    n.lagBytes = m.replayLagBytes ? m.replayLagBytes : m.lagBytes;
    n.lagSeconds = m.replayLagSeconds;
    const Health lh = lagHealth(n.lagBytes, n.lagSeconds);
    if (lh == Health::Warning || lh == Health::Critical) {
        h = worse(h, lh);
        if (n.problem.isEmpty())
            n.problem = TopologyModel::tr("lag %1").arg(formatBytes(n.lagBytes));
    }
    n.replicationVisible = up.stat || up.visible;
    if (!up.stat && s.leader() && n.replicationVisible) {
        h = worse(h, Health::Warning);
        if (n.problem.isEmpty())
            n.problem = TopologyModel::tr("not streaming from any member");
    }
}

// One member's box; its health is the worst of its state, its channels and its replication.
TopologyNode memberNode(const services::ClusterSnapshot &s, const services::MemberSnapshot &m,
                        const QStringList &routes, const QDateTime &now)
{
    TopologyNode n;
    n.name = m.name;
    n.role = m.role;
    n.roleText = m.role == services::PatroniRole::Unknown ? TopologyModel::tr("role unknown")
                                                          : roleText(m.role);
    n.state = m.state;
    n.timeline = m.timeline;
    n.pendingRestart = m.pendingRestart;
    n.flags = flagsOf(m);
    n.restOk = m.rest.ok();
    n.sqlOk = m.sql.ok();
    n.lastSeen = now;
    n.routedByHaproxy = routes.contains(m.name);

    Health h = memberStateHealth(m.state);
    if (h != Health::Ok)
        n.problem = TopologyModel::tr("state: %1")
                        .arg(m.state.isEmpty() ? TopologyModel::tr("unknown") : m.state);
    if (!m.rest.ok() && m.rest.state != services::ChannelStatus::State::Unknown) {
        h = worse(h, Health::Critical);
        if (n.problem.isEmpty())
            n.problem = TopologyModel::tr("REST: %1").arg(channelText(m.rest));
    }
    if (!m.sql.ok() && m.sql.state != services::ChannelStatus::State::Unknown) {
        h = worse(h, Health::Critical);
        if (n.problem.isEmpty())
            n.problem = TopologyModel::tr("SQL: %1").arg(channelText(m.sql));
    }
    if (m.sql.ok() && m.connections && m.connections->maxConnections > 0) {
        const double used = m.connections->usedFraction();
        const Health ch = connectionsHealth(used);
        if (ch == Health::Warning || ch == Health::Critical) {
            h = worse(h, ch);
            if (n.problem.isEmpty())
                n.problem = TopologyModel::tr("connections %1 % of max")
                                .arg(QString::number(used * 100.0, 'f', 0));
        }
    }
    if (!m.isLeader())
        addReplicaState(n, h, s, m);
    n.health = h;
    return n;
}

// Depth: the leader 0, direct replicas 1, cascades below their upstream.
void assignDepths(QHash<QString, TopologyNode> &nodes)
{
    for (int pass = 0; pass < 6; ++pass)
        for (auto it = nodes.begin(); it != nodes.end(); ++it) {
            if (it->isLeader()) {
                it->depth = 0;
                continue;
            }
            const auto up = nodes.constFind(it->upstream);
            it->depth = (up == nodes.constEnd() || up->isLeader()) ? 1 : qMin(up->depth + 1, 6);
        }
}

// A member that left the DCS view, as its ghost box shows it.
TopologyNode ghostOf(TopologyNode g, const QString &formerLeader)
{
    g.gone = true;
    g.health = Health::Critical;
    g.routedByHaproxy = false;
    g.problem = TopologyModel::tr("gone since %1")
                    .arg(g.lastSeen.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    g.formerLeader = g.isLeader() || g.name == formerLeader;
    g.role = services::PatroniRole::Unknown;
    g.roleText = g.formerLeader ? TopologyModel::tr("former leader") : TopologyModel::tr("gone");
    g.state = TopologyModel::tr("gone");
    g.lagBytes.reset();
    g.lagSeconds.reset();
    g.streaming = false;
    g.upstream.clear();
    return g;
}

} // namespace

void TopologyModel::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    const services::ClusterSnapshot &s = *snapshot;
    const QDateTime now = s.takenAt.isValid() ? s.takenAt : QDateTime::currentDateTimeUtc();
    const QStringList routes = haproxyRoutes(s);
    TopologyScene scene = sceneFrame(s, routes);

    // While the DCS view is unreachable keep the last picture (marked stale by the widget):
    // the members did not vanish, we just cannot see them.
    if (!scene.reachable && m_hadSnapshot) {
        scene.nodes = m_scene.nodes;
        scene.leader = m_scene.leader;
        m_scene = scene;
        Q_EMIT changed();
        return;
    }

    QHash<QString, TopologyNode> seen;
    for (const services::MemberSnapshot &m : s.members)
        seen.insert(m.name, memberNode(s, m, routes, now));
    assignDepths(seen);

    const services::MemberSnapshot *leader = s.leader();
    const std::optional<int> timeline = leader ? leader->timeline : std::nullopt;
    if (!m_hadSnapshot) {
        addFirstEvent(now, scene.scope, s);
    } else {
        addLeaderEvents(now, leader, timeline);
        addMemberEvents(now, seen);
    }
    // After the events, m_formerLeader names the leader before the last change.
    for (auto it = seen.begin(); it != seen.end(); ++it)
        it->formerLeader = !it->isLeader() && it->name == m_formerLeader;

    const QList<TopologyNode> ghosts = ghostsAt(now, seen);
    scene.nodes = sortedNodes(seen) + ghosts;
    QHash<QString, TopologyNode> lastSeen = seen;
    for (const TopologyNode &g : ghosts)
        lastSeen.insert(g.name, g);
    m_lastSeen = lastSeen;
    m_previousLeader = scene.leader;
    if (timeline)
        m_previousTimeline = timeline;
    m_hadSnapshot = true;
    m_scene = scene;
    Q_EMIT changed();
}

void TopologyModel::addFirstEvent(const QDateTime &now, const QString &scope,
                                  const services::ClusterSnapshot &s)
{
    const services::MemberSnapshot *leader = s.leader();
    if (leader)
        addEvent(now, Health::Ok,
                 tr("Watching %1: leader %2 on timeline %3; members %4.")
                     .arg(scope, leader->name,
                          leader->timeline ? QString::number(*leader->timeline) : tr("unknown"),
                          memberNames(s)));
    else
        addEvent(now, Health::Critical, tr("Watching %1: the cluster has no leader.").arg(scope));
}

// Leader changes and timeline bumps since the previous snapshot; remembers the former leader.
void TopologyModel::addLeaderEvents(const QDateTime &now, const services::MemberSnapshot *leader,
                                    const std::optional<int> &timeline)
{
    const QString tlText = (m_previousTimeline && timeline && *m_previousTimeline != *timeline)
                               ? tr(" (timeline %1 → %2)").arg(*m_previousTimeline).arg(*timeline)
                               : QString();
    if (leader && !m_previousLeader.isEmpty() && leader->name != m_previousLeader) {
        m_formerLeader = m_previousLeader;
        addEvent(now, Health::Warning,
                 tr("Leader changed: %1 → %2%3.").arg(m_previousLeader, leader->name, tlText));
    } else if (leader && m_previousLeader.isEmpty() && m_scene.leader.isEmpty() &&
               !m_formerLeader.isEmpty() && leader->name != m_formerLeader) {
        addEvent(now, Health::Warning,
                 tr("%1 is the new leader%2; %3 was the leader before.")
                     .arg(leader->name, tlText, m_formerLeader));
    } else if (leader && m_previousLeader.isEmpty()) {
        addEvent(now, Health::Ok, tr("%1 holds the leader lock%2.").arg(leader->name, tlText));
    } else if (!leader && !m_previousLeader.isEmpty()) {
        m_formerLeader = m_previousLeader;
        addEvent(now, Health::Critical,
                 tr("No leader: %1 no longer holds the leader lock.").arg(m_previousLeader));
    } else if (leader && !tlText.isEmpty()) {
        addEvent(now, Health::Warning, tr("Timeline changed%1 on %2.").arg(tlText, leader->name));
    }
}

// Members that joined, crashed, recovered or left since the previous snapshot.
void TopologyModel::addMemberEvents(const QDateTime &now, const QHash<QString, TopologyNode> &seen)
{
    for (auto it = seen.constBegin(); it != seen.constEnd(); ++it) {
        const auto before = m_lastSeen.constFind(it.key());
        if (before == m_lastSeen.constEnd() || before->gone) {
            if (before != m_lastSeen.constEnd() || m_hadSnapshot)
                addEvent(now, Health::Ok,
                         tr("%1 joined the cluster as %2 (%3).")
                             .arg(it->name, it->roleText.toLower(), it->state));
            continue;
        }
        if (before->health != Health::Critical && it->health == Health::Critical)
            addEvent(now, Health::Critical, tr("%1: %2.").arg(it->name, it->problem));
        else if (before->health == Health::Critical && it->health == Health::Ok)
            addEvent(now, Health::Ok, tr("%1 is healthy again (%2).").arg(it->name, it->state));
    }
    for (auto it = m_lastSeen.constBegin(); it != m_lastSeen.constEnd(); ++it)
        if (!it->gone && !seen.contains(it.key()))
            addEvent(now, Health::Critical,
                     tr("%1 left the cluster (no longer in the DCS view).").arg(it.key()));
}

// Members seen within ghostSeconds that are no longer in the DCS view, by name.
QList<TopologyNode> TopologyModel::ghostsAt(const QDateTime &now,
                                            const QHash<QString, TopologyNode> &seen) const
{
    QList<TopologyNode> ghosts;
    for (auto it = m_lastSeen.constBegin(); it != m_lastSeen.constEnd(); ++it) {
        if (seen.contains(it.key()))
            continue;
        if (it->lastSeen.secsTo(now) > m_ghostSeconds)
            continue;
        ghosts.append(it->gone ? *it : ghostOf(*it, m_formerLeader));
    }
    std::sort(ghosts.begin(), ghosts.end(),
              [](const TopologyNode &a, const TopologyNode &b) { return a.name < b.name; });
    return ghosts;
}

QList<TopologyNode> TopologyModel::sortedNodes(const QHash<QString, TopologyNode> &seen)
{
    QList<TopologyNode> nodes = seen.values();
    std::sort(nodes.begin(), nodes.end(), [](const TopologyNode &a, const TopologyNode &b) {
        if (a.depth != b.depth)
            return a.depth < b.depth;
        return a.name < b.name;
    });
    return nodes;
}

} // namespace vigil::models
