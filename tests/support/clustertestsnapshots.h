#pragma once

// Hand-built snapshots for the monitor's unit tests (findings, JSON, status formatting): a
// healthy three-member cluster as the sandbox shows it, which each test then breaks in one way.
#include "services/monitor/clustersnapshot.h"

namespace vigil::test {

inline services::ChannelStatus okChannel(qint64 latencyMs = 3)
{
    services::ChannelStatus c;
    c.state = services::ChannelStatus::State::Ok;
    c.latencyMs = latencyMs;
    c.lastOk = QDateTime(QDate(2026, 11, 27), QTime(12, 0, 0), Qt::UTC);
    return c;
}

inline services::ChannelStatus failedChannel(services::ChannelStatus::State state,
                                             services::ServiceError::Kind kind,
                                             const QString &message)
{
    services::ChannelStatus c;
    c.state = state;
    c.error = services::ServiceError::make(kind, QStringLiteral("probe"),
                                           QStringLiteral("127.0.0.1:5432"), {}, message);
    c.lastOk = QDateTime(QDate(2026, 11, 27), QTime(11, 59, 58), Qt::UTC);
    return c;
}

inline services::ReplicationStat streamingTo(const QString &name, qint64 lagBytes = 0,
                                             std::optional<double> lagSeconds = 0.0)
{
    services::ReplicationStat r;
    r.pid = 1000 + int(name.back().digitValue());
    r.applicationName = name;
    r.clientAddr = QStringLiteral("127.0.0.1");
    r.state = QStringLiteral("streaming");
    r.syncState = QStringLiteral("async");
    r.sentLsn = r.writeLsn = r.flushLsn = r.replayLsn = QStringLiteral("0/489E510");
    r.sentLagBytes = r.writeLagBytes = r.flushLagBytes = 0;
    r.replayLagBytes = lagBytes;
    r.replayLagSeconds = lagSeconds;
    return r;
}

inline services::MemberSnapshot member(const QString &name, services::PatroniRole role, int port)
{
    using namespace services;
    MemberSnapshot m;
    m.name = name;
    m.host = QStringLiteral("127.0.0.1");
    m.port = port;
    m.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/patroni").arg(port + 10));
    m.role = role;
    m.state = QStringLiteral("running");
    m.timeline = 1;
    if (role != PatroniRole::Leader)
        m.lagBytes = 0;
    m.tags = QVariantMap{{QStringLiteral("nofailover"), false}};
    m.rest = okChannel(2);
    PatroniNodeStatus p;
    p.state = QStringLiteral("running");
    p.role = role == PatroniRole::Leader ? PatroniRole::Leader : PatroniRole::Replica;
    p.serverVersion = 150018;
    p.timeline = 1;
    p.patroniVersion = QStringLiteral("3.0.2");
    p.scope = QStringLiteral("hokm-ha");
    p.systemIdentifier = QStringLiteral("7712644285138852758");
    p.dcsLastSeen = QDateTime(QDate(2026, 11, 27), QTime(11, 59, 59), Qt::UTC);
    m.patroni = p;
    m.sql = okChannel(4);
    m.inRecovery = role != PatroniRole::Leader;
    m.serverVersion = 150018;
    ConnectionStats c;
    c.total = 10;
    c.maxConnections = 100;
    c.byState = {{QStringLiteral("idle"), 8}, {QStringLiteral("active"), 2}};
    c.byApplication = {{QStringLiteral("hokm-game-server"), 9}, {QStringLiteral("vigil"), 1}};
    c.byDatabase = {{QStringLiteral("hokm_game"), 9}, {QStringLiteral("postgres"), 1}};
    m.connections = c;
    if (role != PatroniRole::Leader) {
        WalReceiverStat w;
        w.status = QStringLiteral("streaming");
        w.senderHost = QStringLiteral("127.0.0.1");
        w.senderPort = 5432;
        w.receivedLsn = QStringLiteral("0/489E510");
        w.receivedTimeline = 1;
        m.walReceiver = w;
        m.replayLagBytes = 0;
        m.replayLagSeconds = 0.0;
    }
    ArchiverStat a;
    m.archiver = a;
    m.databaseCounters = {{QStringLiteral("hokm_game"), 20, 0, 15380, 44, 141}};
    m.databaseSizes = {{QStringLiteral("hokm_game"), 9928039}};
    return m;
}

// node1 leader (5432), node2 and node3 streaming replicas (5433, 5434); HAProxy and PgBouncer
// configured and fine.
inline services::ClusterSnapshot healthySnapshot()
{
    using namespace services;
    ClusterSnapshot s;
    s.sequence = 7;
    s.profileName = QStringLiteral("sandbox");
    s.scope = QStringLiteral("hokm-ha");
    s.takenAt = QDateTime(QDate(2026, 11, 27), QTime(12, 0, 0), Qt::UTC);
    s.cycleMs = 14;
    s.discovery = okChannel(3);
    MemberSnapshot leader = member(QStringLiteral("node1"), PatroniRole::Leader, 5432);
    leader.replication = {streamingTo(QStringLiteral("node2")),
                          streamingTo(QStringLiteral("node3"))};
    leader.replicationSlots = {{QStringLiteral("node2"), QStringLiteral("physical"), true, 0},
                               {QStringLiteral("node3"), QStringLiteral("physical"), true, 0}};
    s.members = {leader, member(QStringLiteral("node2"), PatroniRole::Replica, 5433),
                 member(QStringLiteral("node3"), PatroniRole::Replica, 5434)};

    PatroniConfig cfg;
    cfg.ttl = 10;
    cfg.loopWait = 2;
    cfg.retryTimeout = 4;
    cfg.maximumLagOnFailover = 1048576;
    s.dynamicConfig = cfg;

    s.haproxy.channel = okChannel(1);
    s.haproxy.readWriteBackend = QStringLiteral("rw");
    HaproxyStats stats;
    for (const char *n : {"node1", "node2", "node3"}) {
        HaproxyStatRow r;
        r.proxy = QStringLiteral("rw");
        r.name = QLatin1String(n);
        r.type = HaproxyStatRow::Type::Server;
        r.status = r.name == QLatin1String("node1") ? QStringLiteral("UP") : QStringLiteral("DOWN");
        r.checkStatus =
            r.status == QLatin1String("UP") ? QStringLiteral("L7OK") : QStringLiteral("L7STS");
        stats.rows << r;
    }
    s.haproxy.stats = stats;
    s.haproxy.readWriteServersUp = {QStringLiteral("node1")};

    s.pgbouncer.channel = okChannel(2);
    PgBouncerPool pool;
    pool.database = QStringLiteral("hokm_game");
    pool.user = QStringLiteral("hokm_app");
    pool.clientsActive = 2;
    pool.serversIdle = 2;
    pool.poolMode = QStringLiteral("transaction");
    s.pgbouncer.pools = {pool};
    return s;
}

inline services::MemberSnapshot &memberNamed(services::ClusterSnapshot &s, const QString &name)
{
    for (auto &m : s.members)
        if (m.name == name)
            return m;
    return s.members.first();
}

} // namespace vigil::test
