#pragma once

#include "services/core/error.h"
#include "services/postgres/pgresult.h"
#include "services/postgres/pgsession.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

namespace vigil::services {

struct DatabaseStat
{
    QString name;
    qint64 bytes = 0;
    int backends = 0;
    qint64 xactCommit = 0, xactRollback = 0, tupInserted = 0, tupUpdated = 0, tupDeleted = 0;
    qint64 deadlocks = 0, tempBytes = 0, blksRead = 0, blksHit = 0;
    QString statsReset;
};

struct TableStat
{
    QString schema, name;
    qint64 totalBytes = 0, liveTuples = 0, deadTuples = 0;
    qint64 inserted = 0, updated = 0, deleted = 0, hotUpdated = 0;
    qint64 seqScan = 0, seqTupRead = 0, idxScan = 0;
    QString lastAutovacuum, lastAutoanalyze;
    // Many sequential scans: more sequential than index scans, reading real amounts of rows.
    bool manySeqScans() const { return seqScan > 100 && seqScan > idxScan && seqTupRead > 100000; }
};

struct UnusedIndex
{
    QString schema, table, name;
    qint64 scans = 0, bytes = 0;
};

struct TableStatsSnapshot
{
    QList<TableStat> tables;
    QList<UnusedIndex> unusedIndexes;
};

// Database sizes (cluster-wide) and per-table statistics of the connected database.
// Lives on its PgSession's thread; calls back exactly once, from the event loop (never before
// the call returns).
class TableStatsService : public QObject
{
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(const Result<T> &)>;

    explicit TableStatsService(PgSession *session, QObject *parent = nullptr);

    void fetchDatabases(Callback<QList<DatabaseStat>> callback);
    // Tables and unused indexes of the database the session is connected to (two queries).
    void fetchTables(Callback<TableStatsSnapshot> callback);

    static QList<DatabaseStat> parseDatabases(const PgResult &result);
    static QList<TableStat> parseTables(const PgResult &result);
    static QList<UnusedIndex> parseUnusedIndexes(const PgResult &result);

private:
    QPointer<PgSession> m_session;
};

} // namespace vigil::services
