#include "services/monitor/snapshotjson.h"

#include <QJsonArray>
#include <algorithm>

namespace vigil::services {

namespace {

// ---- small helpers, each with its inverse --------------------------------------------------

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}
QJsonValue timeJson(const std::optional<QDateTime> &t)
{
    return t ? timeJson(*t) : QJsonValue();
}
std::optional<QDateTime> timeFrom(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t;
}
QDateTime timeOrInvalid(const QJsonValue &v)
{
    return timeFrom(v).value_or(QDateTime());
}

template <typename T> QJsonValue optJson(const std::optional<T> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue();
}
std::optional<qint64> intFrom(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<qint64>(qint64(v.toDouble())) : std::nullopt;
}
std::optional<int> int32From(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<int>(v.toInt()) : std::nullopt;
}
std::optional<double> doubleFrom(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}
QJsonValue strOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
qint64 i64(const QJsonObject &o, const char *key)
{
    return qint64(o.value(QLatin1String(key)).toDouble());
}
QJsonObject countsJson(const QMap<QString, int> &m)
{
    QJsonObject o;
    for (auto it = m.begin(); it != m.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}
QMap<QString, int> countsFrom(const QJsonValue &v)
{
    QMap<QString, int> m;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key(), it.value().toInt());
    return m;
}

struct KindName
{
    ServiceError::Kind kind;
    const char *name;
};
constexpr KindName kKinds[] = {
    {ServiceError::Kind::None, "none"},           {ServiceError::Kind::Connect, "connect"},
    {ServiceError::Kind::Auth, "auth"},           {ServiceError::Kind::Timeout, "timeout"},
    {ServiceError::Kind::Query, "query"},         {ServiceError::Kind::Http, "http"},
    {ServiceError::Kind::Parse, "parse"},         {ServiceError::Kind::Refused, "refused"},
    {ServiceError::Kind::Cancelled, "cancelled"},
};

QJsonValue errorJson(const ServiceError &e)
{
    if (!e.isError())
        return QJsonValue();
    QString kind;
    for (const auto &k : kKinds)
        if (k.kind == e.kind)
            kind = QLatin1String(k.name);
    return QJsonObject{
        {QStringLiteral("kind"), kind},         {QStringLiteral("what"), e.what},
        {QStringLiteral("host"), e.host},       {QStringLiteral("code"), e.code},
        {QStringLiteral("message"), e.message}, {QStringLiteral("text"), e.toText()}};
}
ServiceError errorFrom(const QJsonValue &v)
{
    if (!v.isObject())
        return {};
    const QJsonObject o = v.toObject();
    ServiceError e;
    const QString kind = str(o, "kind");
    e.kind = ServiceError::Kind::Parse; // an error we cannot classify is still an error
    for (const auto &k : kKinds)
        if (kind == QLatin1String(k.name))
            e.kind = k.kind;
    e.what = str(o, "what");
    e.host = str(o, "host");
    e.code = str(o, "code");
    e.message = str(o, "message");
    return e;
}

struct StateName
{
    ChannelStatus::State state;
    const char *name;
};
constexpr StateName kStates[] = {
    {ChannelStatus::State::Unknown, "unknown"},
    {ChannelStatus::State::Ok, "ok"},
    {ChannelStatus::State::Unreachable, "unreachable"},
    {ChannelStatus::State::Unresponsive, "unresponsive"},
};

QJsonObject channelJson(const ChannelStatus &c)
{
    return {{QStringLiteral("state"), channelStateName(c.state)},
            {QStringLiteral("latency_ms"),
             c.latencyMs >= 0 ? QJsonValue(double(c.latencyMs)) : QJsonValue()},
            {QStringLiteral("last_ok"), timeJson(c.lastOk)},
            {QStringLiteral("error"), errorJson(c.error)}};
}
ChannelStatus channelFrom(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    ChannelStatus c;
    const QString state = str(o, "state");
    for (const auto &s : kStates)
        if (state == QLatin1String(s.name))
            c.state = s.state;
    c.latencyMs = intFrom(o.value(QLatin1String("latency_ms"))).value_or(-1);
    c.lastOk = timeOrInvalid(o.value(QLatin1String("last_ok")));
    c.error = errorFrom(o.value(QLatin1String("error")));
    return c;
}

struct RoleName
{
    PatroniRole role;
    const char *name;
};
constexpr RoleName kRoles[] = {
    {PatroniRole::Unknown, "unknown"},
    {PatroniRole::Leader, "leader"},
    {PatroniRole::StandbyLeader, "standby_leader"},
    {PatroniRole::SyncStandby, "sync_standby"},
    {PatroniRole::Replica, "replica"},
};
QString roleJson(PatroniRole r)
{
    for (const auto &k : kRoles)
        if (k.role == r)
            return QLatin1String(k.name);
    return QStringLiteral("unknown");
}
PatroniRole roleFrom(const QJsonValue &v)
{
    const QString s = v.toString();
    for (const auto &k : kRoles)
        if (s == QLatin1String(k.name))
            return k.role;
    return PatroniRole::Unknown;
}

// ---- parts ----------------------------------------------------------------------------------

QJsonObject patroniJson(const PatroniNodeStatus &p)
{
    return {{QStringLiteral("state"), p.state},
            {QStringLiteral("role"), roleJson(p.role)},
            {QStringLiteral("server_version"), p.serverVersion},
            {QStringLiteral("timeline"), optJson(p.timeline)},
            {QStringLiteral("postmaster_start_time"), timeJson(p.postmasterStartTime)},
            {QStringLiteral("wal_location"), optJson(p.walLocation)},
            {QStringLiteral("received_location"), optJson(p.receivedLocation)},
            {QStringLiteral("replayed_location"), optJson(p.replayedLocation)},
            {QStringLiteral("replayed_timestamp"), timeJson(p.replayedTimestamp)},
            {QStringLiteral("replay_paused"), p.replayPaused},
            {QStringLiteral("pending_restart"), p.pendingRestart},
            {QStringLiteral("paused"), p.paused},
            {QStringLiteral("patroni_version"), p.patroniVersion},
            {QStringLiteral("scope"), p.scope},
            {QStringLiteral("system_identifier"), p.systemIdentifier},
            {QStringLiteral("dcs_last_seen"), timeJson(p.dcsLastSeen)},
            {QStringLiteral("cluster_unlocked"), p.clusterUnlocked}};
}
PatroniNodeStatus patroniFrom(const QJsonObject &o)
{
    PatroniNodeStatus p;
    p.state = str(o, "state");
    p.role = roleFrom(o.value(QLatin1String("role")));
    p.serverVersion = o.value(QLatin1String("server_version")).toInt();
    p.timeline = int32From(o.value(QLatin1String("timeline")));
    p.postmasterStartTime = timeFrom(o.value(QLatin1String("postmaster_start_time")));
    p.walLocation = intFrom(o.value(QLatin1String("wal_location")));
    p.receivedLocation = intFrom(o.value(QLatin1String("received_location")));
    p.replayedLocation = intFrom(o.value(QLatin1String("replayed_location")));
    p.replayedTimestamp = timeFrom(o.value(QLatin1String("replayed_timestamp")));
    p.replayPaused = o.value(QLatin1String("replay_paused")).toBool();
    p.pendingRestart = o.value(QLatin1String("pending_restart")).toBool();
    p.paused = o.value(QLatin1String("paused")).toBool();
    p.patroniVersion = str(o, "patroni_version");
    p.scope = str(o, "scope");
    p.systemIdentifier = str(o, "system_identifier");
    p.dcsLastSeen = timeFrom(o.value(QLatin1String("dcs_last_seen")));
    p.clusterUnlocked = o.value(QLatin1String("cluster_unlocked")).toBool();
    return p;
}

QJsonObject replicationJson(const ReplicationStat &r)
{
    return {{QStringLiteral("pid"), r.pid},
            {QStringLiteral("application_name"), r.applicationName},
            {QStringLiteral("client_addr"), strOrNull(r.clientAddr)},
            {QStringLiteral("state"), r.state},
            {QStringLiteral("sync_state"), r.syncState},
            {QStringLiteral("sent_lsn"), strOrNull(r.sentLsn)},
            {QStringLiteral("write_lsn"), strOrNull(r.writeLsn)},
            {QStringLiteral("flush_lsn"), strOrNull(r.flushLsn)},
            {QStringLiteral("replay_lsn"), strOrNull(r.replayLsn)},
            {QStringLiteral("sent_lag_bytes"), optJson(r.sentLagBytes)},
            {QStringLiteral("write_lag_bytes"), optJson(r.writeLagBytes)},
            {QStringLiteral("flush_lag_bytes"), optJson(r.flushLagBytes)},
            {QStringLiteral("replay_lag_bytes"), optJson(r.replayLagBytes)},
            {QStringLiteral("write_lag_seconds"), optJson(r.writeLagSeconds)},
            {QStringLiteral("flush_lag_seconds"), optJson(r.flushLagSeconds)},
            {QStringLiteral("replay_lag_seconds"), optJson(r.replayLagSeconds)}};
}
ReplicationStat replicationFrom(const QJsonObject &o)
{
    ReplicationStat r;
    r.pid = o.value(QLatin1String("pid")).toInt();
    r.applicationName = str(o, "application_name");
    r.clientAddr = str(o, "client_addr");
    r.state = str(o, "state");
    r.syncState = str(o, "sync_state");
    r.sentLsn = str(o, "sent_lsn");
    r.writeLsn = str(o, "write_lsn");
    r.flushLsn = str(o, "flush_lsn");
    r.replayLsn = str(o, "replay_lsn");
    r.sentLagBytes = intFrom(o.value(QLatin1String("sent_lag_bytes")));
    r.writeLagBytes = intFrom(o.value(QLatin1String("write_lag_bytes")));
    r.flushLagBytes = intFrom(o.value(QLatin1String("flush_lag_bytes")));
    r.replayLagBytes = intFrom(o.value(QLatin1String("replay_lag_bytes")));
    r.writeLagSeconds = doubleFrom(o.value(QLatin1String("write_lag_seconds")));
    r.flushLagSeconds = doubleFrom(o.value(QLatin1String("flush_lag_seconds")));
    r.replayLagSeconds = doubleFrom(o.value(QLatin1String("replay_lag_seconds")));
    return r;
}

QJsonObject memberJson(const MemberSnapshot &m, const QDateTime &takenAt)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), m.name);
    o.insert(QStringLiteral("host"), m.host);
    o.insert(QStringLiteral("port"), m.port);
    o.insert(QStringLiteral("api_url"),
             m.apiUrl.isValid() ? QJsonValue(m.apiUrl.toString()) : QJsonValue());
    o.insert(QStringLiteral("in_dcs"), m.inDcs);
    o.insert(QStringLiteral("role"), roleJson(m.role));
    o.insert(QStringLiteral("state"), m.state);
    o.insert(QStringLiteral("timeline"), optJson(m.timeline));
    o.insert(QStringLiteral("lag_bytes"), optJson(m.lagBytes));
    o.insert(QStringLiteral("pending_restart"), m.pendingRestart);
    o.insert(QStringLiteral("pending_restart_reason"), strOrNull(m.pendingRestartReason));
    o.insert(QStringLiteral("tags"), QJsonObject::fromVariantMap(m.tags));
    o.insert(QStringLiteral("scheduled_restart"), timeJson(m.scheduledRestart));

    o.insert(QStringLiteral("rest"), channelJson(m.rest));
    o.insert(QStringLiteral("patroni"),
             m.patroni ? QJsonValue(patroniJson(*m.patroni)) : QJsonValue());
    o.insert(QStringLiteral("sql"), channelJson(m.sql));
    o.insert(QStringLiteral("in_recovery"),
             m.inRecovery ? QJsonValue(*m.inRecovery) : QJsonValue());
    o.insert(QStringLiteral("server_version"), optJson(m.serverVersion));
    o.insert(QStringLiteral("replay_lag_bytes"), optJson(m.replayLagBytes));
    o.insert(QStringLiteral("replay_lag_seconds"), optJson(m.replayLagSeconds));

    QJsonArray repl;
    for (const auto &r : m.replication)
        repl.append(replicationJson(r));
    o.insert(QStringLiteral("replication"), repl);

    if (m.walReceiver) {
        const auto &w = *m.walReceiver;
        o.insert(
            QStringLiteral("wal_receiver"),
            QJsonObject{{QStringLiteral("status"), w.status},
                        {QStringLiteral("sender_host"), strOrNull(w.senderHost)},
                        {QStringLiteral("sender_port"), w.senderPort},
                        {QStringLiteral("received_lsn"), strOrNull(w.receivedLsn)},
                        {QStringLiteral("received_timeline"), optJson(w.receivedTimeline)},
                        {QStringLiteral("last_message_receipt"), timeJson(w.lastMessageReceipt)}});
    } else {
        o.insert(QStringLiteral("wal_receiver"), QJsonValue());
    }

    if (m.connections) {
        const auto &c = *m.connections;
        o.insert(QStringLiteral("connections"),
                 QJsonObject{{QStringLiteral("total"), c.total},
                             {QStringLiteral("max_connections"), c.maxConnections},
                             {QStringLiteral("used_fraction"), c.usedFraction()},
                             {QStringLiteral("by_state"), countsJson(c.byState)},
                             {QStringLiteral("by_application"), countsJson(c.byApplication)},
                             {QStringLiteral("by_database"), countsJson(c.byDatabase)},
                             {QStringLiteral("breakdown_at"), timeJson(c.breakdownAt)},
                             {QStringLiteral("breakdown_age_ms"),
                              c.breakdownAt && takenAt.isValid()
                                  ? QJsonValue(std::max<qint64>(0, c.breakdownAt->msecsTo(takenAt)))
                                  : QJsonValue()}});
    } else {
        o.insert(QStringLiteral("connections"), QJsonValue());
    }

    QJsonArray slotList;
    for (const auto &s : m.replicationSlots)
        slotList.append(
            QJsonObject{{QStringLiteral("name"), s.name},
                        {QStringLiteral("type"), s.type},
                        {QStringLiteral("active"), s.active},
                        {QStringLiteral("retained_wal_bytes"), optJson(s.retainedWalBytes)}});
    o.insert(QStringLiteral("replication_slots"), slotList);

    if (m.archiver) {
        const auto &a = *m.archiver;
        o.insert(QStringLiteral("archiver"),
                 QJsonObject{{QStringLiteral("archived_count"), double(a.archivedCount)},
                             {QStringLiteral("failed_count"), double(a.failedCount)},
                             {QStringLiteral("last_archived_wal"), strOrNull(a.lastArchivedWal)},
                             {QStringLiteral("last_archived_time"), timeJson(a.lastArchivedTime)},
                             {QStringLiteral("last_failed_wal"), strOrNull(a.lastFailedWal)},
                             {QStringLiteral("last_failed_time"), timeJson(a.lastFailedTime)}});
    } else {
        o.insert(QStringLiteral("archiver"), QJsonValue());
    }

    QJsonArray sizes;
    for (const auto &d : m.databaseSizes)
        sizes.append(QJsonObject{{QStringLiteral("name"), d.name},
                                 {QStringLiteral("bytes"), double(d.bytes)}});
    o.insert(QStringLiteral("database_sizes"), sizes);

    QJsonArray counters;
    for (const auto &d : m.databaseCounters)
        counters.append(QJsonObject{{QStringLiteral("name"), d.name},
                                    {QStringLiteral("xact_commit"), double(d.xactCommit)},
                                    {QStringLiteral("xact_rollback"), double(d.xactRollback)},
                                    {QStringLiteral("tup_inserted"), double(d.tupInserted)},
                                    {QStringLiteral("tup_updated"), double(d.tupUpdated)},
                                    {QStringLiteral("tup_deleted"), double(d.tupDeleted)}});
    o.insert(QStringLiteral("database_counters"), counters);
    return o;
}

MemberSnapshot memberFrom(const QJsonObject &o)
{
    MemberSnapshot m;
    m.name = str(o, "name");
    m.host = str(o, "host");
    m.port = o.value(QLatin1String("port")).toInt();
    if (o.value(QLatin1String("api_url")).isString())
        m.apiUrl = QUrl(str(o, "api_url"));
    m.inDcs = o.value(QLatin1String("in_dcs")).toBool(true);
    m.role = roleFrom(o.value(QLatin1String("role")));
    m.state = str(o, "state");
    m.timeline = int32From(o.value(QLatin1String("timeline")));
    m.lagBytes = intFrom(o.value(QLatin1String("lag_bytes")));
    m.pendingRestart = o.value(QLatin1String("pending_restart")).toBool();
    m.pendingRestartReason = str(o, "pending_restart_reason");
    m.tags = o.value(QLatin1String("tags")).toObject().toVariantMap();
    m.scheduledRestart = timeFrom(o.value(QLatin1String("scheduled_restart")));

    m.rest = channelFrom(o.value(QLatin1String("rest")));
    if (o.value(QLatin1String("patroni")).isObject())
        m.patroni = patroniFrom(o.value(QLatin1String("patroni")).toObject());
    m.sql = channelFrom(o.value(QLatin1String("sql")));
    if (o.value(QLatin1String("in_recovery")).isBool())
        m.inRecovery = o.value(QLatin1String("in_recovery")).toBool();
    m.serverVersion = int32From(o.value(QLatin1String("server_version")));
    m.replayLagBytes = intFrom(o.value(QLatin1String("replay_lag_bytes")));
    m.replayLagSeconds = doubleFrom(o.value(QLatin1String("replay_lag_seconds")));

    for (const auto &v : o.value(QLatin1String("replication")).toArray())
        m.replication.append(replicationFrom(v.toObject()));

    if (o.value(QLatin1String("wal_receiver")).isObject()) {
        const QJsonObject w = o.value(QLatin1String("wal_receiver")).toObject();
        WalReceiverStat r;
        r.status = str(w, "status");
        r.senderHost = str(w, "sender_host");
        r.senderPort = w.value(QLatin1String("sender_port")).toInt();
        r.receivedLsn = str(w, "received_lsn");
        r.receivedTimeline = int32From(w.value(QLatin1String("received_timeline")));
        r.lastMessageReceipt = timeFrom(w.value(QLatin1String("last_message_receipt")));
        m.walReceiver = r;
    }
    if (o.value(QLatin1String("connections")).isObject()) {
        const QJsonObject c = o.value(QLatin1String("connections")).toObject();
        ConnectionStats s;
        s.total = c.value(QLatin1String("total")).toInt();
        s.maxConnections = c.value(QLatin1String("max_connections")).toInt();
        s.byState = countsFrom(c.value(QLatin1String("by_state")));
        s.byApplication = countsFrom(c.value(QLatin1String("by_application")));
        s.byDatabase = countsFrom(c.value(QLatin1String("by_database")));
        s.breakdownAt = timeFrom(c.value(QLatin1String("breakdown_at")));
        m.connections = s;
    }
    for (const auto &v : o.value(QLatin1String("replication_slots")).toArray()) {
        const QJsonObject s = v.toObject();
        m.replicationSlots.append({str(s, "name"), str(s, "type"),
                                   s.value(QLatin1String("active")).toBool(),
                                   intFrom(s.value(QLatin1String("retained_wal_bytes")))});
    }
    if (o.value(QLatin1String("archiver")).isObject()) {
        const QJsonObject a = o.value(QLatin1String("archiver")).toObject();
        ArchiverStat s;
        s.archivedCount = i64(a, "archived_count");
        s.failedCount = i64(a, "failed_count");
        s.lastArchivedWal = str(a, "last_archived_wal");
        s.lastArchivedTime = timeFrom(a.value(QLatin1String("last_archived_time")));
        s.lastFailedWal = str(a, "last_failed_wal");
        s.lastFailedTime = timeFrom(a.value(QLatin1String("last_failed_time")));
        m.archiver = s;
    }
    for (const auto &v : o.value(QLatin1String("database_sizes")).toArray()) {
        const QJsonObject d = v.toObject();
        m.databaseSizes.append({str(d, "name"), i64(d, "bytes")});
    }
    for (const auto &v : o.value(QLatin1String("database_counters")).toArray()) {
        const QJsonObject d = v.toObject();
        DatabaseCounters c;
        c.name = str(d, "name");
        c.xactCommit = i64(d, "xact_commit");
        c.xactRollback = i64(d, "xact_rollback");
        c.tupInserted = i64(d, "tup_inserted");
        c.tupUpdated = i64(d, "tup_updated");
        c.tupDeleted = i64(d, "tup_deleted");
        m.databaseCounters.append(c);
    }
    return m;
}

QJsonObject haproxyJson(const HaproxySnapshot &h)
{
    QJsonObject o;
    o.insert(QStringLiteral("configured"), h.channel.state != ChannelStatus::State::Unknown);
    o.insert(QStringLiteral("channel"), channelJson(h.channel));
    o.insert(QStringLiteral("read_write_backend"), strOrNull(h.readWriteBackend));
    o.insert(QStringLiteral("read_write_servers_up"),
             QJsonArray::fromStringList(h.readWriteServersUp));
    QJsonArray servers;
    if (h.stats) {
        for (const auto &r : h.stats->rows) {
            if (r.type != HaproxyStatRow::Type::Server)
                continue;
            servers.append(
                QJsonObject{{QStringLiteral("proxy"), r.proxy},
                            {QStringLiteral("name"), r.name},
                            {QStringLiteral("status"), r.status},
                            {QStringLiteral("address"), strOrNull(r.address)},
                            {QStringLiteral("current_sessions"), double(r.currentSessions)},
                            {QStringLiteral("check_status"), strOrNull(r.checkStatus)}});
        }
    }
    o.insert(QStringLiteral("servers"), h.stats ? QJsonValue(servers) : QJsonValue());
    return o;
}

HaproxySnapshot haproxyFrom(const QJsonObject &o)
{
    HaproxySnapshot h;
    h.channel = channelFrom(o.value(QLatin1String("channel")));
    h.readWriteBackend = str(o, "read_write_backend");
    for (const auto &v : o.value(QLatin1String("read_write_servers_up")).toArray())
        h.readWriteServersUp.append(v.toString());
    if (o.value(QLatin1String("servers")).isArray()) {
        HaproxyStats stats;
        for (const auto &v : o.value(QLatin1String("servers")).toArray()) {
            const QJsonObject s = v.toObject();
            HaproxyStatRow r;
            r.type = HaproxyStatRow::Type::Server;
            r.proxy = str(s, "proxy");
            r.name = str(s, "name");
            r.status = str(s, "status");
            r.address = str(s, "address");
            r.currentSessions = i64(s, "current_sessions");
            r.checkStatus = str(s, "check_status");
            stats.rows.append(r);
        }
        h.stats = stats;
    }
    return h;
}

QJsonObject pgbouncerJson(const PgBouncerSnapshot &b)
{
    QJsonArray pools;
    for (const auto &p : b.pools)
        pools.append(QJsonObject{{QStringLiteral("database"), p.database},
                                 {QStringLiteral("user"), p.user},
                                 {QStringLiteral("clients_active"), double(p.clientsActive)},
                                 {QStringLiteral("clients_waiting"), double(p.clientsWaiting)},
                                 {QStringLiteral("servers_active"), double(p.serversActive)},
                                 {QStringLiteral("servers_idle"), double(p.serversIdle)},
                                 {QStringLiteral("servers_used"), double(p.serversUsed)},
                                 {QStringLiteral("max_wait_seconds"), p.maxWait},
                                 {QStringLiteral("pool_mode"), p.poolMode}});
    return {{QStringLiteral("configured"), b.channel.state != ChannelStatus::State::Unknown},
            {QStringLiteral("channel"), channelJson(b.channel)},
            {QStringLiteral("waiting_clients"), double(b.waitingClients())},
            {QStringLiteral("pools"), pools}};
}

PgBouncerSnapshot pgbouncerFrom(const QJsonObject &o)
{
    PgBouncerSnapshot b;
    b.channel = channelFrom(o.value(QLatin1String("channel")));
    for (const auto &v : o.value(QLatin1String("pools")).toArray()) {
        const QJsonObject p = v.toObject();
        PgBouncerPool pool;
        pool.database = str(p, "database");
        pool.user = str(p, "user");
        pool.clientsActive = i64(p, "clients_active");
        pool.clientsWaiting = i64(p, "clients_waiting");
        pool.serversActive = i64(p, "servers_active");
        pool.serversIdle = i64(p, "servers_idle");
        pool.serversUsed = i64(p, "servers_used");
        pool.maxWait = p.value(QLatin1String("max_wait_seconds")).toDouble();
        pool.maxWaitSeconds = qint64(pool.maxWait);
        pool.poolMode = str(p, "pool_mode");
        b.pools.append(pool);
    }
    return b;
}

QJsonObject configJson(const PatroniConfig &c)
{
    return {{QStringLiteral("ttl"), optJson(c.ttl)},
            {QStringLiteral("loop_wait"), optJson(c.loopWait)},
            {QStringLiteral("retry_timeout"), optJson(c.retryTimeout)},
            {QStringLiteral("maximum_lag_on_failover"), optJson(c.maximumLagOnFailover)},
            {QStringLiteral("synchronous_mode"), c.synchronousMode},
            {QStringLiteral("synchronous_mode_strict"), c.synchronousModeStrict},
            {QStringLiteral("paused"), c.paused}};
}

PatroniConfig configFrom(const QJsonObject &o)
{
    PatroniConfig c;
    c.ttl = int32From(o.value(QLatin1String("ttl")));
    c.loopWait = int32From(o.value(QLatin1String("loop_wait")));
    c.retryTimeout = int32From(o.value(QLatin1String("retry_timeout")));
    c.maximumLagOnFailover = intFrom(o.value(QLatin1String("maximum_lag_on_failover")));
    c.synchronousMode = o.value(QLatin1String("synchronous_mode")).toBool();
    c.synchronousModeStrict = o.value(QLatin1String("synchronous_mode_strict")).toBool();
    c.paused = o.value(QLatin1String("paused")).toBool();
    return c;
}

} // namespace

QString channelStateName(ChannelStatus::State state)
{
    for (const auto &s : kStates)
        if (s.state == state)
            return QLatin1String(s.name);
    return QStringLiteral("unknown");
}

QJsonObject snapshotToJson(const ClusterSnapshot &s)
{
    QJsonObject o;
    o.insert(QStringLiteral("schema"), QLatin1String(kSnapshotJsonSchemaId));
    o.insert(QStringLiteral("sequence"), double(s.sequence));
    o.insert(QStringLiteral("profile"), s.profileName);
    o.insert(QStringLiteral("scope"), strOrNull(s.scope));
    o.insert(QStringLiteral("taken_at"), timeJson(s.takenAt));
    o.insert(QStringLiteral("cycle_ms"), double(s.cycleMs));
    o.insert(QStringLiteral("severity"), severityName(s.worstSeverity()));
    o.insert(QStringLiteral("discovery"), channelJson(s.discovery));
    const MemberSnapshot *leader = s.leader();
    o.insert(QStringLiteral("leader"), leader ? QJsonValue(leader->name) : QJsonValue());
    o.insert(QStringLiteral("paused"), s.paused);
    if (s.scheduledSwitchover)
        o.insert(QStringLiteral("scheduled_switchover"),
                 QJsonObject{{QStringLiteral("at"), timeJson(s.scheduledSwitchover->at)},
                             {QStringLiteral("from"), strOrNull(s.scheduledSwitchover->from)},
                             {QStringLiteral("to"), strOrNull(s.scheduledSwitchover->to)}});
    else
        o.insert(QStringLiteral("scheduled_switchover"), QJsonValue());
    o.insert(QStringLiteral("dynamic_config"),
             s.dynamicConfig ? QJsonValue(configJson(*s.dynamicConfig)) : QJsonValue());

    QJsonArray members;
    for (const auto &m : s.members)
        members.append(memberJson(m, s.takenAt));
    o.insert(QStringLiteral("members"), members);
    o.insert(QStringLiteral("haproxy"), haproxyJson(s.haproxy));
    o.insert(QStringLiteral("pgbouncer"), pgbouncerJson(s.pgbouncer));

    QJsonArray findings;
    for (const auto &f : s.findings)
        findings.append(QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                    {QStringLiteral("code"), findingCodeName(f.code)},
                                    {QStringLiteral("member"), strOrNull(f.member)},
                                    {QStringLiteral("message"), f.message}});
    o.insert(QStringLiteral("findings"), findings);
    return o;
}

Result<ClusterSnapshot> snapshotFromJson(const QJsonObject &o)
{
    if (o.value(QLatin1String("schema")).toString() != QLatin1String(kSnapshotJsonSchemaId))
        return ServiceError::make(ServiceError::Kind::Parse, Tr::tr("read a status snapshot"), {},
                                  {},
                                  Tr::tr("not a Vigil status snapshot of schema %1")
                                      .arg(QLatin1String(kSnapshotJsonSchemaId)));
    ClusterSnapshot s;
    s.sequence = quint64(i64(o, "sequence"));
    s.profileName = str(o, "profile");
    s.scope = str(o, "scope");
    s.takenAt = timeOrInvalid(o.value(QLatin1String("taken_at")));
    s.cycleMs = i64(o, "cycle_ms");
    s.discovery = channelFrom(o.value(QLatin1String("discovery")));
    s.paused = o.value(QLatin1String("paused")).toBool();
    if (o.value(QLatin1String("scheduled_switchover")).isObject()) {
        const QJsonObject sw = o.value(QLatin1String("scheduled_switchover")).toObject();
        s.scheduledSwitchover = PatroniScheduledSwitchover{
            timeOrInvalid(sw.value(QLatin1String("at"))), str(sw, "from"), str(sw, "to")};
    }
    if (o.value(QLatin1String("dynamic_config")).isObject())
        s.dynamicConfig = configFrom(o.value(QLatin1String("dynamic_config")).toObject());
    for (const auto &v : o.value(QLatin1String("members")).toArray())
        s.members.append(memberFrom(v.toObject()));
    s.haproxy = haproxyFrom(o.value(QLatin1String("haproxy")).toObject());
    s.pgbouncer = pgbouncerFrom(o.value(QLatin1String("pgbouncer")).toObject());

    static const Finding::Code kCodes[] = {Finding::Code::SplitBrain,
                                           Finding::Code::NoLeader,
                                           Finding::Code::ReplicaDown,
                                           Finding::Code::RoutingMismatch,
                                           Finding::Code::PgBouncerWaiting,
                                           Finding::Code::PgBouncerUnreachable,
                                           Finding::Code::HaproxyUnreachable,
                                           Finding::Code::MemberUnresponsive,
                                           Finding::Code::MemberUnreachable,
                                           Finding::Code::ReplicationLag,
                                           Finding::Code::ConnectionsHigh,
                                           Finding::Code::PendingRestart,
                                           Finding::Code::Paused,
                                           Finding::Code::ScheduledSwitchover,
                                           Finding::Code::DcsUnreachable,
                                           Finding::Code::Other};
    static const Finding::Severity kSeverities[] = {
        Finding::Severity::Ok, Finding::Severity::Warning, Finding::Severity::Critical,
        Finding::Severity::Unknown};
    for (const auto &v : o.value(QLatin1String("findings")).toArray()) {
        const QJsonObject fo = v.toObject();
        Finding f;
        f.code = Finding::Code::Other;
        for (auto c : kCodes)
            if (findingCodeName(c) == str(fo, "code"))
                f.code = c;
        f.severity = Finding::Severity::Unknown;
        for (auto sev : kSeverities)
            if (severityName(sev) == str(fo, "severity"))
                f.severity = sev;
        f.member = str(fo, "member");
        f.message = str(fo, "message");
        s.findings.append(f);
    }
    return s;
}

} // namespace vigil::services
