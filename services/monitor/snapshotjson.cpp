#include "services/monitor/snapshotjson.h"

#include "services/core/jsonfields.h"
#include "services/monitor/alerttypes.h"
#include "services/monitor/memberprobequery.h"

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

template <typename T> QJsonValue optJson(const std::optional<T> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue();
}
// The readers below read Vigil's own JSON: leniently (JsonFields without an error sink), a
// field of another type reads as absent, as in a snapshot written by an older Vigil.
std::optional<int> int32(JsonFields &f, const QString &key)
{
    const auto n = f.integer(key);
    return n ? std::optional<int>(int(*n)) : std::nullopt;
}
qint64 i64(JsonFields &f, const QString &key)
{
    return f.integer(key).value_or(0);
}
QDateTime timeOrInvalid(JsonFields &f, const QString &key)
{
    return f.timestamp(key).value_or(QDateTime());
}
QJsonValue strOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}
QJsonObject countsJson(const QMap<QString, int> &m)
{
    QJsonObject o;
    for (auto it = m.begin(); it != m.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
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
    JsonFields o(v.toObject());
    ServiceError e;
    const QString kind = o.text(QStringLiteral("kind"));
    e.kind = ServiceError::Kind::Parse; // an error we cannot classify is still an error
    for (const auto &k : kKinds)
        if (kind == QLatin1String(k.name))
            e.kind = k.kind;
    e.what = o.text(QStringLiteral("what"));
    e.host = o.text(QStringLiteral("host"));
    e.code = o.text(QStringLiteral("code"));
    e.message = o.text(QStringLiteral("message"));
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
    JsonFields o(v.toObject());
    ChannelStatus c;
    const QString state = o.text(QStringLiteral("state"));
    for (const auto &s : kStates)
        if (state == QLatin1String(s.name))
            c.state = s.state;
    c.latencyMs = o.integer(QStringLiteral("latency_ms")).value_or(-1);
    c.lastOk = timeOrInvalid(o, QStringLiteral("last_ok"));
    c.error = errorFrom(o.raw(QStringLiteral("error")));
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
PatroniNodeStatus patroniFrom(const QJsonObject &object)
{
    JsonFields o(object);
    PatroniNodeStatus p;
    p.state = o.text(QStringLiteral("state"));
    p.role = roleFrom(o.raw(QStringLiteral("role")));
    p.serverVersion = int32(o, QStringLiteral("server_version")).value_or(0);
    p.timeline = int32(o, QStringLiteral("timeline"));
    p.postmasterStartTime = o.timestamp(QStringLiteral("postmaster_start_time"));
    p.walLocation = o.integer(QStringLiteral("wal_location"));
    p.receivedLocation = o.integer(QStringLiteral("received_location"));
    p.replayedLocation = o.integer(QStringLiteral("replayed_location"));
    p.replayedTimestamp = o.timestamp(QStringLiteral("replayed_timestamp"));
    p.replayPaused = o.flag(QStringLiteral("replay_paused"));
    p.pendingRestart = o.flag(QStringLiteral("pending_restart"));
    p.paused = o.flag(QStringLiteral("paused"));
    p.patroniVersion = o.text(QStringLiteral("patroni_version"));
    p.scope = o.text(QStringLiteral("scope"));
    p.systemIdentifier = o.text(QStringLiteral("system_identifier"));
    p.dcsLastSeen = o.timestamp(QStringLiteral("dcs_last_seen"));
    p.clusterUnlocked = o.flag(QStringLiteral("cluster_unlocked"));
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
ReplicationStat replicationFrom(const QJsonObject &object)
{
    JsonFields o(object);
    ReplicationStat r;
    r.pid = int32(o, QStringLiteral("pid")).value_or(0);
    r.applicationName = o.text(QStringLiteral("application_name"));
    r.clientAddr = o.text(QStringLiteral("client_addr"));
    r.state = o.text(QStringLiteral("state"));
    r.syncState = o.text(QStringLiteral("sync_state"));
    r.sentLsn = o.text(QStringLiteral("sent_lsn"));
    r.writeLsn = o.text(QStringLiteral("write_lsn"));
    r.flushLsn = o.text(QStringLiteral("flush_lsn"));
    r.replayLsn = o.text(QStringLiteral("replay_lsn"));
    r.sentLagBytes = o.integer(QStringLiteral("sent_lag_bytes"));
    r.writeLagBytes = o.integer(QStringLiteral("write_lag_bytes"));
    r.flushLagBytes = o.integer(QStringLiteral("flush_lag_bytes"));
    r.replayLagBytes = o.integer(QStringLiteral("replay_lag_bytes"));
    r.writeLagSeconds = o.number(QStringLiteral("write_lag_seconds"));
    r.flushLagSeconds = o.number(QStringLiteral("flush_lag_seconds"));
    r.replayLagSeconds = o.number(QStringLiteral("replay_lag_seconds"));
    return r;
}

QJsonValue walReceiverJson(const std::optional<WalReceiverStat> &receiver)
{
    if (!receiver)
        return QJsonValue();
    const auto &w = *receiver;
    return QJsonObject{{QStringLiteral("status"), w.status},
                       {QStringLiteral("sender_host"), strOrNull(w.senderHost)},
                       {QStringLiteral("sender_port"), w.senderPort},
                       {QStringLiteral("received_lsn"), strOrNull(w.receivedLsn)},
                       {QStringLiteral("received_timeline"), optJson(w.receivedTimeline)},
                       {QStringLiteral("last_message_receipt"), timeJson(w.lastMessageReceipt)}};
}

QJsonValue connectionsJson(const std::optional<ConnectionStats> &connections,
                           const QDateTime &takenAt)
{
    if (!connections)
        return QJsonValue();
    const auto &c = *connections;
    return QJsonObject{{QStringLiteral("total"), c.total},
                       {QStringLiteral("max_connections"), c.maxConnections},
                       {QStringLiteral("used_fraction"), c.usedFraction()},
                       {QStringLiteral("by_state"), countsJson(c.byState)},
                       {QStringLiteral("by_application"), countsJson(c.byApplication)},
                       {QStringLiteral("by_database"), countsJson(c.byDatabase)},
                       {QStringLiteral("breakdown_at"), timeJson(c.breakdownAt)},
                       {QStringLiteral("breakdown_age_ms"),
                        c.breakdownAt && takenAt.isValid()
                            ? QJsonValue(std::max<qint64>(0, c.breakdownAt->msecsTo(takenAt)))
                            : QJsonValue()}};
}

QJsonValue archiverJson(const std::optional<ArchiverStat> &archiver)
{
    if (!archiver)
        return QJsonValue();
    const auto &a = *archiver;
    return QJsonObject{{QStringLiteral("archived_count"), double(a.archivedCount)},
                       {QStringLiteral("failed_count"), double(a.failedCount)},
                       {QStringLiteral("last_archived_wal"), strOrNull(a.lastArchivedWal)},
                       {QStringLiteral("last_archived_time"), timeJson(a.lastArchivedTime)},
                       {QStringLiteral("last_failed_wal"), strOrNull(a.lastFailedWal)},
                       {QStringLiteral("last_failed_time"), timeJson(a.lastFailedTime)},
                       {QStringLiteral("archive_mode"), strOrNull(a.archiveMode)},
                       {QStringLiteral("archive_command"), strOrNull(a.archiveCommand)}};
}

// The SQL probe's lists: replication, slots, database sizes and counters.
void insertSqlLists(QJsonObject &o, const MemberSnapshot &m)
{
    QJsonArray repl;
    for (const auto &r : m.replication)
        repl.append(replicationJson(r));
    o.insert(QStringLiteral("replication"), repl);

    QJsonArray slotList;
    for (const auto &s : m.replicationSlots)
        slotList.append(
            QJsonObject{{QStringLiteral("name"), s.name},
                        {QStringLiteral("type"), s.type},
                        {QStringLiteral("active"), s.active},
                        {QStringLiteral("retained_wal_bytes"), optJson(s.retainedWalBytes)}});
    o.insert(QStringLiteral("replication_slots"), slotList);

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
    o.insert(QStringLiteral("from_url_only"), m.fromUrlOnly);
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
    o.insert(QStringLiteral("leader_in_recovery_since"), timeJson(m.leaderInRecoverySince));
    o.insert(QStringLiteral("server_version"), optJson(m.serverVersion));
    o.insert(QStringLiteral("replay_lag_bytes"), optJson(m.replayLagBytes));
    o.insert(QStringLiteral("replay_lag_seconds"), optJson(m.replayLagSeconds));

    o.insert(QStringLiteral("wal_receiver"), walReceiverJson(m.walReceiver));
    o.insert(QStringLiteral("connections"), connectionsJson(m.connections, takenAt));
    o.insert(QStringLiteral("archiver"), archiverJson(m.archiver));
    insertSqlLists(o, m);
    return o;
}

std::optional<WalReceiverStat> walReceiverFrom(JsonFields &o)
{
    if (!o.raw(QStringLiteral("wal_receiver")).isObject())
        return std::nullopt;
    JsonFields w(o.object(QStringLiteral("wal_receiver")));
    WalReceiverStat r;
    r.status = w.text(QStringLiteral("status"));
    r.senderHost = w.text(QStringLiteral("sender_host"));
    r.senderPort = int32(w, QStringLiteral("sender_port")).value_or(0);
    r.receivedLsn = w.text(QStringLiteral("received_lsn"));
    r.receivedTimeline = int32(w, QStringLiteral("received_timeline"));
    r.lastMessageReceipt = w.timestamp(QStringLiteral("last_message_receipt"));
    return r;
}

std::optional<ConnectionStats> connectionsFrom(JsonFields &o)
{
    if (!o.raw(QStringLiteral("connections")).isObject())
        return std::nullopt;
    JsonFields c(o.object(QStringLiteral("connections")));
    ConnectionStats s;
    s.total = int32(c, QStringLiteral("total")).value_or(0);
    s.maxConnections = int32(c, QStringLiteral("max_connections")).value_or(0);
    s.byState = c.counts(QStringLiteral("by_state"));
    s.byApplication = c.counts(QStringLiteral("by_application"));
    s.byDatabase = c.counts(QStringLiteral("by_database"));
    s.breakdownAt = c.timestamp(QStringLiteral("breakdown_at"));
    return s;
}

// The inverse of insertSqlLists.
void readSqlLists(JsonFields &o, MemberSnapshot &m)
{
    for (const auto &v : o.array(QStringLiteral("replication")))
        m.replication.append(replicationFrom(v.toObject()));
    for (const auto &v : o.array(QStringLiteral("replication_slots"))) {
        JsonFields s(v.toObject());
        m.replicationSlots.append({s.text(QStringLiteral("name")), s.text(QStringLiteral("type")),
                                   s.flag(QStringLiteral("active")),
                                   s.integer(QStringLiteral("retained_wal_bytes"))});
    }
    for (const auto &v : o.array(QStringLiteral("database_sizes"))) {
        JsonFields d(v.toObject());
        m.databaseSizes.append({d.text(QStringLiteral("name")), i64(d, QStringLiteral("bytes"))});
    }
    for (const auto &v : o.array(QStringLiteral("database_counters"))) {
        JsonFields d(v.toObject());
        DatabaseCounters c;
        c.name = d.text(QStringLiteral("name"));
        c.xactCommit = i64(d, QStringLiteral("xact_commit"));
        c.xactRollback = i64(d, QStringLiteral("xact_rollback"));
        c.tupInserted = i64(d, QStringLiteral("tup_inserted"));
        c.tupUpdated = i64(d, QStringLiteral("tup_updated"));
        c.tupDeleted = i64(d, QStringLiteral("tup_deleted"));
        m.databaseCounters.append(c);
    }
}

MemberSnapshot memberFrom(const QJsonObject &object)
{
    JsonFields o(object);
    MemberSnapshot m;
    m.name = o.text(QStringLiteral("name"));
    m.host = o.text(QStringLiteral("host"));
    m.port = int32(o, QStringLiteral("port")).value_or(0);
    if (o.raw(QStringLiteral("api_url")).isString())
        m.apiUrl = QUrl(o.text(QStringLiteral("api_url")));
    m.inDcs = o.flag(QStringLiteral("in_dcs"), true);
    m.fromUrlOnly = o.flag(QStringLiteral("from_url_only"));
    m.role = roleFrom(o.raw(QStringLiteral("role")));
    m.state = o.text(QStringLiteral("state"));
    m.timeline = int32(o, QStringLiteral("timeline"));
    m.lagBytes = o.integer(QStringLiteral("lag_bytes"));
    m.pendingRestart = o.flag(QStringLiteral("pending_restart"));
    m.pendingRestartReason = o.text(QStringLiteral("pending_restart_reason"));
    m.tags = o.object(QStringLiteral("tags")).toVariantMap();
    m.scheduledRestart = o.timestamp(QStringLiteral("scheduled_restart"));

    m.rest = channelFrom(o.raw(QStringLiteral("rest")));
    if (o.raw(QStringLiteral("patroni")).isObject())
        m.patroni = patroniFrom(o.object(QStringLiteral("patroni")));
    m.sql = channelFrom(o.raw(QStringLiteral("sql")));
    if (o.raw(QStringLiteral("in_recovery")).isBool())
        m.inRecovery = o.flag(QStringLiteral("in_recovery"));
    m.leaderInRecoverySince = o.timestamp(QStringLiteral("leader_in_recovery_since"));
    m.serverVersion = int32(o, QStringLiteral("server_version"));
    m.replayLagBytes = o.integer(QStringLiteral("replay_lag_bytes"));
    m.replayLagSeconds = o.number(QStringLiteral("replay_lag_seconds"));
    m.walReceiver = walReceiverFrom(o);
    m.connections = connectionsFrom(o);
    m.archiver = readArchiverStat(o);
    readSqlLists(o, m);
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

HaproxySnapshot haproxyFrom(const QJsonObject &object)
{
    JsonFields o(object);
    HaproxySnapshot h;
    h.channel = channelFrom(o.raw(QStringLiteral("channel")));
    h.readWriteBackend = o.text(QStringLiteral("read_write_backend"));
    for (const auto &v : o.array(QStringLiteral("read_write_servers_up")))
        h.readWriteServersUp.append(v.toString());
    if (o.raw(QStringLiteral("servers")).isArray()) {
        HaproxyStats stats;
        for (const auto &v : o.array(QStringLiteral("servers"))) {
            JsonFields s(v.toObject());
            HaproxyStatRow r;
            r.type = HaproxyStatRow::Type::Server;
            r.proxy = s.text(QStringLiteral("proxy"));
            r.name = s.text(QStringLiteral("name"));
            r.status = s.text(QStringLiteral("status"));
            r.address = s.text(QStringLiteral("address"));
            r.currentSessions = i64(s, QStringLiteral("current_sessions"));
            r.checkStatus = s.text(QStringLiteral("check_status"));
            stats.rows.append(r);
        }
        h.stats = stats;
    }
    return h;
}

QJsonObject routeJson(const ClientRoute &r)
{
    QJsonArray databases;
    for (const QString &d : r.databases)
        databases.append(d);
    return {
        {QStringLiteral("kind"), routeKindName(r.kind)},
        {QStringLiteral("name"), r.name},
        {QStringLiteral("probed_as"), r.probedAs.isEmpty() ? QJsonValue() : r.probedAs},
        {QStringLiteral("address"), r.address().isEmpty() ? QJsonValue() : r.address()},
        {QStringLiteral("intent"), routeIntentName(r.intent)},
        {QStringLiteral("databases"), databases},
        {QStringLiteral("probed_at"), timeJson(r.probedAt)},
        {QStringLiteral("error"), errorJson(r.error)},
        {QStringLiteral("note"), r.note.isEmpty() ? QJsonValue() : r.note},
        {QStringLiteral("in_recovery"), r.inRecovery ? QJsonValue(*r.inRecovery) : QJsonValue()},
        {QStringLiteral("server_address"),
         r.serverAddress.isEmpty() ? QJsonValue() : r.serverAddress},
        {QStringLiteral("server_port"), r.serverPort > 0 ? QJsonValue(r.serverPort) : QJsonValue()},
        {QStringLiteral("system_identifier"),
         r.systemIdentifier.isEmpty() ? QJsonValue() : r.systemIdentifier},
        {QStringLiteral("member"), r.member.isEmpty() ? QJsonValue() : r.member},
        {QStringLiteral("other_cluster"), r.otherCluster}};
}

ClientRoute routeFrom(const QJsonValue &v)
{
    JsonFields o(v.toObject());
    ClientRoute r;
    for (auto kind :
         {ClientRoute::Kind::Database, ClientRoute::Kind::Fallback, ClientRoute::Kind::Address})
        if (o.text(QStringLiteral("kind")) == routeKindName(kind))
            r.kind = kind;
    r.name = o.text(QStringLiteral("name"));
    r.probedAs = o.text(QStringLiteral("probed_as"));
    const QString address = o.text(QStringLiteral("address"));
    const int colon = int(address.lastIndexOf(QLatin1Char(':')));
    if (colon > 0) {
        r.host = address.startsWith(QLatin1String("socket:")) ? QString() : address.left(colon);
        r.port = address.mid(colon + 1).toInt();
    }
    r.intent = o.text(QStringLiteral("intent")) == routeIntentName(ClientRoute::Intent::ReadOnly)
                   ? ClientRoute::Intent::ReadOnly
                   : ClientRoute::Intent::ReadWrite;
    for (const auto &d : o.array(QStringLiteral("databases")))
        r.databases.append(d.toString());
    r.probedAt = timeOrInvalid(o, QStringLiteral("probed_at"));
    r.error = errorFrom(o.raw(QStringLiteral("error")));
    r.note = o.text(QStringLiteral("note"));
    if (o.raw(QStringLiteral("in_recovery")).isBool())
        r.inRecovery = o.flag(QStringLiteral("in_recovery"));
    r.serverAddress = o.text(QStringLiteral("server_address"));
    r.serverPort = int32(o, QStringLiteral("server_port")).value_or(0);
    r.systemIdentifier = o.text(QStringLiteral("system_identifier"));
    r.member = o.text(QStringLiteral("member"));
    r.otherCluster = o.flag(QStringLiteral("other_cluster"));
    return r;
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
    QJsonArray routes;
    for (const auto &r : b.routes)
        routes.append(routeJson(r));
    return {{QStringLiteral("configured"), b.channel.state != ChannelStatus::State::Unknown},
            {QStringLiteral("channel"), channelJson(b.channel)},
            {QStringLiteral("waiting_clients"), double(b.waitingClients())},
            {QStringLiteral("pools"), pools},
            {QStringLiteral("routes"), routes}};
}

PgBouncerSnapshot pgbouncerFrom(const QJsonObject &object)
{
    JsonFields o(object);
    PgBouncerSnapshot b;
    b.channel = channelFrom(o.raw(QStringLiteral("channel")));
    for (const auto &v : o.array(QStringLiteral("pools"))) {
        JsonFields p(v.toObject());
        PgBouncerPool pool;
        pool.database = p.text(QStringLiteral("database"));
        pool.user = p.text(QStringLiteral("user"));
        pool.clientsActive = i64(p, QStringLiteral("clients_active"));
        pool.clientsWaiting = i64(p, QStringLiteral("clients_waiting"));
        pool.serversActive = i64(p, QStringLiteral("servers_active"));
        pool.serversIdle = i64(p, QStringLiteral("servers_idle"));
        pool.serversUsed = i64(p, QStringLiteral("servers_used"));
        pool.maxWait = p.number(QStringLiteral("max_wait_seconds")).value_or(0);
        pool.maxWaitSeconds = qint64(pool.maxWait);
        pool.poolMode = p.text(QStringLiteral("pool_mode"));
        b.pools.append(pool);
    }
    for (const auto &v : o.array(QStringLiteral("routes")))
        b.routes.append(routeFrom(v));
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

PatroniConfig configFrom(const QJsonObject &object)
{
    JsonFields o(object);
    PatroniConfig c;
    c.ttl = int32(o, QStringLiteral("ttl"));
    c.loopWait = int32(o, QStringLiteral("loop_wait"));
    c.retryTimeout = int32(o, QStringLiteral("retry_timeout"));
    c.maximumLagOnFailover = o.integer(QStringLiteral("maximum_lag_on_failover"));
    c.synchronousMode = o.flag(QStringLiteral("synchronous_mode"));
    c.synchronousModeStrict = o.flag(QStringLiteral("synchronous_mode_strict"));
    c.paused = o.flag(QStringLiteral("paused"));
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

namespace {

QList<Finding> findingsFrom(JsonFields &o)
{
    QList<Finding> findings;
    for (const auto &v : o.array(QStringLiteral("findings"))) {
        JsonFields fo(v.toObject());
        Finding f;
        f.code =
            findingCodeFromName(fo.text(QStringLiteral("code"))).value_or(Finding::Code::Other);
        f.severity = severityFromName(fo.text(QStringLiteral("severity")))
                         .value_or(Finding::Severity::Unknown);
        f.member = fo.text(QStringLiteral("member"));
        f.message = fo.text(QStringLiteral("message"));
        findings.append(f);
    }
    return findings;
}

} // namespace

Result<ClusterSnapshot> snapshotFromJson(const QJsonObject &object)
{
    JsonFields o(object);
    if (o.text(QStringLiteral("schema")) != QLatin1String(kSnapshotJsonSchemaId))
        return ServiceError::make(ServiceError::Kind::Parse, Tr::tr("read a status snapshot"), {},
                                  {},
                                  Tr::tr("not a Vigil status snapshot of schema %1")
                                      .arg(QLatin1String(kSnapshotJsonSchemaId)));
    ClusterSnapshot s;
    s.sequence = quint64(i64(o, QStringLiteral("sequence")));
    s.profileName = o.text(QStringLiteral("profile"));
    s.scope = o.text(QStringLiteral("scope"));
    s.takenAt = timeOrInvalid(o, QStringLiteral("taken_at"));
    s.cycleMs = i64(o, QStringLiteral("cycle_ms"));
    s.discovery = channelFrom(o.raw(QStringLiteral("discovery")));
    s.paused = o.flag(QStringLiteral("paused"));
    if (o.raw(QStringLiteral("scheduled_switchover")).isObject()) {
        JsonFields sw(o.object(QStringLiteral("scheduled_switchover")));
        s.scheduledSwitchover = PatroniScheduledSwitchover{timeOrInvalid(sw, QStringLiteral("at")),
                                                           sw.text(QStringLiteral("from")),
                                                           sw.text(QStringLiteral("to"))};
    }
    if (o.raw(QStringLiteral("dynamic_config")).isObject())
        s.dynamicConfig = configFrom(o.object(QStringLiteral("dynamic_config")));
    for (const auto &v : o.array(QStringLiteral("members")))
        s.members.append(memberFrom(v.toObject()));
    s.haproxy = haproxyFrom(o.object(QStringLiteral("haproxy")));
    s.pgbouncer = pgbouncerFrom(o.object(QStringLiteral("pgbouncer")));
    s.findings = findingsFrom(o);
    return s;
}

} // namespace vigil::services
