#pragma once

// The one builder of hand-built ClusterSnapshots for tests that must not depend on a running
// cluster. healthySnapshot(shape) builds the sandbox's cluster (scope hokm-ha, members
// node1..node3 on 127.0.0.1, PostgreSQL on base+10.., Patroni REST on base+20.., HAProxy "rw",
// PgBouncer); each test then breaks it in one way (setLag, leaderCrashedSnapshot,
// afterFailoverSnapshot, or by hand through memberOf/memberNamed). healthyOnDefaultPorts() is the
// same cluster on PostgreSQL's default ports with the round figures the monitor's tests (findings,
// JSON, `vigil status`) expect. Every value is one the real monitor produces for Patroni 3.0.2 /
// PostgreSQL 15.

#include "services/monitor/clustersnapshot.h"
#include "services/monitor/routematching.h"

#include <QDateTime>
#include <QString>
#include <algorithm>
#include <memory>

namespace vigil::test {

struct SandboxShape
{
    int portBase = 60300; // PostgreSQL of node<i> on portBase + 9 + i, its REST API on +19 + i
    QString leader = QStringLiteral("node1");
    int timeline = 1;
    quint64 sequence = 1;
    QDateTime takenAt = QDateTime(QDate(2024, 5, 14), QTime(12, 0, 0), Qt::UTC);
};

inline QString lsn(qint64 bytes)
{
    return QStringLiteral("%1/%2")
        .arg(quint32(bytes >> 32), 0, 16)
        .arg(quint32(bytes & 0xffffffff), 8, 16, QLatin1Char('0'))
        .toUpper();
}

inline services::ChannelStatus okChannel(const QDateTime &at, qint64 latency = 3)
{
    services::ChannelStatus c;
    c.state = services::ChannelStatus::State::Ok;
    c.latencyMs = latency;
    c.lastOk = at;
    return c;
}

inline services::ChannelStatus downChannel(services::ServiceError::Kind kind, const QString &what,
                                           const QString &host, const QString &message,
                                           bool unresponsive = false)
{
    services::ChannelStatus c;
    c.state = unresponsive ? services::ChannelStatus::State::Unresponsive
                           : services::ChannelStatus::State::Unreachable;
    c.error = services::ServiceError::make(kind, what, host, QString(), message);
    return c;
}

// The shape of healthyOnDefaultPorts(): node1..node3 on 5432..5434, taken 2026-11-27 12:00 UTC.
inline SandboxShape defaultPortsShape()
{
    SandboxShape shape;
    shape.portBase = 5422;
    shape.sequence = 7;
    shape.takenAt = QDateTime(QDate(2026, 11, 27), QTime(12, 0, 0), Qt::UTC);
    return shape;
}

// A probe that failed two seconds before healthyOnDefaultPorts() was taken.
inline services::ChannelStatus failedChannel(services::ChannelStatus::State state,
                                             services::ServiceError::Kind kind,
                                             const QString &message)
{
    services::ChannelStatus c =
        downChannel(kind, QStringLiteral("probe"), QStringLiteral("127.0.0.1:5432"), message,
                    state == services::ChannelStatus::State::Unresponsive);
    c.state = state;
    c.lastOk = defaultPortsShape().takenAt.addSecs(-2);
    return c;
}

// The WAL position of the sandbox's members in the snapshot of `sequence`.
inline qint64 sandboxWalPosition(quint64 sequence)
{
    return 0x3000000 + qint64(sequence) * 8192;
}

// The leader's pg_stat_replication row of a replica streaming asynchronously, caught up.
inline services::ReplicationStat streamingTo(const QString &replica, qint64 walPosition = 0,
                                             int pid = 0)
{
    services::ReplicationStat st;
    st.pid = pid > 0 ? pid : 4009 + replica.back().digitValue();
    st.applicationName = replica;
    st.clientAddr = QStringLiteral("127.0.0.1");
    st.state = QStringLiteral("streaming");
    st.syncState = QStringLiteral("async");
    st.sentLsn = st.writeLsn = st.flushLsn = st.replayLsn =
        lsn(walPosition > 0 ? walPosition : sandboxWalPosition(1));
    st.sentLagBytes = st.writeLagBytes = st.flushLagBytes = st.replayLagBytes = 0;
    st.writeLagSeconds = 0.001;
    st.flushLagSeconds = 0.0015;
    st.replayLagSeconds = 0.002;
    return st;
}

// What the sandbox's workload shows on a member: the game's connections on the leader, the
// monitor's own everywhere.
inline services::ConnectionStats sandboxConnections(bool leader)
{
    services::ConnectionStats c;
    c.maxConnections = 1200;
    c.byState = {{QStringLiteral("active"), leader ? 6 : 1},
                 {QStringLiteral("idle"), leader ? 20 : 2},
                 {QStringLiteral("idle in transaction"), leader ? 3 : 0}};
    c.byApplication = {{QStringLiteral("hokm-game-server"), leader ? 18 : 0},
                       {QStringLiteral("hokm-lobby"), leader ? 8 : 0},
                       {QStringLiteral("vigil"), leader ? 3 : 3}};
    c.byDatabase = {{QStringLiteral("hokm_game"), leader ? 26 : 0},
                    {QStringLiteral("postgres"), 3}};
    c.total = 0;
    for (int n : c.byState)
        c.total += n;
    return c;
}

// Member node<i> of the healthy cluster, a streaming replica unless it is shape.leader.
inline services::MemberSnapshot sandboxMember(const SandboxShape &shape, const QString &scope,
                                              int i)
{
    using namespace services;
    MemberSnapshot m;
    m.name = QStringLiteral("node%1").arg(i);
    m.host = QStringLiteral("127.0.0.1");
    m.port = shape.portBase + 9 + i;
    m.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/patroni").arg(shape.portBase + 19 + i));
    const bool leader = m.name == shape.leader;
    m.role = leader ? PatroniRole::Leader : PatroniRole::Replica;
    m.state = QStringLiteral("running");
    m.timeline = shape.timeline;
    m.rest = okChannel(shape.takenAt, 2 + i);
    m.sql = okChannel(shape.takenAt, 4 + i);
    m.inRecovery = !leader;
    m.serverVersion = 150006;
    PatroniNodeStatus ps;
    ps.state = m.state;
    ps.role = m.role;
    ps.serverVersion = 150006;
    ps.timeline = shape.timeline;
    ps.patroniVersion = QStringLiteral("3.0.2");
    ps.scope = scope;
    m.patroni = ps;
    m.connections = sandboxConnections(leader);
    DatabaseCounters dc;
    dc.name = QStringLiteral("hokm_game");
    dc.xactCommit = leader ? 100000 + qint64(shape.sequence) * 25 : 500 + qint64(shape.sequence);
    dc.tupInserted = leader ? 40000 + qint64(shape.sequence) * 10 : 0;
    dc.tupUpdated = leader ? 90000 + qint64(shape.sequence) * 30 : 0;
    m.databaseCounters = {dc};
    m.databaseSizes = {{QStringLiteral("hokm_game"), 48LL * 1024 * 1024},
                       {QStringLiteral("postgres"), 7LL * 1024 * 1024}};
    if (!leader) {
        m.lagBytes = 0;
        m.replayLagBytes = 0;
        m.replayLagSeconds = 0.002;
        WalReceiverStat w;
        w.status = QStringLiteral("streaming");
        w.senderHost = QStringLiteral("127.0.0.1");
        w.senderPort = shape.portBase + 9 + shape.leader.mid(4).toInt();
        w.receivedLsn = lsn(sandboxWalPosition(shape.sequence));
        w.receivedTimeline = shape.timeline;
        w.lastMessageReceipt = shape.takenAt.addMSecs(-300);
        m.walReceiver = w;
    }
    return m;
}

// HAProxy routes rw to the leader; PgBouncer has two pools and reaches every database through
// HAProxy's read-write port, as recorded (tests/fixtures/pgbouncer).
inline void addSandboxProxies(services::ClusterSnapshot &s, const SandboxShape &shape)
{
    using namespace services;
    s.haproxy.channel = okChannel(shape.takenAt, 1);
    s.haproxy.readWriteServersUp = {shape.leader};
    s.pgbouncer.channel = okChannel(shape.takenAt, 1);
    PgBouncerPool p1;
    p1.database = QStringLiteral("hokm_game");
    p1.user = QStringLiteral("hokm_app");
    p1.clientsActive = 2;
    p1.serversActive = 1;
    p1.serversIdle = 1;
    p1.poolMode = QStringLiteral("transaction");
    PgBouncerPool p2 = p1;
    p2.database = QStringLiteral("pgbouncer");
    p2.user = QStringLiteral("pgbouncer");
    p2.clientsActive = 1;
    p2.poolMode = QStringLiteral("statement");
    s.pgbouncer.pools = {p1, p2};
    PgBouncerDatabase game;
    game.name = game.database = QStringLiteral("hokm_game");
    game.host = QStringLiteral("127.0.0.1");
    game.port = shape.portBase + 30;
    PgBouncerDatabase postgres = game;
    postgres.name = postgres.database = QStringLiteral("postgres");
    s.pgbouncer.databases = {game, postgres};
}

// A healthy three-member cluster: the leader streams to both replicas (async), HAProxy routes
// rw to the leader, PgBouncer has two pools, no findings.
inline services::ClusterSnapshot healthySnapshot(const SandboxShape &shape = {})
{
    using namespace services;
    ClusterSnapshot s;
    s.sequence = shape.sequence;
    s.profileName = QStringLiteral("hokm-ha");
    s.scope = QStringLiteral("hokm-ha");
    s.takenAt = shape.takenAt;
    s.cycleMs = 42;
    s.discovery = okChannel(shape.takenAt, 2);
    for (int i = 1; i <= 3; ++i)
        s.members.append(sandboxMember(shape, s.scope, i));
    // The leader's pg_stat_replication and slots.
    for (MemberSnapshot &m : s.members) {
        if (m.name != shape.leader)
            continue;
        for (const MemberSnapshot &r : s.members) {
            if (r.name == shape.leader)
                continue;
            m.replication.append(
                streamingTo(r.name, sandboxWalPosition(shape.sequence), 4000 + r.port % 100));
            m.replicationSlots.append({r.name, QStringLiteral("physical"), true, 0});
        }
        m.archiver = ArchiverStat{};
    }
    addSandboxProxies(s, shape);
    return s;
}

// The healthy cluster with a wrong SQL password on every member: REST answers, no member's SQL
// does, so nobody's walsenders (pg_stat_replication) are known.
inline services::ClusterSnapshot allSqlDownSnapshot(const SandboxShape &shape = {})
{
    services::ClusterSnapshot s = healthySnapshot(shape);
    for (services::MemberSnapshot &m : s.members) {
        m.sql = downChannel(services::ServiceError::Kind::Auth, QStringLiteral("connect"), m.host,
                            QStringLiteral("password authentication failed"));
        m.replication.clear();
    }
    return s;
}

inline services::MemberSnapshot *memberOf(services::ClusterSnapshot &s, const QString &name)
{
    for (auto &m : s.members)
        if (m.name == name)
            return &m;
    return nullptr;
}

// memberOf() for a member the test knows is there.
inline services::MemberSnapshot &memberNamed(services::ClusterSnapshot &s, const QString &name)
{
    services::MemberSnapshot *m = memberOf(s, name);
    return m ? *m : s.members.first();
}

// The healthy cluster on PostgreSQL's default ports (defaultPortsShape()) with the figures the
// monitor's tests read in their expected texts: every REST API answers in 2 ms and every SQL
// port in 4 ms, replicas are 0 s behind, one PgBouncer pool with 2 active clients, Patroni's
// /config (maximum_lag_on_failover 1 MiB), the system identifier, Patroni's last DCS contact a
// second ago, and HAProxy's stats rows of the rw backend. deriveFindings() finds nothing in it.
inline services::ClusterSnapshot healthyOnDefaultPorts()
{
    using namespace services;
    const SandboxShape shape = defaultPortsShape();
    ClusterSnapshot s = healthySnapshot(shape);
    for (MemberSnapshot &m : s.members) {
        m.rest.latencyMs = 2;
        m.sql.latencyMs = 4;
        if (m.replayLagSeconds)
            m.replayLagSeconds = 0.0;
        m.patroni->systemIdentifier = QStringLiteral("7712644285138852758");
        m.patroni->dcsLastSeen = shape.takenAt.addSecs(-1);
        m.tags = QVariantMap{{QStringLiteral("nofailover"), false}};
    }
    s.pgbouncer.pools.removeLast();

    PatroniConfig cfg;
    cfg.ttl = 10;
    cfg.loopWait = 2;
    cfg.retryTimeout = 4;
    cfg.maximumLagOnFailover = 1048576;
    s.dynamicConfig = cfg;

    s.haproxy.readWriteBackend = QStringLiteral("rw");
    HaproxyStats stats;
    for (const MemberSnapshot &m : s.members) {
        HaproxyStatRow r;
        r.proxy = QStringLiteral("rw");
        r.name = m.name;
        r.type = HaproxyStatRow::Type::Server;
        const bool up = m.name == shape.leader;
        r.status = up ? QStringLiteral("UP") : QStringLiteral("DOWN");
        r.checkStatus = up ? QStringLiteral("L7OK") : QStringLiteral("L7STS");
        stats.rows << r;
    }
    s.haproxy.stats = stats;
    return s;
}

// A route's probe as it answers when it reached `member` (the snapshot's own data).
inline void landOn(services::ClientRoute &r, const services::ClusterSnapshot &s,
                   const QString &member)
{
    for (const services::MemberSnapshot &m : s.members) {
        if (m.name != member)
            continue;
        r.probedAt = s.takenAt;
        r.error = {};
        r.inRecovery = !m.isLeader();
        r.serverAddress = m.host;
        r.serverPort = m.port;
        r.systemIdentifier = m.patroni ? m.patroni->systemIdentifier : QString();
    }
}

// The routes ClientRouteProber proves on the healthy cluster: PgBouncer's databases through
// HAProxy's read-write port (and that port) reach the leader; the fallback, probed as
// hokm_stats, too. With `readOnly` (the production shape) hokm_game_ro goes through the read-only
// port (HAProxy's rw port + 1) and reaches `replica`.
inline void addProvenRoutes(services::ClusterSnapshot &s, bool readOnly,
                            const QString &replica = QStringLiteral("node2"))
{
    using namespace services;
    QList<PgBouncerDatabase> databases = s.pgbouncer.databases;
    const int rwPort = databases.isEmpty() ? 5000 : databases.first().port;
    if (readOnly) {
        PgBouncerDatabase ro = databases.first();
        ro.name = QStringLiteral("hokm_game_ro");
        ro.port = rwPort + 1;
        databases.append(ro);
        s.pgbouncer.databases = databases;
    }
    PgBouncerDatabase stats = databases.first(); // the fallback's entry, made by its probe
    stats.name = stats.database = QStringLiteral("hokm_stats");
    databases.append(stats);
    QStringList memberAddresses;
    for (const MemberSnapshot &m : s.members)
        memberAddresses << QStringLiteral("%1:%2").arg(m.host).arg(m.port);
    s.pgbouncer.routes = routesFor(databases, QStringLiteral("hokm_stats"), memberAddresses);
    const QString leader = s.leader() ? s.leader()->name : QString();
    for (ClientRoute &r : s.pgbouncer.routes)
        landOn(r, s, r.port == rwPort ? leader : replica);
    matchRouteMembers(s.pgbouncer.routes, s.members);
}

// Sets a replica's lag consistently in Patroni's view, pg_stat_replication and the member.
inline void setLag(services::ClusterSnapshot &s, const QString &replica, qint64 bytes,
                   double seconds)
{
    if (auto *m = memberOf(s, replica)) {
        m->lagBytes = bytes;
        m->replayLagBytes = bytes;
        m->replayLagSeconds = seconds;
    }
    for (auto &m : s.members)
        for (auto &r : m.replication)
            if (r.applicationName == replica) {
                r.replayLagBytes = bytes;
                r.replayLagSeconds = seconds;
            }
}
// The leader's processes were killed: its REST and SQL stop answering; Patroni's DCS view still
// lists it as leader until the leader key expires.
inline services::ClusterSnapshot leaderCrashedSnapshot(const SandboxShape &shape)
{
    services::ClusterSnapshot s = healthySnapshot(shape);
    services::MemberSnapshot *l = memberOf(s, shape.leader);
    const QString restHost = QStringLiteral("127.0.0.1:%1").arg(l->apiUrl.port());
    l->rest = downChannel(services::ServiceError::Kind::Connect, QStringLiteral("GET /patroni"),
                          restHost, QStringLiteral("Connection refused"));
    l->rest.lastOk = shape.takenAt.addSecs(-2);
    l->sql = downChannel(services::ServiceError::Kind::Connect, QStringLiteral("connect"),
                         QStringLiteral("127.0.0.1:%1").arg(l->port),
                         QStringLiteral("Connection refused"));
    l->sql.lastOk = shape.takenAt.addSecs(-2);
    l->patroni.reset();
    l->connections.reset();
    l->replication.clear();
    l->replicationSlots.clear();
    l->databaseCounters.clear();
    for (auto &m : s.members)
        if (m.name != shape.leader && m.walReceiver)
            m.walReceiver->status = QStringLiteral("waiting");
    s.haproxy.readWriteServersUp.clear();
    services::Finding f;
    f.severity = services::Finding::Severity::Critical;
    f.code = services::Finding::Code::MemberUnreachable;
    f.member = shape.leader;
    f.message = QStringLiteral("%1 does not answer on its REST API or SQL port.").arg(shape.leader);
    s.findings.append(f);
    return s;
}

// After the failover: `newLeader` leads on timeline+1, the old leader is gone from /cluster.
inline services::ClusterSnapshot afterFailoverSnapshot(SandboxShape shape, const QString &newLeader)
{
    const QString old = shape.leader;
    shape.leader = newLeader;
    shape.timeline += 1;
    services::ClusterSnapshot s = healthySnapshot(shape);
    for (int i = 0; i < s.members.size(); ++i)
        if (s.members[i].name == old) {
            s.members.removeAt(i);
            break;
        }
    for (auto &m : s.members) {
        m.replication.erase(std::remove_if(m.replication.begin(), m.replication.end(),
                                           [&](const services::ReplicationStat &r) {
                                               return r.applicationName == old;
                                           }),
                            m.replication.end());
        m.replicationSlots.erase(
            std::remove_if(m.replicationSlots.begin(), m.replicationSlots.end(),
                           [&](const services::ReplicationSlotStat &r) { return r.name == old; }),
            m.replicationSlots.end());
    }
    // Patroni keeps a permanent slot for the missing member: inactive, retaining WAL.
    for (auto &m : s.members)
        if (m.name == newLeader)
            m.replicationSlots.append({old, QStringLiteral("physical"), false, 3LL * 1024 * 1024});
    return s;
}

inline services::ClusterSnapshotPtr share(services::ClusterSnapshot s)
{
    return std::make_shared<const services::ClusterSnapshot>(std::move(s));
}

} // namespace vigil::test
