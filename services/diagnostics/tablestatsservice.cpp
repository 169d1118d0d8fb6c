#include "services/diagnostics/tablestatsservice.h"

#include "services/core/calllater.h"
#include "services/diagnostics/sessionsservice.h"
#include "services/postgres/pgrowreader.h"

namespace vigil::services {

TableStatsService::TableStatsService(PgSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
}

QList<DatabaseStat> TableStatsService::parseDatabases(const PgResult &result)
{
    QList<DatabaseStat> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        DatabaseStat d;
        d.name = r.text("datname");
        d.bytes = r.integer("bytes").value_or(0);
        d.backends = int(r.integer("numbackends").value_or(0));
        d.xactCommit = r.integer("xact_commit").value_or(0);
        d.xactRollback = r.integer("xact_rollback").value_or(0);
        d.tupInserted = r.integer("tup_inserted").value_or(0);
        d.tupUpdated = r.integer("tup_updated").value_or(0);
        d.tupDeleted = r.integer("tup_deleted").value_or(0);
        d.deadlocks = r.integer("deadlocks").value_or(0);
        d.tempBytes = r.integer("temp_bytes").value_or(0);
        d.blksRead = r.integer("blks_read").value_or(0);
        d.blksHit = r.integer("blks_hit").value_or(0);
        d.statsReset = r.text("stats_reset");
        out.append(d);
    }
    return out;
}

QList<TableStat> TableStatsService::parseTables(const PgResult &result)
{
    QList<TableStat> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        TableStat t;
        t.schema = r.text("schemaname");
        t.name = r.text("relname");
        t.totalBytes = r.integer("total_bytes").value_or(0);
        t.liveTuples = r.integer("n_live_tup").value_or(0);
        t.deadTuples = r.integer("n_dead_tup").value_or(0);
        t.inserted = r.integer("n_tup_ins").value_or(0);
        t.updated = r.integer("n_tup_upd").value_or(0);
        t.deleted = r.integer("n_tup_del").value_or(0);
        t.hotUpdated = r.integer("n_tup_hot_upd").value_or(0);
        t.seqScan = r.integer("seq_scan").value_or(0);
        t.seqTupRead = r.integer("seq_tup_read").value_or(0);
        t.idxScan = r.integer("idx_scan").value_or(0);
        t.lastAutovacuum = r.text("last_autovacuum");
        t.lastAutoanalyze = r.text("last_autoanalyze");
        out.append(t);
    }
    return out;
}

QList<UnusedIndex> TableStatsService::parseUnusedIndexes(const PgResult &result)
{
    QList<UnusedIndex> out;
    const PgRowReader reader(result);
    for (int i = 0; i < reader.rowCount(); ++i) {
        const PgRowReader::Row r = reader.row(i);
        out.append({r.text("schemaname"), r.text("relname"), r.text("indexrelname"),
                    r.integer("idx_scan").value_or(0), r.integer("bytes").value_or(0)});
    }
    return out;
}

void TableStatsService::fetchDatabases(Callback<QList<DatabaseStat>> callback)
{
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled,
                                     QStringLiteral("database sizes"), {}, {},
                                     Tr::tr("No connection.")));
        return;
    }
    m_session->exec(
        sqlResource(QStringLiteral("tablestats_databases")), {},
        [callback](const PgResult &result, const ServiceError &error) {
            if (error)
                callback(error);
            else
                callback(parseDatabases(result));
        },
        std::chrono::milliseconds(15000));
}

void TableStatsService::fetchTables(Callback<TableStatsSnapshot> callback)
{
    if (!m_session) {
        callLater(this, callback,
                  ServiceError::make(ServiceError::Kind::Cancelled,
                                     QStringLiteral("table statistics"), {}, {},
                                     Tr::tr("No connection.")));
        return;
    }
    QPointer<PgSession> session = m_session;
    m_session->exec(
        sqlResource(QStringLiteral("tablestats_tables")), {},
        [callback, session](const PgResult &result, const ServiceError &error) {
            if (error) {
                callback(error);
                return;
            }
            TableStatsSnapshot snap;
            snap.tables = parseTables(result);
            if (!session) {
                callback(snap);
                return;
            }
            session->exec(sqlResource(QStringLiteral("tablestats_unused_indexes")), {},
                          [callback, snap](const PgResult &r2, const ServiceError &e2) mutable {
                              if (e2) {
                                  callback(e2);
                                  return;
                              }
                              snap.unusedIndexes = parseUnusedIndexes(r2);
                              callback(snap);
                          });
        },
        std::chrono::milliseconds(15000));
}

} // namespace vigil::services
