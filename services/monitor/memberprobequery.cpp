#include "services/monitor/memberprobequery.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace vigil::services {

namespace {

// json_build_object prints bigint as a JSON number; doubles hold integers exactly up to 2^53,
// far beyond any WAL distance or counter Vigil reads.
std::optional<qint64> optInt(const QJsonValue &v)
{
    if (v.isDouble())
        return qint64(v.toDouble());
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

std::optional<double> optNumber(const QJsonValue &v)
{
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double n = v.toString().toDouble(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

std::optional<QDateTime> optTime(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t;
}

QMap<QString, int> countMap(const QJsonValue &v)
{
    QMap<QString, int> out;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toInt());
    return out;
}

ReplicationStat parseReplication(const QJsonObject &o)
{
    ReplicationStat r;
    r.pid = o.value(QLatin1String("pid")).toInt();
    r.applicationName = o.value(QLatin1String("application_name")).toString();
    r.clientAddr = o.value(QLatin1String("client_addr")).toString();
    r.state = o.value(QLatin1String("state")).toString();
    r.syncState = o.value(QLatin1String("sync_state")).toString();
    r.sentLsn = o.value(QLatin1String("sent_lsn")).toString();
    r.writeLsn = o.value(QLatin1String("write_lsn")).toString();
    r.flushLsn = o.value(QLatin1String("flush_lsn")).toString();
    r.replayLsn = o.value(QLatin1String("replay_lsn")).toString();
    r.sentLagBytes = optInt(o.value(QLatin1String("sent_lag_bytes")));
    r.writeLagBytes = optInt(o.value(QLatin1String("write_lag_bytes")));
    r.flushLagBytes = optInt(o.value(QLatin1String("flush_lag_bytes")));
    r.replayLagBytes = optInt(o.value(QLatin1String("replay_lag_bytes")));
    r.writeLagSeconds = optNumber(o.value(QLatin1String("write_lag_s")));
    r.flushLagSeconds = optNumber(o.value(QLatin1String("flush_lag_s")));
    r.replayLagSeconds = optNumber(o.value(QLatin1String("replay_lag_s")));
    return r;
}

} // namespace

const QString &memberProbeSql()
{
    static const QString sql = [] {
        QFile f(QStringLiteral(":/sql/monitor_member.sql"));
        if (!f.open(QIODevice::ReadOnly))
            return QString(); // cannot happen: compiled in; exec of "" fails loudly if it does
        return QString::fromUtf8(f.readAll());
    }();
    return sql;
}

const QString &memberProbeCheapSql()
{
    static const QString sql = [] {
        QStringList kept;
        bool inFullOnly = false;
        for (const QString &line : memberProbeSql().split(QLatin1Char('\n'))) {
            const QString t = line.trimmed();
            if (t == QLatin1String("-- [full cycles only: begin]"))
                inFullOnly = true;
            else if (t == QLatin1String("-- [full cycles only: end]"))
                inFullOnly = false;
            else if (!inFullOnly)
                kept << line;
        }
        return kept.join(QLatin1Char('\n'));
    }();
    return sql;
}

const QString &memberProbePrepareSql(bool cheap)
{
    static const QString full =
        QStringLiteral("PREPARE vigil_member_probe(boolean, boolean) AS\n") + memberProbeSql();
    static const QString cheapSql =
        QStringLiteral("PREPARE vigil_member_probe_cheap(boolean, boolean) AS\n") +
        memberProbeCheapSql();
    return cheap ? cheapSql : full;
}

QString memberProbeExecuteSql(bool withSizes, bool withBreakdown)
{
    if (!withSizes && !withBreakdown)
        return QStringLiteral("EXECUTE vigil_member_probe_cheap(false, false)");
    return QStringLiteral("EXECUTE vigil_member_probe(%1, %2)")
        .arg(withSizes ? QLatin1String("true") : QLatin1String("false"),
             withBreakdown ? QLatin1String("true") : QLatin1String("false"));
}

ServiceError applyMemberProbe(const QByteArray &json, MemberSnapshot &member,
                              const QDateTime &takenAt)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return ServiceError::make(
            ServiceError::Kind::Parse, Tr::tr("SQL probe"), {}, {},
            Tr::tr("the probe's answer is not a JSON object (%1 at offset %2)")
                .arg(err.errorString())
                .arg(err.offset));
    const QJsonObject o = doc.object();
    if (!o.value(QLatin1String("in_recovery")).isBool())
        return ServiceError::make(ServiceError::Kind::Parse, Tr::tr("SQL probe"), {}, {},
                                  Tr::tr("the probe's answer has no \"in_recovery\" field"));

    member.inRecovery = o.value(QLatin1String("in_recovery")).toBool();
    const QJsonValue serverMs = o.value(QLatin1String("server_ms"));
    member.probeServerMs =
        serverMs.isDouble() ? std::optional<double>(serverMs.toDouble()) : std::nullopt;
    if (const auto v = optInt(o.value(QLatin1String("server_version"))))
        member.serverVersion = int(*v);

    member.replication.clear();
    for (const auto &v : o.value(QLatin1String("replication")).toArray())
        member.replication.append(parseReplication(v.toObject()));

    const QJsonValue wr = o.value(QLatin1String("wal_receiver"));
    if (wr.isObject()) {
        const QJsonObject w = wr.toObject();
        WalReceiverStat r;
        r.status = w.value(QLatin1String("status")).toString();
        r.senderHost = w.value(QLatin1String("sender_host")).toString();
        r.senderPort = w.value(QLatin1String("sender_port")).toInt();
        r.receivedLsn = w.value(QLatin1String("flushed_lsn")).toString();
        if (const auto t = optInt(w.value(QLatin1String("received_tli"))))
            r.receivedTimeline = int(*t);
        r.lastMessageReceipt = optTime(w.value(QLatin1String("last_msg_receipt_time")));
        member.walReceiver = r;
    } else {
        member.walReceiver.reset();
    }

    const QJsonValue cv = o.value(QLatin1String("connections"));
    if (cv.isObject()) {
        const QJsonObject c = cv.toObject();
        // An answer without the "breakdown" key (an older probe) always had one.
        const bool breakdown = c.value(QLatin1String("breakdown")).toBool(true);
        ConnectionStats s;
        if (!breakdown && member.connections)
            s = *member.connections; // carry the last breakdown forward
        // "total" (client backends) comes with the breakdown; "attached" (every backend
        // connected to a database) comes every cycle, from the same snapshot (see
        // monitor_member.sql): their difference is carried forward to correct "attached" on
        // the cycles without the breakdown. (An older probe sent "total" every cycle.)
        const QJsonValue total = c.value(QLatin1String("total"));
        const std::optional<qint64> attached = optInt(c.value(QLatin1String("attached")));
        if (total.isDouble()) {
            s.total = total.toInt();
            s.otherAttached = attached ? std::max(0, int(*attached) - s.total) : 0;
        } else {
            s.total = std::max(0, int(attached.value_or(0)) - s.otherAttached);
        }
        s.maxConnections = c.value(QLatin1String("max_connections")).toInt();
        if (breakdown) {
            s.byState = countMap(c.value(QLatin1String("by_state")));
            s.byApplication = countMap(c.value(QLatin1String("by_application")));
            s.byDatabase = countMap(c.value(QLatin1String("by_database")));
            s.breakdownAt = takenAt;
        }
        member.connections = s;
    } else {
        member.connections.reset();
    }

    member.replicationSlots.clear();
    for (const auto &v : o.value(QLatin1String("slots")).toArray()) {
        const QJsonObject s = v.toObject();
        ReplicationSlotStat slot;
        slot.name = s.value(QLatin1String("name")).toString();
        slot.type = s.value(QLatin1String("type")).toString();
        slot.active = s.value(QLatin1String("active")).toBool();
        slot.retainedWalBytes = optInt(s.value(QLatin1String("retained_bytes")));
        member.replicationSlots.append(slot);
    }

    const QJsonValue av = o.value(QLatin1String("archiver"));
    if (av.isObject()) {
        const QJsonObject a = av.toObject();
        ArchiverStat s;
        s.archivedCount = optInt(a.value(QLatin1String("archived_count"))).value_or(0);
        s.failedCount = optInt(a.value(QLatin1String("failed_count"))).value_or(0);
        s.lastArchivedWal = a.value(QLatin1String("last_archived_wal")).toString();
        s.lastArchivedTime = optTime(a.value(QLatin1String("last_archived_time")));
        s.lastFailedWal = a.value(QLatin1String("last_failed_wal")).toString();
        s.lastFailedTime = optTime(a.value(QLatin1String("last_failed_time")));
        member.archiver = s;
    } else {
        member.archiver.reset();
    }

    member.databaseCounters.clear();
    for (const auto &v : o.value(QLatin1String("databases")).toArray()) {
        const QJsonObject d = v.toObject();
        DatabaseCounters c;
        c.name = d.value(QLatin1String("name")).toString();
        c.xactCommit = optInt(d.value(QLatin1String("xact_commit"))).value_or(0);
        c.xactRollback = optInt(d.value(QLatin1String("xact_rollback"))).value_or(0);
        c.tupInserted = optInt(d.value(QLatin1String("tup_inserted"))).value_or(0);
        c.tupUpdated = optInt(d.value(QLatin1String("tup_updated"))).value_or(0);
        c.tupDeleted = optInt(d.value(QLatin1String("tup_deleted"))).value_or(0);
        member.databaseCounters.append(c);
    }

    const QJsonValue sizes = o.value(QLatin1String("sizes"));
    if (sizes.isArray()) {
        member.databaseSizes.clear();
        for (const auto &v : sizes.toArray()) {
            const QJsonObject d = v.toObject();
            member.databaseSizes.append({d.value(QLatin1String("name")).toString(),
                                         optInt(d.value(QLatin1String("bytes"))).value_or(0)});
        }
    }
    return {};
}

int breakdownIntervalFor(std::optional<double> fullMs, std::optional<double> cheapMs,
                         int stateIntervalMs, int maxIntervalMs, double budgetMs)
{
    const int cycle = std::max(1, stateIntervalMs);
    const int longest = std::max(cycle, maxIntervalMs);
    if (budgetMs <= 0)
        return longest;
    if (!fullMs)
        return cycle; // learn its cost first (the first cycle also has sizes: not counted)
    if (!cheapMs)
        return std::min(longest, 2 * cycle); // one cycle without it first, to learn its cost
    const double extra = std::max(0.0, *fullMs - *cheapMs);
    const double cycles = std::max(1.0, std::ceil(extra / budgetMs));
    return int(std::min(double(longest), cycles * cycle));
}

} // namespace vigil::services
