#include "services/patroni/patronitypes.h"

#include "services/core/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

namespace vigil::services {

namespace {

using Kind = ServiceError::Kind;

ServiceError parseError(const char *what, const QString &message)
{
    return ServiceError::make(Kind::Parse, QString::fromLatin1(what), {}, {}, message);
}

// The body as a JSON document of the expected shape, or a Parse error saying why not.
Result<QJsonDocument> parseJson(const QByteArray &body, const char *what, QJsonValue::Type shape)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return parseError(what, Tr::tr("The answer is empty."));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        if (trimmed.startsWith('<')) {
            return parseError(what, Tr::tr("The answer is an HTML page, not JSON. Is this the "
                                           "address of a Patroni REST API?"));
        }
        return parseError(what, Tr::tr("The answer is not valid JSON: %1 at byte %2 of %3.")
                                    .arg(pe.errorString())
                                    .arg(pe.offset)
                                    .arg(body.size()));
    }
    const bool ok = shape == QJsonValue::Object ? doc.isObject() : doc.isArray();
    if (!ok) {
        return parseError(what, Tr::tr("The answer should be %1, but it is %2.")
                                    .arg(JsonFields::typeName(shape),
                                         doc.isObject() ? Tr::tr("an object") : Tr::tr("a list")));
    }
    return doc;
}

std::optional<int> toInt(std::optional<qint64> v)
{
    if (!v)
        return std::nullopt;
    return int(*v);
}

std::optional<QDateTime> scheduledRestart(JsonFields &f)
{
    if (!f.present(QStringLiteral("scheduled_restart")))
        return std::nullopt;
    QString error;
    JsonFields s(f.object(QStringLiteral("scheduled_restart")),
                 f.path(QStringLiteral("scheduled_restart")), &error);
    auto at = s.timestamp(QStringLiteral("schedule"), parsePatroniTimestamp);
    if (!error.isEmpty())
        f.fail(QStringLiteral("scheduled_restart"),
               Tr::tr("an object with a \"schedule\" timestamp"),
               f.raw(QStringLiteral("scheduled_restart")));
    return at;
}

// Newer Patroni explains a pending restart per parameter: {"max_connections": {"old_value":
// "100", "new_value": "200"}}; shown as "max_connections: 100 → 200".
QString pendingRestartReason(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    QStringList parts;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonObject change = it.value().toObject();
        parts << Tr::tr("%1: %2 → %3")
                     .arg(it.key(),
                          change.value(QStringLiteral("old_value")).toVariant().toString(),
                          change.value(QStringLiteral("new_value")).toVariant().toString());
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

QString roleName(PatroniRole role)
{
    switch (role) {
    case PatroniRole::Leader:
        return Tr::tr("Leader");
    case PatroniRole::StandbyLeader:
        return Tr::tr("Standby Leader");
    case PatroniRole::SyncStandby:
        return Tr::tr("Sync Standby");
    case PatroniRole::Replica:
        return Tr::tr("Replica");
    case PatroniRole::Unknown:
        break;
    }
    return Tr::tr("Unknown");
}

PatroniRole parsePatroniRole(const QString &s)
{
    QString r = s.trimmed().toLower();
    r.replace(QLatin1Char('-'), QLatin1Char('_'));
    r.replace(QLatin1Char(' '), QLatin1Char('_'));
    if (r == QLatin1String("leader") || r == QLatin1String("master") ||
        r == QLatin1String("primary"))
        return PatroniRole::Leader;
    if (r == QLatin1String("standby_leader"))
        return PatroniRole::StandbyLeader;
    if (r == QLatin1String("sync_standby") || r == QLatin1String("quorum_standby"))
        return PatroniRole::SyncStandby;
    if (r == QLatin1String("replica"))
        return PatroniRole::Replica;
    return PatroniRole::Unknown;
}

bool isRunningState(const QString &state)
{
    return state == QLatin1String("running") || state == QLatin1String("streaming") ||
           state == QLatin1String("in archive recovery");
}

bool isHealthyReplicaState(const QString &state)
{
    return state == QLatin1String("running") || state == QLatin1String("streaming");
}

QUrl PatroniMember::apiBaseUrl() const
{
    if (!apiUrl.isValid() || apiUrl.host().isEmpty())
        return {};
    QUrl base;
    base.setScheme(apiUrl.scheme());
    base.setHost(apiUrl.host());
    base.setPort(apiUrl.port());
    return base;
}

namespace {
bool tagIsTrue(const QVariantMap &tags, const char *name)
{
    const QVariant v = tags.value(QString::fromLatin1(name));
    if (v.typeId() == QMetaType::Bool)
        return v.toBool();
    const QString s = v.toString().trimmed().toLower();
    return s == QLatin1String("true") || s == QLatin1String("on") || s == QLatin1String("yes") ||
           s == QLatin1String("1");
}
} // namespace

bool PatroniMember::noFailover() const
{
    return tagIsTrue(tags, "nofailover");
}
bool PatroniMember::noLoadBalance() const
{
    return tagIsTrue(tags, "noloadbalance");
}

const PatroniMember *PatroniCluster::leader() const
{
    for (const PatroniMember &m : members) {
        if (m.role == PatroniRole::Leader || m.role == PatroniRole::StandbyLeader)
            return &m;
    }
    return nullptr;
}

std::optional<QDateTime> parsePatroniTimestamp(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)"
        R"(\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?\s*$)"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    int ms = 0;
    if (m.hasCaptured(7)) {
        QString frac = m.captured(7).left(3);
        while (frac.size() < 3)
            frac += QLatin1Char('0');
        ms = frac.toInt();
    }
    const QTime time = m.hasCaptured(4) ? QTime(m.captured(4).toInt(), m.captured(5).toInt(),
                                                m.hasCaptured(6) ? m.captured(6).toInt() : 0, ms)
                                        : QTime(0, 0);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    int offset = 0;
    if (m.hasCaptured(9)) {
        const int hours = m.captured(10).toInt();
        const int minutes = m.hasCaptured(11) ? m.captured(11).toInt() : 0;
        if (hours > 18 || minutes > 59)
            return std::nullopt;
        offset = (hours * 3600 + minutes * 60) * (m.captured(9) == QLatin1String("-") ? -1 : 1);
    }
    const QDateTime dt = offset == 0 ? QDateTime(date, time, Qt::UTC)
                                     : QDateTime(date, time, Qt::OffsetFromUTC, offset);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toUTC();
}

namespace {

// One entry of GET /cluster's "members".
PatroniMember clusterMember(const QJsonObject &object, const QString &path, QString &error)
{
    JsonFields f(object, path, &error);
    PatroniMember m;
    m.name = f.text(QStringLiteral("name"), true);
    if (error.isEmpty() && m.name.trimmed().isEmpty())
        error = Tr::tr("%1 has an empty name.").arg(path);
    m.role = parsePatroniRole(f.text(QStringLiteral("role")));
    m.state = f.text(QStringLiteral("state"));
    m.host = f.text(QStringLiteral("host"));
    m.port = int(f.integer(QStringLiteral("port")).value_or(0));
    const QString api = f.text(QStringLiteral("api_url"));
    if (!api.isEmpty())
        m.apiUrl = QUrl(api);
    m.timeline = toInt(f.integer(QStringLiteral("timeline")));
    // "lag": bytes behind the leader; Patroni writes "unknown" when it has no position.
    const QJsonValue lag = f.raw(QStringLiteral("lag"));
    if (lag.isString() &&
        lag.toString().trimmed().compare(QLatin1String("unknown"), Qt::CaseInsensitive) == 0)
        m.lagBytes = std::nullopt;
    else
        m.lagBytes = f.integer(QStringLiteral("lag"));
    m.pendingRestart = f.flag(QStringLiteral("pending_restart"));
    m.tags = f.object(QStringLiteral("tags")).toVariantMap();
    m.scheduledRestart = scheduledRestart(f);
    return m;
}

PatroniScheduledSwitchover scheduledSwitchover(JsonFields &top, QString &error)
{
    JsonFields s(top.object(QStringLiteral("scheduled_switchover")),
                 QStringLiteral("scheduled_switchover"), &error);
    PatroniScheduledSwitchover sw;
    auto at = s.timestamp(QStringLiteral("at"), parsePatroniTimestamp);
    if (!at && error.isEmpty())
        s.fail(QStringLiteral("at"), Tr::tr("a timestamp"), s.raw(QStringLiteral("at")));
    sw.at = at.value_or(QDateTime());
    sw.from = s.text(QStringLiteral("from"));
    sw.to = s.text(QStringLiteral("to"));
    return sw;
}

// The WAL positions of GET /patroni ("xlog").
void readXlog(JsonFields &f, PatroniNodeStatus &s, QString &error)
{
    JsonFields x(f.object(QStringLiteral("xlog")), QStringLiteral("xlog"), &error);
    s.walLocation = x.integer(QStringLiteral("location"));
    s.receivedLocation = x.integer(QStringLiteral("received_location"));
    s.replayedLocation = x.integer(QStringLiteral("replayed_location"));
    s.replayedTimestamp = x.timestamp(QStringLiteral("replayed_timestamp"), parsePatroniTimestamp);
    s.replayPaused = x.flag(QStringLiteral("paused"));
}

// The standbys streaming from this member, as GET /patroni lists them ("replication").
void readReplication(JsonFields &f, PatroniNodeStatus &s, QString &error)
{
    const QJsonArray replication = f.array(QStringLiteral("replication"));
    for (int i = 0; i < replication.size() && error.isEmpty(); ++i) {
        const QString path = QStringLiteral("replication[%1]").arg(i);
        if (!replication.at(i).isObject()) {
            error = Tr::tr("%1 should be an object, but it is %2.")
                        .arg(path, JsonFields::describe(replication.at(i)));
            break;
        }
        JsonFields r(replication.at(i).toObject(), path, &error);
        PatroniReplicationEntry e;
        e.usename = r.text(QStringLiteral("usename"));
        e.applicationName = r.text(QStringLiteral("application_name"));
        e.clientAddr = r.text(QStringLiteral("client_addr"));
        e.state = r.text(QStringLiteral("state"));
        e.syncState = r.text(QStringLiteral("sync_state"));
        e.syncPriority = int(r.integer(QStringLiteral("sync_priority")).value_or(0));
        s.replication << e;
    }
}

} // namespace

Result<PatroniCluster> parsePatroniCluster(const QByteArray &body)
{
    static const char what[] = "GET /cluster";
    auto doc = parseJson(body, what, QJsonValue::Object);
    if (!doc.ok())
        return doc.error();

    QString error;
    JsonFields top(doc.value().object(), {}, &error);
    PatroniCluster cluster;
    const QJsonArray members = top.array(QStringLiteral("members"), true);
    for (int i = 0; i < members.size() && error.isEmpty(); ++i) {
        const QString path = QStringLiteral("members[%1]").arg(i);
        if (!members.at(i).isObject()) {
            error = Tr::tr("%1 should be an object, but it is %2.")
                        .arg(path, JsonFields::describe(members.at(i)));
            break;
        }
        cluster.members << clusterMember(members.at(i).toObject(), path, error);
    }
    cluster.paused = top.flag(QStringLiteral("pause"));
    if (top.present(QStringLiteral("scheduled_switchover")))
        cluster.scheduledSwitchover = scheduledSwitchover(top, error);
    if (!error.isEmpty())
        return parseError(what, error);
    return cluster;
}

Result<PatroniNodeStatus> parsePatroniNodeStatus(const QByteArray &body)
{
    static const char what[] = "GET /patroni";
    auto doc = parseJson(body, what, QJsonValue::Object);
    if (!doc.ok())
        return doc.error();

    QString error;
    JsonFields f(doc.value().object(), {}, &error);
    PatroniNodeStatus s;
    s.state = f.text(QStringLiteral("state"), true);
    s.role = parsePatroniRole(f.text(QStringLiteral("role")));
    s.serverVersion = int(f.integer(QStringLiteral("server_version")).value_or(0));
    s.timeline = toInt(f.integer(QStringLiteral("timeline")));
    s.postmasterStartTime =
        f.timestamp(QStringLiteral("postmaster_start_time"), parsePatroniTimestamp);

    readXlog(f, s, error);
    readReplication(f, s, error);

    s.pendingRestart = f.flag(QStringLiteral("pending_restart"));
    const QJsonValue reason = f.raw(QStringLiteral("pending_restart_reason"));
    if (reason.isString() || reason.isObject())
        s.pendingRestartReason = pendingRestartReason(reason);
    else if (!reason.isUndefined() && !reason.isNull())
        f.fail(QStringLiteral("pending_restart_reason"), Tr::tr("an object"), reason);
    s.paused = f.flag(QStringLiteral("pause"));
    s.tags = f.object(QStringLiteral("tags")).toVariantMap();

    JsonFields p(f.object(QStringLiteral("patroni")), QStringLiteral("patroni"), &error);
    s.patroniVersion = p.text(QStringLiteral("version"));
    s.scope = p.text(QStringLiteral("scope"));

    // The system identifier is a 64-bit number: Patroni sends it as text; accept a number too.
    const QJsonValue sysid = f.raw(QStringLiteral("database_system_identifier"));
    if (sysid.isDouble())
        s.systemIdentifier =
            QString::number(f.integer(QStringLiteral("database_system_identifier")).value_or(0));
    else
        s.systemIdentifier = f.text(QStringLiteral("database_system_identifier"));

    // dcs_last_seen: seconds since the epoch (3.0.2); a timestamp text is accepted as well.
    const QJsonValue seen = f.raw(QStringLiteral("dcs_last_seen"));
    if (seen.isString()) {
        s.dcsLastSeen = f.timestamp(QStringLiteral("dcs_last_seen"), parsePatroniTimestamp);
    } else if (auto secs = f.integer(QStringLiteral("dcs_last_seen"))) {
        if (*secs > 0)
            s.dcsLastSeen = QDateTime::fromSecsSinceEpoch(*secs, Qt::UTC);
    }
    s.clusterUnlocked = f.flag(QStringLiteral("cluster_unlocked"));
    s.scheduledRestart = scheduledRestart(f);

    if (!error.isEmpty())
        return parseError(what, error);
    return s;
}

Result<QList<PatroniHistoryEntry>> parsePatroniHistory(const QByteArray &body)
{
    static const char what[] = "GET /history";
    auto doc = parseJson(body, what, QJsonValue::Array);
    if (!doc.ok())
        return doc.error();

    QList<PatroniHistoryEntry> history;
    const QJsonArray lines = doc.value().array();
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonValue line = lines.at(i);
        const QJsonArray a = line.toArray();
        if (!line.isArray() || a.size() < 3) {
            return parseError(what, Tr::tr("Entry %1 should be a list [timeline, lsn, reason, "
                                           "timestamp, new leader], but it is %2.")
                                        .arg(i)
                                        .arg(line.isArray() ? Tr::tr("a list of %n value(s)",
                                                                     nullptr, int(a.size()))
                                                            : JsonFields::describe(line)));
        }
        // Field by field, with the same messages as for objects.
        QJsonObject named;
        named.insert(QStringLiteral("timeline"), a.at(0));
        named.insert(QStringLiteral("lsn"), a.at(1));
        named.insert(QStringLiteral("reason"), a.at(2));
        if (a.size() > 3)
            named.insert(QStringLiteral("timestamp"), a.at(3));
        if (a.size() > 4)
            named.insert(QStringLiteral("new_leader"), a.at(4));
        QString error;
        JsonFields f(named, QStringLiteral("history[%1]").arg(i), &error);
        PatroniHistoryEntry e;
        const auto timeline = f.integer(QStringLiteral("timeline"));
        const auto lsn = f.integer(QStringLiteral("lsn"));
        e.reason = f.text(QStringLiteral("reason"));
        e.at = f.timestamp(QStringLiteral("timestamp"), parsePatroniTimestamp);
        e.newLeader = f.text(QStringLiteral("new_leader"));
        if (error.isEmpty() && (!timeline || !lsn))
            error = Tr::tr("history[%1] has no timeline or LSN.").arg(i);
        if (!error.isEmpty())
            return parseError(what, error);
        e.timeline = int(*timeline);
        e.lsn = *lsn;
        history << e;
    }
    return history;
}

Result<PatroniConfig> parsePatroniConfig(const QByteArray &body)
{
    static const char what[] = "GET /config";
    auto doc = parseJson(body, what, QJsonValue::Object);
    if (!doc.ok())
        return doc.error();

    QString error;
    PatroniConfig c;
    c.raw = doc.value().object();
    JsonFields f(c.raw, {}, &error);
    c.ttl = toInt(f.lenientInteger(QStringLiteral("ttl")));
    c.loopWait = toInt(f.lenientInteger(QStringLiteral("loop_wait")));
    c.retryTimeout = toInt(f.lenientInteger(QStringLiteral("retry_timeout")));
    c.maximumLagOnFailover = f.lenientInteger(QStringLiteral("maximum_lag_on_failover"));
    c.synchronousMode = f.lenientFlag(QStringLiteral("synchronous_mode"));
    c.synchronousModeStrict = f.lenientFlag(QStringLiteral("synchronous_mode_strict"));
    c.paused = f.lenientFlag(QStringLiteral("pause"));
    JsonFields pg(f.object(QStringLiteral("postgresql")), QStringLiteral("postgresql"), &error);
    c.postgresqlParameters = pg.object(QStringLiteral("parameters")).toVariantMap();
    if (!error.isEmpty())
        return parseError(what, error);
    return c;
}

} // namespace vigil::services
