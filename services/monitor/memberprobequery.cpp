#include "services/monitor/memberprobequery.h"

#include "services/core/jsonfields.h"
#include "services/postgres/sqlresource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace vigil::services {

namespace {

// The probe's answer is Vigil's own SQL: read leniently (a field of another type reads as
// absent). json_build_object prints bigint as a JSON number; doubles hold integers exactly up to
// 2^53, far beyond any WAL distance or counter Vigil reads.

ReplicationStat parseReplication(const QJsonObject &object)
{
    JsonFields o(object);
    ReplicationStat r;
    r.pid = int(o.lenientInteger(QStringLiteral("pid")).value_or(0));
    r.applicationName = o.text(QStringLiteral("application_name"));
    r.clientAddr = o.text(QStringLiteral("client_addr"));
    r.state = o.text(QStringLiteral("state"));
    r.syncState = o.text(QStringLiteral("sync_state"));
    r.sentLsn = o.text(QStringLiteral("sent_lsn"));
    r.writeLsn = o.text(QStringLiteral("write_lsn"));
    r.flushLsn = o.text(QStringLiteral("flush_lsn"));
    r.replayLsn = o.text(QStringLiteral("replay_lsn"));
    r.sentLagBytes = o.lenientInteger(QStringLiteral("sent_lag_bytes"));
    r.writeLagBytes = o.lenientInteger(QStringLiteral("write_lag_bytes"));
    r.flushLagBytes = o.lenientInteger(QStringLiteral("flush_lag_bytes"));
    r.replayLagBytes = o.lenientInteger(QStringLiteral("replay_lag_bytes"));
    r.writeLagSeconds = o.number(QStringLiteral("write_lag_s"));
    r.flushLagSeconds = o.number(QStringLiteral("flush_lag_s"));
    r.replayLagSeconds = o.number(QStringLiteral("replay_lag_s"));
    return r;
}

std::optional<WalReceiverStat> parseWalReceiver(JsonFields &o)
{
    if (!o.raw(QStringLiteral("wal_receiver")).isObject())
        return std::nullopt;
    JsonFields w(o.object(QStringLiteral("wal_receiver")));
    WalReceiverStat r;
    r.status = w.text(QStringLiteral("status"));
    r.senderHost = w.text(QStringLiteral("sender_host"));
    r.senderPort = int(w.lenientInteger(QStringLiteral("sender_port")).value_or(0));
    r.receivedLsn = w.text(QStringLiteral("flushed_lsn"));
    if (const auto t = w.lenientInteger(QStringLiteral("received_tli")))
        r.receivedTimeline = int(*t);
    r.lastMessageReceipt = w.timestamp(QStringLiteral("last_msg_receipt_time"));
    return r;
}

// "connections": the breakdown comes only on some cycles; `previous` carries the last one.
std::optional<ConnectionStats> parseConnections(JsonFields &o,
                                                const std::optional<ConnectionStats> &previous,
                                                const QDateTime &takenAt)
{
    if (!o.raw(QStringLiteral("connections")).isObject())
        return std::nullopt;
    JsonFields c(o.object(QStringLiteral("connections")));
    // An answer without the "breakdown" key (an older probe) always had one.
    const bool breakdown = c.flag(QStringLiteral("breakdown"), true);
    ConnectionStats s;
    if (!breakdown && previous)
        s = *previous; // carry the last breakdown forward
    // "total" (client backends) comes with the breakdown; "attached" (every backend connected
    // to a database) comes every cycle, from the same snapshot (see monitor_member.sql): their
    // difference is carried forward to correct "attached" on the cycles without the breakdown.
    // (An older probe sent "total" every cycle.)
    const QJsonValue total = c.raw(QStringLiteral("total"));
    const std::optional<qint64> attached = c.lenientInteger(QStringLiteral("attached"));
    if (total.isDouble()) {
        s.total = total.toInt();
        s.otherAttached = attached ? std::max(0, int(*attached) - s.total) : 0;
    } else {
        s.total = std::max(0, int(attached.value_or(0)) - s.otherAttached);
    }
    s.maxConnections = c.raw(QStringLiteral("max_connections")).toInt();
    if (breakdown) {
        s.byState = c.counts(QStringLiteral("by_state"));
        s.byApplication = c.counts(QStringLiteral("by_application"));
        s.byDatabase = c.counts(QStringLiteral("by_database"));
        s.breakdownAt = takenAt;
    }
    return s;
}

QList<ReplicationSlotStat> parseSlots(JsonFields &o)
{
    QList<ReplicationSlotStat> list;
    for (const auto &v : o.array(QStringLiteral("slots"))) {
        JsonFields s(v.toObject());
        ReplicationSlotStat slot;
        slot.name = s.text(QStringLiteral("name"));
        slot.type = s.text(QStringLiteral("type"));
        slot.active = s.flag(QStringLiteral("active"));
        slot.retainedWalBytes = s.lenientInteger(QStringLiteral("retained_bytes"));
        list.append(slot);
    }
    return list;
}

QList<DatabaseCounters> parseDatabaseCounters(JsonFields &o)
{
    QList<DatabaseCounters> out;
    for (const auto &v : o.array(QStringLiteral("databases"))) {
        JsonFields d(v.toObject());
        DatabaseCounters c;
        c.name = d.text(QStringLiteral("name"));
        c.xactCommit = d.lenientInteger(QStringLiteral("xact_commit")).value_or(0);
        c.xactRollback = d.lenientInteger(QStringLiteral("xact_rollback")).value_or(0);
        c.tupInserted = d.lenientInteger(QStringLiteral("tup_inserted")).value_or(0);
        c.tupUpdated = d.lenientInteger(QStringLiteral("tup_updated")).value_or(0);
        c.tupDeleted = d.lenientInteger(QStringLiteral("tup_deleted")).value_or(0);
        out.append(c);
    }
    return out;
}

std::optional<SessionBrief> parseSession(JsonFields &o, const QString &key)
{
    if (!o.raw(key).isObject())
        return std::nullopt;
    JsonFields j(o.object(key));
    SessionBrief b;
    b.pid = int(j.lenientInteger(QStringLiteral("pid")).value_or(0));
    b.user = j.text(QStringLiteral("user"));
    b.application = j.text(QStringLiteral("application"));
    b.state = j.text(QStringLiteral("state"));
    b.seconds = j.number(QStringLiteral("seconds")).value_or(0);
    b.waiting = int(j.lenientInteger(QStringLiteral("waiting")).value_or(0));
    return b;
}

// "locks" comes with the connection breakdown; between breakdowns the last one stays.
std::optional<LockContention>
parseLocks(JsonFields &o, const std::optional<LockContention> &previous, const QDateTime &takenAt)
{
    if (!o.raw(QStringLiteral("locks")).isObject())
        return previous;
    JsonFields l(o.object(QStringLiteral("locks")));
    LockContention c;
    c.measuredAt = takenAt;
    c.oldestIdleInTransaction = parseSession(l, QStringLiteral("idle_in_transaction"));
    c.rootBlocker = parseSession(l, QStringLiteral("root_blocker"));
    return c;
}

// "statements": pg_stat_statements' totals, on sizes cycles (else absent or null: the last
// known stay); {} on those cycles when the probe's database has no pg_stat_statements.
std::optional<StatementTotals> parseStatementTotals(JsonFields &o,
                                                    const std::optional<StatementTotals> &previous,
                                                    const QDateTime &takenAt)
{
    if (!o.raw(QStringLiteral("statements")).isObject())
        return previous;
    JsonFields j(o.object(QStringLiteral("statements")));
    if (!j.raw(QStringLiteral("calls")).isDouble())
        return std::nullopt;
    StatementTotals t;
    t.totalExecMs = j.number(QStringLiteral("total_exec_ms")).value_or(0);
    t.calls = j.lenientInteger(QStringLiteral("calls")).value_or(0);
    t.at = takenAt;
    return t;
}

// The statement's text with its name and parameter types (two booleans: sizes, breakdown).
PgStatement probeStatement(const char *name, const QString &sql)
{
    return {QString::fromLatin1(name), sql, {PgStatement::kBooleanOid, PgStatement::kBooleanOid}};
}

} // namespace

std::optional<ArchiverStat> readArchiverStat(JsonFields &o)
{
    if (!o.raw(QStringLiteral("archiver")).isObject())
        return std::nullopt;
    JsonFields a(o.object(QStringLiteral("archiver")));
    ArchiverStat s;
    s.archivedCount = a.lenientInteger(QStringLiteral("archived_count")).value_or(0);
    s.failedCount = a.lenientInteger(QStringLiteral("failed_count")).value_or(0);
    s.lastArchivedWal = a.text(QStringLiteral("last_archived_wal"));
    s.lastArchivedTime = a.timestamp(QStringLiteral("last_archived_time"));
    s.lastFailedWal = a.text(QStringLiteral("last_failed_wal"));
    s.lastFailedTime = a.timestamp(QStringLiteral("last_failed_time"));
    s.archiveMode = a.text(QStringLiteral("archive_mode"));
    s.archiveCommand = a.text(QStringLiteral("archive_command"));
    return s;
}

const QString &memberProbeSql()
{
    return sqlResource(QStringLiteral("monitor_member"));
}

const QString &memberProbeCheapSql()
{
    return sqlResource(QStringLiteral("monitor_member_cheap"));
}

const PgStatement &memberProbeStatement(bool withSizes, bool withBreakdown)
{
    static const PgStatement full = probeStatement("vigil_member_probe", memberProbeSql());
    static const PgStatement cheap =
        probeStatement("vigil_member_probe_cheap", memberProbeCheapSql());
    return withSizes || withBreakdown ? full : cheap;
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
    JsonFields o(doc.object());
    if (!o.raw(QStringLiteral("in_recovery")).isBool())
        return ServiceError::make(ServiceError::Kind::Parse, Tr::tr("SQL probe"), {}, {},
                                  Tr::tr("the probe's answer has no \"in_recovery\" field"));

    member.inRecovery = o.flag(QStringLiteral("in_recovery"));
    const QJsonValue serverMs = o.raw(QStringLiteral("server_ms"));
    member.probeServerMs =
        serverMs.isDouble() ? std::optional<double>(serverMs.toDouble()) : std::nullopt;
    if (const auto v = o.lenientInteger(QStringLiteral("server_version")))
        member.serverVersion = int(*v);
    member.replication.clear();
    for (const auto &v : o.array(QStringLiteral("replication")))
        member.replication.append(parseReplication(v.toObject()));
    member.walReceiver = parseWalReceiver(o);
    member.connections = parseConnections(o, member.connections, takenAt);
    member.replicationSlots = parseSlots(o);
    member.archiver = readArchiverStat(o);
    member.locks = parseLocks(o, member.locks, takenAt);
    MemberSnapshot before;
    before.databaseCounters = member.databaseCounters;
    before.databaseCountersAt = member.databaseCountersAt;
    before.statementTotals = member.statementTotals;
    before.rates = member.rates;
    member.databaseCounters = parseDatabaseCounters(o);
    member.databaseCountersAt = takenAt;
    member.statementTotals = parseStatementTotals(o, member.statementTotals, takenAt);
    member.rates = ratesBetween(before, member);
    if (const auto wal = o.lenientInteger(QStringLiteral("wal_bytes")))
        member.walDirBytes = wal;
    if (o.raw(QStringLiteral("data_directory")).isString())
        member.dataDirectory = o.text(QStringLiteral("data_directory"));
    if (o.raw(QStringLiteral("pending_restart")).isArray()) {
        member.pendingRestartSettings.clear();
        for (const auto &v : o.array(QStringLiteral("pending_restart"))) {
            JsonFields p(v.toObject());
            member.pendingRestartSettings.append(
                {p.text(QStringLiteral("name")), p.text(QStringLiteral("running"))});
        }
    }
    if (o.raw(QStringLiteral("sizes")).isArray()) {
        member.databaseSizes.clear();
        for (const auto &v : o.array(QStringLiteral("sizes"))) {
            JsonFields d(v.toObject());
            member.databaseSizes.append({d.text(QStringLiteral("name")),
                                         d.lenientInteger(QStringLiteral("bytes")).value_or(0)});
        }
    }
    return {};
}

QString describePendingRestart(const QList<PendingRestartSetting> &settings,
                               const PatroniConfig *config)
{
    QStringList parts;
    for (const PendingRestartSetting &p : settings) {
        const QVariant wanted = config ? config->postgresqlParameters.value(p.name) : QVariant();
        const QString text = wanted.isValid() ? wanted.toString() : QString();
        parts << (text.isEmpty() || text == p.running
                      ? Tr::tr("%1 (running %2)").arg(p.name, p.running)
                      : Tr::tr("%1: %2 → %3").arg(p.name, p.running, text));
    }
    return parts.join(QStringLiteral("; "));
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

namespace {

// The statements' mean between two reads of pg_stat_statements; the last one while no new
// read came (the same totals carried forward).
void statementRates(const MemberSnapshot &before, const MemberSnapshot &after, MemberRates &r)
{
    const auto &b = before.statementTotals;
    const auto &a = after.statementTotals;
    if (!b || !a || !b->at.isValid() || !a->at.isValid())
        return;
    if (a->at == b->at) {
        r.statementIntervalSeconds = before.rates.statementIntervalSeconds;
        r.statementMeanMs = before.rates.statementMeanMs;
        r.statementCalls = before.rates.statementCalls;
        return;
    }
    const qint64 calls = a->calls - b->calls;
    const double ms = a->totalExecMs - b->totalExecMs;
    if (calls < 0 || ms < 0 || b->at.msecsTo(a->at) <= 0)
        return; // reset or restart: the next interval counts from here
    r.statementIntervalSeconds = b->at.msecsTo(a->at) / 1000.0;
    r.statementCalls = calls;
    if (calls > 0)
        r.statementMeanMs = ms / double(calls);
}

} // namespace

MemberRates ratesBetween(const MemberSnapshot &before, const MemberSnapshot &after)
{
    MemberRates r;
    statementRates(before, after, r);
    if (!before.databaseCountersAt || !after.databaseCountersAt)
        return r;
    r.intervalSeconds = before.databaseCountersAt->msecsTo(*after.databaseCountersAt) / 1000.0;
    if (r.intervalSeconds <= 0)
        return r;
    qint64 rollbacks = 0;
    bool matched = false, backwards = false;
    for (const DatabaseCounters &a : after.databaseCounters)
        for (const DatabaseCounters &b : before.databaseCounters)
            if (a.name == b.name) {
                matched = true;
                backwards =
                    backwards || a.xactRollback < b.xactRollback || a.xactCommit < b.xactCommit;
                rollbacks += a.xactRollback - b.xactRollback;
            }
    if (matched && !backwards)
        r.rollbacksPerSecond = rollbacks / r.intervalSeconds;
    return r;
}

} // namespace vigil::services
